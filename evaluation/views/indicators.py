"""Pages of the indicators: the list with each one's light now, what a reporter has to report,
the technical sheet with its series, targets and their history, the sheet and target forms,
reporting a measurement with evidence and IMPLAN's review. Every write goes through
evaluation/services; who may do what comes from evaluation/permissions.

A person who may not see an indicator gets 404 on every page of it; one who sees it but may
not do what a page does gets 403."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from evaluation import lights, permissions, selectors
from evaluation.charts import series_chart
from evaluation.forms.indicators import (
    IndicatorFilters,
    IndicatorForm,
    MeasurementForm,
    ReturnForm,
    TargetForm,
)
from evaluation.models import Evidence, Indicator, Measurement, Target
from evaluation.services import indicators as services
from pmot.actors.models import Organization
from pmot.core.downloads import file_response
from pmot.core.feedback import service_call
from pmot.planning.models import Plan

ROWS_PER_PAGE = 50
SHEET = Indicator.objects.select_related(
    "reporter", "element__plan", "action__poa", "unit_measured"
)


def _indicator(request: HttpRequest, pk: int, queryset=SHEET) -> Indicator:
    """The indicator if the user may see it, else 404."""
    indicator = get_object_or_404(queryset, pk=pk)
    if not permissions.can_see_indicator(request.user, indicator):
        raise Http404
    return indicator


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _url(name: str, *args) -> str | None:
    """The address of a page another part of the system may not offer yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- The list --------------------------------------------------------------------------------


def _filtered(indicators, form: IndicatorFilters):
    if not form.is_valid():
        return indicators, ""
    data = form.cleaned_data
    if data["reporta"]:
        indicators = indicators.filter(reporter=data["reporta"])
    if text := data["q"].strip():
        indicators = indicators.filter(Q(key__icontains=text) | Q(name__icontains=text))
    return indicators, data["color"]


@require_safe
def indicator_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    visible = selectors.indicators_visible_to(request.user)
    organizations = Organization.objects.filter(pk__in=visible.values("reporter")).order_by("name")
    form = IndicatorFilters(request.GET or None, organizations=organizations)
    indicators, colour = _filtered(
        visible.select_related("element__plan", "action__poa", "unit_measured"), form
    )
    indicators = list(indicators)
    found = selectors.current_lights(indicators, today)
    rows = [(indicator, found[indicator.pk]) for indicator in indicators]
    if colour:
        # No period ended yet reads as "not due yet".
        rows = [
            row for row in rows if (row[1].colour if row[1] else lights.Colour.PENDING) == colour
        ]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "evaluation/indicators/indicator_list.html",
        {
            "page": page,
            "filters_form": form,
            "filtered": any(value for name, value in request.GET.items() if name != "pagina"),
            "can_add": permissions.can_edit_indicator(request.user),
        },
    )


@dataclass
class Due:
    """A period an organization has to report: not reported yet, or returned."""

    indicator: Indicator
    light: selectors.Light

    @property
    def overdue(self) -> bool:
        return self.light.colour == lights.Colour.NO_REPORT


def _due(indicators, today: datetime.date) -> list[Due]:
    due = [
        Due(indicator, light)
        for indicator in indicators
        for light in selectors.series(indicator, today)
        if light.measurement is None or light.measurement.status == Measurement.Status.RETURNED
    ]
    return sorted(due, key=lambda d: (d.light.period.end, d.indicator.key), reverse=True)


@require_safe
def indicator_to_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    indicators = selectors.indicators_to_report(request.user).prefetch_related("measurements")
    return render(
        request,
        "evaluation/indicators/indicator_to_report.html",
        {"due": _due(indicators, today), "today": today},
    )


# --- The technical sheet ---------------------------------------------------------------------


@dataclass
class SeriesRow:
    light: selectors.Light
    target: Decimal | None

    @property
    def measurement(self) -> Measurement | None:
        return self.light.measurement


@dataclass
class TargetChange:
    label: str
    old: Decimal | None
    new: Decimal
    reason: str
    by: object
    at: datetime.datetime


