"""Pages of collegiate bodies: staff pages, the secretary's conduct of a session, the members'
online vote, and the public pages (marked `login_not_required`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from committees import hooks, selectors, services
from committees.forms import (
    AgreementFollowUpForm,
    AttendanceForm,
    BallotForm,
    CorrectionForm,
    DocumentForm,
    FollowUpForm,
    ItemForm,
    MinutesForm,
    SessionForm,
    VoteCloseForm,
    VoteOpenForm,
    WithdrawalForm,
)
from committees.models import (
    AgendaItem,
    Agreement,
    Body,
    Designation,
    FollowUp,
    ItemDocument,
    Member,
    Minutes,
    Session,
    Vote,
)
from committees.tasks import render_certificate
from pmot.core.feedback import service_call
from pmot.core.history import last_changed
from pmot.core.models import Job
from pmot.core.permissions import get_object_for_view, require_perm, user_can
from pmot.core.public_cache import public_page

PAGE_SIZE = 25


def _require_conduct(user, body: Body) -> None:
    """The secretary of the Ayuntamiento conducts every body; a technical secretary, theirs."""
    if not user_can(user, "committees.conduct_body", body):
        raise PermissionDenied


# --- Bodies -----------------------------------------------------------------------------------


@require_safe
def body_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "committees.view_body")
    return render(
        request,
        "committees/body_list.html",
        {
            "bodies": Body.objects.filter(is_active=True).select_related("parent"),
            "in_charge": selectors.body_in_charge(),
            "designations": selectors.designations(),
            "updated": last_changed(Member.objects.all(), Designation.objects.all()),
        },
    )


@require_safe
def body_detail(request: HttpRequest, key: str) -> HttpResponse:
    body = get_object_for_view(request.user, Body.objects.all(), key=key)
    members = list(selectors.members_of(body))
    return render(
        request,
        "committees/body_detail.html",
        {
            "body": body,
            "members": members,
            "composition": selectors.gender_composition(members),
            "sessions": selectors.sessions_list(body=body)[:10],
            "can_conduct": user_can(request.user, "committees.conduct_body", body),
        },
    )


# --- Sessions ---------------------------------------------------------------------------------


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
        },
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, key: str) -> HttpResponse:
    body = get_object_for_view(request.user, Body.objects.all(), key=key)
    _require_conduct(request.user, body)
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


def _conducted_item(request, pk) -> AgendaItem:
    item = get_object_for_view(
        request.user, AgendaItem.objects.select_related("session__body"), pk=pk
    )
    _require_conduct(request.user, item.session.body)
    return item


def _conducted_session(request, pk) -> Session:
    session = get_object_for_view(request.user, Session.objects.select_related("body"), pk=pk)
    _require_conduct(request.user, session.body)
    return session


@require_POST
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = _conducted_session(request, pk)
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
    item = _conducted_item(request, pk)
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
    session = _conducted_session(request, pk)
    service_call(request, lambda: services.session_convene(session=session), _("Notice issued."))
    return redirect("committees:session_detail", pk=session.pk)


@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _conducted_session(request, pk)
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
    session = _conducted_session(request, pk)
    if request.method == "POST":
        service_call(request, lambda: services.session_close(session=session), _("Session closed."))
        return redirect("committees:session_detail", pk=session.pk)
    items = session.items.select_related("vote", "agreement").order_by("number")
    return render(
        request,
        "committees/session_close.html",
        {"session": session, "items": items},
    )


# --- Votes ------------------------------------------------------------------------------------


@require_POST
def vote_open(request: HttpRequest, pk: int) -> HttpResponse:
    item = _conducted_item(request, pk)
    form = VoteOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the vote is taken."))
        return redirect("committees:session_detail", pk=item.session_id)
    vote = None

    def open_it():
        nonlocal vote
        vote = services.vote_open(item=item, method=form.cleaned_data["method"])

    if service_call(request, open_it, _("Vote opened.")):
        return redirect("committees:vote_detail", pk=vote.pk)
    return redirect("committees:session_detail", pk=item.session_id)


def _vote_context(request, vote: Vote) -> dict:
    body = vote.item.session.body
    seat = selectors.voting_members(vote.item.session).filter(user=request.user).first()
    if seat is not None and not selectors.session_seats(vote.item.session).votes_for_seat(seat):
        seat = None  # an alternate while their titular is present: no ballot to cast
    ballots = list(selectors.ballots_of(vote))
    return {
        "vote": vote,
        "item": vote.item,
        "session": vote.item.session,
        "ballots": ballots,
        "my_ballot": next((b for b in ballots if seat and b.member_id == seat.pk), None),
        "seat": seat,
        "can_conduct": user_can(request.user, "committees.conduct_body", body),
        "ballot_form": BallotForm(),
        "tied": vote.votes_for == vote.against,
    }


def _load_vote(request, pk) -> Vote:
    return get_object_for_view(
        request.user,
        Vote.objects.select_related(
            "item__session__body", "item__session__presiding__user", "item__agreement_type"
        ),
        pk=pk,
    )


@require_safe
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _load_vote(request, pk)
    if not request.htmx:
        return render(request, "committees/vote_detail.html", _vote_context(request, vote))
    # The list of who has voted refreshes itself every few seconds while the vote is open; the
    # first refresh after it closed reloads the page, which shows the count and polls no more.
    if vote.status != Vote.Status.OPEN:
        return HttpResponseClientRefresh()
    return render(request, "committees/_vote_ballots.html", _vote_context(request, vote))


@require_POST
def vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _load_vote(request, pk)
    # Who may vote before what they chose: only a member with a vote of the body votes.
    if not selectors.voting_members(vote.item.session).filter(user=request.user).exists():
        raise PermissionDenied
    form = BallotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose for, against or abstention."))
    else:
        service_call(
            request,
            lambda: services.vote_cast(
                vote=vote, user=request.user, choice=form.cleaned_data["choice"]
            ),
            _("Your vote was recorded."),
        )
    return redirect("committees:vote_detail", pk=vote.pk)


@require_http_methods(["GET", "POST"])
def vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing is irreversible: a page of its own says what the count will do, then closes."""
    vote = _load_vote(request, pk)
    _require_conduct(request.user, vote.item.session.body)
    form = VoteCloseForm(
        request.POST if request.method == "POST" else None, presiding=vote.item.session.presiding
    )
    if request.method == "POST" and form.is_valid():
        casting = form.cleaned_data.get("casting_vote", "")
        agreement = None

        def close_it():
            nonlocal agreement
            agreement = services.vote_close(vote=vote, casting_vote=casting or None)

        if service_call(request, close_it, _("Vote closed.")):
            if agreement is None:
                messages.warning(
                    request,
                    _(
                        "The vote is tied and nobody presides with a casting vote: the item is "
                        "deferred to another session, with no agreement."
                    ),
                )
                return redirect("committees:session_detail", pk=vote.item.session_id)
            return redirect("committees:agreement_detail", pk=agreement.pk)
        return redirect("committees:vote_close", pk=vote.pk)  # the refusal shows there
    return render(
        request,
        "committees/vote_close.html",
        {
            "vote": vote,
            "item": vote.item,
            "session": vote.item.session,
            "form": form,
            "subject": hooks.subject_of(vote.item),
            "still_to_vote": selectors.still_to_vote(vote),
        },
    )


