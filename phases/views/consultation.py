"""Pages of the public consultation: the staff's (the consultation, its hearings, comments,
rulings), and the public's (`login_not_required`): the open consultation, the comment form,
the receipt, following a comment by folio and the published answers."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from phases.forms.consultation import (
    ConsultationForm,
    FollowForm,
    HearingForm,
    MinutesForm,
    PublicCommentForm,
    RecordForm,
    RulingForm,
)
from phases.models import Comment, Consultation, Hearing, Ruling
from phases.services import consultation as services
from pmot.core.downloads import file_response
from pmot.core.feedback import service_call
from pmot.core.history import Source, last_changed
from pmot.core.network import client_ip
from pmot.core.permissions import get_object_for_change, get_object_for_view, require_perm
from pmot.core.public_cache import public_page
from pmot.core.views import history_page
from pmot.planning.models import Program

PAGE_SIZE = 50
RECEIPT_SALT = "phases.consultation.receipt"
RECEIPT_MAX_AGE = 60 * 60 * 24 * 7  # a week to come back to one's receipt

# The filter of the comment list: ?estado=…
STATES = {
    "pendientes": Q(ruling=""),
    "sin-respuesta": Q(ruling__in=Ruling.needing_answer(), answer=""),
    **{ruling.value: Q(ruling=ruling.value) for ruling in Ruling},
}


def _counts(consultation: Consultation) -> dict:
    """Comments by ruling, pending and unanswered, in one query; `by_ruling` as (label, count)
    in the order of the rulings."""
    counts = consultation.comments.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=STATES["pendientes"]),
        unanswered=Count("pk", filter=STATES["sin-respuesta"]),
        **{ruling.value: Count("pk", filter=Q(ruling=ruling.value)) for ruling in Ruling},
    )
    counts["by_ruling"] = [(ruling.label, counts[ruling.value]) for ruling in Ruling]
    return counts


# --- Staff pages -------------------------------------------------------------------------------


@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "phases.view_consultation")
    consultations = Consultation.objects.select_related("program", "agreement").annotate(
        comment_count=Count("comments", distinct=True),
        pending_count=Count("comments", filter=Q(comments__ruling=""), distinct=True),
    )
    return render(
        request,
        "phases/consultation/list.html",
        {
            "consultations": consultations,
            "can_add": request.user.has_perm("phases.add_consultation"),
        },
    )


@require_safe
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_for_view(
        request.user, Consultation.objects.select_related("program", "agreement"), pk=pk
    )
    state = request.GET.get("estado", "")
    comments = consultation.comments.select_related("unit", "hearing").order_by("received_at", "pk")
    if state in STATES:
        comments = comments.filter(STATES[state])
    user = request.user
    can_change = user.has_perm("phases.change_consultation")
    return render(
        request,
        "phases/consultation/detail.html",
        {
            "consultation": consultation,
            "stage": consultation.stage(),
            "hearings": consultation.hearings.all(),
            "documents": consultation.documents.order_by("title"),
            "page": Paginator(comments, PAGE_SIZE).get_page(request.GET.get("page")),
            "counts": _counts(consultation),
            "rulings": Ruling.choices,
            "state": state if state in STATES else "",
            "show_contact": user.has_perm("phases.change_comment"),
            "can_change": can_change and consultation.closed_at is None,
            "can_add_hearing": user.has_perm("phases.add_hearing")
            and consultation.closed_at is None,
            "can_change_hearing": user.has_perm("phases.change_hearing")
            and consultation.closed_at is None,
            "can_record": user.has_perm("phases.add_comment") and consultation.closed_at is None,
            "can_publish": can_change
            and consultation.closed_at is not None
            and consultation.answers_published_at is None,
        },
    )


@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "phases.add_consultation")
    program = Program.objects.order_by("pk").first()
    if program is None:
        raise Http404
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = None

        def create():
            nonlocal created
            created = services.consultation_create(program=program, **form.cleaned_data)

        if service_call(request, create, _("Public consultation created.")):
            return redirect("phases:consultation_detail", pk=created.pk)
    return _form_page(
        request,
        form,
        title=_("New public consultation"),
        cancel=_url("phases:consultation_list"),
        lead=program.name,
    )


@require_http_methods(["GET", "POST"])
def hearing_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_for_change(
        request.user, Consultation.objects.all(), action="phases.add_hearing", pk=pk
    )
    form = HearingForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(
            request,
            lambda: services.hearing_add(consultation=consultation, **form.cleaned_data),
            _("Public hearing added."),
        )
    ):
        return redirect("phases:consultation_detail", pk=consultation.pk)
    return _form_page(
        request,
        form,
        title=_("New public hearing"),
        cancel=_url("phases:consultation_detail", consultation.pk),
        lead=consultation.title,
    )


@require_http_methods(["GET", "POST"])
def hearing_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = get_object_for_change(
        request.user, Hearing.objects.select_related("consultation"), pk=pk
    )
    form = MinutesForm(request.POST or None, initial={"minutes": hearing.minutes})
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(
            request,
            lambda: services.hearing_minutes(hearing=hearing, **form.cleaned_data),
            _("Minutes of the hearing saved."),
        )
    ):
        return redirect("phases:consultation_detail", pk=hearing.consultation_id)
    return _form_page(
        request,
        form,
        title=_("Minutes of the hearing"),
        cancel=_url("phases:consultation_detail", hearing.consultation_id),
        lead=str(hearing),
    )


@require_http_methods(["GET", "POST"])
def comment_record(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_for_change(
        request.user, Consultation.objects.all(), action="phases.add_comment", pk=pk
    )
    form = RecordForm(request.POST or None, request.FILES or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        recorded = None

        def record():
            nonlocal recorded
            recorded = services.comment_record(consultation=consultation, **form.cleaned_data)

        if service_call(request, record, _("Comment recorded.")):
            messages.info(
                request,
                _("Folio: %(folio)s · follow-up code: %(code)s (give both to the person)")
                % {"folio": recorded.folio, "code": recorded.receipt_code_display},
            )
            return redirect("phases:consultation_detail", pk=consultation.pk)
    return _form_page(
        request,
        form,
        title=_("Record a comment received on paper or at a hearing"),
        cancel=_url("phases:consultation_detail", consultation.pk),
        lead=consultation.title,
        multipart=True,
    )


@require_http_methods(["GET", "POST"])
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment and, for those who may, the form to rule on it and answer it."""
    comment = get_object_for_view(
        request.user,
        Comment.objects.select_related("consultation", "unit", "hearing", "ruled_by"),
        pk=pk,
    )
    may_rule = (
        request.user.has_perm("phases.change_comment") and comment.consultation.closed_at is None
    )
    form = None
    if may_rule:
        form = RulingForm(
            request.POST or None, initial={"ruling": comment.ruling, "answer": comment.answer}
        )
    if request.method == "POST":
        comment = get_object_for_change(request.user, Comment.objects.all(), pk=pk)
        if form is None:
            messages.error(request, _("The consultation is closed."))
            return redirect("phases:consultation_comment", pk=pk)
        if form.is_valid() and service_call(
            request,
            lambda: services.comment_rule(comment=comment, by=request.user, **form.cleaned_data),
            _("Ruling saved."),
        ):
            return redirect("phases:consultation_detail", pk=comment.consultation_id)
    return render(
        request,
        "phases/consultation/comment_detail.html",
        {
            "comment": comment,
            "form": form,
            "show_contact": request.user.has_perm("phases.change_comment"),
        },
    )