def _series_rows(indicator: Indicator, series: list[selectors.Light]) -> list[SeriesRow]:
    targets = {(t.year, t.number): t.value for t in indicator.targets.all()}
    rows = []
    for light in reversed(series):
        measurement, key = light.measurement, (light.period.year, light.period.number)
        # A measurement shows the target it was judged by; a period without one, today's.
        target = measurement.target if measurement else targets.get(key)
        rows.append(SeriesRow(light, target))
    return rows


def _target_changes(indicator: Indicator) -> list[TargetChange]:
    """Every value each target took, from its history: who set it, when, from what and why."""
    records = (
        Target.history.filter(indicator_id=indicator.pk)
        .exclude(history_type="-")
        .select_related("by")
        .order_by("year", "number", "history_date", "history_id")
    )
    last, changes = {}, []
    for record in records:
        key = (record.year, record.number)
        if last.get(key) != record.value:
            label = lights.period_label(indicator.frequency, record.year, record.number)
            changes.append(
                TargetChange(
                    label,
                    last.get(key),
                    record.value,
                    record.reason,
                    record.by,
                    record.history_date,
                )
            )
        last[key] = record.value
    return sorted(changes, key=lambda change: change.at, reverse=True)


def _strategies(indicator: Indicator) -> list:
    """The PMOT elements the indicator measures, itself or through the POA action it measures,
    each with the address of its traceability chain if that page exists."""
    if indicator.element_id:
        elements = [indicator.element] if indicator.element.plan.order == Plan.Order.PMOT else []
    elif indicator.action_id:
        elements = list(
            indicator.action.alignments.filter(plan__order=Plan.Order.PMOT).select_related("plan")
        )
    else:
        elements = []
    return [(element, _url("evaluation:chain", element.pk)) for element in elements]


def _detail_queryset():
    measurements = Measurement.objects.select_related("reported_by", "reviewed_by")
    return SHEET.prefetch_related(
        "targets", Prefetch("measurements", queryset=measurements.prefetch_related("evidence"))
    )


@require_safe
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    indicator = _indicator(request, pk, _detail_queryset())
    user = request.user
    series = selectors.series(indicator, today)
    return render(
        request,
        "evaluation/indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "rows": _series_rows(indicator, series),
            "light": selectors.current_light(series),
            "bands": indicator.bands,
            "own_bands": indicator.green_low is not None,
            "changes": _target_changes(indicator),
            "strategies": _strategies(indicator),
            "chart": series_chart(indicator, series),
            "can_edit": permissions.can_edit_indicator(user),
            "can_set_targets": permissions.can_set_targets(user),
            "can_report": permissions.can_report(user, indicator),
            "can_validate": permissions.can_validate(user),
        },
    )


# --- Writing the sheet and the targets -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest) -> HttpResponse:
    _allow(permissions.can_edit_indicator(request.user))
    return _indicator_form(request, None)


@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    _allow(permissions.can_edit_indicator(request.user))
    return _indicator_form(request, indicator)


