"""Online votes: open, cast, close. Every write locks the Vote row, so two members voting at
the same instant, or a close racing a vote, never lose or double a ballot."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import hooks, rules
from committees.models import AgendaItem, Agreement, Attendance, Ballot, Member, Session, Vote
from committees.selectors import session_seats, still_to_vote, voting_members

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
    return Vote.objects.create(item=item, method=method)


@transaction.atomic
def vote_cast(*, vote: Vote, user, choice: rules.Choice | str) -> Ballot:
    """`user` votes their own seat: never on behalf of another, once, while the vote is open."""
    choice = rules.Choice(choice)
    vote = (
        Vote.objects.select_for_update(of=("self",)).select_related("item__session").get(pk=vote.pk)
    )
    if vote.status != Vote.Status.OPEN:
        raise ValidationError(_("The vote is closed."))
    member = _seat_of(user, vote.item.session)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                vote=vote,
                member=member,
                choice="" if vote.method == Vote.Method.SECRET else choice,
            )
    except IntegrityError:
        raise ValidationError(_("You have already voted on this item.")) from None
    field = COUNTER[choice]
    setattr(vote, field, getattr(vote, field) + 1)  # the row is locked: no lost update
    # No history row per ballot: in a secret ballot, counts moving one ballot at a time
    # would tell who voted what. The ballots and the closing count are the record.
    vote.skip_history_when_saving = True
    vote.save(update_fields=[field])
    return ballot


def _seat_of(user, session: Session) -> Member:
    """The voting seat through which `user` votes in `session`, if they are present and the
    seat is theirs to vote (an alternate votes only in the titular's absence)."""
    member = voting_members(session).filter(user=user).first()
    if member is None:
        raise ValidationError(_("Only members with a vote of this body may vote."))
    if not Attendance.objects.filter(session=session, member=member, present=True).exists():
        raise ValidationError(_("Only members present at the session may vote."))
    if not session_seats(session).votes_for_seat(member):
        raise ValidationError(
            _("The titular member is present: the alternate does not vote beside them.")
        )
    return member


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
    by_seat = session_seats(session)
    _check_every_present_seat_voted(vote, by_seat)
    tally = rules.Tally(
        votes_for=vote.votes_for,
        against=vote.against,
        abstentions=vote.abstentions,
        present=by_seat.present,
        members=len(by_seat.all),
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
    vote.present, vote.members = tally.present, tally.members
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


def _check_every_present_seat_voted(vote: Vote, by_seat) -> None:
    """A roll call accounts for every present seat with a vote before it closes."""
    missing = still_to_vote(vote, by_seat)
    if missing:
        names = ", ".join(str(m.user.get_full_name() or m.user) for m in missing)
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
