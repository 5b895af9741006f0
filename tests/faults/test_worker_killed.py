"""A worker killed in the middle of a job: the job runs again and finishes once.

A real `celery worker` process takes the job, writes its record and is SIGKILLed while the
job's transaction is still open. PostgreSQL rolls that transaction back; the job stays "sent";
the outbox's resend gives it to a new worker, which does the work once. The message of the
killed run, which Redis gives back after the visibility timeout, finds the job done and
changes nothing.
"""

import datetime
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pmot.actors.models import Organization
from pmot.core.models import Job
from pmot.core.outbox import jobs_resend_late
from tests.faults import fault_tasks
from tests.faults.conftest import fault_test, wait_until

pytestmark = fault_test("redis-server")

INCLUDE = fault_tasks.__name__
NAME = "Registro escrito por el trabajo"


def runs(folder) -> int:
    path = folder / "runs.txt"
    return len(path.read_text().splitlines()) if path.exists() else 0


def row_free(job) -> bool:
    """No transaction holds the job's row (a worker running it holds it to the end)."""
    with transaction.atomic():
        return Job.objects.select_for_update(skip_locked=True).filter(pk=job.pk).exists()


def unacked_task_ids(client) -> list[str]:
    """Ids of the messages a worker took and did not acknowledge (kombu's Redis transport)."""
    return [json.loads(value)[0]["headers"]["id"] for value in client.hgetall("unacked").values()]


def redeliver_unacknowledged(url: str) -> None:
    """What Redis does once the visibility timeout (an hour) has passed, done now."""
    from kombu import Connection

    with Connection(url, transport_options={"visibility_timeout": 0}) as broker:
        broker.default_channel.qos.restore_visible(num=100)


def test_a_job_whose_worker_is_killed_runs_again_and_finishes_once(
    on_private_redis, workers, celery_test_queue, tmp_path
):
    redis_server = on_private_redis
    with transaction.atomic():
        job = fault_tasks.record_then_wait.enqueue(name=NAME, folder=str(tmp_path))
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (Job.Status.SENT, 1, "")

    start = {"redis_url": redis_server.url, "queue": celery_test_queue, "include": INCLUDE}
    first = workers(**start)
    wait_until(lambda: runs(tmp_path) == 1, "the first worker running the job")
    # Running: the worker holds the job's row, and its record is not committed yet.
    assert not row_free(job)
    assert not Organization.objects.filter(name=NAME).exists()
    (killed_message,) = unacked_task_ids(redis_server.client())

    first.kill()

    # PostgreSQL rolled the killed run back: no record, the job not done, its row free.
    wait_until(
        lambda: row_free(job),
        "the killed worker's lock released",
        seconds=30,
    )
    assert not Organization.objects.filter(name=NAME).exists()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done_at) == (Job.Status.SENT, 1, None)

    (tmp_path / "release").touch()  # from now on the job finishes at once
    second = workers(**start)
    later = timezone.now() + settings.PMOT_JOB_RESEND_AFTER + datetime.timedelta(minutes=1)
    assert jobs_resend_late(now=later) == 1
    wait_until(
        lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).exists(),
        "the resent job done by the new worker",
    )

    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (Job.Status.DONE, 2, "")
    assert Organization.objects.filter(name=NAME).count() == 1
    assert runs(tmp_path) == 2

    # An hour later Redis hands the killed run's message out again: the job is done already.
    redeliver_unacknowledged(redis_server.url)
    wait_until(
        lambda: f"[{killed_message}] succeeded" in second.output(),
        "the killed run's message delivered again and acknowledged",
    )
    assert runs(tmp_path) == 2
    assert Organization.objects.filter(name=NAME).count() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    assert jobs_resend_late(now=later + datetime.timedelta(hours=1)) == 0
