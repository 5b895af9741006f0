import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from evaluation.models import Indicator, Reminder
from evaluation.services import pdfs, reminders
from pmot.core.outbox import outbox_task


@outbox_task
def check_measurement_reminders(*, on_date: str) -> None:
    """Write the reminders due on that day; each sends its e-mail as a job of its own."""
    reminders.send_measurement_reminders(today=datetime.date.fromisoformat(on_date))


@shared_task(name="evaluation.tasks.schedule_measurement_reminders", ignore_result=True)
def schedule_measurement_reminders() -> None:
    """Beat, daily: one job per day, however often beat fires."""
    today = timezone.localdate().isoformat()
    with transaction.atomic():
        check_measurement_reminders.enqueue(
            on_date=today, key=f"check-measurement-reminders:{today}"
        )


@outbox_task
def send_measurement_reminder(*, reminder_id: int) -> None:
    reminders.reminder_send(reminder=Reminder.objects.get(pk=reminder_id))


@outbox_task
def render_indicator_sheet_pdf(*, indicator_id: int, token: str) -> None:
    pdfs.sheet_pdf_render(
        indicator=Indicator.objects.select_related("reporter").get(pk=indicator_id), token=token
    )


@outbox_task
def render_quarterly_report_pdf(*, year: int, quarter: int, token: str) -> None:
    pdfs.report_pdf_render(year=year, quarter=quarter, token=token)
