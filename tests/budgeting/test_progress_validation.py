"""Four eyes on physical progress (issue 19): a report counts (public pages, open data, the
physical progress %) only once IMPLAN validates it, never by the person who reported it; a
correction waits while the validated figure still counts; each organization that co-finances
the action reports its own share, and the action adds the validated shares."""

# The fixtures of pages_fixtures are imported, then named as arguments.
# ruff: noqa: F811

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgeting import selectors
from budgeting.models import ProgressReport
from budgeting.services import progress as progress_services
from pmot.core import public_cache
from tests.budgeting.pages_fixtures import cofinanced  # noqa: F401
from tests.factories import UserFactory

# The action of `cofinanced`: Obras Públicas answers for it, the state agency co-finances a
# line; its target is 100 metres, 25 a quarter.


def _report(client, action, achieved, period=1, **extra):
    return client.post(
        reverse("budgeting:progress_report", args=[action.pk]),
        {"avance-period": str(period), "avance-achieved": str(achieved), **extra},
    )


def _public(client, action) -> tuple[str, str]:
    """The public action page and the public POA page, as an anonymous visitor reads them."""
    public_cache.changed()
    page = client.get(reverse("portal:action", kwargs={"year": 2027, "pk": action.pk}))
    year = client.get(reverse("portal:poa_year", kwargs={"year": 2027}))
    assert page.status_code == year.status_code == 200
    return page.text, year.text


