"""Fixtures of the public consultation's tests: a consultation open today (phase 3 open, an
approved Cabildo agreement), and helpers to submit, record and rule comments."""

import datetime

import pytest
from django.utils import timezone

from phases.models import Ruling
from phases.services import consultation as services
from tests.information.conftest import PDF, make_document, make_unit, media  # noqa: F401

ADDRESS = "203.0.113.7"


def today() -> datetime.date:
    return timezone.localdate()


def after_close(consultation) -> datetime.datetime:
    """Noon of the day after the consultation's last day."""
    day = consultation.closes_on + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def authorization(phases, council_vote):
    """An approved agreement of the Cabildo authorizing the consultation (decided today)."""
    return council_vote()


@pytest.fixture
def legal_period(settings):
    """The state law of these tests: a consultation lasts at least 10 calendar days."""
    settings.PMOT_CONSULTATION_DAYS = 10
    settings.PMOT_CONSULTATION_BUSINESS_DAYS = False


@pytest.fixture
def consultation(open_phases, authorization, legal_period):
    """A consultation of the program, open from today for 10 calendar days."""
    program = open_phases[3].program
    return services.consultation_create(
        program=program,
        title="Consulta del proyecto de PMOT",
        agreement=authorization,
        opens_on=today(),
        days=10,
        business_days=False,
    )


def submit(consultation, **fields):
    values = {
        "name": "Ana Pérez",
        "topic": "Ciclovías",
        "text": "Más ciclovías, por favor.",
        "address": ADDRESS,
    } | fields
    return services.comment_submit(consultation=consultation, **values)


def answer_all(consultation, by, ruling=Ruling.REJECTED):
    for comment in consultation.comments.filter(ruling=""):
        services.comment_rule(comment=comment, ruling=ruling, answer="Por estas razones.", by=by)


def close_and_publish(consultation, by):
    """Rule every comment, give the hearings their minutes, close after the period and publish."""
    answer_all(consultation, by)
    for hearing in consultation.hearings.filter(minutes=""):
        services.hearing_minutes(hearing=hearing, minutes="Acta.", now=after_close(consultation))
    services.consultation_close(consultation=consultation, now=after_close(consultation))
    return services.answers_publish(consultation=consultation)
