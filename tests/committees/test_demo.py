"""The demo data of committees: what a council secretary finds after `make run`."""

from io import StringIO

import pytest
from django.core.management import call_command

from committees import demo as committees_demo
from committees.models import Agreement, Body, Designation, Member, Session, Vote
from tests.clock import DEMO_DAY, frozen


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
    assert Vote.objects.filter(status=Vote.Status.CLOSED).count() == Agreement.objects.count()
    assert Session.objects.filter(status=Session.Status.SCHEDULED).exists()
