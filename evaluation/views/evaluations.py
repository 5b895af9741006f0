"""Pages of the annual evaluation program: the program by year with its evaluations, each
evaluation with what it evaluates, its report and recommendations, and each recommendation with
its follow-up to closure and the agreements that act on it. Every write goes through
evaluation/services/evaluations.py; who may follow up comes from evaluation/permissions."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evaluation import permissions
from evaluation.forms.evaluations import (
    EvaluationForm,
    FollowUpForm,
    ProgramForm,
    RecommendationFilters,
    RecommendationForm,
)
from evaluation.models import Evaluation, EvaluationProgram, FollowUp, Recommendation
from evaluation.selectors.evaluations import agreements_about
from evaluation.services import evaluations as services
from pmot.core.downloads import file_response
from pmot.core.permissions import get_object_for_change, get_object_for_view, require_perm

ROWS_PER_PAGE = 50
OPEN = Recommendation.Status.open()


# --- The program by year -------------------------------------------------------------------


@require_safe
def evaluation_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "evaluation.view_evaluation")
    today = timezone.localdate()
    years = list(EvaluationProgram.objects.values_list("year", flat=True))
    year = request.GET.get("anio", "")
    year = int(year) if year.isdigit() else (today.year if today.year in years else None)
    if year is None and years:
        year = years[0]
    program = EvaluationProgram.objects.filter(year=year).first()
    evaluations = []
    if program is not None:
        evaluations = list(
            program.evaluations.select_related("source").annotate(
                open_count=Count("recommendations", filter=Q(recommendations__status__in=OPEN)),
                overdue_count=Count(
                    "recommendations",
                    filter=Q(recommendations__status__in=OPEN, recommendations__due__lt=today),
                ),
            )
        )
    user = request.user
    return render(
        request,
        "evaluation/evaluations/evaluation_list.html",
        {
            "years": years,
            "year": year,
            "program": program,
            "evaluations": evaluations,
            "total_cost": sum(evaluation.cost for evaluation in evaluations),
            "can_add_program": user.has_perm("evaluation.add_evaluationprogram"),
            "can_change_program": user.has_perm("evaluation.change_evaluationprogram"),
            "can_add_evaluation": user.has_perm("evaluation.add_evaluation"),
        },
    )


@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "evaluation.add_evaluationprogram")
    return _program_form(request, None)


@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_for_change(request.user, EvaluationProgram.objects.all(), pk=pk)
    return _program_form(request, program)


def _program_form(request: HttpRequest, program: EvaluationProgram | None) -> HttpResponse:
    posted = request.method == "POST"
    form = ProgramForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=ProgramForm.initial_for(program) if program else None,
    )
    if posted and form.is_valid():
        try:
            saved = services.program_save(program=program, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Evaluation program saved."))
            return redirect(f"{reverse('evaluation:evaluation_list')}?anio={saved.year}")
    return render(
        request,
        "evaluation/evaluations/program_form.html",
        {"program": program, "form": form},
        status=400 if posted else 200,
    )


@require_safe
def program_document(request: HttpRequest, pk: int) -> FileResponse:
    program = get_object_for_view(request.user, EvaluationProgram.objects.all(), pk=pk)
    return file_response(
        program.document, filename=f"programa-anual-de-evaluacion-{program.year}.pdf"
    )


# --- Evaluations ---------------------------------------------------------------------------


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    return get_object_for_view(
        request.user, Evaluation.objects.select_related("program", "source"), pk=pk
    )


@require_safe
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _evaluation_page(request, _evaluation(request, pk))


def _evaluation_page(
    request: HttpRequest, evaluation: Evaluation, form: RecommendationForm | None = None
) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    followups = FollowUp.objects.select_related("by").order_by("at", "pk")
    recommendations = list(
        evaluation.recommendations.select_related("responsible").prefetch_related(
            Prefetch("followups", queryset=followups)
        )
    )
    for recommendation in recommendations:
        recommendation.is_overdue = recommendation.overdue(today)
    agreements = agreements_about(
        {Evaluation: [evaluation.pk], Recommendation: [r.pk for r in recommendations]}
    )
    numbers = {r.pk: r.number for r in recommendations}
    agreements = list(agreements)
    for agreement in agreements:
        is_recommendation = agreement.item.subject_type_id != _type_id(Evaluation)
        agreement.on_number = numbers.get(agreement.item.subject_id) if is_recommendation else None
    can_add = user.has_perm("evaluation.add_recommendation")
    return render(
        request,
        "evaluation/evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "elements": evaluation.elements.select_related("plan").order_by("plan__order", "key"),
            "actions": evaluation.actions.select_related("poa").order_by(
                "-poa__fiscal_year", "key"
            ),
            "recommendations": recommendations,
            "agreements": agreements,
            "can_edit": user.has_perm("evaluation.change_evaluation"),
            "form": form or (RecommendationForm() if can_add else None),
        },
        status=400 if form is not None else 200,
    )


def _type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "evaluation.add_evaluation")
    return _evaluation_form(request, None)


@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_for_change(
        request.user, Evaluation.objects.select_related("program"), pk=pk
    )
    return _evaluation_form(request, evaluation)


def _evaluation_form(request: HttpRequest, evaluation: Evaluation | None) -> HttpResponse:
    posted = request.method == "POST"
    if evaluation is not None:
        initial = EvaluationForm.initial_for(evaluation)
    else:
        program = EvaluationProgram.objects.filter(pk=_int(request.GET.get("programa"))).first()
        initial = {"program": program} if program else None
    form = EvaluationForm(
        request.POST if posted else None, request.FILES if posted else None, initial=initial
    )
    if posted and form.is_valid():
        try:
            saved = services.evaluation_save(evaluation=evaluation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Evaluation saved."))
            return redirect("evaluation:evaluation_detail", pk=saved.pk)
    return render(
        request,
        "evaluation/evaluations/evaluation_form.html",
        {"evaluation": evaluation, "form": form},
        status=400 if posted else 200,
    )


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@require_safe
def evaluation_report(request: HttpRequest, pk: int) -> FileResponse:
    evaluation = _evaluation(request, pk)
    return file_response(evaluation.report, filename=f"informe-evaluacion-{evaluation.pk}.pdf")


# --- Recommendations -----------------------------------------------------------------------


@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    require_perm(request.user, "evaluation.add_recommendation")
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            recommendation = services.recommendation_add(evaluation=evaluation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Recommendation %(number)s added.") % {"number": recommendation.number},
            )
            return redirect("evaluation:evaluation_detail", pk=evaluation.pk)
    return _evaluation_page(request, evaluation, form)


def _recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_for_view(
        request.user,
        Recommendation.objects.select_related("evaluation__program", "responsible"),
        pk=pk,
    )


@require_safe
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _recommendation_page(request, _recommendation(request, pk))


def _recommendation_page(
    request: HttpRequest, recommendation: Recommendation, form: FollowUpForm | None = None
) -> HttpResponse:
    may_follow = (
        permissions.can_follow_up(request.user, recommendation) and recommendation.status in OPEN
    )
    return render(
        request,
        "evaluation/evaluations/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "evaluation": recommendation.evaluation,
            "overdue": recommendation.overdue(timezone.localdate()),
            "followups": recommendation.followups.select_related("by").order_by("at", "pk"),
            "agreements": agreements_about({Recommendation: [recommendation.pk]}),
            "form": form or (FollowUpForm() if may_follow else None),
        },
        status=400 if form is not None else 200,
    )


@require_POST
def recommendation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    if not permissions.can_follow_up(request.user, recommendation):
        raise PermissionDenied
    form = FollowUpForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.recommendation_follow_up(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("evaluation:recommendation_detail", pk=recommendation.pk)
    return _recommendation_page(request, recommendation, form)


@require_safe
def recommendation_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "evaluation.view_recommendation")
    today = timezone.localdate()
    filters = RecommendationFilters(request.GET or None)
    recommendations = Recommendation.objects.select_related(
        "evaluation__program", "responsible"
    ).order_by("due", "evaluation_id", "number")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["estado"]:
            recommendations = recommendations.filter(status=data["estado"])
        if data["responsable"]:
            recommendations = recommendations.filter(responsible=data["responsable"])
        if data["vencidas"]:
            recommendations = recommendations.overdue(today)
    page = Paginator(recommendations, ROWS_PER_PAGE).get_page(request.GET.get("pagina"))
    for recommendation in page:
        recommendation.is_overdue = recommendation.overdue(today)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "evaluation/evaluations/recommendation_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(value for name, value in request.GET.items() if name != "pagina"),
        },
    )


@require_safe
def followup_evidence(request: HttpRequest, pk: int) -> FileResponse:
    followup = get_object_for_view(request.user, FollowUp.objects.all(), pk=pk)
    return file_response(followup.evidence, filename=followup.evidence_name or "evidencia")
