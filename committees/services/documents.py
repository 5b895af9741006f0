"""The documents a municipality signs for a session, and what all of its PDFs share.

Every PDF of `committees` (notice, agenda, minutes, certificate) is printed on the
municipality's letterhead: its coat of arms and name, the session's key and "page X of Y" on
every page, and a signature block with each signer's name and office. The notice and the
agenda are small and change until the session is held, so they are rendered when asked for;
the minutes and the certificate are fixed once issued and rendered once, in the background
(committees/services/minutes.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

from committees import selectors
from committees.models import Body, Member, Session
from pmot.actors.models import Municipality
from pmot.core.pdf import render_pdf


@dataclass(frozen=True)
class Signer:
    """A line of the signature block. `name` is empty when the office is vacant in pmot: the
    document is still printed, to be signed by hand."""

    name: str
    office: str


def letterhead() -> dict:
    """The municipality's name (from its profile) and coat of arms, and the page numbering."""
    municipality = Municipality.objects.only("name", "state").first()
    return {
        "name": (
            _("Municipality of %(name)s") % {"name": municipality.name}
            if municipality
            else settings.PMOT_BRAND["short_name"]
        ),
        "state": municipality.state if municipality else "",
        "place": str(municipality) if municipality else "",  # where a document is signed
        "coat_of_arms": _coat_of_arms(),
        "colour": settings.PMOT_BRAND["primary"],
        # CSS counters inside the translated sentence: "Página " counter(page) " de " ...
        "page_numbers": _("Page %(number)s of %(total)s")
        % {"number": '" counter(page) "', "total": '" counter(pages) "'},
    }


def _coat_of_arms() -> str:
    """The brand's logo as inline SVG markup, or "" when it is not an SVG of our static files.

    The municipality profile keeps no image of its own: the coat of arms is the brand's logo
    (PMOT_LOGO). It goes into the page as markup because the PDF renderer fetches nothing,
    not even our own files (pmot.core.pdf)."""
    path = settings.PMOT_BRAND["logo"].lstrip("/")
    found = finders.find(path) if path.endswith(".svg") else None
    if not found:
        return ""
    with open(found, encoding="utf-8") as file:
        markup = file.read()
    start = markup.find("<svg")
    return markup[start:] if start >= 0 else ""


def _name(member: Member | None) -> str:
    return str(member.user) if member else ""


def chair(session: Session, *, presided: bool = False) -> Signer:
    """Who signs as chair: the President of the body, who convenes; on the minutes
    (`presided`), whoever presided the session, who may be another member in the President's
    absence."""
    member = session.presiding if presided else None
    if member is None:
        member = (
            selectors.members_of(session.body, on=session.day)
            .filter(role=Member.Role.PRESIDENT, standing=Member.Standing.TITULAR)
            .first()
        )
    if member is None or member.role == Member.Role.PRESIDENT:
        return Signer(_name(member), str(Member.Role.PRESIDENT.label))
    return Signer(
        _name(member),
        _("%(office)s, presiding the session") % {"office": member.get_role_display()},
    )


def secretary(body: Body, on=None) -> Signer:
    """Who signs as secretary: in the Cabildo the Secretary of the Ayuntamiento; in another
    body its technical secretary, or the Secretary of the Ayuntamiento where it has none."""
    roles = [Member.Role.TECHNICAL_SECRETARY, Member.Role.COUNCIL_SECRETARY]
    if body.kind == Body.Kind.CABILDO:
        roles.reverse()
    holders = selectors.members_of(body, on=on).filter(
        role__in=roles, standing=Member.Standing.TITULAR
    )
    by_role = {}
    for member in holders:
        by_role.setdefault(member.role, member)
    role = next((r for r in roles if r in by_role), roles[0])
    return Signer(_name(by_role.get(role)), str(role.label))


def _session_context(session: Session) -> dict:
    items = (
        session.items.select_related("agreement_type")
        .prefetch_related("documents")
        .order_by("number")
    )
    return {
        "session": session,
        "items": items,
        "letterhead": letterhead(),
        "signers": [chair(session), secretary(session.body, on=session.day)],
    }


def notice_pdf(*, session: Session) -> bytes:
    """The notice (*convocatoria*) as issued: date, place, the agenda; if postponed, from when
    and why. Signed by the President and the secretary."""
    return render_pdf("committees/pdf/notice.html", _session_context(session))


def agenda_pdf(*, session: Session) -> bytes:
    """The agenda (*orden del día*) as it stands, with each item's draft agreement."""
    return render_pdf("committees/pdf/agenda.html", _session_context(session))
