"""Imports run by a job of the outbox (`pmot.core.imports`): what a test does in the worker's
place, and one upload as its user sees it (the upload's answer, then the import's page)."""

from dataclasses import dataclass

from django.http import HttpResponse

from pmot.core.models import Job
from pmot.core.outbox import job_run


def import_jobs(task):
    return Job.objects.filter(task_name=task.name)


def run_import_jobs(task) -> None:
    """What the worker does with the jobs of `task` it receives (a real worker: each app's
    test_worker.py). The test's transaction never commits, so the outbox sends nothing to the
    broker."""
    for job in import_jobs(task).unfinished():
        job_run(job_id=job.pk, func=task.func)


@dataclass
class Upload:
    response: HttpResponse  # of the upload itself
    page: HttpResponse | None = None  # the import's page, once its job has run

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def text(self) -> str:
        return (self.page or self.response).content.decode()


def upload_and_import(client, url: str, data: dict, task) -> Upload:
    """Post an upload; when it is taken, run its job and open the import's page."""
    response = client.post(url, data)
    if response.status_code != 302 or "/importar/" not in response["Location"]:
        return Upload(response)
    run_import_jobs(task)
    return Upload(response, client.get(response["Location"]))