def _indicator_form(request: HttpRequest, indicator: Indicator | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    # The form writes the typed values on the indicator; the page names it as saved.
    title = str(indicator) if indicator else None
    form = IndicatorForm(data, instance=indicator)
    if data is not None and form.is_valid():
        try:
            saved = services.indicator_save(indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect("evaluation:indicator_detail", pk=saved.pk)
    return render(
        request,
        "evaluation/indicators/indicator_form.html",
        {"form": form, "indicator": indicator, "title": title},
        status=400 if data is not None else 200,
    )


@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    indicator = _indicator(request, pk)
    _allow(permissions.can_set_targets(request.user))
    data = request.POST if request.method == "POST" else None
    form = TargetForm(data, indicator=indicator, today=today)
    if data is not None and form.is_valid() and _targets_saved(request, form, today):
        return redirect("evaluation:indicator_detail", pk=indicator.pk)
    return render(
        request,
        "evaluation/indicators/target_form.html",
        {"indicator": indicator, "form": form},
        status=400 if data is not None else 200,
    )


def _targets_saved(request: HttpRequest, form: TargetForm, today: datetime.date) -> bool:
    """Every changed target in one transaction: one refused, none saved."""
    changes = form.changes()
    try:
        with transaction.atomic():
            for period, value, reason in changes:
                services.target_set(
                    indicator=form.indicator,
                    year=period.year,
                    number=period.number,
                    value=value,
                    reason=reason,
                    by=request.user,
                    today=today,
                )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    if changes:
        messages.success(request, _("Targets saved."))
    else:
        messages.info(request, _("No target changed."))
    return True


# --- Measurements ----------------------------------------------------------------------------


def _period(indicator: Indicator, year: int, number: int) -> lights.Period:
    if year < indicator.first_year:
        raise Http404
    try:
        return indicator.period(year, number)
    except ValueError as error:
        raise Http404 from error


@require_http_methods(["GET", "POST"])
def measurement_report(request: HttpRequest, pk: int, year: int, number: int) -> HttpResponse:
    today = timezone.localdate()
    indicator = _indicator(request, pk)
    _allow(permissions.can_report(request.user, indicator))
    period = _period(indicator, year, number)
    measurement = _measurement(indicator, period)
    data = request.POST if request.method == "POST" else None
    form = MeasurementForm(
        data,
        request.FILES or None,
        indicator=indicator,
        initial=MeasurementForm.initial_for(measurement),
    )
    if data is not None and form.is_valid():
        try:
            _report(request, indicator, period, form.cleaned_data, today)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Measurement reported: IMPLAN will validate it."))
            return redirect(
                "evaluation:measurement_report", pk=indicator.pk, year=year, number=number
            )
    target = Target.objects.filter(indicator=indicator, year=year, number=number).first()
    return render(
        request,
        "evaluation/indicators/measurement_form.html",
        {
            "indicator": indicator,
            "period": period,
            "ended": today > period.end,
            "measurement": measurement,
            "target": target,
            "form": form,
        },
        status=400 if data is not None else 200,
    )


def _measurement(indicator: Indicator, period: lights.Period) -> Measurement | None:
    return (
        indicator.measurements.filter(year=period.year, number=period.number)
        .select_related("reported_by", "reviewed_by")
        .prefetch_related("evidence")
        .first()
    )


@transaction.atomic
def _report(request, indicator: Indicator, period: lights.Period, data: dict, today) -> None:
    """The figures and their files together: a refused file saves neither."""
    measurement = services.measurement_report(
        indicator=indicator,
        year=period.year,
        number=period.number,
        a=data["a"],
        b=data.get("b"),
        note=data["note"],
        by=request.user,
        today=today,
    )
    for upload in data["evidence"]:
        services.evidence_add(measurement=measurement, upload=upload, by=request.user)


@require_http_methods(["GET", "POST"])
def measurement_review(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__reporter", "reported_by", "reviewed_by"),
        pk=pk,
    )
    indicator = measurement.indicator
    if not permissions.can_see_indicator(request.user, indicator):
        raise Http404
    _allow(permissions.can_validate(request.user))
    if request.method == "POST":
        return _review(request, measurement)
    return render(
        request,
        "evaluation/indicators/measurement_review.html",
        {"indicator": indicator, "measurement": measurement, "form": ReturnForm()},
    )


def _review(request: HttpRequest, measurement: Measurement) -> HttpResponse:
    user, decision = request.user, request.POST.get("decision")
    if decision == "validate":
        done = service_call(
            request,
            lambda: services.measurement_validate(measurement=measurement, by=user),
            _("Measurement validated: its colour is final."),
        )
    elif decision == "return":
        form = ReturnForm(request.POST)
        form.is_valid()
        done = service_call(
            request,
            lambda: services.measurement_return(
                measurement=measurement,
                observations=form.cleaned_data.get("observations", ""),
                by=user,
            ),
            _("Measurement returned to the reporting organization with your observations."),
        )
    else:
        return HttpResponse(status=400)
    if done:
        return redirect("evaluation:indicator_detail", pk=measurement.indicator_id)
    return redirect("evaluation:measurement_review", pk=measurement.pk)


@require_safe
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(
        Evidence.objects.select_related("measurement__indicator__reporter"), pk=pk
    )
    if not permissions.can_see_indicator(request.user, evidence.measurement.indicator):
        raise Http404
    # Only the last part of the name the browser sent, whatever the separators in it.
    name = PurePath(evidence.name.replace("\\", "/")).name or _("evidence")
    return file_response(evidence.file, filename=name, content_type=evidence.content_type or None)