# --- Agreements -------------------------------------------------------------------------------


@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "committees.view_agreement")
    status = request.GET.get("estado", "")
    agreements = selectors.agreements_list(
        status=status if status in Agreement.Status.values else None
    )
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/agreement_list.html",
        {"page": page, "status": status, "statuses": Agreement.Status.choices},
    )


@require_safe
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_for_view(
        request.user,
        Agreement.objects.select_related("body", "responsible", "item__session", "item__vote"),
        pk=pk,
    )
    can_conduct = user_can(request.user, "committees.conduct_body", agreement.body)
    context = (
        _agreement_context(agreement)
        | _certificate_context(agreement)
        | {
            "can_conduct": can_conduct,
            "manage_form": AgreementFollowUpForm(instance=agreement) if can_conduct else None,
            "follow_up_form": FollowUpForm() if can_conduct else None,
            "correction_form": CorrectionForm() if can_conduct else None,
        }
    )
    return render(request, "committees/agreement_detail.html", context)


def _agreement_context(agreement: Agreement) -> dict:
    vote = getattr(agreement.item, "vote", None)
    return {
        "agreement": agreement,
        "vote": vote,
        "ballots": selectors.ballots_of(vote) if vote else [],
        "versions": agreement.versions.select_related("created_by"),
        "follow_ups": agreement.follow_ups.select_related("recorded_by"),
    }


# --- Public pages -----------------------------------------------------------------------------


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
    context = _agreement_context(agreement)
    context["attendance"] = selectors.attendance_of(agreement.item.session)
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


# --- Minutes and certificates -----------------------------------------------------------------


@require_POST
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = _conducted_session(request, pk)
    minutes = None

    def draft():
        nonlocal minutes
        minutes = services.minutes_draft(session=session)

    if service_call(request, draft, _("Minutes drafted from the session's records.")):
        return redirect("committees:minutes_detail", pk=minutes.pk)
    return redirect("committees:session_detail", pk=session.pk)


@require_http_methods(["GET", "POST"])
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_for_view(
        request.user, Minutes.objects.select_related("session__body", "approved_by"), pk=pk
    )
    can_conduct = user_can(request.user, "committees.conduct_body", minutes.session.body)
    form = MinutesForm(
        request.POST if request.method == "POST" else None, initial={"text": minutes.text}
    )
    if request.method == "POST":
        if not can_conduct:
            raise PermissionDenied
        if form.is_valid() and service_call(
            request,
            lambda: services.minutes_edit(minutes=minutes, text=form.cleaned_data["text"]),
            _("Draft saved."),
        ):
            return redirect("committees:minutes_detail", pk=minutes.pk)
    template = "committees/_pdf_status.html" if request.htmx else "committees/minutes_detail.html"
    return render(
        request,
        template,
        {
            "minutes": minutes,
            "form": form,
            "can_conduct": can_conduct,
            "document": minutes.pdf,
            "download_url": reverse("committees:minutes_pdf", args=[minutes.pk]),
            "poll_url": reverse("committees:minutes_detail", args=[minutes.pk]),
        },
    )


