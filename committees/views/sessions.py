"""Sessions: scheduling, the agenda and its documents, the notice, attendance, closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from committees import selectors, services
from committees.forms import (
    AttendanceChangeForm,
    AttendanceForm,
    CancelForm,
    DocumentForm,
    ItemForm,
    PostponeForm,
    SessionForm,
    VoteOpenForm,
    WithdrawalForm,
)
from committees.models import (
    Body,
    ItemDocument,
    Session,
)
from committees.views.common import PAGE_SIZE, conducted_item, conducted_session, require_conduct
from pmot.core.downloads import file_response
from pmot.core.feedback import service_call
from pmot.core.permissions import get_object_for_view, require_perm, user_can


@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "committees.view_session")
    sessions = selectors.sessions_list()
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committees/session_list.html", {"page": page})


@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_for_view(
        request.user, Session.objects.select_related("body", "presiding__user"), pk=pk
    )
    can_conduct = user_can(request.user, "committees.conduct_body", session.body)
    items = (
        session.items.select_related("agreement_type", "vote", "agreement")
        .prefetch_related("documents")
        .order_by("number")
    )
    return render(
        request,
        "committees/session_detail.html",
        {
            "session": session,
            "items": items,
            "attendance": selectors.attendance_of(session),
            "can_conduct": can_conduct,
            "item_form": ItemForm(body=session.body) if can_conduct else None,
            "minutes": getattr(session, "minutes", None),
            "open_form": VoteOpenForm() if can_conduct else None,
            "document_form": DocumentForm() if can_conduct else None,
            "notice_deadline": services.notice_deadline(session),
            "withdrawable": ["scheduled", "convened", "installed"],
            "quorum": selectors.quorum_now(session) if session.status == "installed" else None,
            "change_form": AttendanceChangeForm(members=selectors.attendance_members(session))
            if can_conduct and session.status == "installed"
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, key: str) -> HttpResponse:
    body = get_object_for_view(request.user, Body.objects.all(), key=key)
    require_conduct(request.user, body)
    form = SessionForm(request.POST if request.method == "POST" else None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(body=body, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session scheduled. Add its agenda, then convene it."))
            return redirect("committees:session_detail", pk=session.pk)
    return render(request, "committees/session_form.html", {"form": form, "body": body})


@require_POST
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = conducted_session(request, pk)
    form = ItemForm(request.POST, body=session.body)
    if form.is_valid():
        data = form.cleaned_data
        service_call(
            request,
            lambda: services.item_add(
                session=session,
                title=data["title"],
                draft_text=data["draft_text"],
                agreement_type=data["agreement_type"],
                subject=data["subject"],
            ),
            _("Item added to the agenda."),
        )
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("committees:session_detail", pk=session.pk)


@require_http_methods(["GET", "POST"])
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A page of its own that says what withdrawing does, then does it with the reason."""
    item = conducted_item(request, pk)
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if service_call(
            request,
            lambda: services.item_withdraw(item=item, reason=reason),
            _("Item withdrawn from the agenda."),
        ):
            return redirect("committees:session_detail", pk=item.session_id)
    vote = getattr(item, "vote", None)
    return render(
        request,
        "committees/item_withdraw.html",
        {"item": item, "session": item.session, "form": form, "vote": vote},
    )


@require_POST
def session_convene(request: HttpRequest, pk: int) -> HttpResponse:
    session = conducted_session(request, pk)
    service_call(request, lambda: services.session_convene(session=session), _("Notice issued."))
    return redirect("committees:session_detail", pk=session.pk)


@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = conducted_session(request, pk)
    members = selectors.members_of(session.body, on=session.day)
    form = AttendanceForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        present = list(form.cleaned_data["present"])
        presiding = form.cleaned_data["presiding"]
        if service_call(
            request,
            lambda: services.session_install(session=session, present=present, presiding=presiding),
            _("Attendance recorded."),
        ):
            return redirect("committees:session_detail", pk=session.pk)
    return render(request, "committees/session_attendance.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing is irreversible: a page of its own says so, then closes."""
    session = conducted_session(request, pk)
    if request.method == "POST":
        service_call(request, lambda: services.session_close(session=session), _("Session closed."))
        return redirect("committees:session_detail", pk=session.pk)
    items = session.items.select_related("vote", "agreement").order_by("number")
    return render(
        request,
        "committees/session_close.html",
        {"session": session, "items": items},
    )


@require_POST
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document to an agenda item while the agenda is open."""
    item = conducted_item(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        service_call(
            request,
            lambda: services.item_document_add(
                item=item, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
            ),
            _("Document attached."),
        )
    else:
        messages.error(request, _("A document needs a title and a file."))
    return redirect("committees:session_detail", pk=item.session_id)


@require_safe
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_for_view(request.user, ItemDocument.objects.all(), pk=pk)
    return file_response(document.file)


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct date, place or kind while the notice has not gone out."""
    session = conducted_session(request, pk)
    form = SessionForm(
        request.POST if request.method == "POST" else None, instance=session, body=session.body
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in SessionForm.Meta.fields}
        if service_call(
            request,
            lambda: services.session_edit(session=session, **data),
            _("Session updated."),
        ):
            return redirect("committees:session_detail", pk=session.pk)
    return render(
        request,
        "committees/session_form.html",
        {"form": form, "body": session.body, "session": session},
    )


@require_http_methods(["GET", "POST"])
def session_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a convened session to a new date: a new notice goes out at once."""
    session = conducted_session(request, pk)
    form = PostponeForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(
            request,
            lambda: services.session_postpone(session=session, **form.cleaned_data),
            _("Session postponed; a new notice went out with the new date."),
        )
    ):
        return redirect("committees:session_detail", pk=session.pk)
    return render(
        request,
        "committees/session_postpone.html",
        {"form": form, "session": session, "notice_deadline": services.notice_deadline(session)},
    )


@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancelling is irreversible: a page of its own says so, with the reason."""
    session = conducted_session(request, pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(
            request,
            lambda: services.session_cancel(session=session, reason=form.cleaned_data["reason"]),
            _("Session cancelled."),
        )
    ):
        return redirect("committees:session_detail", pk=session.pk)
    return render(request, "committees/session_cancel.html", {"form": form, "session": session})


@require_POST
def attendance_change(request: HttpRequest, pk: int) -> HttpResponse:
    """A late arrival or a departure during the session, with its time."""
    session = conducted_session(request, pk)
    form = AttendanceChangeForm(request.POST, members=selectors.attendance_members(session))
    if form.is_valid():
        member, at = form.cleaned_data["member"], form.cleaned_data["at"]
        if form.cleaned_data["change"] == AttendanceChangeForm.ARRIVE:
            change = services.attendance_arrive
            done = _("Arrival recorded.")
        else:
            change = services.attendance_leave
            done = _("Departure recorded.")
        service_call(request, lambda: change(session=session, member=member, at=at), done)
    else:
        messages.error(request, _("Choose the member and whether they arrive or leave."))
    return redirect("committees:session_detail", pk=session.pk)
