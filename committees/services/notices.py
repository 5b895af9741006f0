"""The notice (*convocatoria*) as an e-mail: the text, a link to the session's page and an
iCalendar invitation (RFC 5545) that adds the session to the member's calendar.

The invitation's UID is the session's own, so the new notice of a postponed session moves
the event already in the calendar instead of adding a second one; its SEQUENCE counts the
notices issued, which is what calendars compare to take the newer version.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Session
from pmot.core.formatting import date_time

# A session has a start but no set end; calendars need one. Two hours is a usual session.
SESSION_LENGTH = datetime.timedelta(hours=2)


def session_url(session: Session) -> str:
    """The session's page, as an address to paste in a browser (absolute with PMOT_SITE_URL)."""
    path = reverse("committees:session_detail", args=[session.pk])
    return settings.PMOT_SITE_URL.rstrip("/") + path


def notice_message(session: Session, *, to: list[str]) -> EmailMultiAlternatives:
    """The notice e-mail to `to`: date, place, agenda, the link, and the .ics invitation."""
    context = {
        "session": session,
        "items": session.items.order_by("number"),
        "url": session_url(session),
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("committees/email/notice_subject.txt", context).strip(),
        body=render_to_string("committees/email/notice.txt", context),
        to=to,
    )
    message.attach(
        f"convocatoria-{session.body.key}-{session.code}-{session.year}.ics",
        notice_ics(session, items=context["items"], url=context["url"]),
        "text/calendar",
    )
    return message


def notice_ics(session: Session, *, items=None, url: str | None = None) -> str:
    """The session as an iCalendar event (METHOD:PUBLISH: a notice asks for no reply)."""
    items = items if items is not None else session.items.order_by("number")
    url = url or session_url(session)
    issued = session.notice_issued_at or timezone.now()
    cancelled = session.status == Session.Status.CANCELLED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//pmot//Sesiones de cuerpos colegiados//ES",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{session_uid(session)}",
        f"SEQUENCE:{_sequence(session)}",
        f"DTSTAMP:{_utc(issued)}",
        f"DTSTART:{_utc(session.starts_at)}",
        f"DTEND:{_utc(session.starts_at + SESSION_LENGTH)}",
        "SUMMARY:" + _text(_summary(session)),
        "LOCATION:" + _text(session.place),
        "DESCRIPTION:" + _text(_description(session, items, url)),
        f"URL:{url}" if "://" in url else "",
        "STATUS:CANCELLED" if cancelled else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines if line)


def session_uid(session: Session) -> str:
    """The same for every notice of the session, whatever its date."""
    host = urlsplit(settings.PMOT_SITE_URL).hostname or "pmot"
    return f"sesion-{session.pk}@{host}"


def _sequence(session: Session) -> int:
    """0 for the first notice, then one more for each notice issued again (an item added, a
    postponement)."""
    issued = (
        session.history.exclude(notice_issued_at=None)
        .values_list("notice_issued_at", flat=True)
        .distinct()
        .count()
    )
    return max(issued - 1, 0)


def _summary(session: Session) -> str:
    return _("%(body)s: %(kind)s session %(code)s/%(year)s") % {
        "body": session.body.name,
        "kind": session.get_kind_display().lower(),
        "code": session.code,
        "year": session.year,
    }


def _description(session: Session, items, url: str) -> str:
    lines = []
    if session.status == Session.Status.CANCELLED:
        lines += [_("Cancelled: %(reason)s") % {"reason": session.cancellation_reason}, ""]
    elif session.postponed:
        lines += [
            _("Postponed; first convened for %(original)s. Reason: %(reason)s")
            % {
                "original": date_time(session.original_starts_at),
                "reason": session.postponement_reason,
            },
            "",
        ]
    lines.append(_("Agenda") + ":")
    for item in items:
        withdrawn = f" ({_('withdrawn')})" if item.withdrawn_at else ""
        lines.append(f"{item.number}. {item.title}{withdrawn}")
    lines += ["", url]
    return "\n".join(lines)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1),
    never inside a UTF-8 character."""
    data = line.encode("utf-8")
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: step back to the character
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # the leading space counts
    parts.append(data[start:])
    return "\r\n ".join(part.decode("utf-8") for part in parts)
