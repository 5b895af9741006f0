"""Evaluation's two PDFs, rendered in the background with their progress kept where the status
page can read it (as budgeting's POA table does: budgeting/services/exports.py):

- an indicator's technical sheet (*ficha técnica*): every field of the sheet, its thresholds,
  and each period's target, measurement, compliance and colour;
- the quarterly progress report: per reporting organization, each indicator's periods that end
  in the quarter with their target, value, compliance, colour and status, the counts by colour,
  and the organization's open recommendations, the overdue ones flagged.

Colours are written as words, not only painted: a PDF is printed in black and white too.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import lights, selectors
from evaluation.charts import FILL, series_chart
from evaluation.lights import last_ended
from evaluation.models import Indicator, Measurement, Recommendation, Target
from pmot.actors.models import Organization
from pmot.core import listing
from pmot.core.formatting import figure, long_date, percent
from pmot.core.pdf import render_pdf, store_pdf
from pmot.core.progress import progress_report

# The colours of the traffic light as the charts paint them: swatches printed beside their names.
SWATCHES = [(str(colour), fill) for colour, fill in FILL.items()]
# The order colours are counted in.
COLOURS = [
    lights.Colour.GREEN,
    lights.Colour.YELLOW,
    lights.Colour.RED,
    lights.Colour.NO_REPORT,
    lights.Colour.NO_TARGET,
    lights.Colour.PENDING,
]
PDF_STEPS = 3


def colour_counts(colours) -> list[dict]:
    """[{"colour", "label", "count"}] in the traffic light's order, zeros included."""
    counted = Counter(colours)
    return [{"colour": c.value, "label": c.label, "count": counted[c]} for c in COLOURS]


# --- Progress, kept in the cache while a job runs ----------------------------------------------


def sheet_job_key(token: str) -> str:
    return f"indicator-sheet-pdf:{token}"


def report_job_key(token: str) -> str:
    return f"quarterly-report-pdf:{token}"


def sheet_path(indicator: Indicator, token: str) -> str:
    # The token is random (uuid4): the path is not guessable, and the file is served only
    # through a view that checks the reader may see the indicator.
    return f"evaluation/fichas/{indicator.pk}/{token}.pdf"


def report_path(year: int, quarter: int, token: str) -> str:
    return f"evaluation/informes/{year}-T{quarter}/{token}.pdf"


def sheet_title(indicator: Indicator) -> str:
    return _("Technical sheet %(key)s") % {"key": indicator.key}


def report_title(year: int, quarter: int) -> str:
    return _("Quarterly progress report %(year)s-T%(quarter)s") % {
        "year": year,
        "quarter": quarter,
    }


def sheet_filename(indicator: Indicator) -> str:
    return f"ficha-{indicator.key}.pdf".lower().replace(" ", "-").replace("/", "-")


def report_filename(year: int, quarter: int) -> str:
    return f"informe-indicadores-{year}-t{quarter}.pdf"


def _report(job_key: str, step: int, label: str) -> None:
    progress_report(job_key, done=step, total=PDF_STEPS, label=label)


# --- The technical sheet -----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """A period of the sheet's table: its target and, once reported, its measurement."""

    period: lights.Period
    target: object
    light: selectors.Light | None

    @property
    def measurement(self) -> Measurement | None:
        return self.light.measurement if self.light else None

    @property
    def colour(self) -> str:
        return self.light.colour if self.light else lights.Colour.PENDING

    @property
    def colour_label(self) -> str:
        return lights.Colour(self.colour).label

    @property
    def status(self) -> str:
        if self.measurement is not None:
            return self.measurement.get_status_display()
        return ""

    def figures(self) -> dict[str, str]:
        """Target, A, B, value and compliance as printed; dashes where there are none. A
        measurement shows the target it was judged by, frozen with it."""
        m = self.measurement
        target = m.target if m is not None and m.target is not None else self.target
        return {
            "target": figure(target),
            "a": figure(m.a) if m else "—",
            "b": figure(m.b) if m else "—",
            "value": figure(m.value) if m else "—",
            "compliance": percent(m.compliance) if m else "—",
        }


def sheet_rows(indicator: Indicator, ended: list[selectors.Light]) -> list[SheetRow]:
    """Every period from the first year up to the last that ended or has a target (`ended`:
    the lights of the periods that ended, selectors.series)."""
    targets = {(t.year, t.number): t.value for t in indicator.targets.all()}
    rows = [SheetRow(light.period, targets.get(_key(light.period)), light) for light in ended]
    last = ended[-1].period if ended else None
    later = [indicator.period(*key) for key in sorted(targets)]
    for period in later:
        if last is None or period > last:
            # Not ended yet: its target only, its colour to come.
            rows.append(SheetRow(period, targets[_key(period)], None))
    return rows


def _key(period: lights.Period) -> tuple[int, int]:
    return (period.year, period.number)


