"""What every import that runs in the background shares (the POA's actions, a plan's tree, the
territorial units): its record (`pmot.core.models.ImportRecord`: a file, a status, the rows
declared and read, the errors), its progress as its page reads it, the page's context, and the
refusal that deletes a file nothing came of.

The request bounds the file (`spreadsheets.table_check`, or the units' own check) and stores
it; the job reads it (a table as a stream, `spreadsheets.read_table`), reporting here how far
it went."""

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pmot.core.models import Job
from pmot.core.outbox import job_enqueue
from pmot.core.progress import progress_of, progress_report
from pmot.core.spreadsheets import read_table


def _progress_key(record) -> str:
    # The upload's moment as well: a database rebuilt with its ids anew (tests, a restored
    # backup) never shows the progress of an older import that had the same id.
    return f"{record.job_key}:{record.created_at.timestamp()}"


def import_progress(record) -> dict | None:
    """How far the job of a pending import went: {"done", "total", "label"}, or None."""
    return progress_of(_progress_key(record))


def import_report(record, done: int, label: str = "") -> None:
    progress_report(
        _progress_key(record), done=done, total=record.rows_total, label=label or _("reading rows")
    )


def import_receive(model, *, upload, rows_total: int | None, by, task: tuple[str, str], **fields):
    """Keep a bounded upload on a new record of `model` (an ImportRecord; `fields` are its own)
    and ask the job to import it, in the current transaction: the job is sent once the record
    is committed. `task` is the job's task name and the argument that names the record."""
    task_name, argument = task
    upload.seek(0)
    record = model.objects.create(
        file=upload,
        original_name=(upload.name or "")[-255:],
        requested_by=by,
        rows_total=rows_total,
        **fields,
    )
    job_enqueue(
        task_name=task_name,
        kwargs={argument: record.pk},
        requested_by=by,
        key=record.job_key,
    )
    return record


def import_run(record, work: Callable[[object], dict]) -> None:
    """The job of an import: `work(record)` imports its file, all or nothing, and returns the
    counts to record (field: value); a ValidationError refuses the import with its messages.
    Call it in a transaction, with `record` locked; one already finished is left as it is (a
    job delivered twice)."""
    if record.status != record.Status.PENDING:
        return
    # No request here: the messages are written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            counts = work(record)
        except ValidationError as error:
            import_rejected(record, error.messages)
            return
    for name, value in counts.items():
        setattr(record, name, value)
    record.status = record.Status.DONE
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "rows_read", "finished_at", *counts])


def import_status_context(request, record, *, retry_url: str) -> dict:
    """What the page that waits for an import shows (`includes/import_status.html`): the
    record, whether it is still pending, its progress, and whether its job gave up."""
    pending = record.status == record.Status.PENDING
    job = Job.objects.filter(key=record.job_key).only("status").first() if pending else None
    return {
        "record": record,
        "pending": pending,
        # The job gave up (it failed on every attempt, not on a bad row): say so, stop polling.
        "failed": job is not None and job.status == Job.Status.FAILED,
        "progress": import_progress(record) if pending else None,
        "poll_url": request.path,
        "retry_url": retry_url,
    }


def import_rows(record, columns, optional) -> list:
    """The rows of the record's stored file, read as a stream with its progress reported;
    `rows_read` set. Raises ValidationError, in Spanish, like `read_table`."""
    with record.file.open("rb") as upload:
        rows = read_table(upload, columns, optional, progress=partial(import_report, record))
    record.rows_read = rows[-1].number - 1
    import_report(record, record.rows_read, label=_("checking and saving"))
    return rows


def import_rejected(record, messages: list[str]) -> None:
    """Record a refused import. Nothing came of the file: it goes once the outcome is committed,
    its errors stay."""
    name, storage = record.file.name, record.file.storage
    record.status = record.Status.REJECTED
    record.errors = messages
    record.file = ""
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "rows_read", "errors", "file", "finished_at"])
    if name:
        transaction.on_commit(partial(storage.delete, name))
