from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from pmot.core.network import is_trusted_proxy


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header: pmot uses no camera, microphone or location."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PMOT_PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """Refuses (413) a request whose body is larger than the largest upload allowed, before
    Django reads it: a huge POST never fills the temporary disk. The reverse proxy should say
    the same (`client_max_body_size`); this holds where there is none."""

    SLACK = 1024 * 1024  # the rest of a form around its file

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.PMOT_MAX_UPLOAD_MB * 1024 * 1024 + self.SLACK
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            # Rendered without the request: nothing below this middleware has run.
            page = render_to_string("413.html", {"mb": settings.PMOT_MAX_UPLOAD_MB})
            return HttpResponse(page, status=413)
        return self.get_response(request)


class InvalidInputMiddleware:
    """Refuses (400) a request whose path or query string holds a NUL character, before any
    view puts it in a query: PostgreSQL cannot store one and would answer with an error page
    (`/personas/?q=%00` was a 500). Form fields refuse it on their own (Django's validator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        unreadable = "\x00" in request.path or "%00" in query or "\x00" in query
        if not unreadable:
            unreadable = any("\x00" in value for value in request.GET.values())
        if unreadable:
            return HttpResponse(render_to_string("400.html"), status=400)
        return self.get_response(request)


class UntrustedProxyHeadersMiddleware:
    """First of all: X-Forwarded-Proto on a connection that is not from one of our proxies
    (PMOT_TRUSTED_PROXIES) is dropped before SecurityMiddleware reads it, or a client reaching
    gunicorn directly could pass plain HTTP for HTTPS. X-Forwarded-For is judged where it is
    read, by pmot.core.network.client_ip, and kept for the security log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)
