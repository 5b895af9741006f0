"""The POA table (*cuadro del POA*) taken away: as XLSX or CSV rows, and as a PDF rendered in
the background with its progress kept where the status page can read it.

The rows and filters are those of the page (`selectors.poa_actions`). The spreadsheet's columns
are named as the import reads them, so an exported table is also a template for an import
(budget lines aside: the table sums them by source).
"""

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from django.http import QueryDict
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from budgeting import charts
from budgeting.forms import TableFilters
from budgeting.models import Action, Poa
from budgeting.selectors import STAGES, Filters, poa_actions, progress
from pmot.core import listing
from pmot.core.formatting import money, percent
from pmot.core.pdf import render_pdf, store_pdf
from pmot.core.progress import progress_report

PERIOD_COLUMNS = tuple(f"p{number}" for number in range(1, 13))
CALENDAR_NAMES = {Action.Calendar.MONTHLY: "mensual", Action.Calendar.QUARTERLY: "trimestral"}
STAGE_COLUMNS = {
    "approved": "aprobado",
    "modified": "modificado",
    "committed": "comprometido",
    "accrued": "devengado",
    "exercised": "ejercido",
    "paid": "pagado",
}
TABLE_HEADER = (
    "clave",
    "nombre",
    "tipo",
    "responsable",
    "modalidad",
    "unidad_territorial",
    "meta",
    "unidad",
    "calendario",
    *PERIOD_COLUMNS,
    "alineacion",
    "fuentes",
    *STAGE_COLUMNS.values(),
    "subejercicio",
    "alcanzado",
    "avance_fisico",
    "avance_financiero",
    "brecha",
    "estado",
)


# --- Filters from the query string -------------------------------------------------------------


def filters_from(params: QueryDict, poa: Poa) -> Filters:
    """The table's filters from the page's query string, read by the page's own form, so an
    export holds exactly the rows on screen (all pages of them). Like the page, a query that
    does not validate filters nothing."""
    form = TableFilters(params or None, poa=poa)
    if not form.is_valid():
        return Filters()
    data = form.cleaned_data
    return Filters(
        kind=data["tipo"],
        responsible=data["responsable"].pk if data["responsable"] else None,
        source=data["fuente"].pk if data["fuente"] else None,
        unit=data["unidad"].pk if data["unidad"] else None,
        status=data["estado"],
        text=data["q"].strip(),
        sort=data["orden"] or "clave",
    )


# --- Rows --------------------------------------------------------------------------------------


def alignment_keys(action: Action) -> str:
    """`pmot:1.1; pdm-2024-2027:PDM-1.2` — as the import reads it."""
    return "; ".join(f"{element.plan.key}:{element.key}" for element in action.alignments.all())


def modified_by_source(action: Action) -> dict:
    """The action's modified amount by funding source, in the sources' order."""
    totals: dict = {}
    for line in sorted(action.lines.all(), key=lambda line: (line.source.position, line.pk)):
        totals[line.source] = totals.get(line.source, Decimal(0)) + line.modified
    return totals


def table_rows(actions, *, numbers=float) -> Iterator[list]:
    """One spreadsheet row per action of `poa_actions(...)`, under TABLE_HEADER. Amounts go
    through `numbers`: floats for a workbook (cells that add up), exact text for CSV."""
    for action in actions:
        physical, financial, gap = progress(action)
        periods = [numbers(Decimal(value)) for value in action.calendar]
        yield [
            action.key,
            action.name,
            action.get_kind_display(),
            action.responsible.acronym or action.responsible.name,
            action.modality.key,
            action.unit.key if action.unit_id else "",
            numbers(action.target),
            action.target_unit,
            CALENDAR_NAMES.get(action.calendar_kind, action.calendar_kind),
            *periods,
            *[""] * (12 - len(periods)),
            alignment_keys(action),
            "; ".join(
                f"{source.key}={amount}" for source, amount in modified_by_source(action).items()
            ),
            *[numbers(getattr(action, f"total_{stage}")) for stage in STAGES],
            numbers(action.total_modified - action.total_accrued),
            numbers(action.achieved),
            numbers(physical),
            numbers(financial),
            _("yes") if gap else "",
            action.get_status_display(),
        ]


def exact(value: Decimal) -> str:
    return str(value)


