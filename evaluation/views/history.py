"""The "Historial" pages of an indicator, an evaluation and a recommendation
(pmot.core.views.history_page), each loaded with the permission check of its own page."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from evaluation.models import Evidence, FollowUp, Measurement, Target
from evaluation.views.evaluations import _evaluation, _recommendation
from evaluation.views.indicators import _indicator
from pmot.core import formatting
from pmot.core.history import Source
from pmot.core.views import history_page


@require_safe
def indicator_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicator, its targets, its measurements and their evidence."""
    indicator = _indicator(request, pk)
    measurements = Measurement.history.filter(indicator_id=indicator.pk)

    def period(row) -> str:
        return indicator.period(row.year, row.number).label

    return history_page(
        request,
        record=indicator,
        dependents=[
            Source(Target.history.filter(indicator_id=indicator.pk), period),
            Source(measurements, period),
            Source(
                Evidence.history.filter(measurement_id__in=measurements.values("id")),
                lambda row: row.name,
            ),
        ],
        back_url=reverse("evaluation:indicator_detail", args=[indicator.pk]),
    )


@require_safe
def evaluation_history(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    return history_page(
        request,
        record=evaluation,
        back_url=reverse("evaluation:evaluation_detail", args=[evaluation.pk]),
    )


@require_safe
def recommendation_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommendation and its follow-up."""
    recommendation = _recommendation(request, pk)
    return history_page(
        request,
        record=recommendation,
        dependents=[
            Source(
                FollowUp.history.filter(recommendation_id=recommendation.pk),
                lambda row: formatting.date_time(row.at),
            ),
        ],
        back_url=reverse("evaluation:recommendation_detail", args=[recommendation.pk]),
    )
