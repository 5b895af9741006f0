"""The public consultation of the draft PMOT (LGAHOTDU art. 30): every write with a rule.

A consultation is authorized by an approved agreement of the Cabildo while the Formulation
phase is open; citizens comment online while its period runs, staff record comments received on
paper or at a hearing, rule on each and answer every ruling that is not a plain yes. It closes
only when nothing is left unanswered. Every consultation of the program is closed and its answers
published before the Cabildo may vote the program's approval (`program_vote_allowed`, a check of
committees' hook) and again when the approval reaches the program (`consultations_answered`,
registered with planning's hooks).
"""

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Agreement, Body, Vote
from phases import rules
from phases.models import Comment, Consultation, Hearing, Phase, PhaseNumber, Ruling
from pmot.core import redis_outage
from pmot.core.uploads import check_upload
from pmot.information.models import TerritorialUnit
from pmot.planning.models import Program

IN_FAVOUR = (
    Agreement.Status.APPROVED,
    Agreement.Status.IN_PROGRESS,
    Agreement.Status.FULFILLED,
    Agreement.Status.OVERDUE,
)
RATE_WINDOW = datetime.timedelta(hours=1)
# Keys of the follow-up counters in the cache; tests give each test a namespace of its own.
FOLLOW_NAMESPACE = "consultation-follow"

logger = logging.getLogger(__name__)


def _locked(consultation: Consultation) -> Consultation:
    """The consultation's row, locked until the transaction ends: comments of one consultation
    get their folios one at a time, and no rule is checked against a stale state."""
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _refuse_if_closed(consultation: Consultation) -> None:
    if consultation.closed_at is not None:
        raise ValidationError(_("The consultation is closed."), code="closed")


# --- The consultation --------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *,
    program: Program,
    title: str,
    agreement: Agreement,
    opens_on: datetime.date,
    days: int | None = None,
    business_days: bool | None = None,
    documents=(),
) -> Consultation:
    """A consultation of the draft, authorized by an approved agreement of the Cabildo, while
    the program's Formulation phase is open; its last day from `days` (the setting by default),
    business or calendar days as state law sets. One at a time per program."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    agreement = Agreement.objects.select_related("body").get(pk=agreement.pk)
    days = settings.PMOT_CONSULTATION_DAYS if days is None else days
    if business_days is None:
        business_days = settings.PMOT_CONSULTATION_BUSINESS_DAYS
    if agreement.body.kind != Body.Kind.CABILDO or agreement.status not in IN_FAVOUR:
        raise ValidationError(
            _("A consultation is authorized by an approved agreement of the Cabildo."),
            code="agreement",
        )
    if opens_on < timezone.localdate(agreement.decided_at):
        raise ValidationError(
            _("The consultation cannot open before the agreement that authorizes it."),
            code="before_agreement",
        )
    if not Phase.objects.filter(
        program=program, number=PhaseNumber.FORMULATION, status=Phase.Status.OPEN
    ).exists():
        raise ValidationError(
            _("The draft is put to consultation while phase 3, Formulation, is in progress."),
            code="phase",
        )
    if program.consultations.filter(closed_at__isnull=True).exists():
        raise ValidationError(
            _("The program already has a consultation that is not closed."), code="one_at_a_time"
        )
    if days < 1:
        raise ValidationError(_("A consultation lasts at least one day."), code="days")
    closes_on = rules.last_day(opens_on, days, business=business_days)
    _check_legal_period(opens_on, closes_on)
    if _program_under_vote(program):
        raise ValidationError(
            _("The Cabildo is voting the program: a new consultation waits until the vote closes."),
            code="under_vote",
        )
    unpublished = [d.title for d in documents if not d.is_published]
    if unpublished:
        raise ValidationError(
            _("Publish the draft documents before putting them to consultation: %(titles)s.")
            % {"titles": ", ".join(unpublished)},
            code="unpublished",
        )
    consultation = Consultation.objects.create(
        program=program,
        title=title,
        agreement=agreement,
        opens_on=opens_on,
        days=days,
        business_days=business_days,
        closes_on=closes_on,
    )
    consultation.documents.set(documents)
    return consultation


def _check_legal_period(opens_on: datetime.date, closes_on: datetime.date) -> None:
    """A consultation lasts at least the period state law sets (PMOT_CONSULTATION_DAYS, in
    business or calendar days as PMOT_CONSULTATION_BUSINESS_DAYS says), whichever way its own
    period is counted: its last day is not before the law's."""
    legal_days = settings.PMOT_CONSULTATION_DAYS
    business = settings.PMOT_CONSULTATION_BUSINESS_DAYS
    legal_end = rules.last_day(opens_on, legal_days, business=business)
    if closes_on >= legal_end:
        return
    values = {"days": legal_days, "end": legal_end.strftime("%d/%m/%Y")}
    if business:
        message = _(
            "State law sets a consultation of at least %(days)s business days: opening that "
            "day, it runs until %(end)s or later."
        )
    else:
        message = _(
            "State law sets a consultation of at least %(days)s calendar days: opening that "
            "day, it runs until %(end)s or later."
        )
    raise ValidationError(message % values, code="too_short")


