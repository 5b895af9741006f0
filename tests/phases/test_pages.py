"""The phase pages for every persona: who sees, who acts (404 / 403 / login), what a POST
changes; and lists in a fixed number of queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.models import Activity, Deliverable, DeliverableStatus, DeliverableType, Phase
from phases.services import work
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.factories import UserFactory
from tests.uploads import pdf_bytes

READERS = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 403, "anonymous": 302}
PLANNERS = {"admin", "planner"}
# Refused before the object: the anonymous to the login; the outsider sees no such object.
REFUSED = {"anonymous": 302, "outsider": 404}
PDF = pdf_bytes("entregable")


@pytest.fixture
def deliverable(open_phases, orgs):
    """A deliverable of phase 2 that the municipal works unit (liaison's organization) owes."""
    kind = DeliverableType.objects.get(phase_number=2, name="Diagnóstico urbano-regional")
    return work.deliverable_add(
        phase=open_phases[2], kind=kind, responsible=orgs["works"], author="implan"
    )


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_phase_pages_by_persona(client_as, open_phases, deliverable, persona_name):
    client = client_as(persona_name)
    for url in (
        reverse("phases:phase_list"),
        reverse("phases:phase_detail", args=[2]),
        reverse("phases:deliverable_detail", args=[deliverable.pk]),
    ):
        response = client.get(url)
        expected = READERS[persona_name]
        if persona_name == "outsider" and "entregables" in url:
            expected = 404  # an object hidden from someone looks like a missing one
        assert response.status_code == expected, url


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_opening_a_phase_by_persona(client_as, phases, persona_name):
    response = client_as(persona_name).post(reverse("phases:phase_open", args=[1]))
    phases[1].refresh_from_db()
    if persona_name in PLANNERS:
        assert response.status_code == 302
        assert phases[1].status == Phase.Status.OPEN
    else:
        assert response.status_code == {"anonymous": 302}.get(persona_name, 403)
        assert phases[1].status == Phase.Status.PENDING


def test_the_page_of_a_pending_phase_says_what_it_lacks_to_start(client_as, phases):
    page = client_as("council_member").get(reverse("phases:phase_detail", args=[2])).text
    assert "Primero debe iniciar la fase 1, Sistema de coordinación." in page


def test_the_gate_page_lists_what_is_missing(client_as, open_phases):
    page = client_as("planner").get(reverse("phases:phase_detail", args=[1])).text
    assert "Falta el entregable requerido «Programa de trabajo»." in page
    assert "Cerrar la fase" not in page  # nothing to close with while deliverables are missing


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_uploading_and_submitting_a_deliverable_by_persona(client_as, deliverable, persona_name):
    """The planner and the responsible organization's liaison work on it; the rest may not."""
    client = client_as(persona_name)
    upload = SimpleUploadedFile("diagnostico.pdf", PDF)
    client.post(reverse("phases:version_add", args=[deliverable.pk]), {"file": upload})
    response = client.post(
        reverse("phases:deliverable_review", args=[deliverable.pk]), {"step": "submit"}
    )
    deliverable.refresh_from_db()
    if persona_name in PLANNERS | {"municipal_liaison"}:
        assert deliverable.status == DeliverableStatus.IN_REVIEW
        assert deliverable.versions.get().original_name == "diagnostico.pdf"
    else:
        assert response.status_code == REFUSED.get(persona_name, 403)
        assert deliverable.status == DeliverableStatus.DRAFT
        assert not deliverable.versions.exists()


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_reviewing_a_deliverable_by_persona(client_as, deliverable, persona_name):
    work.version_add(
        deliverable=deliverable, upload=SimpleUploadedFile("d.pdf", PDF), by=UserFactory()
    )
    work.deliverable_review(deliverable=deliverable, step="submit", by=UserFactory())
    response = client_as(persona_name).post(
        reverse("phases:deliverable_review", args=[deliverable.pk]),
        {"step": "observe", "observations": "Faltan las fuentes."},
    )
    deliverable.refresh_from_db()
    if persona_name in PLANNERS:
        assert deliverable.status == DeliverableStatus.OBSERVED
    else:
        assert response.status_code == REFUSED.get(persona_name, 403)
        assert deliverable.status == DeliverableStatus.IN_REVIEW


def test_a_review_refused_by_its_rule_is_explained(client_as, deliverable):
    response = client_as("planner").post(
        reverse("phases:deliverable_review", args=[deliverable.pk]),
        {"step": "submit"},
        follow=True,
    )
    assert "Suba el archivo del entregable antes de enviarlo a revisión." in response.text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_downloading_a_version_by_persona(client_as, deliverable, persona_name):
    version = work.version_add(
        deliverable=deliverable, upload=SimpleUploadedFile("d.pdf", PDF), by=UserFactory()
    )
    response = client_as(persona_name).get(reverse("phases:version_download", args=[version.pk]))
    if persona_name in ROLE_PERSONAS:
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    else:
        assert response.status_code == 404  # unpublished: hidden from the public


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_reporting_activity_progress_by_persona(client_as, open_phases, orgs, persona_name):
    activity = work.activity_add(
        phase=open_phases[2],
        name="Levantamiento de banquetas",
        responsible=orgs["works"],
        planned_start=datetime.date(2026, 3, 1),
        planned_end=datetime.date(2026, 4, 1),
    )
    response = client_as(persona_name).post(
        reverse("phases:activity_progress", args=[activity.pk]), {"progress": 60}
    )
    activity.refresh_from_db()
    if persona_name in PLANNERS | {"municipal_liaison"}:
        assert activity.progress == 60
    else:
        assert response.status_code == {"anonymous": 302, "outsider": 404}.get(persona_name, 403)
        assert activity.progress == 0


def test_another_organizations_liaison_cannot_report_its_activity(client_as, open_phases, orgs):
    activity = work.activity_add(
        phase=open_phases[2],
        name="Actividad del IMPLAN",
        responsible=orgs["implan"],
        planned_start=datetime.date(2026, 3, 1),
        planned_end=datetime.date(2026, 4, 1),
    )
    response = client_as("municipal_liaison").post(
        reverse("phases:activity_progress", args=[activity.pk]), {"progress": 60}
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.progress == 0


@pytest.mark.parametrize("size", [5, 300])
def test_the_phase_lists_run_a_fixed_number_of_queries(
    client_as, open_phases, orgs, django_assert_max_num_queries, size
):
    kinds = list(DeliverableType.objects.filter(phase_number=2))
    for n in range(size):
        Deliverable.objects.create(
            phase=open_phases[2],
            kind=kinds[n % len(kinds)],
            responsible=orgs["implan"],
            author="implan",
            title=f"Entregable {n}",
        )
        Activity.objects.create(
            phase=open_phases[2],
            name=f"Actividad {n}",
            responsible=orgs["works"],
            planned_start=datetime.date(2026, 3, 1),
            planned_end=datetime.date(2026, 9, 1),
        )
    client = client_as("planner")
    for url in (reverse("phases:phase_list"), reverse("phases:phase_detail", args=[2])):
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200
