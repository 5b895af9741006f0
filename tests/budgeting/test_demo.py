"""The demo of budgeting: two fiscal years of POA, about 150 actions of every kind on every
funding source, money through every stage, progress with a few flagged gaps, alignment with
deliberate holes, a transfer IMPLAN authorized and an increase the Cabildo approved; loading
it again changes nothing. Loaded on the day of the demo's story
(pmot.actors.demo): 2026 executed, 2027 submitted; a year later, 2027 approved and executing."""

import datetime

import pytest
from django.conf import settings
from django.db.models import Sum

from budgeting import demo, selectors
from budgeting.models import (
    FISMDF_CAPS,
    Action,
    ActionKind,
    BudgetLine,
    FundingSource,
    Movement,
    Poa,
    ProgressReport,
    RequestedChange,
)
from budgeting.services import modifications
from committees import demo as committees_demo
from committees.models import Session
from phases import demo as phases_demo
from pmot.actors import demo as actors_demo
from pmot.information import demo as information_demo
from pmot.planning import demo as planning_demo
from tests.clock import DEMO_DAY, frozen

TODAY = datetime.date(2026, 11, 27)  # the end of the story, a little before DEMO_DAY


def _load_all():
    """The whole demo, in the order load_demo runs it."""
    actors_demo.load()
    information_demo.load()
    committees_demo.load(upcoming=False)
    planning_demo.load()
    phases_demo.load()
    demo.load()
    committees_demo.load_upcoming()
    return {poa.fiscal_year: poa for poa in Poa.objects.all()}


@pytest.fixture
def poas(db):
    with frozen(DEMO_DAY):
        yield _load_all()


def test_the_demo_holds_two_years_every_kind_source_stage_and_a_few_gaps(poas):
    # two fiscal years 2026 executed and modified 2027 submitted
    assert set(poas) == {2026, 2027}
    assert poas[2026].status == Poa.Status.MODIFIED
    assert poas[2026].approval_agreement.body.kind == "cabildo"
    assert poas[2026].approval_agreement.status == "approved"
    # A transfer IMPLAN authorized; an increase of the total the Cabildo approved.
    transfer, increase = poas[2026].modifications.order_by("number")
    # Requested by IMPLAN's planner, authorized by the treasury (four eyes).
    assert (transfer.status, transfer.decided_by.username) == ("applied", "tesoreria")
    assert modifications.net_change(transfer.changes.all()) == 0
    assert (increase.status, increase.agreement.body.kind) == ("applied", "cabildo")
    assert modifications.net_change(increase.changes.all()) > 0
    assert not RequestedChange.objects.filter(movement__isnull=True).exists()
    assert poas[2027].status == Poa.Status.SUBMITTED
    assert 140 <= Action.objects.count() <= 160
    # every kind source and stage is there
    for poa in poas.values():
        assert set(poa.actions.values_list("kind", flat=True)) == set(ActionKind.values)
        sources = set(BudgetLine.objects.filter(action__poa=poa).values_list("source", flat=True))
        assert sources == set(FundingSource.objects.values_list("pk", flat=True))
    stages = set(
        Movement.objects.filter(line__action__poa=poas[2026]).values_list("stage", flat=True)
    )
    assert stages == set(Movement.Stage.values)
    # movements fall inside their year and 2026 before today
    for movement in Movement.objects.select_related("line__action__poa"):
        assert movement.date.year == movement.line.action.poa.fiscal_year
    assert not Movement.objects.filter(date__year=2026, date__gte=TODAY).exists()
    # fismdf stays in its categories and under its caps
    for year in poas:
        lines = BudgetLine.objects.filter(action__poa__fiscal_year=year, source__is_fismdf=True)
        assert not lines.filter(fismdf_category="").exists()
        total = lines.aggregate(t=Sum("modified"))["t"]
        for category, share in FISMDF_CAPS.items():
            used = lines.filter(fismdf_category=category).aggregate(t=Sum("modified"))["t"]
            assert used
            assert used <= total * share
    # progress is reported and a few gaps are flagged
    assert ProgressReport.objects.filter(action__poa=poas[2026]).count() > 200
    flagged = [a for a in selectors.poa_actions(poas[2026]) if selectors.progress(a)[2]]
    assert 3 <= len(flagged) <= 10
    for action in flagged:
        physical, financial, _ = selectors.progress(action)
        assert abs(physical - financial) > settings.PMOT_PROGRESS_GAP_POINTS
    # actions sit in territorial units some with a point
    actions = Action.objects.filter(poa=poas[2026])
    assert actions.filter(unit__key__startswith="UGAT-").count() > 50
    assert actions.filter(latitude__isnull=False).count() >= 10


def test_coverage_has_deliberate_holes_and_sessions_follow_their_dates(poas):
    report = selectors.poa_coverage(poas[2026])
    assert {e.key for e in report.uncovered} == {
        "PMOT-1.1.3",
        "PMOT-1.2.3",
        "PMOT-4.1.3",
        "PMOT-4.2.4",
    }
    assert report.unaligned == []  # every action of an approved POA stays aligned
    assert poas[2026].actions.get(key="OP-26-900").alignments.exists()
    assert report.no_strategy_total > 0  # public lighting: a PDM line no strategy reaches
    assert any("luminarias" in a["name"] for a, _ in report.no_strategy)
    report_2027 = selectors.poa_coverage(poas[2027])
    assert report_2027.unaligned == []
    # Each body numbers its own sessions, year by year, in the order of their dates.
    for body in {s.body_id for s in Session.objects.all()}:
        sessions = list(Session.objects.filter(body=body).order_by("starts_at"))
        numbers = [(s.year, s.number) for s in sessions]
        assert numbers == sorted(numbers)


def test_loading_again_changes_nothing(poas):
    counts = (Action.objects.count(), Movement.objects.count(), Session.objects.count())
    assert demo.load() == {}
    assert (Action.objects.count(), Movement.objects.count(), Session.objects.count()) == counts


def test_a_year_later_the_year_in_course_is_approved_and_executed_up_to_today(db):
    day = datetime.date(2027, 10, 20)
    with frozen(day):
        poas = _load_all()
        assert set(poas) == {2026, 2027}
        assert poas[2026].status == Poa.Status.MODIFIED
        assert poas[2027].status == Poa.Status.APPROVED
        approval = poas[2027].approval_agreement
        assert approval.decided_at.date() == datetime.date(2026, 12, 11)
        spent = Movement.objects.filter(line__action__poa=poas[2027], stage="paid")
        assert spent.exists()
        assert not Movement.objects.filter(date__gte=day).exists()
        reports = ProgressReport.objects.filter(action__poa=poas[2027])
        # the third quarter reported in early October; the fourth still to come
        assert set(reports.values_list("period", flat=True)) == set(range(1, 10))
        assert reports.filter(action__calendar_kind=Action.Calendar.QUARTERLY, period=3).exists()
        assert not reports.filter(
            action__calendar_kind=Action.Calendar.QUARTERLY, period=4
        ).exists()
