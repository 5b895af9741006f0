"""The client's address, as far as we can trust it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """Behind our reverse proxy (BEHIND_PROXY), the address it appended last to
    X-Forwarded-For: earlier entries come from the client and can be forged. Otherwise the
    address of the connection itself."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
