"""Tables to and from spreadsheets (XLSX and CSV), for every app that imports or exports rows.

Reading never trusts the file: the size is limited, the format is recognized by its content and
not only by its name, and a file that cannot be read is refused with a message in Spanish.
Writing escapes cells that a spreadsheet would run as a formula (CSV/formula injection).
"""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pmot.core.downloads import content_response
from pmot.core.uploads import SPREADSHEETS, check_upload, max_upload_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    """One data row as the spreadsheet numbers it (the header is row 1), by column name."""

    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


# --- Bounds, checked before anything is parsed -------------------------------------------------
# A zip (an XLSX, a zipped shapefile) says in its directory what each member unpacks to, and
# zipfile never unpacks a member beyond the size declared there: so the directory alone bounds
# the work of parsing. A 1.25 MB workbook that unpacked to 322 MB of XML kept a web worker 60 s.

MAX_MEMBERS = 500  # an XLSX holds a dozen or two; a shapefile, three to eight
RATIO_FLOOR = 1024 * 1024  # a small member compressed a lot is harmless (a sheet of blanks)
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*(\d*)(?::[A-Z]*(\d+))?\"")
SHEET_HEAD = 16 * 1024  # the <dimension> comes right after the sheet's opening


def archive_check(archive: zipfile.ZipFile) -> None:
    """Refuse a zip that holds too many members, unpacks beyond PMOT_IMPORT_MAX_EXPANDED_MB, or
    has a large member compressed more than PMOT_IMPORT_MAX_RATIO times: read from its
    directory, nothing unpacked."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            _("The archive holds %(count)s files; an import takes at most %(limit)s.")
            % {"count": len(members), "limit": MAX_MEMBERS}
        )
    limit = settings.PMOT_IMPORT_MAX_EXPANDED_MB * 1024 * 1024
    expanded = sum(member.file_size for member in members)
    if expanded > limit:
        raise ValidationError(
            _(
                "The file unpacks to %(size)s MB; an import may unpack to at most %(limit)s MB. "
                "Split it into several files."
            )
            % {"size": expanded // (1024 * 1024), "limit": settings.PMOT_IMPORT_MAX_EXPANDED_MB}
        )
    ratio = settings.PMOT_IMPORT_MAX_RATIO
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > ratio * member.compress_size:
            raise ValidationError(
                _(
                    "The file is compressed more than %(ratio)s times, as no spreadsheet or "
                    "map is: it was refused."
                )
                % {"ratio": ratio}
            )


def rows_check(count: int | None, *, features: bool = False) -> None:
    """Refuse an import of more than PMOT_IMPORT_MAX_ROWS rows (or features of a map)."""
    limit = settings.PMOT_IMPORT_MAX_ROWS
    if count is None or count <= limit:
        return
    if features:
        message = _(
            "The file holds %(count)s features; an import takes at most %(limit)s. "
            "Split it into several files."
        )
    else:
        message = _(
            "The file holds %(count)s rows; an import takes at most %(limit)s. "
            "Split it into several files."
        )
    raise ValidationError(message % {"count": count, "limit": limit})


def table_check(upload) -> int | None:
    """Check an uploaded XLSX or CSV file without parsing it: its weight, its format by content,
    what it unpacks to, and how many rows it declares. The request calls it and leaves the
    parsing to a job. Returns the number of data rows the file declares (an XLSX may not say:
    None), and raises ValidationError in Spanish."""
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("The file weighs more than the %(limit)s MB allowed.")
            % {"limit": settings.PMOT_MAX_UPLOAD_MB}
        )
    name = (upload.name or "").lower()
    upload.seek(0)
    is_zip = upload.read(4) == b"PK\x03\x04"
    upload.seek(0)
    if name.endswith(".xlsx"):
        if not is_zip:
            raise ValidationError(_("The file is called .xlsx but its content is not a workbook."))
        rows = _xlsx_declared_rows(upload)
    elif name.endswith(".csv"):
        if is_zip:
            raise ValidationError(_("The file is called .csv but its content is a workbook."))
        text = _csv_text(upload.read())
        if not text.strip():
            raise ValidationError(_("The file is empty."))
        # Lines, not records: a quoted cell may span lines, so this is an upper bound.
        rows = len(text.rstrip("\r\n").splitlines()) - 1
        if rows == 0:
            raise ValidationError(_("The file has a header but no rows."))
    else:
        raise ValidationError(_("Upload a spreadsheet in XLSX or CSV format."))
    upload.seek(0)
    rows_check(rows)
    # After the messages above, which say what is wrong with a spreadsheet in its own words:
    # the one check of every upload (macros, markup, the workbook's main part).
    check_upload(upload, accept=SPREADSHEETS)
    upload.seek(0)
    return rows


def _unreadable_workbook() -> ValidationError:
    return ValidationError(_("The workbook could not be read; save it again as XLSX."))


def _xlsx_declared_rows(upload) -> int | None:
    """The data rows the first sheet declares in its <dimension> (rows 1 to N: N - 1 under the
    header), read from the sheet's first bytes once the archive passed its bounds."""
    try:
        with zipfile.ZipFile(upload) as archive:
            archive_check(archive)
            names = archive.namelist()
            sheets = sorted(
                n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")
            )
            if "[Content_Types].xml" not in names or not sheets:
                raise _unreadable_workbook()
            # Excel, LibreOffice and openpyxl call the first sheet sheet1.xml. Whatever the file
            # declares, the job also stops reading at the row limit.
            first = "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in names else sheets[0]
            with archive.open(first) as sheet:
                head = sheet.read(SHEET_HEAD)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as error:
        raise _unreadable_workbook() from error
    match = DIMENSION.search(head)
    if match is None:
        return None
    last = match.group(2) or match.group(1)
    return max(int(last) - 1, 0) if last else None


