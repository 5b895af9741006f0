"""The "Historial" pages of a body, a session, its minutes and an agreement
(pmot.core.views.history_page), each loaded with the permission check of its own page."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from committees.models import (
    AgendaItem,
    Agreement,
    AgreementVersion,
    Attendance,
    Body,
    Designation,
    FollowUp,
    ItemDocument,
    Leave,
    Member,
    Minutes,
    Session,
)
from pmot.core.formatting import long_date
from pmot.core.history import Source
from pmot.core.permissions import get_object_for_view
from pmot.core.views import history_page


@require_safe
def body_history(request: HttpRequest, key: str) -> HttpResponse:
    """The body, its seats (members), its designations and the leaves of its members."""
    body = get_object_for_view(request.user, Body.objects.all(), key=key)
    members = Member.history.filter(body_id=body.pk)
    return history_page(
        request,
        record=body,
        dependents=[
            Source(
                members.select_related("user"),
                lambda row: f"{row.user} · {row.get_role_display()}",
            ),
            Source(
                Designation.history.filter(body_id=body.pk),
                lambda row: long_date(row.start_date),
            ),
            Source(
                Leave.history.filter(member_id__in=members.values("id")).select_related(
                    "member__user"
                ),
                lambda row: f"{row.member.user} · {long_date(row.starts_on)}",
            ),
        ],
        back_url=reverse("committees:body_detail", args=[body.key]),
    )


@require_safe
def session_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The session, its agenda items and their documents, and its attendance list."""
    session = get_object_for_view(request.user, Session.objects.select_related("body"), pk=pk)
    items = AgendaItem.history.filter(session_id=session.pk)
    return history_page(
        request,
        record=session,
        dependents=[
            Source(items, lambda row: f"{row.number}. {row.title}"),
            Source(
                ItemDocument.history.filter(item_id__in=items.values("id")),
                lambda row: row.title,
            ),
            Source(
                Attendance.history.filter(session_id=session.pk).select_related("member__user"),
                lambda row: str(row.member.user),
            ),
        ],
        back_url=reverse("committees:session_detail", args=[session.pk]),
    )


@require_safe
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement, its corrected versions and its follow-up."""
    agreement = get_object_for_view(request.user, Agreement.objects.all(), pk=pk)
    return history_page(
        request,
        record=agreement,
        dependents=[
            Source(
                AgreementVersion.history.filter(agreement_id=agreement.pk),
                lambda row: f"v{row.number}",
            ),
            Source(
                FollowUp.history.filter(agreement_id=agreement.pk),
                lambda row: f"{long_date(row.date)} · {row.progress} %",
            ),
        ],
        back_url=reverse("committees:agreement_detail", args=[agreement.pk]),
    )


@require_safe
def minutes_history(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_for_view(
        request.user, Minutes.objects.select_related("session__body"), pk=pk
    )
    return history_page(
        request,
        record=minutes,
        back_url=reverse("committees:minutes_detail", args=[minutes.pk]),
    )