@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> FileResponse:
    minutes = get_object_for_view(request.user, Minutes.objects.all(), pk=pk)
    return _pdf_response(minutes.pdf)


@require_safe
@login_not_required
def public_minutes_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """Approved minutes only: a draft never reaches a public page."""
    minutes = get_object_or_404(Minutes, pk=pk, status=Minutes.Status.APPROVED)
    return _pdf_response(minutes.pdf)


def _pdf_response(document) -> FileResponse:
    if not document:
        raise Http404
    return FileResponse(document.open("rb"), content_type="application/pdf")


@require_POST
def certificate_request(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_for_view(request.user, Agreement.objects.select_related("body"), pk=pk)
    _require_conduct(request.user, agreement.body)
    with transaction.atomic():
        render_certificate.enqueue(
            agreement_id=agreement.pk, requested_by=request.user, key=f"certificate:{agreement.pk}"
        )
    messages.info(request, _("The certificate is being prepared."))
    return redirect("committees:agreement_detail", pk=agreement.pk)


@require_safe
def certificate_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate's part of the agreement page; htmx asks for it until the file is ready."""
    agreement = get_object_for_view(request.user, Agreement.objects.all(), pk=pk)
    return render(request, "committees/_pdf_status.html", _certificate_context(agreement))


def _certificate_context(agreement: Agreement) -> dict:
    return {
        "document": agreement.certificate,
        "pending": Job.objects.unfinished().filter(key=f"certificate:{agreement.pk}").exists(),
        "download_url": reverse("committees:certificate_pdf", args=[agreement.pk]),
        "poll_url": reverse("committees:certificate_status", args=[agreement.pk]),
    }


@require_safe
def certificate_pdf(request: HttpRequest, pk: int) -> FileResponse:
    agreement = get_object_for_view(request.user, Agreement.objects.all(), pk=pk)
    return _pdf_response(agreement.certificate)


@require_safe
@login_not_required
@public_page
def public_sessions(request: HttpRequest) -> HttpResponse:
    """Sessions held, with their attendance counts and approved minutes."""
    sessions = (
        selectors.sessions_list()
        .filter(status__in=[Session.Status.CLOSED, Session.Status.NO_QUORUM])
        .select_related("minutes")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/public/session_list.html",
        {"page": page, "updated": last_changed(Session.objects.all())},
    )


def _managed_agreement(request, pk) -> Agreement:
    agreement = get_object_for_view(request.user, Agreement.objects.select_related("body"), pk=pk)
    _require_conduct(request.user, agreement.body)
    return agreement


@require_POST
def agreement_manage(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _managed_agreement(request, pk)
    form = AgreementFollowUpForm(request.POST, instance=agreement)
    if form.is_valid():
        service_call(
            request,
            lambda: services.agreement_plan(agreement=agreement, **form.cleaned_data),
            _("Changes saved."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("committees:agreement_detail", pk=agreement.pk)


@require_POST
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _managed_agreement(request, pk)
    form = FollowUpForm(request.POST, request.FILES)
    if form.is_valid():
        service_call(
            request,
            lambda: services.follow_up_add(
                agreement=agreement, by=request.user, **form.cleaned_data
            ),
            _("Follow-up recorded."),
        )
    else:
        messages.error(request, _("Give the progress from 0 to 100 % and a note."))
    return redirect("committees:agreement_detail", pk=agreement.pk)


@require_POST
def agreement_correct(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _managed_agreement(request, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        service_call(
            request,
            lambda: services.agreement_correct(
                agreement=agreement, by=request.user, **form.cleaned_data
            ),
            _("Correction recorded as a new version; the voted text stays."),
        )
    else:
        messages.error(request, _("A correction needs the new text and its reason."))
    return redirect("committees:agreement_detail", pk=agreement.pk)


@require_safe
def follow_up_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are internal records: read through the same permission as the rest."""
    follow_up = get_object_for_view(request.user, FollowUp.objects.all(), pk=pk)
    if not follow_up.evidence:
        raise Http404
    return FileResponse(follow_up.evidence.open("rb"), as_attachment=True)


@require_POST
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document to an agenda item while the agenda is open."""
    item = _conducted_item(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if item.session.status not in (Session.Status.SCHEDULED, Session.Status.CONVENED):
        messages.error(request, _("The agenda is fixed once the session is installed."))
    elif form.is_valid():
        form.instance.item = item
        form.save()
        messages.success(request, _("Document attached."))
    else:
        messages.error(request, _("A document needs a title and a file."))
    return redirect("committees:session_detail", pk=item.session_id)


@require_safe
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_for_view(request.user, ItemDocument.objects.all(), pk=pk)
    return FileResponse(document.file.open("rb"), as_attachment=True)
