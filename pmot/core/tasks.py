from celery import shared_task

from pmot.core.outbox import jobs_resend_late


@shared_task(name="pmot.core.tasks.resend_late_jobs", ignore_result=True)
def resend_late_jobs() -> int:
    return jobs_resend_late()
