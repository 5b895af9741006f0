"""The cache of the public pages: what a citizen reads is rendered once per change.

A public page's HTML is kept in the cache (Redis) under its address and language, tagged with
the *generation* of the published records. Any saved or deleted record moves the generation on
(after its transaction commits), so the next visitor gets a freshly rendered page; a page is
never served from an older generation. A safety timeout bounds the life of every entry, for
writes that bypass model signals (`QuerySet.update()`): services that write so call `changed()`.

When the cache does not answer (Redis down), pages are rendered as if there were no cache:
slower, never missing.

Only anonymous GET/HEAD requests are cached, and only plain 200 responses that set no cookie and
used no CSRF token. The CSP nonce of the cached HTML is replaced by a fresh one on each response.
"""

import hashlib
import logging
from functools import wraps

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Every key starts with it; tests give each test a namespace of its own.
NAMESPACE = "public"
TIMEOUT = 15 * 60  # seconds
NONCE_MARK = b"\x00pmot-nonce\x00"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")


def public_page(view):
    """Serve `view` from the cache for visitors without an account."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        try:
            found = cache.get_many([_generation_key(), key])
        except Exception:  # noqa: BLE001 - any cache failure: serve the page uncached
            logger.warning("Public page cache unavailable; serving %s uncached", request.path)
            return view(request, *args, **kwargs)
        generation = found.get(_generation_key(), 0)
        entry = found.get(key)
        if entry is not None and entry["generation"] == generation:
            return _restore(request, entry)
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            _store(request, key, generation, response)
        return response

    return cached_view


def changed() -> None:
    """The published records changed: every cached page is out of date."""
    try:
        try:
            cache.incr(_generation_key())
        except ValueError:  # no generation yet
            cache.add(_generation_key(), 1, timeout=None)
    except Exception:  # noqa: BLE001 - entries still expire after TIMEOUT
        logger.warning("Public page cache unavailable; pages refresh within %s s", TIMEOUT)


def watch(app_labels: list[str]) -> None:
    """Move the generation on whenever a record of these apps is saved or deleted."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            uid = f"public-cache:{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid + ":delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_write, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
                )


def _on_write(sender, **kwargs) -> None:
    transaction.on_commit(changed, robust=True)


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def _generation_key() -> str:
    return f"{NAMESPACE}:generation"


def _page_key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{NAMESPACE}:page:{get_language()}:{digest}"


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _store(request, key, generation, response) -> None:
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        content = content.replace(nonce.encode(), NONCE_MARK)
    entry = {
        "generation": generation,
        "content": content,
        "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
    }
    try:
        cache.set(key, entry, TIMEOUT)
    except Exception:  # noqa: BLE001 - the visitor already has the page
        logger.warning("Public page cache unavailable; %s not kept", request.path)


def _restore(request, entry) -> HttpResponse:
    content = entry["content"]
    if NONCE_MARK in content:
        content = content.replace(NONCE_MARK, str(request.csp_nonce).encode())
    response = HttpResponse(content)
    for header, value in entry["headers"].items():
        response[header] = value
    return response