# --- Reading -------------------------------------------------------------------------------------


def read_table(
    upload,
    columns: Sequence[str],
    optional: Sequence[str] = (),
    *,
    progress: Callable[[int], None] | None = None,
) -> list[Row]:
    """The rows of an uploaded XLSX or CSV file whose header names `columns` (any order, any
    case), and `optional` ones where present; other columns are ignored. Empty rows are
    skipped. The file is bounded first (`table_check`), then read as a stream that stops at
    PMOT_IMPORT_MAX_ROWS; `progress(rows read)` is told as it goes. Raises ValidationError."""
    table_check(upload)
    if (upload.name or "").lower().endswith(".xlsx"):
        return _with_header(_xlsx_rows(upload), columns, optional, progress)
    return _with_header(_csv_rows(upload.read()), columns, optional, progress)


# What openpyxl raises on a damaged workbook, while opening it or reading a row.
WORKBOOK_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    SyntaxError,  # xml.etree's ParseError
    EOFError,
)


def _xlsx_rows(upload) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except WORKBOOK_ERRORS as error:
        raise _unreadable_workbook() from error
    try:
        sheet = workbook.worksheets[0]
        # A read-only sheet believes its declared dimension, which a file may get wrong or lie
        # about: read the cells there are (the row limit bounds them).
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield [_text(cell) for cell in row]
    except WORKBOOK_ERRORS as error:
        raise _unreadable_workbook() from error
    finally:
        workbook.close()


def _csv_text(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The CSV file is not in UTF-8; save it again as “CSV UTF-8”.")
        ) from error
    if "\x00" in text:
        raise ValidationError(_("The CSV file holds binary content."))
    return text


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = _csv_text(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for row in csv.reader(io.StringIO(text), dialect):
        yield [_text(cell) for cell in row]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


PROGRESS_EVERY = 100  # rows between two reports of progress


def _with_header(
    table: Iterator[list[str]],
    columns: Sequence[str],
    optional: Sequence[str],
    progress: Callable[[int], None] | None = None,
) -> list[Row]:
    header = [cell.lower() for cell in next(table, [])]
    if not any(header):
        raise ValidationError(_("The file is empty."))
    missing = [column for column in columns if column not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(columns), "missing": ", ".join(missing)}
        )
    index = {column: header.index(column) for column in (*columns, *optional) if column in header}
    limit = settings.PMOT_IMPORT_MAX_ROWS
    rows = []
    for number, cells in enumerate(table, start=2):
        if number - 1 > limit:  # the file declared fewer rows than it holds: stop here
            raise ValidationError(
                _(
                    "The file holds more than %(limit)s rows; an import takes at most "
                    "%(limit)s. Split it into several files."
                )
                % {"limit": limit}
            )
        if progress is not None and (number - 1) % PROGRESS_EVERY == 0:
            progress(number - 1)
        if not any(cells):
            continue
        rows.append(
            Row(
                number,
                {
                    column: cells[position] if position < len(cells) else ""
                    for column, position in index.items()
                },
            )
        )
    if not rows:
        raise ValidationError(_("The file has a header but no rows."))
    return rows


def safe_cell(value) -> str | int | float | Decimal:
    """The value as a spreadsheet shows it and never runs it: text that would start a formula
    gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_response(
    filename: str, fmt: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """An XLSX or CSV download of `rows` under `header`."""
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([safe_cell(title) for title in header])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = content_response(
            buffer.getvalue(), filename=f"{filename}.{fmt}", content_type=XLSX_TYPE
        )
    else:
        response = content_response(filename=f"{filename}.{fmt}", content_type=CSV_TYPE)
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with the mark
        writer = csv.writer(response)
        writer.writerow([safe_cell(title) for title in header])
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
    return response
