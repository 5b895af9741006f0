"""Every piece of background work goes through the outbox (a job row in PostgreSQL): no code
hands a task to the broker itself, every task of the apps is an outbox task or a periodic one
that only writes jobs, and the public pages' refresh, missed while Redis was down, waits in the
outbox and happens once Redis answers."""

import ast
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.cache import cache

from pmot.core import public_cache
from pmot.core.models import Job
from pmot.core.outbox import job_run
from pmot.core.tasks import public_pages_changed

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pmot", "committees", "phases", "budgeting", "evaluation")
SENDING_CALLS = {"delay", "apply_async", "delay_on_commit", "apply_async_on_commit", "send_task"}
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
    }
}


def sources():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_only_the_outbox_hands_work_to_the_broker():
    senders = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SENDING_CALLS
            ):
                senders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
    assert len(senders) == 1, senders
    assert senders[0].startswith("pmot/core/outbox.py:"), senders


def test_every_task_of_the_apps_runs_a_job_or_is_periodic():
    periodic = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    ours = [name for name in current_app.tasks if name.startswith(PACKAGES)]
    assert ours
    for name in ours:
        task = current_app.tasks[name]
        assert name in periodic or hasattr(task, "func"), f"{name} bypasses the outbox"


def test_a_refresh_missed_while_redis_is_down_waits_in_the_outbox(db, settings):
    before = cache.get(public_cache._generation_key(), 0)
    real_caches = settings.CACHES
    settings.CACHES = UNREACHABLE_REDIS
    public_cache.changed()
    public_cache.changed()  # a second miss adds no second job
    [job] = Job.objects.unfinished().filter(task_name=public_pages_changed.name)

    job_run(job_id=job.pk, func=public_pages_changed.func)  # Redis still down: it waits
    job.refresh_from_db()
    assert job.status != Job.Status.DONE

    settings.CACHES = real_caches  # Redis answers again
    job_run(job_id=job.pk, func=public_pages_changed.func)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert cache.get(public_cache._generation_key()) == before + 1
