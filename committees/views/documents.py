"""The notice and the agenda of a session as PDFs on the municipality's letterhead, for whoever
may see the session. Rendered when asked for: they are short and change until the session."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from committees.models import Session
from committees.services import documents
from pmot.core.downloads import content_response
from pmot.core.permissions import get_object_for_view


def _session(request: HttpRequest, pk: int) -> Session:
    return get_object_for_view(request.user, Session.objects.select_related("body"), pk=pk)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    return content_response(content, filename=filename, content_type="application/pdf", inline=True)


@require_safe
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if session.notice_issued_at is None:
        raise Http404  # no notice was issued: there is nothing to print yet
    return _pdf(
        documents.notice_pdf(session=session),
        f"convocatoria-{session.body.key}-{session.code}-{session.year}.pdf",
    )


@require_safe
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return _pdf(
        documents.agenda_pdf(session=session),
        f"orden-del-dia-{session.body.key}-{session.code}-{session.year}.pdf",
    )
