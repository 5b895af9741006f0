"""The outbox: how every app sends background work.

A request never talks to the broker. It writes a `Job` row in its own transaction
(`task.enqueue(...)`); after commit the job is sent; `resend_late_jobs` (beat, every minute)
sends again whatever was not done in time. So a Redis outage delays work and loses none, and a
job sent twice runs once: the runner locks the row and skips a job that is already done.

    @outbox_task
    def render_minutes(*, minutes_id: int) -> None:
        services.minutes_render(minutes=Minutes.objects.get(pk=minutes_id))

    render_minutes.enqueue(minutes_id=minutes.pk, requested_by=request.user)
"""

import logging
import traceback
import uuid
from collections.abc import Callable
from functools import partial

from celery import current_app, shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pmot.core import redis_outage
from pmot.core.history import acting_as
from pmot.core.models import Job

logger = logging.getLogger(__name__)


def job_enqueue(*, task_name: str, kwargs: dict, requested_by=None, key: str | None = None) -> Job:
    """Write a job in the current transaction; it is sent once the transaction commits.

    With a `key`, a job already written under that key is returned instead of a second one.
    """
    if requested_by is not None and not requested_by.is_authenticated:
        requested_by = None
    fields = {"task_name": task_name, "kwargs": kwargs, "requested_by": requested_by}
    if key:
        job, created = Job.objects.get_or_create(key=key, defaults=fields)
        if not created:
            return job
    else:
        job = Job.objects.create(**fields)
    transaction.on_commit(partial(job_send, job_id=job.pk))
    return job


