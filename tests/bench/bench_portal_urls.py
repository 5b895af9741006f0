"""URLs of the public-portal benchmark: every pmot URL, plus /bench/minimal/, the smallest page
Django can serve through pmot's middleware: the yardstick the public pages are measured by."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from pmot.urls import urlpatterns as pmot_urlpatterns

MINIMAL_PATH = "/bench/minimal/"


@login_not_required
def minimal(request: HttpRequest) -> HttpResponse:
    """No database, no template, no cache: a few bytes through the middleware."""
    return HttpResponse(b"ok")


urlpatterns = [path(MINIMAL_PATH.strip("/") + "/", minimal), *pmot_urlpatterns]
