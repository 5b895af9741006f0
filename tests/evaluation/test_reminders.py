"""Reminders to the reporting organization: once some days before a measurement is due and
once when it is overdue, whatever how often the daily check runs; never for a period that is
measured; a returned measurement is not measured. Only the organization's active reporters
receive them, in Spanish, with a link to report."""

import datetime

import pytest
from django.core import mail

from evaluation.models import Reminder
from evaluation.services import indicators as services
from evaluation.services import reminders
from evaluation.tasks import (
    check_measurement_reminders,
    schedule_measurement_reminders,
    send_measurement_reminder,
)
from pmot.actors.roles import Role
from pmot.actors.services.memberships import membership_end
from pmot.core.models import Job
from pmot.core.outbox import job_run
from tests.evaluation.conftest import TODAY
from tests.factories import UserFactory, membership

# The indicator is quarterly: 2026-T2 ended on June 30 and is due on July 15 (15 days);
# the reminder before it goes from July 10 (5 days before).
BEFORE = datetime.date(2026, 7, 12)
OVERDUE = datetime.date(2026, 7, 16)


@pytest.fixture
def reporter(persona):
    """The municipal liaison of Obras Públicas, which reports the indicator."""
    return persona("municipal_liaison")


def run_reminder_jobs() -> int:
    """What the workers do with the reminders' e-mail jobs (a real worker: test_worker.py)."""
    jobs = Job.objects.filter(task_name=send_measurement_reminder.name).exclude(
        status=Job.Status.DONE
    )
    count = 0
    for job in jobs:
        job_run(job_id=job.pk, func=send_measurement_reminder.func)
        count += 1
    return count


def check(today):
    written = reminders.send_measurement_reminders(today=today)
    run_reminder_jobs()
    return written


def test_a_reminder_goes_once_some_days_before_the_due_date(indicator, reporter):
    assert check(datetime.date(2026, 7, 9)) == []  # six days before: not yet
    assert mail.outbox == []

    assert len(check(BEFORE)) == 1
    assert check(BEFORE) == []  # the same day again
    assert check(BEFORE + datetime.timedelta(days=1)) == []  # the next day
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["municipal_liaison@example.org"]
    assert message.subject == ("Indicador I-1: la medición de 2026-T2 vence el 15 de julio de 2026")
    assert "Viviendas con agua entubada" in message.body
    assert "Obras Públicas" in message.body
    assert f"/indicadores/{indicator.pk}/medir/2026/2/" in message.body
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.year, reminder.number) == ("before", 2026, 2)
    assert reminder.recipients == 1


def test_an_overdue_reminder_goes_once_after_the_due_date(indicator, reporter):
    check(BEFORE)
    assert check(datetime.date(2026, 7, 15)) == []  # the due date itself: still in time
    assert len(check(OVERDUE)) == 1
    assert check(OVERDUE) == []
    assert check(TODAY) == []  # a month later, the same period: nothing more

    assert [m.subject for m in mail.outbox] == [
        "Indicador I-1: la medición de 2026-T2 vence el 15 de julio de 2026",
        "Indicador I-1: la medición de 2026-T2 está vencida",
    ]
    assert "no se ha reportado" in mail.outbox[1].body
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == ["before", "overdue"]


def test_a_check_that_missed_the_days_before_sends_only_the_overdue_one(indicator, reporter):
    assert [r.kind for r in check(TODAY)] == ["overdue"]
    assert len(mail.outbox) == 1


def test_nobody_is_reminded_of_a_measured_period(indicator, reporter):
    services.measurement_report(
        indicator=indicator, year=2026, number=2, a="50", b="100", by=reporter, today=BEFORE
    )
    assert check(BEFORE) == []
    assert check(OVERDUE) == []
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_a_returned_measurement_counts_as_not_reported(indicator, reporter, persona):
    measurement = services.measurement_report(
        indicator=indicator, year=2026, number=2, a="50", b="100", by=reporter, today=BEFORE
    )
    services.measurement_return(
        measurement=measurement, observations="Falta el padrón de usuarios", by=persona("planner")
    )
    assert len(check(OVERDUE)) == 1
    body = mail.outbox[0].body
    assert "IMPLAN devolvió la medición reportada con estas observaciones" in body
    assert "Falta el padrón de usuarios" in body


