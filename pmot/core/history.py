"""Who wrote a history row, outside a request."""

from contextlib import contextmanager
from types import SimpleNamespace

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