@require_safe
def comment_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The attachment of a comment, for staff only; never public, always as a download with
    the type its content was checked against."""
    comment = get_object_for_view(request.user, Comment.objects.all(), pk=pk)
    return file_response(
        comment.attachment,
        filename=comment.attachment_name,
        content_type=comment.attachment_type or "application/octet-stream",
        private=True,
    )


@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_for_change(request.user, Consultation.objects.all(), pk=pk)
    service_call(
        request,
        lambda: services.consultation_close(consultation=consultation),
        _("Consultation closed. Publish its answers before the program is voted."),
    )
    return redirect("phases:consultation_detail", pk=pk)


@require_POST
def answers_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_for_change(request.user, Consultation.objects.all(), pk=pk)
    service_call(
        request,
        lambda: services.answers_publish(consultation=consultation),
        _("Answers published on the public page."),
    )
    return redirect("phases:consultation_detail", pk=pk)


def _url(name, *args):
    return reverse(name, args=args)


def _form_page(request, form, *, title, cancel, lead="", multipart=False):
    return render(
        request,
        "phases/consultation/form.html",
        {"form": form, "title": title, "cancel": cancel, "lead": lead, "multipart": multipart},
    )


# --- Public pages ------------------------------------------------------------------------------


def _public_consultation() -> Consultation | None:
    """What the public page shows: the consultation not yet closed, else the latest one."""
    consultations = Consultation.objects.select_related("agreement")
    return (
        consultations.filter(closed_at__isnull=True).order_by("-opens_on", "-pk").first()
        or consultations.order_by("-opens_on", "-pk").first()
    )


@require_safe
@login_not_required
@public_page
def public_consultation(request: HttpRequest) -> HttpResponse:
    consultation = _public_consultation()
    context = {
        "consultation": consultation,
        "follow_form": FollowForm(),
        "updated": last_changed(Consultation.objects.all()),
    }
    if consultation is not None:
        context |= {
            "stage": consultation.stage(),
            "hearings": consultation.hearings.all(),
            "documents": consultation.documents.published()
            .prefetch_related("files")
            .order_by("title"),
            "max_chars": settings.PMOT_COMMENT_MAX_CHARS,
        }
    return render(request, "phases/consultation/public/consultation.html", context)


@require_http_methods(["GET", "POST"])
@login_not_required
def public_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The comment form. A robot that fills the honeypot, or a connection over the hourly
    limit, saves nothing and is told so in plain words."""
    consultation = get_object_or_404(Consultation, pk=pk)
    if not consultation.receives_comments():
        return render(
            request,
            "phases/consultation/public/comment_form.html",
            {"consultation": consultation, "form": None},
        )
    form = PublicCommentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_robot:
            messages.error(
                request,
                _(
                    "Your comment could not be received. Leave empty the field marked to leave "
                    "empty, and send it again."
                ),
            )
            status = 400
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                comment = services.comment_submit(
                    consultation=consultation, address=client_ip(request), **data
                )
            except ValidationError as error:
                status = 429 if error.code == "rate_limited" else 400
                message = (
                    _(
                        "You have sent too many comments in the last hour. Please wait a while "
                        "and try again; nothing was saved."
                    )
                    if error.code == "rate_limited"
                    else " ".join(error.messages)
                )
                messages.error(request, message)
            else:
                token = signing.dumps(comment.folio, salt=RECEIPT_SALT)
                return redirect("phases:consultation_public_receipt", token=token)
        else:
            status = 400
    return render(
        request,
        "phases/consultation/public/comment_form.html",
        {"consultation": consultation, "form": form},
        status=status,
    )


