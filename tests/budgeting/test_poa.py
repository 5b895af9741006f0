"""The POA: submitted only with every action aligned, approved by an agreement of the Cabildo
through committees' hook, changed after approval only through recorded modifications."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgeting.models import Poa
from budgeting.services import poa as poa_services
from budgeting.services import progress as progress_services
from committees import services as committees
from committees.models import Vote
from committees.rules import Choice
from tests.factories import UserFactory


def test_an_unaligned_action_cannot_be_submitted_and_says_why(draft_poa, make_action):
    action = make_action(draft_poa)
    with pytest.raises(ValidationError) as refused:
        poa_services.action_submit(action=action)
    assert refused.value.messages == [
        "No está alineada a ningún elemento del PMOT o del PDM: alinéela primero."
    ]


def test_a_poa_is_submitted_only_when_every_action_is_aligned(
    draft_poa, make_action, pmot_strategy
):
    with pytest.raises(ValidationError, match="aún no tiene acciones"):
        poa_services.poa_submit(poa=draft_poa)
    first, second = make_action(draft_poa, key="A-01"), make_action(draft_poa, key="A-02")
    poa_services.action_align(action=first, elements=[pmot_strategy])
    with pytest.raises(ValidationError) as refused:
        poa_services.poa_submit(poa=draft_poa)
    assert refused.value.messages == [
        "La acción A-02 no está enviada: No está alineada a ningún elemento del PMOT o del "
        "PDM: alinéela primero."
    ]
    poa_services.action_align(action=second, elements=[pmot_strategy])
    poa_services.poa_submit(poa=draft_poa)
    draft_poa.refresh_from_db()
    assert draft_poa.status == Poa.Status.SUBMITTED
    assert set(draft_poa.actions.values_list("status", flat=True)) == {"submitted"}


def test_an_action_aligns_only_to_the_pmot_or_the_pdm(draft_poa, make_action):
    from pmot.planning.models import PlanElement

    action = make_action(draft_poa)
    sdg_target = PlanElement.objects.get(plan__key="ods", key="11.3")
    with pytest.raises(ValidationError, match="solo a elementos del PMOT o del PDM"):
        poa_services.action_align(action=action, elements=[sdg_target])


@pytest.mark.parametrize(
    ("calendar", "message"),
    [
        ([25, 25, 25], "tiene 4 periodos, no 3"),
        ([25, 25, 25, 20], "suma 95, pero la meta es 100"),
        ([50, 50, 25, -25], "Ningún periodo"),
    ],
)
def test_the_calendar_adds_up_to_the_target(draft_poa, make_action, calendar, message):
    with pytest.raises(ValidationError, match=message):
        make_action(draft_poa, calendar=calendar)
    assert not draft_poa.actions.exists()


def test_a_cabildo_vote_approves_a_submitted_poa_end_to_end(
    draft_poa, make_action, pmot_strategy, cabildo, open_session
):
    action = make_action(draft_poa)
    poa_services.action_align(action=action, elements=[pmot_strategy])
    poa_services.action_submit(action=action)
    _, members, _ = cabildo
    _, item = open_session(present=9, subject=draft_poa)
    with pytest.raises(ValidationError, match="Solo un POA enviado se somete a votación"):
        committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
    poa_services.poa_submit(poa=draft_poa)
    vote = committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
    for member in members[:9]:
        committees.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    agreement = committees.vote_close(vote=vote)
    draft_poa.refresh_from_db()
    assert draft_poa.status == Poa.Status.APPROVED
    assert draft_poa.approval_agreement == agreement


def test_an_approved_poa_changes_only_within_a_modification(
    approved_poa, make_action, pmot_strategy
):
    poa, action, _ = approved_poa
    with pytest.raises(ValidationError, match="registre la modificación"):
        make_action(poa, key="A-02", alignments=[pmot_strategy])
    modification = poa_services.modification_open(
        poa=poa, reason="Nueva obra por convenio", by=UserFactory()
    )
    added = make_action(poa, key="A-02", modification=modification, alignments=[pmot_strategy])
    assert added.poa == poa
    assert modification.number == 1
    assert poa.history.filter(status="modified").exists()


def test_progress_is_reported_per_period_of_the_calendar(approved_poa):
    _, action, _ = approved_poa
    reporter = UserFactory()
    progress_services.progress_report(action=action, period=1, achieved="20", by=reporter)
    progress_services.progress_report(action=action, period=1, achieved="25", by=reporter)
    assert action.reports.get(period=1).achieved == Decimal("25")
    assert action.reports.get(period=1).history.count() == 2
    with pytest.raises(ValidationError, match="de 1 a 4"):
        progress_services.progress_report(action=action, period=5, achieved="1", by=reporter)


def test_a_modification_and_a_report_made_earlier_keep_their_dates(approved_poa):
    import datetime
    from zoneinfo import ZoneInfo

    poa, action, _ = approved_poa
    on_paper = datetime.datetime(2027, 5, 3, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
    modification = poa_services.modification_open(
        poa=poa, reason="Acta de la sesión de mayo", by=UserFactory(), at=on_paper
    )
    report = progress_services.progress_report(
        action=action, period=2, achieved="10", by=UserFactory(), at=on_paper
    )
    assert modification.at == on_paper
    assert report.at == on_paper
