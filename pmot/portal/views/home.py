"""The public home page: the PMOT in one screen."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pmot.core.public_cache import public_page


@login_not_required
@public_page
def home(request: HttpRequest) -> HttpResponse:
    """What anyone, without an account, first reads."""
    return render(request, "portal/home.html")
