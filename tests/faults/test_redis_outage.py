"""Redis stopped, or frozen: the site keeps working and background work waits for it.

A private Redis (the cache and the Celery broker of this test) is stopped. Visitors still read
the public pages (rendered without the cache); a person logs in through the real login form
and its second step (sessions and lockouts live in PostgreSQL); staff pages answer; a saved
organization is saved, and the jobs the saves wrote wait in the outbox with the broker's
error. When Redis is back, the outbox's resend hands them to a worker, which does each once.
A frozen Redis (it accepts connections and never answers) costs each request the socket
timeouts of settings (REDIS_SOCKET_TIMEOUT), never a hung request.
"""

import datetime
import os
import re
import signal
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pmot.actors import tasks as actor_tasks
from pmot.actors.models import Membership, Organization
from pmot.actors.roles import Role, Sector
from pmot.celery import app
from pmot.core import tasks as core_tasks
from pmot.core.models import Job
from pmot.core.outbox import jobs_resend_late
from tests.factories import OrganizationFactory, UserFactory, membership
from tests.faults.conftest import fault_test, wait_until
from tests.two_factor import current_code

pytestmark = fault_test("redis-server")

PASSWORD = "contraseña-de-prueba-1"  # tests.factories.UserFactory's
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEW_ORGANIZATION = "Comité de colonos de San Marcos"


def form_token(client: Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, path
    return CSRF.search(page.text)[1]


def post_form(client: Client, path: str, data: dict, *, form_path: str | None = None):
    """Submit a form as a browser does: read the page, send its CSRF token back."""
    token = form_token(client, form_path or path)
    return client.post(path, {**data, "csrfmiddlewaretoken": token})


@contextmanager
def never_hangs(seconds: int):
    """Fail, instead of waiting forever, when a request blocks on a Redis that never answers."""

    def hung(_signum, _frame):
        raise TimeoutError(f"blocked for {seconds} s on a Redis that does not answer")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def resend_and_run(queue: str) -> None:
    """Redis is back: the beat's resend, a worker, every waiting job done."""
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]):
        later = timezone.now() + settings.PMOT_JOB_RESEND_AFTER + datetime.timedelta(minutes=1)
        assert jobs_resend_late(now=later) == Job.objects.unfinished().count() > 0
        wait_until(
            lambda: not Job.objects.unfinished().exists(), "the waiting jobs done", seconds=30
        )


def test_without_redis_the_site_works_and_jobs_wait_until_it_returns(
    on_private_redis, celery_test_queue
):
    redis_server = on_private_redis
    admin = UserFactory(username="administradora")
    implan = OrganizationFactory(name="IMPLAN")
    membership(admin, implan, Role.IMPLAN_ADMIN)
    current_code(admin)  # she has her authenticator app
    liaison = UserFactory(username="enlace")
    today = timezone.localdate()
    held = membership(
        liaison, implan, Role.MUNICIPAL_LIAISON, start=today - datetime.timedelta(days=30)
    )
    Membership.objects.filter(pk=held.pk).update(end_date=today - datetime.timedelta(days=1))
    assert Job.objects.count() == 0

    redis_server.stop()
    assert not redis_server.answers()

    visitor = Client()
    for _ in range(2):  # neither served from the cache nor kept in it
        assert visitor.get("/").status_code == 200

    browser = Client(enforce_csrf_checks=True)
    assert browser.get("/inicio/").status_code == 302  # not logged in yet
    password_step = post_form(
        browser, "/acceso/", {"username": "administradora", "password": PASSWORD}
    )
    assert password_step.status_code == 302, password_step.text
    second_step = browser.get("/inicio/")
    assert second_step.status_code == 302
    assert second_step["Location"].startswith("/cuenta/verificacion/")
    verified = post_form(browser, "/cuenta/verificacion/", {"token": current_code(admin)})
    assert verified.status_code == 302
    assert browser.get("/inicio/").status_code == 200
    assert browser.get("/organizaciones/").status_code == 200

    saved = post_form(
        browser,
        "/organizaciones/nueva/",
        {"name": NEW_ORGANIZATION, "acronym": "CCSM", "sector": Sector.SOCIAL, "is_active": "on"},
    )
    assert saved.status_code == 302, saved.text
    organization = Organization.objects.get(name=NEW_ORGANIZATION)
    assert browser.get(f"/organizaciones/{organization.pk}/").status_code == 200
    asked = post_form(browser, "/personas/aplicar-vigencias/", {}, form_path="/personas/")
    assert asked.status_code == 302
    assert "segundo plano" in browser.get(asked["Location"]).text

    # The work of those saves waits in the outbox, with the broker's error.
    sync = Job.objects.get(task_name=actor_tasks.sync_memberships.name)
    refresh = Job.objects.get(task_name=core_tasks.public_pages_changed.name)
    for job in (sync, refresh):
        assert (job.status, job.attempts, job.done_at) == (Job.Status.SENT, 1, None)
        assert job.last_error.startswith("send: ")
        assert "Connection refused" in job.last_error
    assert sync.requested_by == admin
    held.refresh_from_db()
    assert held.status == Membership.Status.ACTIVE

    redis_server.start()
    resend_and_run(celery_test_queue)

    for job in (sync, refresh):
        job.refresh_from_db()
        assert (job.status, job.attempts) == (Job.Status.DONE, 2)
        assert job.done_at is not None
    held.refresh_from_db()
    assert held.status == Membership.Status.ENDED
    ends = [row for row in held.history.all() if row.status == Membership.Status.ENDED]
    assert len(ends) == 1
    assert ends[0].history_user == admin
    assert jobs_resend_late(now=timezone.now() + datetime.timedelta(hours=2)) == 0


def test_a_frozen_redis_slows_requests_down_but_never_hangs_them(
    on_private_redis, celery_test_queue, client
):
    redis_server = on_private_redis
    admin = UserFactory(username="administradora")
    membership(admin, OrganizationFactory(name="IMPLAN"), Role.IMPLAN_ADMIN)
    staff = Client()
    staff.force_login(admin)

    os.kill(redis_server.process.pid, signal.SIGSTOP)  # the port accepts, nothing answers
    try:
        with never_hangs(90):
            assert client.get("/").status_code == 200
            assert staff.get("/organizaciones/").status_code == 200
            saved = staff.post(
                "/organizaciones/nueva/",
                {"name": NEW_ORGANIZATION, "sector": Sector.SOCIAL, "is_active": "on"},
            )
            assert saved.status_code == 302
            assert staff.post("/personas/aplicar-vigencias/").status_code == 302
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)

    assert Organization.objects.filter(name=NEW_ORGANIZATION).exists()
    waiting = Job.objects.order_by("task_name")
    assert [job.task_name for job in waiting] == [
        actor_tasks.sync_memberships.name,
        core_tasks.public_pages_changed.name,
    ]
    for job in waiting:
        assert (job.status, job.attempts) == (Job.Status.SENT, 1)
        assert "Timeout" in job.last_error

    resend_and_run(celery_test_queue)
    assert all(job.status == Job.Status.DONE for job in Job.objects.all())
    assert jobs_resend_late(now=timezone.now() + datetime.timedelta(hours=2)) == 0
