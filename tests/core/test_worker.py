"""Background work run by a real Celery worker on Redis (not eager mode)."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pmot.actors import tasks as actor_tasks
from pmot.actors.models import Membership
from pmot.actors.roles import Role
from pmot.celery import app
from pmot.core.models import Job
from tests.factories import OrganizationFactory, UserFactory, membership

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: run through `make test`"),
    # The worker reads what the test wrote, so the test commits; the role groups of the data
    # migration are restored after each test.
    pytest.mark.django_db(transaction=True),
]


def wait_until_done(job, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == Job.Status.DONE:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job not done in {seconds}s: {job.status} {job.last_error}")


@pytest.fixture
def worker(celery_test_queue):
    assert not app.conf.task_always_eager
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[celery_test_queue]):
        yield


def test_a_real_worker_ends_expired_memberships_as_the_person_who_asked(worker):
    admin, liaison = UserFactory(), UserFactory()
    implan = OrganizationFactory(name="IMPLAN")
    membership(admin, implan, Role.IMPLAN_ADMIN)
    today = timezone.localdate()
    held = membership(
        liaison,
        implan,
        Role.MUNICIPAL_LIAISON,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=5),
    )
    assert liaison.groups.filter(name=Role.MUNICIPAL_LIAISON.value).exists()

    with transaction.atomic():
        job = actor_tasks.sync_memberships.enqueue(
            on_date=(today + datetime.timedelta(days=6)).isoformat(), requested_by=admin
        )
    wait_until_done(job)

    held.refresh_from_db()
    assert held.status == Membership.Status.ENDED
    assert held.history.first().history_user == admin
    assert not liaison.groups.exists()


def test_the_daily_beat_job_runs_in_the_worker_as_the_system(worker):
    liaison = UserFactory()
    works = OrganizationFactory(name="Obras")
    today = timezone.localdate()
    ended = membership(
        liaison, works, Role.MUNICIPAL_LIAISON, start=today - datetime.timedelta(days=10), end=today
    )
    # The night after its last day: the end date is now in the past.
    Membership.objects.filter(pk=ended.pk).update(end_date=today - datetime.timedelta(days=1))
    actor_tasks.schedule_membership_expiry.delay()
    deadline = time.monotonic() + 30
    while not Job.objects.filter(status=Job.Status.DONE).exists():
        assert time.monotonic() < deadline, "the beat job did not run"
        time.sleep(0.2)

    ended.refresh_from_db()
    assert ended.status == Membership.Status.ENDED
    latest = ended.history.first()
    assert latest.history_user is None
    assert latest.history_change_reason
