"""Evaluation's background work run by a real Celery worker on Redis: the technical sheet's
PDF asked for on a page, rendered by the worker, offered by the page that follows it; and a
reminder's e-mail sent by the worker after the daily check wrote it."""

import datetime
import io
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from evaluation.models import Reminder
from evaluation.services import reminders
from evaluation.tasks import render_indicator_sheet_pdf, send_measurement_reminder
from pmot.celery import app
from pmot.core.models import Job

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: run through `make test`"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(celery_test_queue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the worker runs in a thread of this process
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[celery_test_queue]):
        yield


def wait_for(task) -> Job:
    """The one job of `task`, once the worker has finished it."""
    deadline = time.monotonic() + 60
    while True:
        job = Job.objects.filter(task_name=task.name).get()
        if job.status == Job.Status.DONE:
            return job
        assert time.monotonic() < deadline, (job.status, job.last_error)
        time.sleep(0.2)


def test_a_real_worker_renders_the_sheet_and_the_page_offers_it(client_as, indicator, worker):
    reporter = client_as("municipal_liaison")

    response = reporter.post(reverse("evaluation:indicator_sheet_pdf", args=[indicator.pk]))
    job = wait_for(render_indicator_sheet_pdf)

    page = reporter.get(response["Location"])
    assert "hx-trigger" not in page.text
    download_url = reverse(
        "evaluation:indicator_sheet_pdf_download", args=[indicator.pk, job.kwargs["token"]]
    )
    assert download_url in page.text
    pdf = reporter.get(download_url)
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Ficha técnica I-1" in text
    assert "Viviendas con agua entubada" in text


def test_a_real_worker_sends_the_reminder_once(indicator, persona, worker):
    persona("municipal_liaison")
    reminders.send_measurement_reminders(today=datetime.date(2026, 7, 16))
    reminders.send_measurement_reminders(today=datetime.date(2026, 7, 16))
    wait_for(send_measurement_reminder)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["municipal_liaison@example.org"]
    assert Reminder.objects.get().recipients == 1


def test_two_checks_at_once_write_and_send_the_reminder_once(indicator, persona, worker):
    """Two daily checks (beat fired twice, two workers) race: the second blocks on the
    reminder's unique key until the first commits, then finds it written."""
    persona("municipal_liaison")
    start = threading.Barrier(2)
    written = []

    def run_check():
        try:
            start.wait(timeout=10)
            written.extend(reminders.send_measurement_reminders(today=datetime.date(2026, 7, 16)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run_check) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(written) == 1
    wait_for(send_measurement_reminder)
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1
