from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


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
