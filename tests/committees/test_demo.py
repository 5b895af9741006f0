"""The demo data of committees: what a council secretary finds after `make run`."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from committees import demo as committees_demo
from committees import selectors
from committees.models import Agreement, Ballot, Body, Designation, Member, Session, Vote
from tests.clock import DEMO_DAY, frozen, moment


@pytest.fixture
def demo(db, settings):
    """Loaded on the day of the demo's story (2026), the clock stopped there for the test."""
    settings.PMOT_DEMO_DATA = True
    with frozen(DEMO_DAY):
        call_command("load_demo", stdout=StringIO())
        yield


def test_the_cabildo_has_15_voting_members_and_its_secretary(demo):
    cabildo = Body.objects.get(kind=Body.Kind.CABILDO)
    assert Member.objects.filter(body=cabildo, has_vote=True).count() == 15
    secretary = Member.objects.get(body=cabildo, role=Member.Role.COUNCIL_SECRETARY)
    assert secretary.user.username == "secretaria"
    assert not secretary.has_vote


def test_the_copladem_coordinates_by_an_agreement_of_the_cabildo(demo):
    designation = Designation.objects.get(in_charge=True)
    assert designation.body.kind == Body.Kind.COPLADEM
    assert designation.agreement.body.kind == Body.Kind.CABILDO
    assert designation.agreement.status == Agreement.Status.APPROVED


def test_agreements_come_in_every_state_but_those_still_to_be_decided(demo):
    states = set(Agreement.objects.values_list("status", flat=True))
    assert states == set(Agreement.Status.values)


def test_a_year_of_sessions_with_nominal_votes(demo):
    held = Session.objects.filter(
        status=Session.Status.CLOSED, year=2026, body__kind=Body.Kind.CABILDO
    )
    # The year of the council demo, plus the sessions where the other apps' demos had the
    # Cabildo decide their subjects (two phases closed, the POA's modification...).
    others = held.filter(items__subject_type__app_label__in=["phases", "planning", "budgeting"])
    assert held.exclude(pk__in=others).count() == len(committees_demo.SESSIONS)
    assert held.filter(items__title__startswith="Cierre de la fase").count() == 2
    # Every agreement comes from a vote, but the one entered from a signed document of before
    # pmot (a historical agreement).
    voted = Agreement.objects.filter(item__session__historical=False)
    assert Vote.objects.filter(status=Vote.Status.CLOSED).count() == voted.count()
    assert Agreement.objects.filter(item__session__historical=True).count() == 1
    assert Session.objects.filter(status=Session.Status.SCHEDULED).exists()


def test_votes_mix_the_online_ballot_and_the_secretarys_entries_of_the_room(demo):
    # The council demo's own votes (other apps' demos had the Cabildo decide their subjects).
    votes = Vote.objects.filter(item__session__body__kind=Body.Kind.CABILDO).exclude(
        item__subject_type__app_label__in=["phases", "planning", "budgeting"]
    )
    # The member with an account voted from her device; nobody entered her ballot.
    online = Ballot.objects.filter(vote__in=votes, how=Ballot.How.ONLINE)
    assert set(online.values_list("member__user__username", flat=True)) == {"regidora"}
    assert not online.exclude(entered_by=None).exists()
    # The secretary entered the rest: by name in a roll call, the minutes by show of hands.
    for how in (Ballot.How.ROLL_CALL, Ballot.How.HANDS):
        entered = Ballot.objects.filter(vote__in=votes, how=how)
        assert set(entered.values_list("entered_by__username", flat=True)) == {"secretaria"}
    minutes = votes.filter(item__agreement_type__code="minutes")
    assert set(minutes.values_list("method", flat=True)) == {Vote.Method.ECONOMIC}
    assert not Ballot.objects.filter(vote__in=minutes, how=Ballot.How.ROLL_CALL).exists()
    # Every present seat is accounted for in every vote, however its ballot came.
    for vote in votes.filter(status=Vote.Status.CLOSED):
        assert vote.ballots.count() == vote.present


def test_the_coming_days_a_session_to_convene_one_postponed_and_one_cancelled(demo):
    cabildo = Body.objects.get(kind=Body.Kind.CABILDO)
    coming = Session.objects.filter(body=cabildo, starts_at__gt=moment(DEMO_DAY))
    cancelled, postponed, to_convene = coming.order_by("starts_at")
    assert to_convene.status == Session.Status.SCHEDULED
    assert cancelled.status == Session.Status.CANCELLED
    assert cancelled.cancellation_reason
    assert cancelled.notice_issued_at < cancelled.cancelled_at < moment(DEMO_DAY)
    assert postponed.status == Session.Status.CONVENED
    assert postponed.postponement_reason
    assert postponed.original_starts_at < postponed.starts_at
    # The new notice went out when it was postponed, in time for the new date.
    assert postponed.notice_issued_at <= postponed.starts_at - datetime.timedelta(days=3)
    assert postponed.notice_issued_at < moment(DEMO_DAY)
    # The public site lists both: the postponed one ahead, the cancelled one with the past.
    assert postponed in selectors.public_upcoming_sessions()
    assert cancelled in selectors.public_past_sessions()
    assert to_convene not in selectors.public_sessions()