def table_filename(poa: Poa) -> str:
    unit = f"-{poa.unit.acronym or poa.unit.pk}" if poa.unit_id else ""
    return f"cuadro-poa-{poa.fiscal_year}{unit}".lower()


# --- The PDF, rendered in the background -------------------------------------------------------

PDF_STEPS = 3


def pdf_job_key(token: str) -> str:
    return f"poa-pdf:{token}"


def pdf_path(poa: Poa, token: str) -> str:
    # The token is random (uuid4): the path is not guessable, and the file is served only
    # through a view that checks the reader may see the POA.
    return f"budgeting/cuadros/{poa.pk}/{token}.pdf"


def _report(token: str, step: int, label: str) -> None:
    progress_report(pdf_job_key(token), done=step, total=PDF_STEPS, label=label)


# The listing's columns, in characters of the PDF's monospaced font: 173 of them fit a
# landscape letter page at 6.8 pt (templates/budgeting/pdf/poa_table.html).
AMOUNT = 16  # $999,999,999.99 and a space


def pdf_columns() -> list[listing.Column]:
    return [
        listing.Column(_("Key"), 10),
        listing.Column(_("Action · kind · responsible · alignment"), 48),
        listing.Column(_("Target"), 12),
        listing.Column(_("Modified by source"), 26),
        listing.Column(_("Approved"), AMOUNT, right=True),
        listing.Column(_("Modified"), AMOUNT, right=True),
        listing.Column(_("Exercised"), AMOUNT, right=True),
        listing.Column(_("Phys."), 7, right=True),
        listing.Column(_("Fin."), 7, right=True),
        listing.Column(_("Gap"), 6, right=True),
    ]


def _pdf_row(columns, action: Action) -> listing.Row:
    physical, financial, gap = progress(action)
    description = [
        action.name,
        " · ".join(
            (
                action.get_kind_display(),
                action.responsible.acronym or action.responsible.name,
                alignment_keys(action) or _("not aligned"),
            )
        ),
    ]
    target = f"{floatformat(action.target, '-2g')} {action.target_unit}"
    sources = [
        f"{source.key} {money(amount)}" for source, amount in modified_by_source(action).items()
    ]
    return listing.layout(
        columns,
        [
            action.key,
            description,
            target,
            sources,
            money(action.total_approved),
            money(action.total_modified),
            money(action.total_exercised),
            percent(physical),
            percent(financial),
            _("yes") if gap else "",
        ],
    )


def table_pdf_context(poa: Poa, filters: Filters, *, with_charts: bool = True) -> dict:
    columns = pdf_columns()
    rows, flagged, totals = [], 0, dict.fromkeys(STAGES, Decimal(0))
    for action in poa_actions(poa, filters):
        for stage in STAGES:
            totals[stage] += getattr(action, f"total_{stage}")
        flagged += progress(action)[2]
        rows.append(_pdf_row(columns, action))
    total = listing.layout(
        columns,
        [
            "",
            _("Total"),
            "",
            "",
            money(totals["approved"]),
            money(totals["modified"]),
            money(totals["exercised"]),
            "",
            "",
            "",
        ],
    )
    return {
        "poa": poa,
        "heading": listing.heading(columns),
        "rows": rows,
        "total": total,
        "flagged": flagged,
        "charts": charts.poa_charts(poa) if with_charts else [],
        "filtered": filters != Filters(sort=filters.sort),
        "generated_at": timezone.now(),
    }


def table_pdf_render(*, poa: Poa, filters: Filters, token: str) -> str:
    """Render the POA table to PDF with WeasyPrint and store it under `pdf_path`. Running it
    again rewrites the same file (a job delivered twice changes nothing)."""
    _report(token, 1, _("Reading the actions"))
    context = table_pdf_context(poa, filters)
    _report(
        token,
        2,
        _("Laying out %(count)s actions on the pages") % {"count": len(context["rows"])},
    )
    saved = store_pdf(pdf_path(poa, token), render_pdf("budgeting/pdf/poa_table.html", context))
    _report(token, 3, _("Done"))
    return saved


def pdf_kwargs(poa: Poa, filters: Filters, token: str) -> dict:
    return {"poa_id": poa.pk, "token": token, "filters": dataclasses.asdict(filters)}
