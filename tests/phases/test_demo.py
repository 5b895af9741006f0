"""The demo of the phases: the PMOT in phase 3, phases 1 and 2 closed by agreements of the
Cabildo, deliverables in every review state; loading it again changes nothing."""

import pytest

from committees import demo as committees_demo
from committees.models import Agreement, Designation, Session
from phases import demo
from phases.models import Activity, Deliverable, DeliverableStatus, Phase, Review
from pmot.actors import demo as actors_demo
from pmot.information import demo as information_demo
from pmot.planning import demo as planning_demo
from tests.clock import DEMO_DAY, frozen


@pytest.fixture
def loaded(db):
    """Loaded on the day of the demo's story, the clock stopped there for the test."""
    with frozen(DEMO_DAY):
        actors_demo.load()
        information_demo.load()
        committees_demo.load(upcoming=False)
        planning_demo.load()
        demo.load()
        committees_demo.load_upcoming()
        yield


def test_the_program_is_in_formulation_with_the_first_two_phases_closed(loaded):
    phases = {phase.number: phase for phase in Phase.objects.select_related("close_agreement")}
    assert [phases[n].status for n in range(1, 6)] == [
        "closed",
        "closed",
        "open",
        "pending",
        "pending",
    ]
    for number in (1, 2):
        agreement = phases[number].close_agreement
        assert agreement.body.kind == "cabildo"
        assert f"Cierre de la fase {number}" in agreement.item.title
    assert phases[1].notice_published_on is not None


def test_deliverables_stand_in_every_review_state(loaded):
    states = set(Deliverable.objects.filter(phase__number=3).values_list("status", flat=True))
    assert states == set(DeliverableStatus.values)
    observed = Review.objects.filter(to_status="observed")
    assert observed.exists()
    assert all(review.observations for review in observed)


def test_some_activities_are_late_and_one_waits_for_another(loaded):
    activities = list(Activity.objects.prefetch_related("depends_on"))
    assert any(activity.is_late for activity in activities)
    assert any(activity.depends_on.all() for activity in activities)


def test_the_sessions_numbers_follow_their_dates(loaded):
    # Per body and year, among the sessions held in pmot: a historical record keeps the
    # number its signed document gives.
    held = Session.objects.filter(historical=False)
    for body, year in set(held.values_list("body", "year")):
        sessions = list(held.filter(body=body, year=year).order_by("starts_at"))
        numbers = [session.number for session in sessions]
        assert numbers == sorted(numbers)


def test_every_validation_is_an_approved_agreement_of_the_coordinating_body(loaded):
    body = Designation.objects.get(in_charge=True).body
    validated = Deliverable.objects.filter(status__in=["validated", "accepted"])
    assert validated.count() >= 11 + 3  # phases 1 and 2, and three of phase 3
    for deliverable in validated:
        step = deliverable.reviews.get(to_status="validated")
        assert step.agreement.body == body
        assert step.agreement.status == Agreement.Status.APPROVED
        assert step.agreement.item.subject_id == deliverable.pk
        assert step.by is None


def test_loading_it_again_changes_nothing(loaded):
    counts = (
        Phase.objects.count(),
        Deliverable.objects.count(),
        Review.objects.count(),
        Activity.objects.count(),
        Session.objects.count(),
    )
    demo.load()
    committees_demo.load()
    assert counts == (
        Phase.objects.count(),
        Deliverable.objects.count(),
        Review.objects.count(),
        Activity.objects.count(),
        Session.objects.count(),
    )
