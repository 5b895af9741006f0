"""How far a background job went, for the page that follows it.

A job of the outbox runs inside one transaction: a row it writes is seen only at the end, so
its progress goes to the cache, which others read at once. The cache may be down, or absent
(the embedded `make run`, where jobs run inline): the page then only says the job is working.

A job that reads rows reports how many it has done of how many; a job that renders a PDF, the
step it is at (`done`, from 1) of its steps (`total`), drawn by templates/includes/pdf_status.html.
"""

import logging

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import Http404

from pmot.core.models import Job

logger = logging.getLogger(__name__)

TIMEOUT = 6 * 3600


def progress_report(key: str, *, done: int, total: int | None, label: str) -> None:
    try:
        cache.set(f"progress:{key}", {"done": done, "total": total, "label": label}, TIMEOUT)
    except Exception:  # a cache outage must not stop the job
        logger.warning("Progress not recorded for %s", key, exc_info=True)


def progress_of(key: str) -> dict | None:
    """{"done", "total", "label"} as last reported; None when nothing is known."""
    try:
        return cache.get(f"progress:{key}")
    except Exception:  # a cache outage must not break the page
        logger.warning("Progress unavailable for %s", key, exc_info=True)
        return None


def job_or_404(key: str, **kwargs) -> Job:
    """The job sent under `key` whose arguments include `kwargs` (the record a page is about);
    404 for a key of another record's job, or of none."""
    job = Job.objects.filter(key=key).first()
    if job is None or any(job.kwargs.get(name) != value for name, value in kwargs.items()):
        raise Http404
    return job


def pdf_job_status(job: Job, path: str) -> dict:
    """What the page that waits for a background PDF shows: ready once the job is done and its
    file is stored under `path`, failed, or how far it went."""
    ready = job.status == Job.Status.DONE and default_storage.exists(path)
    return {
        "job": job,
        "ready": ready,
        "failed": job.status == Job.Status.FAILED,
        "progress": None if ready else progress_of(job.key),
    }
