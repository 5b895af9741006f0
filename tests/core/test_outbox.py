"""The outbox: work is written with the change that needs it and is never lost."""

import datetime
import threading
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from pmot.actors import tasks as actor_tasks
from pmot.core.models import Job
from pmot.core.outbox import job_enqueue, job_run, jobs_resend_late, jobs_retry

SYNC_TASK = "pmot.actors.tasks.sync_memberships"


def test_a_job_is_written_in_the_transaction_and_sent_only_after_commit(
    db, django_capture_on_commit_callbacks
):
    with mock.patch.object(actor_tasks.sync_memberships, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            job = actor_tasks.sync_memberships.enqueue(on_date="2026-11-27")
            assert send.call_count == 0
        assert len(callbacks) == 1
    send.assert_called_once_with(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SENT, 1)


def test_a_rolled_back_change_leaves_no_job(db):
    def change_that_fails():
        with transaction.atomic():
            actor_tasks.sync_memberships.enqueue(on_date="2026-11-27")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not Job.objects.exists()


def test_a_broker_outage_delays_the_job_and_loses_nothing(db, django_capture_on_commit_callbacks):
    down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch.object(actor_tasks.sync_memberships, "apply_async", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = actor_tasks.sync_memberships.enqueue(on_date="2026-11-27")
    job.refresh_from_db()
    assert job.status == Job.Status.SENT
    assert "Connection refused" in job.last_error

    later = timezone.now() + datetime.timedelta(minutes=10)
    with mock.patch.object(actor_tasks.sync_memberships, "apply_async") as send:
        assert jobs_resend_late(now=later) == 1
    send.assert_called_once_with(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_job_in_time_is_not_sent_again(db):
    job = job_enqueue(task_name=SYNC_TASK, kwargs={"on_date": "2026-11-27"})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SENT, sent_at=timezone.now())
    with mock.patch.object(actor_tasks.sync_memberships, "apply_async") as send:
        assert jobs_resend_late() == 0
    send.assert_not_called()


def test_a_job_that_failed_every_run_up_to_the_limit_fails_instead_of_looping(db, settings):
    job = job_enqueue(task_name=SYNC_TASK, kwargs={"on_date": "2026-11-27"})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SENT,
        runs=settings.PMOT_JOB_MAX_ATTEMPTS,
        sent_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with mock.patch.object(actor_tasks.sync_memberships, "apply_async") as send:
        jobs_resend_late()
    send.assert_not_called()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_a_job_no_worker_took_waits_however_many_times_it_was_sent(db, settings):
    """A worker down for hours: sends to nobody do not use up the job's runs."""
    job = job_enqueue(task_name=SYNC_TASK, kwargs={"on_date": "2026-11-27"})
    start = timezone.now()
    with mock.patch.object(actor_tasks.sync_memberships, "apply_async"):
        for minute in range(0, 6 * 60, 6):
            jobs_resend_late(now=start + datetime.timedelta(minutes=minute + 6))
    job.refresh_from_db()
    assert job.status == Job.Status.SENT
    assert job.attempts > settings.PMOT_JOB_MAX_ATTEMPTS
    assert job.runs == 0


def test_each_run_is_counted_even_when_it_fails(db):
    def broken(n):
        raise ValueError("cannot do it")

    job = job_enqueue(task_name="test.broken", kwargs={"n": 1})
    job_run(job_id=job.pk, func=broken)
    job_run(job_id=job.pk, func=broken)
    job.refresh_from_db()
    assert job.runs == 2


def test_a_job_the_broker_refused_is_sent_again_by_the_next_beat(
    db, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(
            actor_tasks.sync_memberships, "apply_async", side_effect=ConnectionError("refused")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = job_enqueue(task_name=SYNC_TASK, kwargs={"on_date": "2026-11-27"})
    with mock.patch.object(actor_tasks.sync_memberships, "apply_async") as send:
        assert jobs_resend_late() == 1
    send.assert_called_once()
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_job_whose_task_no_longer_exists_fails_instead_of_being_sent_forever(
    db, django_capture_on_commit_callbacks
):
    """A task renamed in a deploy: the job shows as failed in the admin, the beat leaves it."""
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(task_name="pmot.actors.tasks.renamed_away", kwargs={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "renamed_away" in job.last_error
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch.object(actor_tasks.sync_memberships, "apply_async") as send:
        assert jobs_resend_late(now=later) == 0
    send.assert_not_called()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_an_administrator_retries_a_failed_job(db, settings, django_capture_on_commit_callbacks):
    job = job_enqueue(task_name=SYNC_TASK, kwargs={"on_date": "2026-11-27"})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, runs=settings.PMOT_JOB_MAX_ATTEMPTS, last_error="boom"
    )
    with (
        mock.patch.object(actor_tasks.sync_memberships, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert jobs_retry(jobs=Job.objects.all()) == 1
    send.assert_called_once()
    job.refresh_from_db()
    assert (job.status, job.runs, job.last_error) == (Job.Status.SENT, 0, "")


def test_a_job_runs_once_however_often_it_is_delivered(db):
    calls = []
    job = job_enqueue(task_name="test.count", kwargs={"n": 1})
    job_run(job_id=job.pk, func=lambda n: calls.append(n))
    job_run(job_id=job.pk, func=lambda n: calls.append(n))
    assert calls == [1]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.done_at is not None


def test_a_failing_job_keeps_its_error_and_stays_for_a_resend(db):
    def broken(n):
        raise ValueError("cannot do it")

    job = job_enqueue(task_name="test.broken", kwargs={"n": 1})
    job_run(job_id=job.pk, func=broken)
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING
    assert "cannot do it" in job.last_error


def test_a_keyed_job_is_written_once(db):
    first = job_enqueue(task_name=SYNC_TASK, kwargs={}, key="sync-memberships:2026-11-27")
    second = job_enqueue(task_name=SYNC_TASK, kwargs={}, key="sync-memberships:2026-11-27")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_the_daily_beat_writes_one_job_a_day(db):
    with mock.patch.object(actor_tasks.sync_memberships, "apply_async"):
        actor_tasks.schedule_membership_expiry()
        actor_tasks.schedule_membership_expiry()
    job = Job.objects.get()
    assert job.task_name == SYNC_TASK
    assert job.kwargs == {"on_date": timezone.localdate().isoformat()}


@pytest.mark.django_db(transaction=True)
def test_a_job_running_in_a_worker_is_neither_resent_nor_failed(settings):
    """A worker holds the job's row while it runs; the resend skips it instead of waiting."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    job = job_enqueue(task_name=SYNC_TASK, kwargs={"on_date": "2026-11-27"})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SENT,
        runs=settings.PMOT_JOB_MAX_ATTEMPTS,
        sent_at=timezone.now() - datetime.timedelta(hours=1),
    )
    locked, release = threading.Event(), threading.Event()

    def running_worker():
        with transaction.atomic():
            Job.objects.select_for_update().get(pk=job.pk)
            locked.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=running_worker)
    worker.start()
    try:
        assert locked.wait(10)
        with mock.patch.object(actor_tasks.sync_memberships, "apply_async") as send:
            assert jobs_resend_late() == 0
        send.assert_not_called()
    finally:
        release.set()
        worker.join()
    job.refresh_from_db()
    assert job.status == Job.Status.SENT
