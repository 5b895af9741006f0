"""Pages every app shows the same way for its own records."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pmot.core.history import Source, history_entries


def history_page(
    request: HttpRequest, *, record, dependents: list[Source] = (), back_url: str
) -> HttpResponse:
    """The "Historial" page of `record`, already loaded with the permission check of its own
    page: who changed what, when and why, in the record and in its `dependents` (the rows of
    other models that belong to it and have no page of their own)."""
    page, entries = history_entries(record, list(dependents), request.GET.get("page"))
    return render(
        request,
        "core/history.html",
        {"record": record, "page": page, "entries": entries, "back_url": back_url},
    )