@require_safe
@login_not_required
def public_receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt of one's own comment: the link is signed, so a folio alone does not open it
    (only the sender sees their name and text before the answers are published)."""
    try:
        folio = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    comment = get_object_or_404(Comment.objects.select_related("consultation", "unit"), folio=folio)
    response = render(request, "phases/consultation/public/receipt.html", {"comment": comment})
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_not_required
def public_follow(request: HttpRequest) -> HttpResponse:
    """Follow a comment by its folio and follow-up code: when it was received and its topic;
    its ruling and answer once the answers are published. A wrong folio and a wrong code get
    the same answer; too many look-ups from one connection get a 429."""
    form = FollowForm(request.GET or None)
    comment = None
    searched = False
    status = 200
    if form.is_valid():
        try:
            comment = services.comment_follow(
                folio=form.cleaned_data["folio"],
                code=form.cleaned_data["codigo"],
                address=client_ip(request),
            )
        except ValidationError:
            status = 429
            messages.error(
                request,
                _(
                    "Too many look-ups were made from your connection in the last hour. "
                    "Please wait a while and try again."
                ),
            )
        else:
            searched = True
            status = 200 if comment is not None else 404
    response = render(
        request,
        "phases/consultation/public/follow.html",
        {"form": form, "comment": comment, "searched": searched},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_not_required
@public_page
def public_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Every comment with its ruling and answer, once published: never the name, the contact,
    the address or the attachment."""
    consultation = get_object_or_404(Consultation, pk=pk, answers_published_at__isnull=False)
    counts = _counts(consultation)
    comments = (
        consultation.comments.select_related("unit")
        .only(
            "folio",
            "topic",
            "text",
            "ruling",
            "answer",
            "received_at",
            "consultation_id",
            "unit",
            "unit__key",
            "unit__name",
        )
        .order_by("received_at", "pk")
    )
    return render(
        request,
        "phases/consultation/public/answers.html",
        {
            "consultation": consultation,
            "page": Paginator(comments, PAGE_SIZE).get_page(request.GET.get("page")),
            "counts": counts,
            "by_ruling": counts["by_ruling"],
            "updated": last_changed(
                Consultation.objects.filter(pk=consultation.pk), consultation.comments.all()
            ),
        },
    )


@require_safe
def consultation_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation and its hearings (each comment has a page of its own)."""
    consultation = get_object_for_view(request.user, Consultation.objects.all(), pk=pk)
    return history_page(
        request,
        record=consultation,
        dependents=[
            Source(Hearing.history.filter(consultation_id=consultation.pk), lambda row: row.place)
        ],
        back_url=reverse("phases:consultation_detail", args=[consultation.pk]),
    )
