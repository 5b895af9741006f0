"""Votes: open, cast online, recorded in the room by the secretary, excusals, close.

Every write locks the Vote row, so two members voting at the same instant, the secretary
entering the room's votes while a member votes online, or a close racing a vote, never lose or
double a ballot. A member votes once however the ballot arrives."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import hooks, rules
from committees.models import AgendaItem, Agreement, Ballot, Excusal, Member, Session, Vote
from committees.selectors import present_ids, session_seats, still_to_vote, voting_members

COUNTER = {
    rules.Choice.FOR: "votes_for",
    rules.Choice.AGAINST: "against",
    rules.Choice.ABSTAIN: "abstentions",
}


@transaction.atomic
def vote_open(*, item: AgendaItem, method: Vote.Method | str) -> Vote:
    item = AgendaItem.objects.select_related("session", "agreement_type").get(pk=item.pk)
    session = Session.objects.select_for_update().get(pk=item.session_id)
    if session.status != Session.Status.INSTALLED:
        raise ValidationError(_("Votes are taken only in an installed session."))
    if item.withdrawn_at is not None:
        raise ValidationError(_("The item was withdrawn from the agenda."))
    if item.agreement_type is None:
        raise ValidationError(_("This item is only reported: it has no agreement to vote."))
    if method == Vote.Method.SECRET and not item.agreement_type.allows_secret_ballot:
        raise ValidationError(_("This type of agreement is not voted by secret ballot."))
    if Vote.objects.filter(item__session=session, status=Vote.Status.OPEN).exists():
        raise ValidationError(_("Another vote of this session is still open."))
    if Vote.objects.filter(item=item).exists():
        raise ValidationError(_("This item has been voted already."))
    hooks.vote_allowed(item)
    # Quorum and who may vote are taken now, as the room stands (late arrivals, departures).
    by_seat = session_seats(session)
    if not rules.has_quorum(present=by_seat.present, voting_members=len(by_seat.all)):
        raise ValidationError(
            _(
                "There is no quorum now: %(present)s of %(members)s seats are present and "
                "%(needed)s are needed. Record who arrived, or close the session."
            )
            % {
                "present": by_seat.present,
                "members": len(by_seat.all),
                "needed": rules.quorum(len(by_seat.all)),
            }
        )
    vote = Vote.objects.create(
        item=item, method=method, present=by_seat.present, members=len(by_seat.all)
    )
    vote.eligible.set(by_seat.occupant.values())
    return vote


def _locked(vote: Vote) -> Vote:
    vote = (
        Vote.objects.select_for_update(of=("self",)).select_related("item__session").get(pk=vote.pk)
    )
    if vote.status != Vote.Status.OPEN:
        raise ValidationError(_("The vote is closed."))
    return vote


def _add_ballot(vote: Vote, member: Member, choice, *, how, entered_by=None) -> Ballot:
    """One ballot and its count; the unique constraint keeps a member to one ballot."""
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                vote=vote,
                member=member,
                choice="" if vote.method == Vote.Method.SECRET else choice,
                how=how,
                entered_by=entered_by,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s has voted already; a ballot is never replaced.") % {"name": _name(member)}
        ) from None
    field = COUNTER[rules.Choice(choice)]
    setattr(vote, field, getattr(vote, field) + 1)  # the row is locked: no lost update
    return ballot


def _save_counts(vote: Vote) -> None:
    # No history row per ballot: in a secret ballot, counts moving one ballot at a time
    # would tell who voted what. The ballots and the closing count are the record.
    vote.skip_history_when_saving = True
    vote.save(update_fields=list(COUNTER.values()))


def _name(member: Member) -> str:
    return str(member.user.get_full_name() or member.user)


@transaction.atomic
def vote_cast(*, vote: Vote, user, choice: rules.Choice | str) -> Ballot:
    """`user` votes their own seat: never on behalf of another, once, while the vote is open."""
    choice = rules.Choice(choice)
    vote = _locked(vote)
    member = _seat_of(user, vote)
    if Ballot.objects.filter(vote=vote, member=member).exists():
        raise ValidationError(_("You have already voted on this item."))
    ballot = _add_ballot(vote, member, choice, how=Ballot.How.ONLINE)
    _save_counts(vote)
    return ballot


def _seat_of(user, vote: Vote) -> Member:
    """The voting seat through which `user` votes on `vote`, if they were present when it
    opened, are still in the room and the seat is theirs to vote."""
    session = vote.item.session
    member = voting_members(session).filter(user=user).first()
    if member is None:
        raise ValidationError(_("Only members with a vote of this body may vote."))
    if member.pk not in present_ids(session):
        raise ValidationError(_("Only members present at the session may vote."))
    if not vote.eligible.filter(pk=member.pk).exists():
        if not session_seats(session).votes_for_seat(member):
            raise ValidationError(
                _("The titular member is present: the alternate does not vote beside them.")
            )
        raise ValidationError(
            _("You arrived after this vote opened: you vote from the next item on.")
        )
    if vote.excusals.filter(member=member).exists():
        raise ValidationError(_("You excused yourself from this item: you do not vote on it."))
    return member


def _waiting(vote: Vote, members) -> dict[int, Member]:
    """`members` checked against who may still vote on `vote`, by id."""
    waiting = {m.pk: m for m in still_to_vote(vote)}
    for member in members:
        if member.pk in waiting:
            continue
        if vote.ballots.filter(member=member).exists():
            raise ValidationError(
                _("%(name)s has voted already; a ballot is never replaced.")
                % {"name": _name(member)}
            )
        raise ValidationError(
            _("%(name)s is not among the members who may vote on this item.")
            % {"name": _name(member)}
        )
    return waiting


@transaction.atomic
def vote_record_roll_call(*, vote: Vote, by, choices: dict[Member, str]) -> list[Ballot]:
    """The secretary records, member by member, the votes said aloud in the room (a roll
    call). All or nothing: one refused name records none."""
    vote = _locked(vote)
    if vote.method == Vote.Method.SECRET:
        raise ValidationError(_("A secret ballot is not taken by name."))
    if not choices:
        raise ValidationError(_("Record the vote of at least one member."))
    _waiting(vote, choices)
    ballots = [
        _add_ballot(vote, member, rules.Choice(choice), how=Ballot.How.ROLL_CALL, entered_by=by)
        for member, choice in choices.items()
    ]
    _save_counts(vote)
    return ballots


@transaction.atomic
def vote_record_hands(
    *, vote: Vote, by, votes_for: int, against: list[Member], abstaining: list[Member]
) -> list[Ballot]:
    """The secretary records a show of hands (votación económica) for everybody present who
    has not voted online: the count for, and by name those against and abstaining. The count
    must match the room: the members still to vote less those named."""
    vote = _locked(vote)
    if vote.method != Vote.Method.ECONOMIC:
        raise ValidationError(_("Only a vote by show of hands is recorded as a count."))
    against, abstaining = list(against), list(abstaining)
    if {m.pk for m in against} & {m.pk for m in abstaining}:
        raise ValidationError(_("A member cannot be both against and abstaining."))
    waiting = _waiting(vote, [*against, *abstaining])
    named = {m.pk for m in against} | {m.pk for m in abstaining}
    in_favour = [m for pk, m in waiting.items() if pk not in named]
    if votes_for != len(in_favour):
        raise ValidationError(
            _(
                "The count does not match the room: %(waiting)s members present are still to "
                "vote; %(against)s against and %(abstaining)s abstaining leave %(expected)s for, "
                "not %(counted)s. Count again or record the members who left."
            )
            % {
                "waiting": len(waiting),
                "against": len(against),
                "abstaining": len(abstaining),
                "expected": len(in_favour),
                "counted": votes_for,
            }
        )
    ballots = [
        _add_ballot(vote, m, choice, how=Ballot.How.HANDS, entered_by=by)
        for members, choice in (
            (in_favour, rules.Choice.FOR),
            (against, rules.Choice.AGAINST),
            (abstaining, rules.Choice.ABSTAIN),
        )
        for m in members
    ]
    _save_counts(vote)
    return ballots


@transaction.atomic
def vote_record_paper(*, vote: Vote, by, votes_for: int, against: int, abstentions: int) -> int:
    """The secretary records the counted papers of a secret ballot cast in the room, for
    everybody present who has not voted online. Only the totals are kept."""
    vote = _locked(vote)
    if vote.method != Vote.Method.SECRET:
        raise ValidationError(_("Only a secret ballot is recorded as counted papers."))
    waiting = list(still_to_vote(vote))
    if min(votes_for, against, abstentions) < 0 or votes_for + against + abstentions != len(
        waiting
    ):
        raise ValidationError(
            _(
                "The papers must add up to the %(waiting)s members present still to vote: "
                "%(total)s counted."
            )
            % {"waiting": len(waiting), "total": votes_for + against + abstentions}
        )
    for member in waiting:  # that each voted; the choice is not kept
        Ballot.objects.create(
            vote=vote, member=member, choice="", how=Ballot.How.PAPER, entered_by=by
        )
    vote.votes_for += votes_for
    vote.against += against
    vote.abstentions += abstentions
    _save_counts(vote)
    return len(waiting)


@transaction.atomic
def vote_excuse(*, vote: Vote, member: Member, reason: str, by=None) -> Excusal:
    """A member excuses himself from the item (excusa): recorded with the reason, no ballot."""
    vote = _locked(vote)
    if not reason.strip():
        raise ValidationError(_("An excusal needs its reason."))
    _waiting(vote, [member])
    return Excusal.objects.create(vote=vote, member=member, reason=reason.strip(), recorded_by=by)


@transaction.atomic
def vote_close(
    *,
    vote: Vote,
    casting_vote: rules.Choice | str | None = None,
    at: datetime.datetime | None = None,
) -> Agreement | None:
    """Count, decide by the majority of the agreement's type, and record the agreement.

    Every present seat with a vote must have voted. A tie under simple majority needs the
    casting vote of whoever presides the session, recorded as such; with nobody presiding
    who holds it, the vote ends deferred with no agreement (None). `at` records a vote taken
    earlier (on paper); by default, now.
    """
    vote = (
        Vote.objects.select_for_update(of=("self",))
        .select_related(
            "item__session__body", "item__session__presiding__user", "item__agreement_type"
        )
        .get(pk=vote.pk)
    )
    if vote.status != Vote.Status.OPEN:
        raise ValidationError(_("The vote is closed."))
    session, kind = vote.item.session, vote.item.agreement_type
    _recheck_subject(vote.item)
    _check_every_present_seat_voted(vote)
    # Counted as the room stood when the vote opened; an excused member leaves the base of
    # those present, never the base of all members.
    tally = rules.Tally(
        votes_for=vote.votes_for,
        against=vote.against,
        abstentions=vote.abstentions,
        present=vote.present - vote.excusals.count(),
        members=vote.members,
    )
    try:
        outcome = rules.decide(
            majority=kind.majority,
            base=kind.base,
            tally=tally,
            casting_vote=rules.Choice(casting_vote) if casting_vote else None,
            someone_presides=session.presiding_id is not None,
        )
    except rules.CastingVoteNeeded:
        raise ValidationError(
            _("The vote is tied: the casting vote of %(name)s, who presides, decides it.")
            % {"name": session.presiding.user.get_full_name() or session.presiding.user}
        ) from None
    vote.closed_at = at or timezone.now()
    if outcome.deferred:
        vote.status = Vote.Status.DEFERRED
        vote._change_reason = _(
            "Tied with nobody presiding who holds the casting vote: the item is deferred."
        )
        vote.save()
        return None
    vote.status = Vote.Status.CLOSED
    vote.approved = outcome.approved
    vote.casting_vote = casting_vote if outcome.decided_by_casting_vote else ""
    vote.save()
    agreement = _record_agreement(vote)
    hooks.agreement_decided(agreement)
    return agreement


def _recheck_subject(item: AgendaItem) -> None:
    """The subject may still be decided: the checks that let the vote open run again."""
    try:
        hooks.vote_allowed(item)
    except ValidationError as refused:
        raise ValidationError(
            [
                _(
                    "The subject of this item can no longer be decided as voted; withdraw the "
                    "item from the agenda:"
                ),
                *refused.messages,
            ]
        ) from None


def _check_every_present_seat_voted(vote: Vote) -> None:
    """A roll call accounts for every present seat with a vote before it closes."""
    missing = still_to_vote(vote)
    if missing:
        names = ", ".join(_name(m) for m in missing)
        raise ValidationError(
            _(
                "Every member present with a vote must be accounted for (for, against or "
                "abstention) before the vote closes. Still to vote: %(names)s."
            )
            % {"names": names}
        )


def _record_agreement(vote: Vote) -> Agreement:
    item = vote.item
    session = item.session
    sequence = Agreement.objects.filter(item__session=session).count() + 1
    return Agreement.objects.create(
        key=f"{session.body.key}/{session.year}/{session.code}/{sequence:02d}",
        body=session.body,
        year=session.year,
        item=item,
        agreement_type=item.agreement_type,
        text=item.draft_text,
        status=Agreement.Status.APPROVED if vote.approved else Agreement.Status.REJECTED,
        decided_at=vote.closed_at,
    )


def check_not_under_vote(subject) -> None:
    """Refuse a change to `subject` while a vote on it is open, saying which vote holds it: a
    change now could leave the vote unable to take effect."""
    vote = (
        Vote.objects.filter(
            status=Vote.Status.OPEN,
            item__subject_type=ContentType.objects.get_for_model(subject),
            item__subject_id=subject.pk,
        )
        .select_related("item__session__body")
        .first()
    )
    if vote is not None:
        raise ValidationError(
            _(
                "%(subject)s is being voted in session %(session)s, item %(number)s: it cannot "
                "change until that vote closes or the item is withdrawn."
            )
            % {"subject": subject, "session": vote.item.session, "number": vote.item.number}
        )
