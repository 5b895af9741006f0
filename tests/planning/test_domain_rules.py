"""Issue 17, defect 8: the state's congruence opinion (LGAHOTDU art. 44). The state answers
within 90 business days of the request, counted from the next day; its silence counts as
favourable from the day after that term, and only then may the program be published into force.
Checked at both sides of the boundary, with the clock stopped in Aguascalientes.

The rest of the rule (approval, the consultation, the page) is in tests/phases/test_domain_rules.py.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from committees.models import Agreement
from pmot.planning import hooks, rules
from pmot.planning.models import Program
from pmot.planning.services import program as services
from tests.clock import frozen, moment

REQUESTED = datetime.date(2026, 7, 1)  # a Wednesday
# 90 business days from Thursday 2 July 2026, without weekends, 16 September (Wednesday) and
# 16 November (the third Monday of November, Revolution day).
LAST_DAY = datetime.date(2026, 11, 5)


@pytest.fixture(autouse=True)
def no_extra_holidays(settings):
    settings.PMOT_EXTRA_HOLIDAYS = []


def test_the_state_answers_within_90_business_days_counted_from_the_day_after_the_request():
    assert rules.opinion_deadline(REQUESTED) == LAST_DAY
    assert rules.tacit_opinion_on(REQUESTED) == LAST_DAY + datetime.timedelta(days=1)
    program = Program(name="PMOT", horizon_year=2045, opinion_requested_on=REQUESTED)
    assert program.opinion_favourable_on(LAST_DAY) is None
    assert program.opinion_favourable_on(LAST_DAY + datetime.timedelta(days=1)) == (
        LAST_DAY + datetime.timedelta(days=1)
    )
    program.opinion, program.opinion_received_on = Program.Opinion.UNFAVOURABLE, LAST_DAY
    assert program.opinion_favourable_on(datetime.date(2027, 1, 1)) is None


@pytest.fixture
def approved(program, council_vote, monkeypatch):
    """The program approved by the Cabildo on 1 June 2026, its opinion requested on 1 July.
    Planning alone: what phases requires of the approval is tested in tests/phases."""
    monkeypatch.setattr(hooks, "_approval_checks", [])
    agreement = council_vote()
    Agreement.objects.filter(pk=agreement.pk).update(decided_at=moment(datetime.date(2026, 6, 1)))
    agreement.refresh_from_db()
    with frozen(datetime.date(2026, 7, 1)):
        services.program_update(
            program=program,
            approval_agreement=agreement,
            status=Program.Status.APPROVED,
            opinion_requested_on=REQUESTED,
        )
    return program


def test_silence_counts_as_favourable_only_once_the_term_is_over(approved):
    with frozen(LAST_DAY), pytest.raises(ValidationError) as refused:
        services.program_update(
            program=approved, status=Program.Status.IN_FORCE, gazette_published_on=LAST_DAY
        )
    assert refused.value.messages == [
        "El estado tiene hasta el 05/11/2026 para emitir su dictamen de congruencia; sin "
        "respuesta, se tiene por favorable a partir del 06/11/2026.",
    ]
    day_after = LAST_DAY + datetime.timedelta(days=1)
    with frozen(day_after), pytest.raises(ValidationError, match="dictamen favorable del estado"):
        services.program_update(
            program=approved, status=Program.Status.IN_FORCE, gazette_published_on=LAST_DAY
        )
    with frozen(day_after):
        services.program_update(
            program=approved, status=Program.Status.IN_FORCE, gazette_published_on=day_after
        )
    approved.refresh_from_db()
    assert approved.status == Program.Status.IN_FORCE


def test_the_opinion_is_answered_after_its_request_and_never_in_the_future(approved):
    with frozen(datetime.date(2026, 8, 1)):
        with pytest.raises(ValidationError, match="el día de su solicitud o después"):
            services.program_update(
                program=approved,
                opinion_received_on=datetime.date(2026, 6, 30),
                opinion=Program.Opinion.FAVOURABLE,
            )
        with pytest.raises(ValidationError, match="no pueden ser futuras"):
            services.program_update(
                program=approved,
                opinion_received_on=datetime.date(2026, 8, 2),
                opinion=Program.Opinion.FAVOURABLE,
            )
        with pytest.raises(ValidationError, match="como su sentido"):
            services.program_update(program=approved, opinion=Program.Opinion.FAVOURABLE)
        with pytest.raises(ValidationError, match="no puede ser futura"):
            services.program_update(
                program=approved,
                opinion_received_on=datetime.date(2026, 7, 20),
                opinion=Program.Opinion.FAVOURABLE,
                status=Program.Status.IN_FORCE,
                gazette_published_on=datetime.date(2026, 8, 3),
            )
    approved.refresh_from_db()
    assert (approved.opinion, approved.status) == ("", Program.Status.APPROVED)
