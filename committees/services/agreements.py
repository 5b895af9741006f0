"""After the vote: corrections as new versions, follow-up, the daily overdue check."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import hooks
from committees.models import (
    AgendaItem,
    Agreement,
    AgreementType,
    AgreementVersion,
    Body,
    FollowUp,
    Session,
)
from pmot.actors.models import Membership
from pmot.core.uploads import SCANS, check_upload


@transaction.atomic
def agreement_correct(*, agreement: Agreement, text: str, reason: str, by) -> AgreementVersion:
    """A correction never touches the voted text: it is the next version."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not text.strip() or not reason.strip():
        raise ValidationError(_("A correction needs the new text and its reason."))
    last = agreement.versions.aggregate(n=Max("number"))["n"] or 0
    return AgreementVersion.objects.create(
        agreement=agreement, number=last + 1, text=text, reason=reason, created_by=by
    )


@transaction.atomic
def agreement_revoke(*, agreement: Agreement, by_agreement: Agreement) -> Agreement:
    """A later approved agreement of the same body revokes this one."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status in (Agreement.Status.REJECTED, Agreement.Status.REVOKED):
        raise ValidationError(_("Only an agreement in force can be revoked."))
    if (
        by_agreement.body_id != agreement.body_id
        or by_agreement.status != Agreement.Status.APPROVED
        or by_agreement.decided_at <= agreement.decided_at
    ):
        raise ValidationError(
            _("An agreement is revoked by a later approved agreement of the same body.")
        )
    agreement.status = Agreement.Status.REVOKED
    agreement._change_reason = _("Revoked by agreement %(key)s.") % {"key": by_agreement.key}
    agreement.save(update_fields=["status"])
    return agreement


@transaction.atomic
def follow_up_add(
    *, agreement: Agreement, progress: int, note: str, by, evidence=None, date=None
) -> FollowUp:
    """Record how carrying out an agreement goes; 100 % fulfils it."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status in (Agreement.Status.REJECTED, Agreement.Status.REVOKED):
        raise ValidationError(_("A rejected or revoked agreement has nothing to carry out."))
    if agreement.status == Agreement.Status.FULFILLED:
        raise ValidationError(
            _("This agreement was fulfilled: that is final unless a later agreement revokes it.")
        )
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress goes from 0 to 100 %."))
    follow_up = FollowUp(agreement=agreement, progress=progress, note=note, recorded_by=by)
    if evidence is not None:
        check_upload(evidence)
        follow_up.evidence = evidence
    if date is not None:
        follow_up.date = date
    follow_up.save()
    if progress == 100:
        agreement.status = Agreement.Status.FULFILLED
    elif agreement.status != Agreement.Status.OVERDUE:  # late stays late until it is done
        agreement.status = Agreement.Status.IN_PROGRESS
    agreement.save(update_fields=["status"])
    return follow_up