def document_token(*, user, key_prefix: str, **kwargs) -> str:
    """The token under which `user`'s document is rendered: the one of their unfinished job for
    the same document (`key_prefix` and the same `kwargs`) if there is one, so a second request
    joins the first instead of queueing the same rendering again; else a new one. Call it in
    the transaction that enqueues: the person's row stays locked until it commits, so two
    requests at once do not both find nothing pending."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    pending = Job.objects.unfinished().filter(requested_by=user, key__startswith=key_prefix)
    for job in pending.order_by("pk"):
        if all(job.kwargs.get(name) == value for name, value in kwargs.items()):
            return job.kwargs["token"]
    return str(uuid.uuid4())


def job_send(*, job_id: int) -> None:
    """Hand a waiting or late job to the broker (status: sent, one attempt more).

    A job running right now has its row locked by `job_run` and is left alone; a broker that is
    down leaves the job sent-but-not-done, for `jobs_resend_late` to try again.
    """
    if redis_outage.recently_unanswered():
        _leave_late(job_id, "send: not tried, Redis did not answer a moment ago")
        return
    with transaction.atomic():
        job = Job.objects.unfinished().select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None:
            return
        _mark_sent(job)
    _publish(job)


def jobs_resend_late(*, now=None) -> int:
    """Beat, every minute: send again the jobs not done in time, oldest first, and give up on
    those that started PMOT_JOB_MAX_ATTEMPTS runs without finishing one (status: failed): a job
    that fails, or kills its worker, every time. A job no worker took yet is never given up.
    Jobs running now are skipped, not waited for.
    """
    now = now or timezone.now()
    cutoff = now - settings.PMOT_JOB_RESEND_AFTER
    redis_outage.forget()  # each resend tries the broker afresh; one failure spares the rest
    to_send = []
    with transaction.atomic():
        late = (
            Job.objects.unfinished()
            .filter(Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, created_at__lt=cutoff))
            .order_by("created_at")
            .select_for_update(skip_locked=True)[:500]
        )
        for job in late:
            if job.runs >= settings.PMOT_JOB_MAX_ATTEMPTS:
                job.status = Job.Status.FAILED
                job.save(update_fields=["status"])
                logger.error("Job %s failed after %s runs", job.pk, job.runs)
            else:
                _mark_sent(job)
                to_send.append(job)
    for job in to_send:
        _publish(job)
    return len(to_send)


def _mark_sent(job: Job) -> None:
    job.status = Job.Status.SENT
    job.sent_at = timezone.now()
    job.attempts += 1
    job.save(update_fields=["status", "sent_at", "attempts"])


def _publish(job: Job) -> None:
    task = current_app.tasks.get(job.task_name)
    if task is None:
        # Renamed or removed in a deploy: no worker can run it, so sending it again is pointless.
        # Failed, it shows in the admin, where it can be retried once the task exists again.
        logger.error("Job %s names an unknown task %s: failed", job.pk, job.task_name)
        Job.objects.unfinished().filter(pk=job.pk).update(
            status=Job.Status.FAILED, last_error=f"unknown task: {job.task_name}"[:4000]
        )
        return
    if redis_outage.recently_unanswered():
        _leave_late(job.pk, "send: not tried, Redis did not answer a moment ago")
        return
    try:
        task.apply_async(kwargs={"job_id": job.pk})
    except Exception as exc:  # any broker failure: the resend will try again
        logger.warning("Job %s not sent, will be re-sent: %s", job.pk, exc)
        redis_outage.note_no_answer()
        _leave_late(job.pk, f"send: {exc}")


def _leave_late(job_id: int, error: str) -> None:
    """Late at once: the first resend after the broker answers again sends it."""
    late = timezone.now() - settings.PMOT_JOB_RESEND_AFTER
    Job.objects.unfinished().filter(pk=job_id).update(last_error=error[:4000], sent_at=late)


def job_run(*, job_id: int, func: Callable[..., None]) -> None:
    """Run a job at most once: lock its row, skip it when done, record the outcome.

    The row stays locked, in one transaction, for the whole run: the job's changes commit
    together with its status, and a copy delivered twice finds the lock and returns. The run is
    counted first, in a transaction of its own, so a run that kills its worker still counts.
    """
    with transaction.atomic():
        job = Job.objects.unfinished().select_for_update(skip_locked=True).filter(pk=job_id)
        job = job.first()
        if job is None:
            return  # unknown, running in another worker, or finished already
        job.runs += 1
        job.save(update_fields=["runs"])
    with transaction.atomic():
        job = Job.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None or job.status in (Job.Status.DONE, Job.Status.FAILED):
            return  # unknown, running in another worker, or finished already
        try:
            with transaction.atomic(), acting_as(job.requested_by):
                func(**job.kwargs)
        except Exception:
            logger.exception("Job %s (%s) failed; it will be re-sent", job.pk, job.task_name)
            job.last_error = traceback.format_exc()[-4000:]
            job.save(update_fields=["last_error"])
            return
        job.status = Job.Status.DONE
        job.done_at = timezone.now()
        job.last_error = ""
        job.save(update_fields=["status", "done_at", "last_error"])


def jobs_retry(*, jobs) -> int:
    """An administrator's second chance for failed jobs (the cause fixed): waiting again, with
    their runs counted anew, sent after commit."""
    retried = 0
    for job in jobs.filter(status=Job.Status.FAILED):
        job.status, job.runs, job.last_error = Job.Status.PENDING, 0, ""
        job.save(update_fields=["status", "runs", "last_error"])
        transaction.on_commit(partial(job_send, job_id=job.pk))
        retried += 1
    return retried


def outbox_task(func: Callable[..., None]):
    """Make `func(**ids)` a Celery task that runs one job, and give it `.enqueue(**ids)`."""
    name = f"{func.__module__}.{func.__name__}"

    @shared_task(name=name, acks_late=True, ignore_result=True)
    def run(job_id: int) -> None:
        job_run(job_id=job_id, func=func)

    def enqueue(*, requested_by=None, key: str | None = None, **kwargs) -> Job:
        return job_enqueue(task_name=name, kwargs=kwargs, requested_by=requested_by, key=key)

    run.enqueue = enqueue
    run.func = func
    return run
