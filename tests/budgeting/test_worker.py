"""The POA's background jobs run by a real Celery worker on Redis: the table's PDF and the
import of actions. The request writes the job; after commit the outbox sends it; the worker
runs it; the page that follows the job then shows its outcome."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.urls import reverse

from budgeting.models import Action, PoaImport
from budgeting.tasks import import_poa_actions, render_poa_table_pdf
from pmot.celery import app
from pmot.core.models import Job
from tests.budgeting.test_import import csv_file, row

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


def test_a_real_worker_renders_the_pdf_and_the_page_offers_it(client_as, approved_poa, worker):
    poa, *_ = approved_poa
    reader = client_as("council_member")

    status_url = reader.post(reverse("budgeting:poa_table_pdf", args=[poa.pk]))["Location"]
    job = wait_for(render_poa_table_pdf)

    page = reader.get(status_url)
    assert "hx-trigger" not in page.text
    download_url = reverse("budgeting:poa_table_pdf_download", args=[poa.pk, job.kwargs["token"]])
    assert download_url in page.text
    pdf = reader.get(download_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_real_worker_imports_a_file_and_the_page_shows_how_many(
    client_as, draft_poa, pmot_strategy, catalogue, orgs, worker
):
    planner = client_as("planner")
    upload = csv_file([row("W-01"), row("W-02"), row("W-02", nombre="", fuente="propios")])

    response = planner.post(reverse("budgeting:poa_import", args=[draft_poa.pk]), {"file": upload})
    assert response.status_code == 302
    wait_for(import_poa_actions)

    page = planner.get(response["Location"])
    assert "hx-trigger" not in page.text
    assert "se agregaron 2 acciones y 3 líneas presupuestales" in page.text
    assert reverse("budgeting:poa_detail", args=[draft_poa.pk]) in page.text
    assert set(Action.objects.values_list("key", flat=True)) == {"W-01", "W-02"}
    assert Action.objects.get(key="W-01").history.first().history_user.username == "planner"


def test_a_real_worker_refuses_a_file_with_a_bad_row_and_the_page_names_it(
    client_as, draft_poa, pmot_strategy, catalogue, orgs, worker
):
    planner = client_as("planner")
    upload = csv_file([row("W-01"), row("W-02", responsable="XYZ")])

    response = planner.post(reverse("budgeting:poa_import", args=[draft_poa.pk]), {"file": upload})
    wait_for(import_poa_actions)

    page = planner.get(response["Location"])
    assert "No se guardó nada." in page.text
    assert "Fila 3:" in page.text
    assert "XYZ" in page.text
    assert not Action.objects.exists()
    record = PoaImport.objects.get()
    assert record.status == PoaImport.Status.REJECTED
    assert record.file.name == ""  # deleted once the outcome was committed