@transaction.atomic
def agreement_plan(
    *,
    agreement: Agreement,
    responsible=None,
    deadline: datetime.date | None = None,
    published_in: str = "",
    published_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Agreement:
    """Who carries the agreement out, by when, and where it was published.

    Moving the deadline moves the state with it: past due is *Vencido*, and a deadline moved
    to today or later lifts it.
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if published_in and published_on is None:
        raise ValidationError(_("Say when it was published."))
    agreement.responsible = responsible
    agreement.deadline = deadline
    agreement.published_in = published_in
    agreement.published_on = published_on if published_in else None
    fields = ["responsible", "deadline", "published_in", "published_on"]
    status = _state_by_deadline(agreement, today or timezone.localdate())
    if status != agreement.status:
        agreement.status = status
        fields.append("status")
    agreement.save(update_fields=fields)
    return agreement


def _state_by_deadline(agreement: Agreement, today: datetime.date) -> str:
    """The state an agreement in force takes from its deadline; final states stay."""
    carrying_out = (
        Agreement.Status.APPROVED,
        Agreement.Status.IN_PROGRESS,
        Agreement.Status.OVERDUE,
    )
    if agreement.status not in carrying_out:
        return agreement.status
    if agreement.deadline is not None and agreement.deadline < today:
        return Agreement.Status.OVERDUE
    if agreement.follow_ups.exists():
        return Agreement.Status.IN_PROGRESS
    return Agreement.Status.APPROVED


@transaction.atomic
def agreements_mark_overdue(*, today: datetime.date) -> int:
    """The daily check: agreements not carried out by their deadline become overdue."""
    overdue = 0
    late = Agreement.objects.open_with_deadline().filter(deadline__lt=today)
    for agreement in late.order_by("pk").select_for_update():
        agreement.status = Agreement.Status.OVERDUE
        agreement._change_reason = _("Marked overdue: its deadline passed.")
        agreement.save(update_fields=["status"])
        overdue += 1
    return overdue


def agreements_remind(*, today: datetime.date) -> int:
    """E-mail the people of each responsible organization some days before a deadline."""
    days = settings.PMOT_AGREEMENT_REMINDER_DAYS
    due = (
        Agreement.objects.open_with_deadline()
        .filter(deadline__in=[today + datetime.timedelta(days=d) for d in days])
        .exclude(responsible=None)
        .select_related("responsible", "body")
    )
    sent = 0
    for agreement in due:
        recipients = sorted(
            Membership.objects.active()
            .filter(organization=agreement.responsible)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
            .distinct()
        )
        if not recipients:
            continue
        context = {"agreement": agreement, "days": (agreement.deadline - today).days}
        send_mail(
            subject=render_to_string("committees/email/reminder_subject.txt", context).strip(),
            message=render_to_string("committees/email/reminder.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
        sent += 1
    return sent


@transaction.atomic
def agreement_record_historical(
    *,
    body: Body,
    session_kind: str,
    session_number: int,
    decided_at: datetime.datetime,
    key: str,
    title: str,
    text: str,
    agreement_type: AgreementType,
    approved: bool,
    subject,
    scanned_document,
) -> Agreement:
    """Enter a decision taken before pmot existed, from its signed document: it holds the
    session it was taken in (a historical record, with no attendance nor votes) and changes its
    subject as a vote would have, under the same checks. Marked historical wherever it shows."""
    if decided_at > timezone.now():
        raise ValidationError(_("A historical agreement was taken in the past."))
    if not scanned_document:
        raise ValidationError(_("Attach the scanned signed document of the agreement."))
    check_upload(scanned_document, accept=SCANS)
    if Agreement.objects.filter(key=key).exists():
        raise ValidationError(_("An agreement with key %(key)s exists already.") % {"key": key})
    year = timezone.localtime(decided_at).year
    session = Session.objects.filter(body=body, year=year, number=session_number).first()
    if session is not None and not session.historical:
        raise ValidationError(
            _(
                "Session %(session)s is held in pmot: its agreements come from its votes, not "
                "from a historical record."
            )
            % {"session": session}
        )
    if session is None:
        session = Session.objects.create(
            body=body,
            year=year,
            number=session_number,
            kind=session_kind,
            status=Session.Status.CLOSED,
            starts_at=decided_at,
            closed_at=decided_at,
            place=_("Historical record"),
            historical=True,
        )
    number = (session.items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = AgendaItem.objects.create(
        session=session,
        number=number,
        title=title,
        draft_text=text,
        agreement_type=agreement_type,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
    )
    hooks.vote_allowed(item)  # the subject could be decided then as it could by a vote now
    agreement = Agreement.objects.create(
        key=key,
        body=body,
        year=year,
        item=item,
        agreement_type=agreement_type,
        text=text,
        status=Agreement.Status.APPROVED if approved else Agreement.Status.REJECTED,
        decided_at=decided_at,
        scanned_document=scanned_document,
    )
    agreement._change_reason = _("Historical agreement entered from its signed document.")
    hooks.agreement_decided(agreement)
    return agreement