def _program_under_vote(program: Program) -> bool:
    """Whether a vote on the program is open: nothing may then change what its check saw."""
    return Vote.objects.filter(
        status=Vote.Status.OPEN,
        item__subject_type=ContentType.objects.get_for_model(Program),
        item__subject_id=program.pk,
    ).exists()


def unanswered(consultation: Consultation):
    """Comments without a ruling, or ruled other than upheld without an answer."""
    return consultation.comments.filter(
        Q(ruling="") | Q(ruling__in=Ruling.needing_answer(), answer="")
    )


@transaction.atomic
def consultation_close(
    *, consultation: Consultation, now: datetime.datetime | None = None
) -> Consultation:
    """Close once the period is over, every comment has its ruling and every ruling that is not
    a plain yes its answer, and every hearing its minutes."""
    now = now or timezone.now()
    consultation = _locked(consultation)
    _refuse_if_closed(consultation)
    if timezone.localdate(now) <= consultation.closes_on:
        raise ValidationError(
            _("Comments are received until %(date)s; the consultation closes after that.")
            % {"date": consultation.closes_on.strftime("%d/%m/%Y")},
            code="period",
        )
    reasons = []
    folios = list(unanswered(consultation).values_list("folio", flat=True))
    if folios:
        reasons.append(
            _("These comments still lack their ruling or answer: %(folios)s.")
            % {"folios": ", ".join(folios)}
        )
    hearings = [str(h) for h in consultation.hearings.filter(minutes="")]
    if hearings:
        reasons.append(
            _("These hearings still lack their minutes: %(hearings)s.")
            % {"hearings": "; ".join(hearings)}
        )
    if reasons:
        raise ValidationError(reasons, code="unanswered")
    consultation.closed_at = now
    consultation.save(update_fields=["closed_at"])
    return consultation


@transaction.atomic
def answers_publish(
    *, consultation: Consultation, now: datetime.datetime | None = None
) -> Consultation:
    """Publish every comment's ruling and answer (never who sent it or how to reach them)."""
    consultation = _locked(consultation)
    if consultation.closed_at is None:
        raise ValidationError(
            _("The answers are published once the consultation is closed."), code="not_closed"
        )
    if consultation.answers_published_at is not None:
        raise ValidationError(_("The answers are already published."), code="published")
    consultation.answers_published_at = now or timezone.now()
    consultation.save(update_fields=["answers_published_at"])
    return consultation


# --- Hearings ----------------------------------------------------------------------------------


@transaction.atomic
def hearing_add(*, consultation: Consultation, place: str, starts_at: datetime.datetime) -> Hearing:
    """A public hearing held within the consultation's period."""
    consultation = _locked(consultation)
    _refuse_if_closed(consultation)
    if not place.strip():
        raise ValidationError(_("Say where the hearing takes place."), code="place")
    day = timezone.localdate(starts_at)
    if not consultation.opens_on <= day <= consultation.closes_on:
        raise ValidationError(
            _("A hearing takes place within the consultation's period, %(start)s to %(end)s.")
            % {
                "start": consultation.opens_on.strftime("%d/%m/%Y"),
                "end": consultation.closes_on.strftime("%d/%m/%Y"),
            },
            code="period",
        )
    return Hearing.objects.create(
        consultation=consultation, place=place.strip(), starts_at=starts_at
    )


@transaction.atomic
def hearing_minutes(
    *, hearing: Hearing, minutes: str, now: datetime.datetime | None = None
) -> Hearing:
    """The minutes of a hearing already held."""
    consultation = _locked(hearing.consultation)
    _refuse_if_closed(consultation)
    hearing = Hearing.objects.get(pk=hearing.pk)
    if hearing.starts_at > (now or timezone.now()):
        raise ValidationError(
            _("The minutes are written once the hearing has taken place."), code="not_held"
        )
    if not minutes.strip():
        raise ValidationError(_("Write the minutes of the hearing."), code="empty")
    hearing.minutes = minutes.strip()
    hearing.save(update_fields=["minutes"])
    return hearing


# --- Comments ----------------------------------------------------------------------------------


