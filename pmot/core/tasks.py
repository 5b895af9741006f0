from celery import shared_task

from pmot.core import public_cache
from pmot.core.outbox import jobs_resend_late, outbox_task


@shared_task(name="pmot.core.tasks.resend_late_jobs", ignore_result=True)
def resend_late_jobs() -> int:
    return jobs_resend_late()


@outbox_task
def public_pages_changed() -> None:
    """A change of the published records that the cache missed (Redis was down): every cached
    public page is out of date. Fails while the cache still does not answer, so it is re-sent."""
    public_cache.bump()
