"""Public pages (marked `login_not_required`): agreements, the body in charge, sessions."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from committees import selectors
from committees.models import (
    AgendaItem,
    Agreement,
    Attendance,
    Designation,
    Member,
    Minutes,
    Session,
    Vote,
)
from committees.views.common import PAGE_SIZE, agreement_context, pdf_response
from pmot.core.downloads import file_response
from pmot.core.history import last_changed
from pmot.core.public_cache import public_page


@require_safe
@login_not_required
@public_page
def public_agreements(request: HttpRequest) -> HttpResponse:
    """Agreements with their key and status: what the transparency law asks to publish."""
    agreements = selectors.agreements_list()
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/public/agreement_list.html",
        {
            "page": page,
            "in_charge": selectors.body_in_charge(),
            "updated": last_changed(Agreement.objects.all()),
        },
    )


@require_safe
@login_not_required
@public_page
def public_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """One agreement, its vote member by member and the attendance of its session."""
    agreement = (
        Agreement.objects.select_related("body", "responsible", "item__session", "item__vote")
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404
    context = agreement_context(agreement)
    context["attendance"] = selectors.attendance_of(agreement.item.session)
    # The session's public page and, once approved, its minutes (never a draft).
    session = selectors.public_session(agreement.item.session_id)
    minutes = getattr(session, "minutes", None)
    context["session"] = session
    context["minutes"] = minutes if minutes is not None and minutes.locked else None
    context["updated"] = last_changed(
        Agreement.objects.filter(pk=agreement.pk),
        Session.objects.filter(pk=agreement.item.session_id),
    )
    return render(request, "committees/public/agreement_detail.html", context)


@require_safe
@login_not_required
@public_page
def public_body(request: HttpRequest) -> HttpResponse:
    """The body in charge of the PMOT and its members: names, roles and sectors only."""
    in_charge = selectors.body_in_charge()
    members = list(selectors.members_of(in_charge.body)) if in_charge else []
    return render(
        request,
        "committees/public/body.html",
        {
            "in_charge": in_charge,
            "members": members,
            "composition": selectors.gender_composition(members),
            "designations": selectors.designations(),
            "updated": last_changed(Member.objects.all(), Designation.objects.all()),
        },
    )


@require_safe
@login_not_required
def public_minutes_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """Approved minutes only: a draft never reaches a public page."""
    minutes = get_object_or_404(Minutes, pk=pk, status=Minutes.Status.APPROVED)
    return pdf_response(minutes.pdf)


@require_safe
@login_not_required
@public_page
def public_sessions(request: HttpRequest) -> HttpResponse:
    """Sessions once their notice is out: upcoming ones with their agenda (postponed ones
    with both dates), the one in progress, then those held or cancelled with their minutes."""
    past = Paginator(selectors.public_past_sessions(), PAGE_SIZE)
    page = past.get_page(request.GET.get("page"))
    return render(
        request,
        "committees/public/session_list.html",
        {
            "upcoming": selectors.public_upcoming_sessions() if page.number == 1 else [],
            "page": page,
            "updated": last_changed(Session.objects.all()),
        },
    )


@require_safe
@login_not_required
@public_page
def public_session(request: HttpRequest, pk: int) -> HttpResponse:
    """One announced session: its agenda, attendance, votes, agreements and approved minutes."""
    session = selectors.public_session(pk)
    if session is None:
        raise Http404
    minutes = getattr(session, "minutes", None)
    return render(
        request,
        "committees/public/session_detail.html",
        {
            "session": session,
            "items": selectors.public_agenda(session),
            "attendance": selectors.public_attendance(session),
            "minutes": minutes if minutes is not None and minutes.locked else None,
            "updated": last_changed(
                Session.objects.filter(pk=session.pk),
                AgendaItem.objects.filter(session=session),
                Vote.objects.filter(item__session=session),
                Attendance.objects.filter(session=session),
            ),
        },
    )


@require_safe
@login_not_required
def public_agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    """The scanned signed document of a historical agreement: a public record as the
    agreement itself is."""
    agreement = get_object_or_404(Agreement.objects.exclude(scanned_document=""), pk=pk)
    return file_response(agreement.scanned_document)
