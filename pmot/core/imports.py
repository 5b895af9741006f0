"""What every import that runs in the background shares (the POA's actions, a plan's tree): its
record (`PoaImport`, `PlanImport`: a file, a status, the rows declared and read, the errors),
its progress as its page reads it, and the refusal that deletes a file nothing came of.

The request bounds the file (`spreadsheets.table_check`) and stores it; the job reads it as a
stream (`spreadsheets.read_table`), reporting here how far it went."""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