def sheet_fields(indicator: Indicator) -> list[tuple[str, str]]:
    """The sheet's fields as (label, text), labelled as the indicator's form labels them."""

    def label(name: str) -> str:
        return str(Indicator._meta.get_field(name).verbose_name)

    measured_field = next(
        name for name in ("element", "action", "unit_measured") if getattr(indicator, f"{name}_id")
    )
    baseline = "—"
    if indicator.baseline_value is not None:
        baseline = f"{figure(indicator.baseline_value)} {indicator.unit}".strip()
        if indicator.baseline_year:
            baseline += f" ({indicator.baseline_year})"
    fields = [
        (label("key"), indicator.key),
        (label("name"), indicator.name),
        (label("definition"), indicator.definition),
        (label("method"), indicator.method),
        (label("variable_a"), indicator.variable_a),
        (label("variable_b"), indicator.variable_b or "—"),
        (label("factor"), figure(indicator.factor)),
        (label("unit"), indicator.unit),
        (label("dimension"), indicator.get_dimension_display()),
        (label("kind"), indicator.get_kind_display()),
        (label("frequency"), indicator.get_frequency_display()),
        (label("direction"), indicator.get_direction_display()),
        (label("mir_level"), indicator.get_mir_level_display() or "—"),
        (label("baseline_value"), baseline),
        (label("source"), indicator.source),
        (label("verification"), indicator.verification),
        (label("reporter"), str(indicator.reporter)),
        (label(measured_field), str(indicator.measured)),
        (label("first_year"), str(indicator.first_year)),
        (label("published"), _("yes") if indicator.published else _("no")),
    ]
    return [(text[:1].upper() + text[1:], value) for text, value in fields]


