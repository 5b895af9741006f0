"""A POA approved as DOMAIN.md says it is: the Cabildo votes an agenda item whose subject is the
POA, and the agreement of that vote approves it (committees' hook). For tests on data that
already has a Cabildo (the demo's); fixture-built ones use council_vote(subject=poa)."""

import datetime

from budgeting.models import Poa
from committees import services as committees
from committees.models import Agreement, AgreementType, Body, Member, Session, Vote
from committees.rules import Choice


def cabildo_approves(poa: Poa, *, starts_at: datetime.datetime) -> Agreement:
    """An extraordinary session of the Cabildo at `starts_at` approves the submitted `poa`: every
    voting member present and for."""
    cabildo = Body.objects.get(kind=Body.Kind.CABILDO)
    members = list(
        Member.objects.current(starts_at.date())
        .filter(body=cabildo, has_vote=True)
        .select_related("user")
        .order_by("pk")
    )
    session = committees.session_schedule(
        body=cabildo, kind=Session.Kind.EXTRAORDINARY, starts_at=starts_at, place="Sala de Cabildo"
    )
    item = committees.item_add(
        session=session,
        title=f"Aprobación del Programa Operativo Anual {poa.fiscal_year}",
        draft_text=f"Se aprueba el Programa Operativo Anual {poa.fiscal_year}.",
        agreement_type=AgreementType.objects.get(code="general"),
        subject=poa,
    )
    committees.session_convene(session=session, now=starts_at - datetime.timedelta(days=3))
    committees.session_install(session=session, present=members, at=starts_at)
    vote = committees.vote_open(item=item, method=Vote.Method.NOMINAL)
    for member in members:
        committees.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    agreement = committees.vote_close(vote=vote, at=starts_at + datetime.timedelta(minutes=30))
    committees.session_close(session=session, at=starts_at + datetime.timedelta(hours=1))
    return agreement
