import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from pmot.actors.services import memberships as services
from pmot.core.outbox import outbox_task


@outbox_task
def sync_memberships(*, on_date: str) -> None:
    services.memberships_sync(today=datetime.date.fromisoformat(on_date))


@shared_task(name="pmot.actors.tasks.schedule_membership_expiry", ignore_result=True)
def schedule_membership_expiry() -> None:
    """Beat, daily: one job per day, however often beat fires."""
    today = timezone.localdate().isoformat()
    with transaction.atomic():
        sync_memberships.enqueue(on_date=today, key=f"sync-memberships:{today}")
