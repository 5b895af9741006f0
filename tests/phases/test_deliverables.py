"""A deliverable's versions and review: Borrador → En revisión → Observado → Validado por el
órgano → Aceptado, with the observations kept; and activities that wait for others."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from phases.models import DeliverableStatus, DeliverableType
from phases.services import work
from tests.factories import UserFactory
from tests.uploads import HOSTILE, pdf_bytes

PDF = pdf_bytes("entregable")


@pytest.fixture
def deliverable(open_phases, orgs):
    kind = DeliverableType.objects.get(phase_number=2, name="Diagnóstico de riesgos")
    return work.deliverable_add(
        phase=open_phases[2],
        kind=kind,
        responsible=orgs["implan"],
        author="consultant",
        author_name="Geoconsultores del Bajío (ejemplo)",
    )


def upload(name="riesgos.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def test_the_whole_review_keeps_every_step_and_observation(deliverable, validate_by_the_body):
    author, reviewer = UserFactory(), UserFactory()
    work.version_add(deliverable=deliverable, upload=upload(), by=author)
    work.deliverable_review(deliverable=deliverable, step="submit", by=author)
    work.deliverable_review(
        deliverable=deliverable,
        step="observe",
        by=reviewer,
        observations="Falta el mapa de fallas geológicas.",
    )
    with pytest.raises(ValidationError, match="nueva versión que atienda las observaciones"):
        work.deliverable_review(deliverable=deliverable, step="submit", by=author)
    work.version_add(deliverable=deliverable, upload=upload("riesgos-v2.pdf"), by=author)
    work.deliverable_review(deliverable=deliverable, step="submit", by=author)
    (agreement,) = validate_by_the_body(deliverable)
    work.deliverable_review(deliverable=deliverable, step="accept", by=reviewer)
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.ACCEPTED
    steps = list(deliverable.reviews.values_list("from_status", "to_status"))
    assert steps == [
        ("draft", "in_review"),
        ("in_review", "observed"),
        ("observed", "in_review"),
        ("in_review", "validated"),
        ("validated", "accepted"),
    ]
    validated = deliverable.reviews.get(to_status="validated")
    assert (validated.agreement, validated.by) == (agreement, None)  # the body's vote
    observed = deliverable.reviews.get(to_status="observed")
    assert observed.observations == "Falta el mapa de fallas geológicas."
    assert observed.version.number == 1
    assert [v.number for v in deliverable.versions.all()] == [2, 1]


def test_no_step_is_skipped_and_each_refusal_says_why(deliverable):
    by = UserFactory()
    with pytest.raises(ValidationError, match="Suba el archivo"):
        work.deliverable_review(deliverable=deliverable, step="submit", by=by)
    with pytest.raises(ValidationError, match="no puede pasar a «Aceptado»"):
        work.deliverable_review(deliverable=deliverable, step="accept", by=by)
    work.version_add(deliverable=deliverable, upload=upload(), by=by)
    work.deliverable_review(deliverable=deliverable, step="submit", by=by)
    with pytest.raises(ValidationError, match="Escriba las observaciones"):
        work.deliverable_review(deliverable=deliverable, step="observe", by=by)
    with pytest.raises(ValidationError, match="borrador u observado"):
        work.version_add(deliverable=deliverable, upload=upload(), by=by)
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.IN_REVIEW
    assert deliverable.versions.count() == 1


def test_a_file_whose_content_does_not_match_its_name_is_refused(deliverable):
    with pytest.raises(ValidationError, match="no corresponde a un archivo .pdf"):
        work.version_add(
            deliverable=deliverable, upload=upload("riesgos.pdf", b"<html>"), by=UserFactory()
        )
    assert not deliverable.versions.exists()


def test_a_deliverable_of_another_phase_is_refused(open_phases, orgs):
    kind = DeliverableType.objects.get(phase_number=3, name="Modelo territorial")
    with pytest.raises(ValidationError, match="es un entregable de la fase 3"):
        work.deliverable_add(
            phase=open_phases[2], kind=kind, responsible=orgs["implan"], author="implan"
        )


def test_only_an_accepted_deliverable_is_published(deliverable):
    with pytest.raises(ValidationError, match="Solo se publica un entregable aceptado"):
        work.deliverable_publish(deliverable=deliverable)


def test_an_activity_starts_only_after_those_it_waits_for_finish(open_phases, orgs):
    phase = open_phases[2]
    field = work.activity_add(
        phase=phase,
        name="Trabajo de campo",
        responsible=orgs["implan"],
        planned_start=datetime.date(2026, 3, 1),
        planned_end=datetime.date(2026, 4, 30),
    )
    workshop = work.activity_add(
        phase=phase,
        name="Taller de diagnóstico",
        responsible=orgs["works"],
        planned_start=datetime.date(2026, 5, 1),
        planned_end=datetime.date(2026, 5, 15),
        depends_on=[field],
    )
    with pytest.raises(ValidationError, match="Esta actividad espera a: Trabajo de campo."):
        work.activity_progress(activity=workshop, progress=10)
    work.activity_progress(activity=field, progress=100)
    field.refresh_from_db()
    assert field.actual_end is not None
    work.activity_progress(activity=workshop, progress=40)
    workshop.refresh_from_db()
    assert (workshop.progress, workshop.actual_end) == (40, None)
    with pytest.raises(ValidationError, match="de 0 a 100"):
        work.activity_progress(activity=workshop, progress=140)


def test_a_closed_phase_changes_no_more(open_phases, deliverable, council_vote):
    from phases.models import Phase

    Phase.objects.filter(pk=open_phases[2].pk).update(
        status="closed", close_agreement=council_vote(), actual_end=datetime.date(2026, 6, 1)
    )
    with pytest.raises(ValidationError, match="La fase está cerrada"):
        work.version_add(deliverable=deliverable, upload=upload(), by=UserFactory())
    assert not deliverable.versions.exists()


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_version_is_refused_naming_it(deliverable, name):
    with pytest.raises(ValidationError) as refused:
        work.version_add(
            deliverable=deliverable, upload=upload(name, HOSTILE[name]), by=UserFactory()
        )
    assert name in refused.value.messages[0]
    assert not deliverable.versions.exists()