def sender_fingerprint(address: str | None) -> str:
    """A keyed hash of the sender's address: enough to count their comments of the last hour,
    useless to find out who they are without the site's secret key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


def _folio_prefix(consultation: Consultation) -> str:
    """`CP-2026` for the first consultation opened in 2026, `CP-2026-2` for the second."""
    year = consultation.opens_on.year
    earlier = Consultation.objects.filter(opens_on__year=year, pk__lt=consultation.pk).count()
    return f"CP-{year}" if earlier == 0 else f"CP-{year}-{earlier + 1}"


def _next_folio(consultation: Consultation) -> str:
    """The next folio of a consultation whose row the caller holds locked."""
    prefix = _folio_prefix(consultation)
    last = consultation.comments.filter(folio__startswith=f"{prefix}-").aggregate(
        last=Max("folio")
    )["last"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}-{number:05d}"


def _check_content(*, name: str, topic: str, text: str) -> None:
    missing = [
        label
        for label, value in ((_("name"), name), (_("topic"), topic), (_("comment"), text))
        if not value.strip()
    ]
    if missing:
        raise ValidationError(
            _("Fill in: %(fields)s.") % {"fields": ", ".join(missing)}, code="required"
        )
    limit = settings.PMOT_COMMENT_MAX_CHARS
    if len(text) > limit:
        raise ValidationError(
            _("The comment has %(length)d characters; the limit is %(limit)d.")
            % {"length": len(text), "limit": limit},
            code="too_long",
        )
    if len(name) > 120 or len(topic) > 150:
        raise ValidationError(_("The name or the topic is too long."), code="too_long")


def _attach(comment: Comment, attachment) -> None:
    if attachment is None:
        return
    comment.attachment_type = check_upload(attachment)
    comment.attachment_name = attachment.name[-255:]
    comment.attachment = attachment


@transaction.atomic
def comment_submit(
    *,
    consultation: Consultation,
    name: str,
    topic: str,
    text: str,
    address: str | None,
    contact: str = "",
    unit: TerritorialUnit | None = None,
    attachment=None,
    now: datetime.datetime | None = None,
) -> Comment:
    """A comment sent online by anyone, without an account, while the period runs.

    At most PMOT_COMMENTS_PER_HOUR from one address in the last hour; the address itself is
    never stored, only its keyed hash."""
    now = now or timezone.now()
    consultation = _locked(consultation)
    if not consultation.receives_comments(timezone.localdate(now)):
        raise ValidationError(
            _("This consultation is not receiving comments now."), code="not_open"
        )
    _check_content(name=name, topic=topic, text=text)
    sender = sender_fingerprint(address)
    recent = Comment.objects.filter(sender=sender, received_at__gt=now - RATE_WINDOW).count()
    if recent >= settings.PMOT_COMMENTS_PER_HOUR:
        raise ValidationError(
            _("Too many comments were sent from your connection in the last hour."),
            code="rate_limited",
        )
    comment = Comment(
        consultation=consultation,
        folio=_next_folio(consultation),
        channel=Comment.Channel.ONLINE,
        name=name.strip(),
        contact=contact.strip(),
        topic=topic.strip(),
        unit=unit,
        text=text,
        received_at=now,
        sender=sender,
    )
    _attach(comment, attachment)
    comment.save()
    return comment


def comment_follow(
    *, folio: str, code: str, address: str | None, now: datetime.datetime | None = None
) -> Comment | None:
    """The comment with this folio and follow-up code, or None when either is wrong (the same
    answer, so that neither can be found out alone). Folios are sequential: without the code
    and a limit of PMOT_FOLLOW_LOOKUPS_PER_HOUR look-ups per address, anyone could list every
    comment's topic and day before the answers are published."""
    _count_follow_lookup(address, now or timezone.now())
    comment = Comment.objects.select_related("consultation", "unit").filter(folio=folio).first()
    if comment is None or not hmac.compare_digest(comment.receipt_code, code):
        return None
    return comment


def _count_follow_lookup(address: str | None, now: datetime.datetime) -> None:
    """One more look-up from this address in the current hour (a counter in the cache, under
    the address's keyed hash). When the cache does not answer, the look-up goes on: the code
    alone still keeps comments out of reach."""
    hour = int(now.timestamp()) // 3600
    key = f"{FOLLOW_NAMESPACE}:{sender_fingerprint(address)}:{hour}"
    if redis_outage.recently_unanswered():
        return
    try:
        cache.add(key, 0, timeout=int(RATE_WINDOW.total_seconds()) + 60)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - no counter to keep: the code still guards the comment
        logger.warning("Cache unavailable; the follow-up look-ups go uncounted")
        redis_outage.note_no_answer()
        return
    if count > settings.PMOT_FOLLOW_LOOKUPS_PER_HOUR:
        raise ValidationError(
            _("Too many look-ups were made from your connection in the last hour."),
            code="rate_limited",
        )


