"""The demo of evaluation: about 60 indicators of every kind with three years of targets and
measurements in every colour of the traffic light, written through the services with the dates
they would have had; two evaluation programs with recommendations in every state; loading it
again changes nothing. The demos it stands on are loaded once for the module, on the day of the
demo's story; evaluation's own is loaded on the day each test sets the clock to."""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from budgeting import demo as budgeting_demo
from committees import demo as committees_demo
from evaluation import demo, lights, selectors
from evaluation.lights import Colour
from evaluation.models import (
    Evaluation,
    EvaluationProgram,
    Evidence,
    Indicator,
    Measurement,
    Recommendation,
    Target,
)
from phases import demo as phases_demo
from pmot.actors import demo as actors_demo
from pmot.information import demo as information_demo
from pmot.planning import demo as planning_demo
from tests.clock import DEMO_DAY, frozen

RESULTS = {Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.NO_TARGET, Colour.NO_REPORT}
# Early in January no period of the year has ended yet.
NEW_YEAR = datetime.date(2027, 1, 2)


@pytest.fixture(scope="module")
def demos(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demos evaluation stands on, in the order load_demo runs them: loaded once for the
    module (they take long) in a transaction rolled back after its last test."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        with frozen(DEMO_DAY):
            actors_demo.load()
            information_demo.load()
            committees_demo.load(upcoming=False)
            planning_demo.load()
            phases_demo.load()
            budgeting_demo.load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def chain(demos, db, settings, tmp_path):
    """Each test loads evaluation's demo on them, in its own transaction."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(params=[DEMO_DAY, NEW_YEAR], ids=["december", "new-year"])
def today(request):
    """The clock stopped on the day evaluation's demo is loaded."""
    with frozen(request.param):
        yield request.param


@pytest.fixture
def demo_day():
    with frozen(DEMO_DAY):
        yield DEMO_DAY


def _load(today):
    loaded = demo.load(today=today)
    committees_demo.load_upcoming()
    return loaded


def _all_lights(today):
    indicators = list(Indicator.objects.prefetch_related("measurements"))
    return indicators, [light for i in indicators for light in selectors.series(i, today)]


def test_about_sixty_indicators_of_every_kind_in_every_colour_loaded_once(chain, today):
    loaded = _load(today)
    assert 55 <= len(loaded["indicators"]) <= 65
    indicators = Indicator.objects.all()
    assert set(indicators.values_list("kind", flat=True)) == set(Indicator.Kind.values)
    assert set(indicators.values_list("frequency", flat=True)) == set(lights.Frequency.values)
    assert set(indicators.values_list("direction", flat=True)) == set(lights.Direction.values)
    assert indicators.filter(action__isnull=False).count() >= 12
    assert indicators.filter(unit_measured__key__startswith="UGAT-").count() >= 3
    assert indicators.filter(element__plan__key="pmot").count() >= 20
    assert indicators.filter(element__plan__key="pdm-2024-2027").count() >= 10
    assert indicators.filter(green_low__isnull=False).count() >= 2
    assert indicators.values("reporter").distinct().count() >= 5
    assert 0 < indicators.filter(published=False).count() < indicators.count() // 4
    # the current light of every indicator and the colours of their series
    current = selectors.current_lights(indicators, today)
    now = {light.colour for light in current.values() if light}
    assert now >= RESULTS
    _indicators, series = _all_lights(today)
    colours = {light.colour for light in series}
    assert colours >= RESULTS
    within_time = any(
        light.period.due >= today and light.colour == Colour.PENDING for light in series
    )
    assert (Colour.PENDING in colours) == within_time
    # three years measured: the two before this one and this one
    this_year = {today.year} if today > datetime.date(today.year, 1, 31) else set()
    years = set(Measurement.objects.values_list("year", flat=True))
    assert years == {today.year - 2, today.year - 1} | this_year
    assert Measurement.objects.count() > 200
    # loading again changes nothing
    counts = [m.objects.count() for m in (Indicator, Target, Measurement, Recommendation)]
    assert demo.load(today=today) == {}
    assert [m.objects.count() for m in (Indicator, Target, Measurement, Recommendation)] == counts


def test_the_past_follows_the_rules_it_was_written_under(chain, today):
    _load(today)
    statuses = {
        status: Measurement.objects.filter(status=status).count()
        for status in Measurement.Status.values
    }
    assert statuses["validated"] > 0.8 * Measurement.objects.count()
    assert statuses["submitted"] >= 3
    assert statuses["returned"] >= 1
    now = timezone.now()
    for m in Measurement.objects.select_related("indicator"):
        assert m.reported_at.date() > m.period.end  # reported once the period ended
        assert m.reported_at <= now
        if m.status != Measurement.Status.SUBMITTED:
            assert m.reported_at <= m.reviewed_at <= now
        if m.status == Measurement.Status.RETURNED:
            assert m.observations
    # a returned figure later corrected and validated: its history shows both
    corrected = Measurement.objects.filter(note__startswith="Cifra corregida")
    assert corrected.exists()
    assert corrected.first().history.filter(status="returned").exists()
    # two targets changed while open, with their reason; the history keeps the first value
    changed = Target.objects.exclude(reason="")
    assert changed.count() == 2
    for target in changed:
        assert target.history.values("value").distinct().count() == 2
    # evidence is a small valid PDF
    evidence = Evidence.objects.first()
    assert Evidence.objects.count() >= 10
    assert evidence.content_type == "application/pdf"
    assert evidence.file.read().startswith(b"%PDF-")


def test_the_evaluations_hold_recommendations_in_every_state(chain, demo_day):
    today = demo_day
    _load(today)
    assert set(EvaluationProgram.objects.values_list("year", flat=True)) == {
        today.year - 1,
        today.year,
    }
    design = Evaluation.objects.get(title="Evaluación de diseño del PMOT")
    assert design.status == Evaluation.Status.FINISHED
    assert design.published
    assert design.report.read().startswith(b"%PDF-")
    assert design.source.key == "propios"
    assert design.elements.filter(key="PMOT-1").exists()
    paving = Evaluation.objects.get(title__contains="pavimentación")
    assert paving.program.year == today.year
    assert paving.actions.exists()
    assert paving.actions.filter(name__startswith="Pavimentación").count() == paving.actions.count()
    recommendations = Recommendation.objects.all()
    assert set(recommendations.values_list("status", flat=True)) == set(
        Recommendation.Status.values
    )
    assert recommendations.overdue(today).count() >= 1
    for attended in recommendations.filter(status=Recommendation.Status.ATTENDED):
        assert attended.closed_on < today
        last = attended.followups.last()
        assert last.status == Recommendation.Status.ATTENDED
        assert last.evidence.read().startswith(b"%PDF-")
    refused = recommendations.get(status=Recommendation.Status.NOT_ACCEPTED)
    assert refused.reason


def test_within_the_reporting_time_some_periods_are_pending(chain):
    """On the 5th of a month last month is still within its reporting time: a few indicators
    have not reported it yet, and their light now shows the period before."""
    today = DEMO_DAY.replace(day=5)
    with frozen(today):
        _load(today)
    indicators, series = _all_lights(today)
    assert {light.colour for light in series} >= RESULTS | {Colour.PENDING}
    current = selectors.current_lights(indicators, today)
    pending = 0
    for indicator in indicators:
        lights_ = selectors.series(indicator, today)
        if lights_ and lights_[-1].colour == Colour.PENDING:
            pending += 1
            assert lights_[-1].period.end < today <= lights_[-1].period.due
            assert current[indicator.pk].period == lights_[-2].period
    assert pending >= 3
