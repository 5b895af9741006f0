"""No worker for an hour (the broker up): the jobs written meanwhile wait for one.

Beat keeps resending the late jobs every minute while no worker takes them; sends to nobody do
not count against the job (the limit counts runs started), so when a worker is back the job runs.
"""

import datetime

from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from pmot.actors.models import Organization
from pmot.celery import app
from pmot.core.models import Job
from pmot.core.outbox import jobs_resend_late
from tests.faults import fault_tasks
from tests.faults.conftest import fault_test, wait_until

pytestmark = fault_test("redis-server")

NAME = "Registro de un trabajo que esperó una hora"


def test_a_job_waits_for_a_worker_down_for_an_hour(on_private_redis, celery_test_queue, tmp_path):
    (tmp_path / "release").touch()  # the job does not wait once it runs
    with transaction.atomic():
        job = fault_tasks.record_then_wait.enqueue(name=NAME, folder=str(tmp_path))
    start = timezone.now()
    for minute in range(1, 61):  # beat, every minute; no worker takes anything
        jobs_resend_late(now=start + datetime.timedelta(minutes=minute))
    job.refresh_from_db()
    assert job.status == Job.Status.SENT, f"given up after {job.attempts} sends, never run"

    with start_worker(app, pool="solo", perform_ping_check=False, queues=[celery_test_queue]):
        wait_until(
            lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).exists(),
            "the job done by the worker back",
            seconds=30,
        )
    assert Organization.objects.filter(name=NAME).count() == 1