@transaction.atomic
def comment_record(
    *,
    consultation: Consultation,
    channel: str,
    received_on: datetime.date,
    name: str,
    topic: str,
    text: str,
    contact: str = "",
    unit: TerritorialUnit | None = None,
    hearing: Hearing | None = None,
    attachment=None,
) -> Comment:
    """A comment received on paper or at a hearing, recorded by staff with the day it was
    received, which falls within the period (a hearing's comments on the hearing's day)."""
    consultation = _locked(consultation)
    _refuse_if_closed(consultation)
    if channel not in (Comment.Channel.PAPER, Comment.Channel.HEARING):
        raise ValidationError(
            _("Staff record comments received on paper or at a hearing."), code="channel"
        )
    if channel == Comment.Channel.HEARING:
        if hearing is None or hearing.consultation_id != consultation.pk:
            raise ValidationError(
                _("Name the hearing of this consultation where the comment was received."),
                code="hearing",
            )
        received_on = timezone.localdate(hearing.starts_at)
    else:
        hearing = None
    if not consultation.opens_on <= received_on <= consultation.closes_on:
        raise ValidationError(
            _("A comment is received within the consultation's period, %(start)s to %(end)s.")
            % {
                "start": consultation.opens_on.strftime("%d/%m/%Y"),
                "end": consultation.closes_on.strftime("%d/%m/%Y"),
            },
            code="period",
        )
    if received_on > timezone.localdate():
        raise ValidationError(_("The day received cannot be in the future."), code="future")
    _check_content(name=name, topic=topic, text=text)
    comment = Comment(
        consultation=consultation,
        folio=_next_folio(consultation),
        channel=channel,
        hearing=hearing,
        name=name.strip(),
        contact=contact.strip(),
        topic=topic.strip(),
        unit=unit,
        text=text,
        received_at=(
            hearing.starts_at
            if hearing
            else timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(9)))
        ),
    )
    _attach(comment, attachment)
    comment.save()
    return comment


@transaction.atomic
def comment_rule(
    *, comment: Comment, ruling: str, answer: str, by, now: datetime.datetime | None = None
) -> Comment:
    """Rule on a comment and answer it; every ruling but “upheld” needs its reasoned answer.
    A ruling may be revised until the consultation closes."""
    _refuse_if_closed(_locked(comment.consultation))
    comment = Comment.objects.get(pk=comment.pk)
    if ruling not in Ruling.values:
        raise ValidationError(_("Choose a ruling."), code="ruling")
    answer = answer.strip()
    if ruling in Ruling.needing_answer() and not answer:
        raise ValidationError(
            _("Every ruling other than “upheld” needs its reasoned answer."), code="answer"
        )
    comment.ruling, comment.answer = ruling, answer
    comment.ruled_by, comment.ruled_at = by, now or timezone.now()
    comment.save(update_fields=["ruling", "answer", "ruled_by", "ruled_at"])
    return comment


# --- The approval of the program ---------------------------------------------------------------


def consultations_answered(*, program: Program) -> None:
    """Every consultation of `program` closed, each comment ruled and every ruling that is not
    a plain yes answered, and the answers published (LGAHOTDU art. 30); at least one held.
    Registered with planning's hooks, so it also holds when the approval reaches the program."""
    consultations = list(program.consultations.order_by("opens_on", "pk"))
    if not consultations:
        raise ValidationError(
            _("The program is approved only after its public consultation: none has been held."),
            code="no_consultation",
        )
    reasons = []
    for consultation in consultations:
        if consultation.closed_at is None:
            reasons.append(
                _(
                    "The public consultation “%(title)s” is not closed yet, and its answers are "
                    "not published."
                )
                % {"title": consultation.title}
            )
        elif unanswered(consultation).exists():
            reasons.append(
                _("The public consultation “%(title)s” has comments without ruling or answer.")
                % {"title": consultation.title}
            )
        elif consultation.answers_published_at is None:
            reasons.append(
                _("The answers of the public consultation “%(title)s” are not published yet.")
                % {"title": consultation.title}
            )
    if reasons:
        raise ValidationError(reasons, code="unanswered")


def program_vote_allowed(*, subject: Program, item) -> None:
    """Committees' check before a vote on the program: the vote that would approve it (the one
    after the agreement that started it) waits until every consultation is closed and answered
    (`consultations_answered`)."""
    if subject.start_agreement_id is None or subject.approval_agreement_id is not None:
        return
    consultations_answered(program=subject)
