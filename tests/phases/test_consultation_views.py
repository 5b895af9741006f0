"""Staff pages of the consultation: who may see, who may change (404 vs 403 vs login), what a
POST changes, and fixed query counts on the comment list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from phases.models import Comment, Consultation, Hearing, Ruling
from phases.services import consultation as services
from tests.conftest import ALL_PERSONAS
from tests.factories import UserFactory
from tests.phases.consultation_fixtures import *  # noqa: F403 - the fixtures
from tests.phases.consultation_fixtures import submit, today

pytestmark = pytest.mark.django_db


def period_over(consultation):
    """Move the consultation's period into the past (it opened ten days ago)."""
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=today() - datetime.timedelta(days=10),
        closes_on=today() - datetime.timedelta(days=1),
    )


CHANGERS = {"admin", "planner"}


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_who_sees_the_list(client_as, consultation, who):
    response = client_as(who).get(reverse("phases:consultation_list"))
    expected = {"anonymous": 302, "outsider": 403}.get(who, 200)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_who_sees_a_consultation_and_its_contacts(client_as, consultation, who):
    submit(consultation, contact="ana@example.org")
    response = client_as(who).get(reverse("phases:consultation_detail", args=[consultation.pk]))
    expected = {"anonymous": 302, "outsider": 404}.get(who, 200)
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert "Ana Pérez" in html
        assert ("ana@example.org" in html) == (who in CHANGERS)
        assert ("Registrar un comentario" in html) == (who in CHANGERS)


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_who_creates_a_consultation(client_as, open_phases, authorization, legal_period, who):
    url = reverse("phases:consultation_create")
    client = client_as(who)
    expected_get = {"anonymous": 302}.get(who, 200 if who in CHANGERS else 403)
    assert client.get(url).status_code == expected_get
    response = client.post(
        url,
        {
            "title": "Consulta del proyecto",
            "agreement": authorization.pk,
            "opens_on": today().isoformat(),
            "days": 20,
            "business_days": "on",
        },
    )
    program = open_phases[3].program
    if who in CHANGERS:
        made = program.consultations.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("phases:consultation_detail", args=[made.pk])
        assert (made.days, made.business_days) == (20, True)
    else:
        assert response.status_code in (302, 403)
        assert not program.consultations.exists()


def test_a_refused_creation_says_why(client_as, phases, authorization):
    response = client_as("planner").post(
        reverse("phases:consultation_create"),
        {
            "title": "Consulta",
            "agreement": authorization.pk,
            "opens_on": today().isoformat(),
            "days": 20,
        },
    )
    assert response.status_code == 200
    assert "fase 3" in response.content.decode()


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_who_adds_a_hearing(client_as, consultation, who):
    url = reverse("phases:consultation_hearing_add", args=[consultation.pk])
    response = client_as(who).post(
        url, {"place": "Auditorio", "starts_at": f"{today().isoformat()}T18:00"}
    )
    expected = {"anonymous": 302, "outsider": 404}.get(who, 302 if who in CHANGERS else 403)
    assert response.status_code == expected
    assert Hearing.objects.exists() == (who in CHANGERS)


@pytest.mark.parametrize("who", ["planner", "council_member", "outsider"])
def test_who_writes_the_minutes(client_as, consultation, who):
    midnight = timezone.make_aware(datetime.datetime.combine(today(), datetime.time(0)))
    hearing = services.hearing_add(consultation=consultation, place="Auditorio", starts_at=midnight)
    response = client_as(who).post(
        reverse("phases:consultation_hearing_minutes", args=[hearing.pk]), {"minutes": "Acta."}
    )
    assert response.status_code == {"planner": 302, "council_member": 403}.get(who, 404)
    hearing.refresh_from_db()
    assert (hearing.minutes == "Acta.") == (who == "planner")


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_who_records_a_paper_comment(client_as, consultation, who):
    response = client_as(who).post(
        reverse("phases:consultation_record", args=[consultation.pk]),
        {
            "channel": "paper",
            "received_on": today().isoformat(),
            "name": "Luis",
            "topic": "Agua",
            "text": "Cuidar el acuífero.",
        },
    )
    expected = {"anonymous": 302, "outsider": 404}.get(who, 302 if who in CHANGERS else 403)
    assert response.status_code == expected
    assert Comment.objects.filter(channel="paper").exists() == (who in CHANGERS)


def test_a_hearing_comment_needs_its_hearing(client_as, consultation):
    response = client_as("planner").post(
        reverse("phases:consultation_record", args=[consultation.pk]),
        {"channel": "hearing", "name": "Luis", "topic": "Agua", "text": "Texto."},
    )
    assert response.status_code == 200
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_who_rules_a_comment(client_as, consultation, who):
    comment = submit(consultation)
    url = reverse("phases:consultation_comment", args=[comment.pk])
    client = client_as(who)
    expected_get = {"anonymous": 302, "outsider": 404}.get(who, 200)
    assert client.get(url).status_code == expected_get
    response = client.post(url, {"ruling": Ruling.REJECTED, "answer": "Por estas razones."})
    expected = {"anonymous": 302, "outsider": 404}.get(who, 302 if who in CHANGERS else 403)
    assert response.status_code == expected
    comment.refresh_from_db()
    assert (comment.ruling == Ruling.REJECTED) == (who in CHANGERS)


def test_a_rejection_without_answer_is_not_saved(client_as, consultation):
    comment = submit(consultation)
    response = client_as("planner").post(
        reverse("phases:consultation_comment", args=[comment.pk]),
        {"ruling": Ruling.REJECTED, "answer": " "},
    )
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.ruling == ""


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_who_closes_and_publishes(client_as, consultation, who):
    period_over(consultation)
    client = client_as(who)
    close = client.post(reverse("phases:consultation_close", args=[consultation.pk]))
    publish = client.post(reverse("phases:consultation_publish", args=[consultation.pk]))
    expected = {"anonymous": 302, "outsider": 404}.get(who, 302 if who in CHANGERS else 403)
    assert (close.status_code, publish.status_code) == (expected, expected)
    consultation.refresh_from_db()
    assert (consultation.answers_published_at is not None) == (who in CHANGERS)


def test_closing_too_early_says_why(client_as, consultation):
    response = client_as("planner").post(
        reverse("phases:consultation_close", args=[consultation.pk]), follow=True
    )
    assert "se cierra después" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.closed_at is None


def test_closing_and_publishing_reject_get(client_as, consultation):
    client = client_as("planner")
    for name in ("consultation_close", "consultation_publish"):
        assert client.get(reverse(f"phases:{name}", args=[consultation.pk])).status_code == 405


def test_the_attachment_is_for_staff_only(client_as, consultation, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.phases.consultation_fixtures import PDF

    comment = submit(consultation, attachment=SimpleUploadedFile("plano.pdf", PDF))
    url = reverse("phases:consultation_attachment", args=[comment.pk])
    response = client_as("council_member").get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert client_as("outsider").get(url).status_code == 404
    assert client_as("anonymous").get(url).status_code == 302


@pytest.mark.parametrize("count", [5, 300])
def test_the_comment_list_has_a_fixed_query_count(
    client_as, consultation, count, django_assert_max_num_queries, make_unit
):
    unit = make_unit()
    planner = UserFactory()
    for n in range(count):
        comment = submit(consultation, address=f"10.0.{n // 250}.{n % 250}", unit=unit)
        if n % 2:
            services.comment_rule(comment=comment, ruling=Ruling.REJECTED, answer="No.", by=planner)
    client = client_as("planner")
    url = reverse("phases:consultation_detail", args=[consultation.pk])
    client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("phases:consultation_list")).status_code == 200
