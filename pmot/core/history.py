"""Who wrote a history row outside a request, and when records last changed."""

import datetime
from contextlib import contextmanager
from types import SimpleNamespace

from django.db.models import Max
from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user):
    """Record `user` as the author of every history row written inside the block.

    Requests get this from simple-history's middleware; tasks and commands have no request,
    so the job runner and the demo-data command say who acts. `None` means the system.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        if previous is None:
            if hasattr(context, "request"):
                del context.request
        else:
            context.request = previous


def last_changed(*querysets) -> datetime.datetime | None:
    """When any record of these querysets last changed, from their history: the "last update"
    date every public page shows. One query per queryset, whatever its size."""
    latest = None
    for queryset in querysets:
        history = queryset.model.history
        pk_name = queryset.model._meta.pk.attname
        found = history.filter(**{f"{pk_name}__in": queryset.values("pk")}).aggregate(
            at=Max("history_date")
        )["at"]
        if found is not None and (latest is None or found > latest):
            latest = found
    return latest
