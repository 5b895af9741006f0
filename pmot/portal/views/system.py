"""Machine-facing pages: the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and compose health checks: 200 when the database answers a query
    (a kept connection may be dead: only a query through the health check tells)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
