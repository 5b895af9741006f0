"""Minutes: drafted from the session, approved by a later agreement, then locked; PDFs of the
minutes and of an agreement's certificate, rendered in the background."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from committees import selectors
from committees.models import Agreement, Minutes, Session
from committees.services.documents import chair, letterhead, secretary
from committees.services.votes import check_not_under_vote
from pmot.core.outbox import job_enqueue
from pmot.core.pdf import render_pdf


def _minutes_context(session: Session) -> dict:
    items = session.items.select_related("agreement_type", "vote", "agreement").order_by("number")
    return {
        "session": session,
        "attendance": selectors.attendance_of(session),
        "items": [
            {
                "item": item,
                "vote": getattr(item, "vote", None),
                "agreement": getattr(item, "agreement", None),
                "ballots": selectors.ballots_of(item.vote) if hasattr(item, "vote") else [],
            }
            for item in items
        ],
    }


@transaction.atomic
def minutes_draft(*, session: Session) -> Minutes:
    """Assemble the draft from the session's records: attendance, items, votes, agreements."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in (Session.Status.CLOSED, Session.Status.NO_QUORUM):
        raise ValidationError(_("Minutes are drafted once the session is closed."))
    if hasattr(session, "minutes"):
        raise ValidationError(_("This session already has its minutes."))
    text = render_to_string("committees/minutes_draft.txt", _minutes_context(session))
    return Minutes.objects.create(session=session, text=text.strip())


@transaction.atomic
def minutes_edit(*, minutes: Minutes, text: str) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.locked:
        raise ValidationError(_("Approved minutes are locked: they cannot be changed."))
    if not text.strip():
        raise ValidationError(_("The minutes cannot be empty."))
    check_not_under_vote(minutes)  # the room votes the text it was given
    minutes.text = text
    minutes.save(update_fields=["text"])
    return minutes


def minutes_decided(*, subject: Minutes, agreement: Agreement) -> None:
    """Reaction to the agreement of a later session on these minutes."""
    if agreement.status == Agreement.Status.APPROVED:
        minutes_approve(minutes=subject, agreement=agreement)


@transaction.atomic
def minutes_approve(*, minutes: Minutes, agreement: Agreement) -> Minutes:
    minutes = Minutes.objects.select_for_update().select_related("session").get(pk=minutes.pk)
    if minutes.locked:
        raise ValidationError(_("These minutes are approved already."))
    later = agreement.item.session
    if later.body_id != minutes.session.body_id or later.starts_at <= minutes.session.starts_at:
        raise ValidationError(_("Minutes are approved by the same body at a later session."))
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = agreement
    minutes.save(update_fields=["status", "approved_by"])
    job_enqueue(
        task_name="committees.tasks.render_minutes_pdf",
        kwargs={"minutes_id": minutes.pk},
        key=f"minutes-pdf:{minutes.pk}",
    )
    return minutes


def minutes_render_pdf(*, minutes: Minutes) -> None:
    """Render the approved minutes, with the session's full record, to PDF."""
    session = minutes.session
    context = _minutes_context(session) | {
        "minutes": minutes,
        "letterhead": letterhead(),
        "signers": [chair(session, presided=True), secretary(session.body, on=session.day)],
    }
    content = render_pdf("committees/pdf/minutes.html", context)
    minutes.pdf.save(
        f"acta-{minutes.session.body.key}-{minutes.session.code}-{minutes.session.year}.pdf",
        ContentFile(content),
        save=False,
    )
    minutes.save(update_fields=["pdf"])


def certificate_render_pdf(*, agreement: Agreement) -> None:
    """The certification of an agreement: its key, text as voted and the vote, signed by the
    secretary in office when it is issued."""
    vote = getattr(agreement.item, "vote", None)
    session = agreement.item.session
    context = {
        "agreement": agreement,
        "session": session,
        "vote": vote,
        "ballots": selectors.ballots_of(vote) if vote else [],
        "attendance": selectors.attendance_of(session),
        "letterhead": letterhead(),
        "signers": [secretary(agreement.body)],
    }
    content = render_pdf("committees/pdf/certificate.html", context)
    agreement.certificate.save(
        f"certificacion-{agreement.key.replace('/', '-')}.pdf", ContentFile(content), save=False
    )
    agreement.save(update_fields=["certificate"])