def sheet_pdf_context(indicator: Indicator, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    ended = selectors.series(indicator, today)
    rows = sheet_rows(indicator, ended)
    current = selectors.current_light(ended)
    return {
        "indicator": indicator,
        "fields": sheet_fields(indicator),
        "bands": indicator.bands,
        "default_bands": indicator.green_low is None,
        "rows": rows,
        "counts": colour_counts(light.colour for light in ended),
        "current": current,
        "chart": series_chart(indicator, ended),
        "today": today,
        "swatches": SWATCHES,
        "generated_at": timezone.now(),
    }


def sheet_pdf_render(
    *, indicator: Indicator, token: str, today: datetime.date | None = None
) -> str:
    """Render an indicator's technical sheet to PDF and store it under `sheet_path`."""
    key = sheet_job_key(token)
    _report(key, 1, _("Reading the indicator's periods"))
    indicator = Indicator.objects.select_related(
        "reporter", "element__plan", "action", "unit_measured"
    ).get(pk=indicator.pk)
    context = sheet_pdf_context(indicator, today)
    _report(key, 2, _("Laying out the technical sheet"))
    saved = store_pdf(
        sheet_path(indicator, token), render_pdf("evaluation/pdf/indicator_sheet.html", context)
    )
    _report(key, 3, _("Done"))
    return saved


# --- The quarterly progress report -------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    period = lights.Period(year, quarter, lights.Frequency.QUARTERLY)
    return period.start, period.end


def last_ended_quarter(today: datetime.date) -> tuple[int, int]:
    current = lights.period_of(lights.Frequency.QUARTERLY, today)
    return (current.year, current.number - 1) if current.number > 1 else (current.year - 1, 4)


def report_periods(indicator: Indicator, year: int, quarter: int) -> list[lights.Period]:
    """The indicator's periods that end within the quarter: three months, one quarter, or the
    half or year that ends with it. With none (a half-yearly indicator in the first quarter),
    the last period that ended before the quarter, so every indicator has a line."""
    start, end = quarter_bounds(year, quarter)
    periods = [
        p
        for p in lights.periods_between(indicator.frequency, start, end)
        if start <= p.end <= end and p.year >= indicator.first_year
    ]
    if not periods:
        before = last_ended(indicator, start)
        periods = [before] if before else []
    return periods


@dataclass
class ReportLine:
    indicator: Indicator
    light: selectors.Light
    target: object


@dataclass
class OrganizationSection:
    organization: Organization
    lines: list[ReportLine] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    rows: list[listing.Row] = field(default_factory=list)
    recommendation_rows: list[listing.Row] = field(default_factory=list)

    @property
    def counts(self) -> list[dict]:
        return colour_counts(line.light.colour for line in self.lines)

    @property
    def present_counts(self) -> list[dict]:
        return [count for count in self.counts if count["count"]]

    def overdue(self, today: datetime.date) -> int:
        return sum(r.overdue(today) for r in self.recommendations)


# The listings' columns, in characters of the PDF's monospaced font: 173 fit a landscape
# letter page at 6.8 pt (as in templates/budgeting/pdf/poa_table.html).
def indicator_columns() -> list[listing.Column]:
    return [
        listing.Column(_("Key"), 12),
        listing.Column(_("Indicator"), 52),
        listing.Column(_("Period"), 8),
        listing.Column(_("Target"), 14, right=True),
        listing.Column(_("Value"), 14, right=True),
        listing.Column(_("Compliance"), 12, right=True),
        listing.Column(_("Traffic light"), 13),
        listing.Column(_("Status"), 28),
    ]


def recommendation_columns() -> list[listing.Column]:
    return [
        listing.Column(_("No."), 12),
        listing.Column(_("Recommendation · evaluation"), 96),
        listing.Column(_("Due date"), 24),
        listing.Column(_("Status"), 28),
    ]


def _light_status(light: selectors.Light) -> str:
    measurement = light.measurement
    if measurement is None:
        return _("Not reported")
    return measurement.get_status_display()


def _indicator_row(columns, line: ReportLine) -> listing.Row:
    measurement = line.light.measurement
    counted = measurement is not None and measurement.status != Measurement.Status.RETURNED
    return listing.layout(
        columns,
        [
            line.indicator.key,
            [
                line.indicator.name,
                f"{line.indicator.unit} · {line.indicator.get_direction_display()}",
            ],
            line.light.period.label,
            figure(line.target),
            figure(measurement.value) if counted else "—",
            percent(measurement.compliance) if counted else "—",
            str(line.light.label),  # a lazy text would be wrapped letter by letter
            _light_status(line.light),
        ],
    )


def _recommendation_row(columns, recommendation: Recommendation, today) -> listing.Row:
    status = recommendation.get_status_display()
    if recommendation.overdue(today):
        status = _("%(status)s · PAST DUE") % {"status": status}
    return listing.layout(
        columns,
        [
            str(recommendation.number),
            [recommendation.text, str(recommendation.evaluation)],
            long_date(recommendation.due),
            status,
        ],
    )


def _report_lines(year: int, quarter: int, today: datetime.date) -> list[ReportLine]:
    """Each indicator's periods in the quarter, with their lights: three queries in all."""
    indicators = list(
        Indicator.objects.filter(first_year__lte=year)
        .select_related("reporter")
        .order_by("reporter__name", "key")
    )
    wanted = {i.pk: report_periods(i, year, quarter) for i in indicators}
    years = {p.year for periods in wanted.values() for p in periods}
    if not years:
        return []
    scope = Q(indicator__in=[i.pk for i in indicators], year__in=years)
    measurements = {
        (m.indicator_id, m.year, m.number): m for m in Measurement.objects.filter(scope)
    }
    targets = {(t.indicator_id, t.year, t.number): t.value for t in Target.objects.filter(scope)}
    lines = []
    for indicator in indicators:
        for period in wanted[indicator.pk]:
            key = (indicator.pk, period.year, period.number)
            measurement = measurements.get(key)
            light = selectors.period_light(indicator, period, measurement, today)
            target = measurement.target if measurement is not None else targets.get(key)
            lines.append(ReportLine(indicator, light, target))
    return lines


def report_pdf_context(year: int, quarter: int, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    sections: dict[int, OrganizationSection] = {}
    for line in _report_lines(year, quarter, today):
        reporter = line.indicator.reporter
        sections.setdefault(reporter.pk, OrganizationSection(reporter)).lines.append(line)
    open_recommendations = (
        Recommendation.objects.open()
        .select_related("responsible", "evaluation")
        .order_by("due", "evaluation_id", "number")
    )
    for recommendation in open_recommendations:
        responsible = recommendation.responsible
        section = sections.setdefault(responsible.pk, OrganizationSection(responsible))
        section.recommendations.append(recommendation)
    columns, rec_columns = indicator_columns(), recommendation_columns()
    ordered = sorted(sections.values(), key=lambda s: s.organization.name)
    for section in ordered:
        section.rows = [_indicator_row(columns, line) for line in section.lines]
        section.recommendation_rows = [
            _recommendation_row(rec_columns, r, today) for r in section.recommendations
        ]
    every_line = [line for section in ordered for line in section.lines]
    start, end = quarter_bounds(year, quarter)
    return {
        "year": year,
        "quarter": quarter,
        "start": start,
        "end": end,
        "sections": ordered,
        "summary": [
            {
                "organization": s.organization,
                "counts": s.counts,
                "open": len(s.recommendations),
                "overdue": s.overdue(today),
            }
            for s in ordered
        ],
        "counts": colour_counts(line.light.colour for line in every_line),
        "lines": len(every_line),
        "indicators": len({line.indicator.pk for line in every_line}),
        "open_recommendations": sum(len(s.recommendations) for s in ordered),
        "overdue_recommendations": Recommendation.objects.overdue(today).count(),
        "heading": listing.heading(columns),
        "recommendation_heading": listing.heading(rec_columns),
        "today": today,
        "swatches": SWATCHES,
        "generated_at": timezone.now(),
    }


def report_pdf_render(
    *, year: int, quarter: int, token: str, today: datetime.date | None = None
) -> str:
    """Render the quarterly progress report to PDF and store it under `report_path`."""
    key = report_job_key(token)
    _report(key, 1, _("Reading the indicators and recommendations"))
    context = report_pdf_context(year, quarter, today)
    _report(
        key,
        2,
        _("Laying out %(count)s indicators on the pages") % {"count": context["indicators"]},
    )
    saved = store_pdf(
        report_path(year, quarter, token),
        render_pdf("evaluation/pdf/quarterly_report.html", context),
    )
    _report(key, 3, _("Done"))
    return saved
