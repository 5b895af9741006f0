"""The daily agreement check, run by a real Celery worker on Redis."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from committees import services, tasks
from committees.models import Agreement, Vote
from committees.rules import Choice
from pmot.celery import app
from pmot.core.models import Job

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: run through `make test`"),
    pytest.mark.django_db(transaction=True),
]


def test_a_real_worker_marks_an_agreement_past_its_deadline_overdue(
    celery_test_queue, cabildo, open_session
):
    _, members, _ = cabildo
    _, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    for n, member in enumerate(members):
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR if n < 9 else "against")
    agreement = services.vote_close(vote=vote)
    Agreement.objects.filter(pk=agreement.pk).update(deadline=datetime.date(2027, 1, 31))

    with start_worker(app, pool="solo", perform_ping_check=False, queues=[celery_test_queue]):
        with transaction.atomic():
            job = tasks.check_agreements.enqueue(on_date="2027-02-01")
        deadline = time.monotonic() + 30
        while Job.objects.get(pk=job.pk).status != Job.Status.DONE:
            assert time.monotonic() < deadline, Job.objects.get(pk=job.pk).last_error
            time.sleep(0.2)

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.OVERDUE
    assert agreement.history.first().history_change_reason
