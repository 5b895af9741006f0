"""Tables to and from spreadsheets (XLSX and CSV), for every app that imports or exports rows.

Reading never trusts the file: the size is limited, the format is recognized by its content and
not only by its name, and a file that cannot be read is refused with a message in Spanish.
Writing escapes cells that a spreadsheet would run as a formula (CSV/formula injection).
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

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


def read_table(upload, columns: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """The rows of an uploaded XLSX or CSV file whose header names `columns` (any order, any
    case), and `optional` ones where present; other columns are ignored. Empty rows are
    skipped. Raises ValidationError."""
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("The file weighs more than the %(limit)s MB allowed.")
            % {"limit": settings.PMOT_MAX_UPLOAD_MB}
        )
    name = (upload.name or "").lower()
    content = upload.read()
    if name.endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise ValidationError(_("The file is called .xlsx but its content is not a workbook."))
        table = _xlsx_rows(content)
    elif name.endswith(".csv"):
        if content.startswith(b"PK\x03\x04"):
            raise ValidationError(_("The file is called .csv but its content is a workbook."))
        table = _csv_rows(content)
    else:
        raise ValidationError(_("Upload a spreadsheet in XLSX or CSV format."))
    # After the messages above, which say what is wrong with a spreadsheet in its own words:
    # the one check of every upload (macros, markup, the workbook's main part).
    check_upload(upload, accept=SPREADSHEETS)
    return _with_header(table, columns, optional)


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        message = _("The workbook could not be read; save it again as XLSX.")
        raise ValidationError(message) from error
    try:
        sheet = workbook.worksheets[0]
        return [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The CSV file is not in UTF-8; save it again as “CSV UTF-8”.")
        ) from error
    if "\x00" in text:
        raise ValidationError(_("The CSV file holds binary content."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _with_header(
    table: list[list[str]], columns: Sequence[str], optional: Sequence[str]
) -> list[Row]:
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [cell.lower() for cell in table[0]]
    missing = [column for column in columns if column not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(columns), "missing": ", ".join(missing)}
        )
    index = {column: header.index(column) for column in (*columns, *optional) if column in header}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
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
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(content_type=CSV_TYPE)
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with the mark
        writer = csv.writer(response)
        writer.writerow([safe_cell(title) for title in header])
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
