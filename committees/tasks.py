import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from committees import services
from committees.models import Agreement, Minutes, Session
from pmot.core.outbox import outbox_task


@outbox_task
def check_agreements(*, on_date: str) -> None:
    """Mark overdue agreements, then remind those whose deadline is near."""
    today = datetime.date.fromisoformat(on_date)
    services.agreements_mark_overdue(today=today)
    services.agreements_remind(today=today)


@shared_task(name="committees.tasks.schedule_agreement_checks", ignore_result=True)
def schedule_agreement_checks() -> None:
    """Beat, daily: one job per day, however often beat fires."""
    today = timezone.localdate().isoformat()
    with transaction.atomic():
        check_agreements.enqueue(on_date=today, key=f"check-agreements:{today}")


@outbox_task
def render_minutes_pdf(*, minutes_id: int) -> None:
    services.minutes_render_pdf(
        minutes=Minutes.objects.select_related("session__body").get(pk=minutes_id)
    )


@outbox_task
def render_certificate(*, agreement_id: int) -> None:
    services.certificate_render_pdf(
        agreement=Agreement.objects.select_related("body", "item__session").get(pk=agreement_id)
    )


@outbox_task
def send_notice(*, session_id: int) -> None:
    services.notice_send(session=Session.objects.select_related("body").get(pk=session_id))
