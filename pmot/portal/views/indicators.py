"""The public pages of the evaluation subsystem: the indicators with their traffic light now,
an indicator's technical sheet with its chart, the evaluations by program year, an evaluation
with its recommendations, and the published PDFs (the program and each report).

What is public comes from pmot/portal/selectors/indicators.py (built on published.py): only
validated measurements of published indicators, only published evaluations and programs.
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from evaluation import charts, selectors
from evaluation.lights import Colour
from evaluation.models import Indicator
from pmot.core.downloads import file_response
from pmot.core.history import last_changed
from pmot.core.public_cache import public_page
from pmot.portal.selectors import indicators as public
from pmot.portal.selectors import published

ROWS_PER_PAGE = 50


class IndicatorFilters(forms.Form):
    """The list's GET filters, with Spanish names for the address (only this page uses it)."""

    color = forms.ChoiceField(
        label=gettext_lazy("Traffic light"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Colour.choices],
    )
    eje = forms.ChoiceField(label=gettext_lazy("Axis"), required=False)
    tipo = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Indicator.Kind.choices],
    )

    def __init__(self, *args, axes: list[public.Group], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(g.key, f"{g.label} · {g.detail}" if g.detail else g.label) for g in axes]
        self.fields["eje"].choices = [("", _("All")), *choices]

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"colour": "", "axis": "", "kind": ""}
        data = self.cleaned_data
        return {"colour": data["color"], "axis": data["eje"], "kind": data["tipo"]}


@require_safe
@login_not_required
@public_page(params=("color", "eje", "tipo"))
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Published indicators with their light now, counted by colour and by axis."""
    board = public.indicator_board(timezone.localdate())
    form = IndicatorFilters(request.GET or None, axes=board.axes)
    chosen = form.values()
    # The counts follow the axis and type chosen; each colour's count links to its list.
    selection = board.filtered(axis=chosen["axis"], kind=chosen["kind"])
    total, by_axis = public.counted(selection, board.axes)
    rows = board.filtered(**chosen)
    return render(
        request,
        "portal/public/indicators/indicator_list.html",
        {
            "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("pagina")),
            "form": form,
            "filtered": any(chosen.values()),
            "chosen_colour": chosen["colour"],
            "total": total,
            "tally": [(Colour(c), total.counts[c]) for c in charts.COLOURS if total.counts[c]],
            "colours": [Colour(c) for c in charts.COLOURS],
            "by_axis": by_axis,
            "chart": charts.stacked_chart(
                "ejes", _("Indicators by axis"), [(g.label, g.counts) for g in by_axis]
            ),
            "updated": last_changed(
                published.indicators(), published.measurements(), public.targets()
            ),
        },
    )


@require_safe
@login_not_required
@public_page
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public technical sheet, and its validated series inside the light's bands."""
    indicator = public.indicator_sheet(pk)
    series = selectors.series(indicator, timezone.localdate())
    return render(
        request,
        "portal/public/indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "light": selectors.current_light(series),
            "bands": indicator.bands,
            "chart": charts.series_chart(indicator, series),
            "updated": last_changed(
                published.indicators().filter(pk=pk),
                published.measurements().filter(indicator=pk),
                public.targets().filter(indicator=pk),
            ),
        },
    )


@require_safe
@login_not_required
@public_page
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """Published evaluations by program year, with their recommendations by status."""
    recommendations = published.recommendations()
    counts, total, overdue = public.recommendation_summary(recommendations, timezone.localdate())
    return render(
        request,
        "portal/public/indicators/evaluation_list.html",
        {
            "years": public.evaluation_years(),
            "counts": counts,
            "total": total,
            "overdue": overdue,
            "updated": last_changed(
                published.evaluation_programs(), published.evaluations(), recommendations
            ),
        },
    )


@require_safe
@login_not_required
@public_page
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published evaluation: its findings, its report, and its recommendations' progress."""
    evaluation = public.evaluation_detail(pk)
    today = timezone.localdate()
    recommendations = list(evaluation.recommendations.all())
    for recommendation in recommendations:
        recommendation.is_overdue = recommendation.overdue(today)
    counts, _total, overdue = public.summary_of(recommendations, today)
    return render(
        request,
        "portal/public/indicators/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "recommendations": recommendations,
            "counts": counts,
            "overdue": overdue,
            "updated": last_changed(
                published.evaluations().filter(pk=pk),
                published.recommendations().filter(evaluation=pk),
                public.followups().filter(recommendation__evaluation=pk),
            ),
        },
    )


@require_safe
@login_not_required
@public_page
def evaluation_report(request: HttpRequest, pk: int) -> FileResponse:
    """A published evaluation's report (a checked PDF: evaluation/services/evaluations.py)."""
    evaluation = get_object_or_404(published.evaluations(), pk=pk)
    return _pdf(evaluation.report, f"informe-evaluacion-{evaluation.pk}.pdf")


@require_safe
@login_not_required
@public_page
def program_document(request: HttpRequest, year: int) -> FileResponse:
    """A published evaluation program's document, at a stable address per year."""
    program = get_object_or_404(published.evaluation_programs(), year=year)
    return _pdf(program.document, f"programa-anual-de-evaluacion-{program.year}.pdf")


def _pdf(document, name: str) -> FileResponse:
    """Shown in the browser; the streamed file is never kept in the pages' cache."""
    return file_response(document, filename=name, content_type="application/pdf", inline=True)