def _open_data(client) -> list[dict]:
    public_cache.changed()
    response = client.get("/datos/2027/progress.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _validate(client, report):
    return client.post(reverse("budgeting:progress_validate", args=[report.pk]))


def _physical(poa, action) -> Decimal:
    return selectors.progress(selectors.poa_actions(poa).get(pk=action.pk))[0]


def test_a_liaisons_report_counts_nowhere_until_the_planner_validates_it(
    client, client_as, cofinanced
):
    poa, action, _, _ = cofinanced
    liaison = client_as("municipal_liaison")
    assert _report(liaison, action, 37).status_code == 302
    report = ProgressReport.objects.get(action=action)
    assert report.status == ProgressReport.Status.REPORTED
    page, year = _public(client, action)
    assert "37.0 %" not in page
    assert "37.0 %" not in year
    assert _open_data(client) == []
    assert _physical(poa, action) == Decimal("0.0")
    staff = liaison.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert "por validar" in staff

    planner = client_as("planner")
    queue = planner.get(reverse("budgeting:progress_queue")).text
    assert action.key in queue
    assert _validate(planner, report).status_code == 302
    page, year = _public(client, action)
    assert "37.0 %" in page
    assert "37.0 %" in year
    assert [row["achieved"] for row in _open_data(client)] == ["37.00"]
    assert _physical(poa, action) == Decimal("37.0")


def test_whoever_reported_progress_never_validates_it(client_as, persona, cofinanced, orgs):
    _, action, _, _ = cofinanced
    planner = client_as("planner")
    # IMPLAN's planner reports any organization's share: it says which.
    _report(planner, action, 10, **{"avance-organization": orgs["works"].pk})
    report = ProgressReport.objects.get(action=action)
    response = planner.post(reverse("budgeting:progress_validate", args=[report.pk]), follow=True)
    assert "Usted reportó este avance" in response.text
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.REPORTED
    with pytest.raises(ValidationError, match="cuatro ojos"):
        progress_services.progress_validate(report=report, by=persona("planner"))
    # The database refuses it too.
    report.status, report.reviewed_by = ProgressReport.Status.VALIDATED, persona("planner")
    report.reviewed_at = report.at
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()
    # Another person of IMPLAN validates it.
    assert _validate(client_as("admin"), report).status_code == 302
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.VALIDATED


def test_a_cofinancer_reports_its_share_and_the_action_adds_the_validated_shares(
    client, client_as, persona, cofinanced, orgs
):
    poa, action, _, _ = cofinanced
    # The state liaison may not report the responsible organization's share: its own only.
    state = client_as("state_liaison")
    assert (
        _report(state, action, 15, **{"avance-organization": orgs["works"].pk}).status_code == 302
    )
    assert _report(client_as("municipal_liaison"), action, 25).status_code == 302
    shares = {r.organization: r for r in ProgressReport.objects.filter(action=action, period=1)}
    assert set(shares) == {orgs["works"], orgs["state_agency"]}
    assert shares[orgs["state_agency"]].achieved == Decimal("15")
    # Again: one report per period and organization (a second one corrects the first).
    _report(state, action, 16)
    assert (
        ProgressReport.objects.filter(action=action, organization=orgs["state_agency"]).count() == 1
    )
    planner = client_as("planner")
    for report in ProgressReport.objects.filter(action=action):
        _validate(planner, report)
    assert _physical(poa, action) == Decimal("41.0")
    page, _ = _public(client, action)
    assert "41.0 %" in page
    staff = planner.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert "Secretaría estatal" in staff or "SE</strong>" in staff
    assert "SOP</strong>" in staff
    rows = _open_data(client)
    assert sorted((row["organization"], row["achieved"]) for row in rows) == [
        ("Obras Públicas", "25.00"),
        ("Secretaría estatal", "16.00"),
    ]


@pytest.mark.parametrize("persona_name", ["federal_liaison", "private_rep", "citizen_rep"])
def test_a_person_of_an_unrelated_organization_is_refused(client_as, cofinanced, persona_name):
    _, action, _, _ = cofinanced
    response = _report(client_as(persona_name), action, 5)
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_the_service_refuses_a_share_of_an_unrelated_organization(persona, cofinanced, orgs):
    _, action, _, _ = cofinanced
    with pytest.raises(ValidationError, match="no reporta avance"):
        progress_services.progress_report(
            action=action,
            period=1,
            achieved=5,
            by=persona("planner"),
            organization=orgs["chamber"],
        )
    assert not ProgressReport.objects.exists()


def test_a_report_returned_with_its_reason_shows_it_to_the_reporter_and_never_counts(
    client, client_as, cofinanced
):
    poa, action, _, _ = cofinanced
    liaison, planner = client_as("municipal_liaison"), client_as("planner")
    _report(liaison, action, 60)
    report = ProgressReport.objects.get(action=action)
    url = reverse("budgeting:progress_return", args=[report.pk])
    refused = planner.post(url, {"observations": "  "}, follow=True)
    assert "Diga qué debe corregir la organización que reporta." in refused.text
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.REPORTED
    planner.post(url, {"observations": "La bitácora no respalda 60 metros."})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.RETURNED
    page = liaison.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert "La bitácora no respalda 60 metros." in page
    assert "Devuelto con observaciones" in page
    assert _physical(poa, action) == Decimal("0.0")
    assert "60.0 %" not in _public(client, action)[0]
    # Reported again, it waits for validation again.
    _report(liaison, action, 45)
    report.refresh_from_db()
    assert (report.status, report.achieved) == (ProgressReport.Status.REPORTED, Decimal("45"))


def test_a_correction_waits_while_the_public_keeps_the_validated_figure(
    client, client_as, cofinanced
):
    poa, action, _, _ = cofinanced
    liaison, planner = client_as("municipal_liaison"), client_as("planner")
    _report(liaison, action, 20)
    _validate(planner, ProgressReport.objects.get(action=action))
    _report(liaison, action, 30)
    correction = ProgressReport.objects.get(action=action, status="reported")
    assert _physical(poa, action) == Decimal("20.0")
    page, _ = _public(client, action)
    assert "20.0 %" in page
    assert "30.0 %" not in page
    staff = liaison.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert "corrección" in staff
    assert "por validar" in staff
    queue = planner.get(reverse("budgeting:progress_queue")).text
    assert "corrección" in queue
    _validate(planner, correction)
    assert _physical(poa, action) == Decimal("30.0")
    assert "30.0 %" in _public(client, action)[0]
    # Every version stays: the figure it replaced, and each row's history.
    versions = ProgressReport.objects.filter(action=action).order_by("pk")
    assert [(r.achieved, r.status) for r in versions] == [
        (Decimal("20"), ProgressReport.Status.REPLACED),
        (Decimal("30"), ProgressReport.Status.VALIDATED),
    ]
    assert versions[0].history.count() == 3  # reported, validated, replaced


def test_the_queue_is_reached_from_the_pages_by_those_who_validate(client_as, cofinanced):
    poa, action, _, _ = cofinanced
    _report(client_as("municipal_liaison"), action, 12)
    planner = client_as("planner")
    queue = reverse("budgeting:progress_queue")
    assert queue in planner.get(reverse("portal:dashboard")).text
    poa_page = planner.get(reverse("budgeting:poa_detail", args=[poa.pk])).text
    assert f"{queue}?poa={poa.pk}" in poa_page
    listed = planner.get(queue, {"poa": poa.pk}).text
    assert "1 avance por validar" in listed
    liaison = client_as("municipal_liaison")
    assert liaison.get(queue).status_code == 403
    assert queue not in liaison.get(reverse("budgeting:poa_detail", args=[poa.pk])).text
    report = ProgressReport.objects.get()
    assert liaison.post(reverse("budgeting:progress_validate", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.REPORTED


def test_the_queue_runs_the_same_queries_for_one_report_or_many(client_as, cofinanced):
    _, action, _, _ = cofinanced
    liaison, planner = client_as("municipal_liaison"), client_as("planner")
    url = reverse("budgeting:progress_queue")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert planner.get(url).status_code == 200
        return len(captured)

    _report(liaison, action, 1, period=1)
    one = queries()
    for period in (2, 3, 4):
        _report(liaison, action, 1, period=period)
    _report(client_as("state_liaison"), action, 1, period=1)
    assert queries() == one


def test_a_report_entered_by_a_validator_waits_for_a_second_person(persona, cofinanced):
    _, action, _, _ = cofinanced
    report = progress_services.progress_report(
        action=action, period=1, achieved=5, by=persona("planner")
    )
    assert report.status == ProgressReport.Status.REPORTED
    progress_services.progress_validate(report=report, by=UserFactory())
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.VALIDATED
