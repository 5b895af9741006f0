"""Helpers every page module of committees shares: who conducts, loading what is conducted."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse

from committees import selectors
from committees.models import (
    AgendaItem,
    Agreement,
    Body,
    Session,
)
from pmot.core.downloads import file_response
from pmot.core.permissions import get_object_for_view, user_can

PAGE_SIZE = 25


def require_conduct(user, body: Body) -> None:
    """The secretary of the Ayuntamiento conducts every body; a technical secretary, theirs."""
    if not user_can(user, "committees.conduct_body", body):
        raise PermissionDenied


def conducted_item(request, pk) -> AgendaItem:
    item = get_object_for_view(
        request.user, AgendaItem.objects.select_related("session__body"), pk=pk
    )
    require_conduct(request.user, item.session.body)
    return item


def conducted_session(request, pk) -> Session:
    session = get_object_for_view(request.user, Session.objects.select_related("body"), pk=pk)
    require_conduct(request.user, session.body)
    return session


def pdf_response(document) -> FileResponse:
    return file_response(document, content_type="application/pdf", inline=True)


def managed_agreement(request, pk) -> Agreement:
    agreement = get_object_for_view(request.user, Agreement.objects.select_related("body"), pk=pk)
    require_conduct(request.user, agreement.body)
    return agreement


def agreement_context(agreement: Agreement) -> dict:
    vote = getattr(agreement.item, "vote", None)
    return {
        "agreement": agreement,
        "vote": vote,
        "ballots": selectors.ballots_of(vote) if vote else [],
        "versions": agreement.versions.select_related("created_by"),
        "follow_ups": agreement.follow_ups.select_related("recorded_by"),
    }
