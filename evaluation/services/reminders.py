"""Reminders by e-mail to the organization that reports an indicator (DOMAIN.md §6): once some
days before its measurement is due, and once when it is overdue.

The daily check (`send_measurement_reminders`) looks at each indicator's last ended period. A
period with no counted measurement (none, or one returned with observations) earns a "before"
reminder within `PMOT_MEASUREMENT_REMINDER_DAYS` of its due date and an "overdue" one once the
due date has passed. Each is written as a `Reminder` row first: its unique key (indicator,
period, kind) makes a second run, or two runs at once, write nothing more. The e-mail itself is
an outbox job written in the same transaction, so a mail server that is down delays it and
loses nothing.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from guardian.shortcuts import get_users_with_perms

from evaluation import lights
from evaluation.models import Indicator, Measurement, Reminder
from pmot.actors.models import Membership, Organization
from pmot.core.outbox import job_enqueue

logger = logging.getLogger(__name__)


def reminder_kind(period: lights.Period, today: datetime.date) -> str | None:
    """Which reminder a period without a counted measurement earns today, if any."""
    if today > period.due:
        return Reminder.Kind.OVERDUE
    days = datetime.timedelta(days=settings.PMOT_MEASUREMENT_REMINDER_DAYS)
    if period.due - days <= today:
        return Reminder.Kind.BEFORE
    return None


@transaction.atomic
def send_measurement_reminders(*, today: datetime.date | None = None) -> list[Reminder]:
    """The daily check: write each reminder due today and not written before, and schedule
    its e-mail. Returns the reminders written by this run (none when run again)."""
    today = today or timezone.localdate()
    due: dict[tuple[int, int, int], tuple[Indicator, lights.Period, str]] = {}
    for indicator in Indicator.objects.order_by("pk"):
        period = lights.last_ended(indicator, today)
        kind = period and reminder_kind(period, today)
        if kind:
            due[(indicator.pk, period.year, period.number)] = (indicator, period, kind)
    if not due:
        return []
    keys = Q()
    for indicator_id, year, number in due:
        keys |= Q(indicator_id=indicator_id, year=year, number=number)
    for found in (
        Measurement.objects.counted().filter(keys).values_list("indicator_id", "year", "number")
    ):
        due.pop(found, None)
    written = []
    for indicator, period, kind in due.values():
        # A run at the same moment blocks on the unique key until this one commits, then
        # finds the row: each reminder is written, and sent, once.
        reminder, created = Reminder.objects.get_or_create(
            indicator=indicator, year=period.year, number=period.number, kind=kind
        )
        if created:
            job_enqueue(
                task_name="evaluation.tasks.send_measurement_reminder",
                kwargs={"reminder_id": reminder.pk},
                key=f"measurement-reminder:{reminder.pk}",
            )
            written.append(reminder)
    return written


def reminder_recipients(organization: Organization) -> list[str]:
    """The e-mail addresses of the organization's people who report for it: an active
    membership and the object permission that membership grants."""
    reporters = get_users_with_perms(
        organization,
        only_with_perms_in=["report_for_organization"],
        with_group_users=False,
    )
    return sorted(
        set(
            Membership.objects.active()
            .filter(organization=organization, user__in=reporters, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def report_url(indicator: Indicator, period: lights.Period) -> str:
    """Where the measurement is reported, as an address to paste in a browser."""
    path = reverse("evaluation:measurement_report", args=[indicator.pk, period.year, period.number])
    # PMOT_SITE_URL ("https://pmot.example.gob.mx"), when set, makes the link absolute.
    return settings.PMOT_SITE_URL.rstrip("/") + path


@transaction.atomic
def reminder_send(*, reminder: Reminder) -> int:
    """E-mail one reminder to the reporting organization's people, unless the measurement
    arrived meanwhile. Returns how many received it."""
    reminder = (
        Reminder.objects.select_for_update()
        .select_related("indicator__reporter")
        .get(pk=reminder.pk)
    )
    indicator = reminder.indicator
    if (
        Measurement.objects.counted()
        .filter(indicator=indicator, year=reminder.year, number=reminder.number)
        .exists()
    ):
        return 0
    recipients = reminder_recipients(indicator.reporter)
    if not recipients:
        logger.warning("Nobody reports for %s: reminder %s not sent", indicator.reporter, reminder)
        return 0
    period = indicator.period(reminder.year, reminder.number)
    returned = Measurement.objects.filter(
        indicator=indicator, year=period.year, number=period.number
    ).first()
    context = {
        "indicator": indicator,
        "period": period,
        "overdue": reminder.kind == Reminder.Kind.OVERDUE,
        "returned": returned,
        "url": report_url(indicator, period),
    }
    with translation.override(settings.LANGUAGE_CODE):  # no request: the site's language
        subject = render_to_string("evaluation/email/reminder_subject.txt", context)
        message = render_to_string("evaluation/email/reminder.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=message,
        from_email=None,
        recipient_list=recipients,
    )
    reminder.recipients = len(recipients)
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["recipients", "sent_at"])
    return len(recipients)