def test_a_measurement_reported_before_the_email_leaves_stops_it(indicator, reporter):
    assert len(reminders.send_measurement_reminders(today=OVERDUE)) == 1
    services.measurement_report(
        indicator=indicator, year=2026, number=2, a="50", b="100", by=reporter, today=OVERDUE
    )
    run_reminder_jobs()
    assert mail.outbox == []
    assert Reminder.objects.get().recipients == 0


def test_only_the_reporting_organizations_active_reporters_are_reminded(indicator, orgs, persona):
    persona("municipal_liaison")  # Obras Públicas' liaison
    second = UserFactory(username="segundo_enlace")
    membership(second, orgs["works"], Role.MUNICIPAL_LIAISON)
    former = UserFactory(username="exenlace")
    membership_end(
        membership=membership(former, orgs["works"], Role.MUNICIPAL_LIAISON),
        end_date=datetime.date(2025, 1, 31),
    )
    # a member of Obras Públicas whose role does not report for it
    member = UserFactory(username="integrante_sop")
    membership(member, orgs["works"], Role.BODY_MEMBER)
    no_address = UserFactory(username="sin_correo", email="")
    membership(no_address, orgs["works"], Role.MUNICIPAL_LIAISON)
    for name in ("planner", "state_liaison", "private_rep", "council_member"):
        persona(name)

    check(OVERDUE)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [
        "municipal_liaison@example.org",
        "segundo_enlace@example.org",
    ]
    assert Reminder.objects.get().recipients == 2


def test_each_indicator_reminds_its_own_organization(make_indicator, orgs, persona):
    make_indicator()
    make_indicator(key="E-1", reporter=orgs["state_agency"], frequency="monthly")
    persona("municipal_liaison")
    persona("state_liaison")
    # Monthly: July ended on the 31st, due on August 15; August 12 is within the days before.
    written = check(datetime.date(2026, 8, 12))
    assert {(r.indicator.key, r.year, r.number, r.kind) for r in written} == {
        ("I-1", 2026, 2, "overdue"),
        ("E-1", 2026, 7, "before"),
    }
    to = {m.subject.split(":")[0]: m.to for m in mail.outbox}
    assert to == {
        "Indicador I-1": ["municipal_liaison@example.org"],
        "Indicador E-1": ["state_liaison@example.org"],
    }


def test_no_reminder_before_the_indicators_first_year(make_indicator, persona):
    make_indicator(first_year=2026, frequency="monthly")
    persona("municipal_liaison")
    assert check(datetime.date(2026, 1, 20)) == []  # December 2025 is not measured
    assert len(check(datetime.date(2026, 2, 16))) == 1  # January 2026 is


def test_nobody_to_remind_sends_nothing_and_keeps_the_record(indicator):
    assert len(check(OVERDUE)) == 1
    assert mail.outbox == []
    assert Reminder.objects.get().recipients == 0


def test_the_daily_task_writes_one_job_a_day_and_the_job_reminds(
    indicator, reporter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # the broker is not reached
        schedule_measurement_reminders()
        schedule_measurement_reminders()  # beat fired twice
    job = Job.objects.get(task_name=check_measurement_reminders.name)
    job.kwargs = {"on_date": OVERDUE.isoformat()}  # as if beat ran on July 16
    job.save(update_fields=["kwargs"])

    with django_capture_on_commit_callbacks():
        job_run(job_id=job.pk, func=check_measurement_reminders.func)
        job_run(job_id=job.pk, func=check_measurement_reminders.func)  # delivered twice
    assert Reminder.objects.get().kind == "overdue"
    assert run_reminder_jobs() == 1
    assert run_reminder_jobs() == 0
    assert len(mail.outbox) == 1


def test_the_link_is_absolute_where_the_sites_address_is_set(indicator, reporter, settings):
    settings.PMOT_SITE_URL = "https://pmot.example.gob.mx/"
    check(OVERDUE)
    body = mail.outbox[0].body
    assert f"https://pmot.example.gob.mx/indicadores/{indicator.pk}/medir/2026/2/" in body
