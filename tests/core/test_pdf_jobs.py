"""Following a background PDF (pmot.core.progress and pmot.core.pdf): the job a page is about,
how far it went, and its file kept once however often it runs."""

import pytest
from django.core.files.storage import default_storage
from django.http import Http404

from pmot.core.models import Job
from pmot.core.pdf import store_pdf
from pmot.core.progress import job_or_404, pdf_job_status, progress_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def job(**fields) -> Job:
    return Job.objects.create(task_name="x.render", key="pdf:1", kwargs={"poa_id": 7}, **fields)


def test_the_job_of_another_record_or_of_no_key_is_not_found():
    sent = job()
    assert job_or_404("pdf:1", poa_id=7) == sent
    with pytest.raises(Http404):
        job_or_404("pdf:1", poa_id=8)
    with pytest.raises(Http404):
        job_or_404("pdf:2")


def test_a_running_job_shows_its_step():
    sent = job()
    progress_report("pdf:1", done=2, total=3, label="Acomodando")
    status = pdf_job_status(sent, "pdfs/1.pdf")
    assert status["ready"] is False
    assert status["failed"] is False
    assert status["progress"] == {"done": 2, "total": 3, "label": "Acomodando"}


def test_a_done_job_is_ready_once_its_file_is_stored_and_a_rerun_rewrites_it():
    sent = job(status=Job.Status.DONE)
    assert pdf_job_status(sent, "pdfs/1.pdf")["ready"] is False
    assert store_pdf("pdfs/1.pdf", b"%PDF-1") == "pdfs/1.pdf"
    assert store_pdf("pdfs/1.pdf", b"%PDF-2") == "pdfs/1.pdf"
    assert default_storage.open("pdfs/1.pdf").read() == b"%PDF-2"
    status = pdf_job_status(sent, "pdfs/1.pdf")
    assert status["ready"] is True
    assert status["progress"] is None
