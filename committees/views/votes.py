"""Votes: opening, the members' online ballots, closing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from committees import hooks, selectors, services
from committees.forms import (
    BallotForm,
    ExcusalForm,
    HandsForm,
    PaperForm,
    RollCallForm,
    VoteCloseForm,
    VoteOpenForm,
)
from committees.models import Member, Vote
from committees.views.common import conducted_item, require_conduct
from pmot.core.feedback import service_call
from pmot.core.permissions import get_object_for_view, user_can


@require_POST
def vote_open(request: HttpRequest, pk: int) -> HttpResponse:
    item = conducted_item(request, pk)
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
    can_conduct = user_can(request.user, "committees.conduct_body", body)
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
        "can_conduct": can_conduct,
        "tied": vote.votes_for == vote.against,
        "excusals": vote.excusals.select_related("member__user"),
    } | (_room_forms(vote) if can_conduct and vote.status == Vote.Status.OPEN else {})


def _room_forms(vote: Vote, bound=None) -> dict:
    """What the secretary records of the room: the form the vote's method takes, for the
    members still to vote, and an excusal."""
    waiting = selectors.still_to_vote(vote)
    members = Member.objects.filter(pk__in=[m.pk for m in waiting]).order_by(
        selectors.role_rank(), "user__last_name", "pk"
    )
    forms = {"waiting": waiting, "excusal_form": ExcusalForm(members=members)}
    if vote.method == Vote.Method.NOMINAL:
        forms["room_form"] = RollCallForm(bound, members=members.select_related("user"))
    elif vote.method == Vote.Method.ECONOMIC:
        forms["room_form"] = HandsForm(bound, members=members.select_related("user"))
    else:
        forms["room_form"] = PaperForm(bound)
    return forms


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
    require_conduct(request.user, vote.item.session.body)
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


@require_POST
def vote_room(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary records the votes given in the room: by name, a show of hands or the
    counted papers of a secret ballot, as the vote's method is."""
    vote = _load_vote(request, pk)
    require_conduct(request.user, vote.item.session.body)
    if vote.status != Vote.Status.OPEN:
        messages.error(request, _("The vote is closed."))
        return redirect("committees:vote_detail", pk=vote.pk)
    form = _room_forms(vote, request.POST)["room_form"]
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("committees:vote_detail", pk=vote.pk)
    data = form.cleaned_data

    def record():
        if isinstance(form, RollCallForm):
            services.vote_record_roll_call(vote=vote, by=request.user, choices=form.choices())
        elif isinstance(form, HandsForm):
            services.vote_record_hands(
                vote=vote,
                by=request.user,
                votes_for=data["votes_for"],
                against=list(data["against"]),
                abstaining=list(data["abstaining"]),
            )
        else:
            services.vote_record_paper(vote=vote, by=request.user, **data)

    service_call(request, record, _("The votes given in the room were recorded."))
    return redirect("committees:vote_detail", pk=vote.pk)


@require_POST
def vote_excuse(request: HttpRequest, pk: int) -> HttpResponse:
    """A member excuses himself from the item: recorded with the reason, no ballot."""
    vote = _load_vote(request, pk)
    require_conduct(request.user, vote.item.session.body)
    form = _room_forms(vote, None)["excusal_form"]
    form = type(form)(request.POST, members=form.fields["member"].queryset)
    if form.is_valid():
        service_call(
            request,
            lambda: services.vote_excuse(vote=vote, by=request.user, **form.cleaned_data),
            _("Excusal recorded: the member does not vote on this item."),
        )
    else:
        messages.error(request, _("Choose the member and say the reason for the excusal."))
    return redirect("committees:vote_detail", pk=vote.pk)
