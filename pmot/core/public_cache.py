"""The cache of the public pages: what a citizen reads is rendered once per change.

Views marked `@public_page` are public (they also carry `@login_not_required`). Their HTML, as
it leaves the middleware stack, is kept in the cache (Redis) under its address and language,
tagged with the *generation* of the published records. `PublicPageCacheMiddleware`, high in
the stack, answers a visitor's request from that copy before sessions, CSRF, authentication and
the view run: the cost of a cached page is one Redis round trip.

Any saved or deleted record moves the generation on (after its transaction commits), so the
next visitor gets a freshly rendered page. Only one request renders it: visitors who arrive
while it renders get the copy from before the change (for the seconds a render takes, at most
RENDER_SECONDS), so a crowd of visitors during a stream of saves costs one render per page and
change, not one per visitor. A safety timeout bounds the life of every entry, for writes that
bypass model signals (`QuerySet.update()`): services that write so call `changed()`.

When the cache does not answer (Redis down), pages are rendered as if there were no cache:
slower, never missing.

Only GET requests without a session cookie (people logged in have one) or a pending message are
served from the cache, and only plain 200 responses that set no cookie (so used no CSRF token)
are kept. The CSP nonce of the cached HTML is replaced by a fresh one on each response.
"""

import hashlib
import logging
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

from pmot.core import redis_outage
from pmot.core.models import Job
from pmot.core.outbox import job_enqueue

logger = logging.getLogger(__name__)

# Every key starts with it; tests give each test a namespace of its own.
NAMESPACE = "public"
TIMEOUT = 15 * 60  # seconds
# How long the request that renders a page anew holds the others to the previous copy.
RENDER_SECONDS = 10
NONCE_MARK = b"\x00pmot-nonce\x00"
# Made again for each response by the middlewares above this one.
SKIPPED_HEADERS = {"set-cookie", "content-length", "content-security-policy"}


PAGE_PARAMS = ("page", "pagina")
MAX_PARAM_LENGTH = 40

# The job that moves the generation on once the cache answers again (pmot/core/tasks.py), sent
# by name through the outbox: that module imports this one.
REFRESH_TASK = "pmot.core.tasks.public_pages_changed"


def public_page(view=None, *, params: tuple[str, ...] = ()):
    """Mark a view's responses as the same for every visitor without an account.

    `@public_page` or `@public_page(params=("tipo", ...))`: the query parameters, besides the
    page number, that change what it shows. A request with any other parameter (or an
    overlong value) is answered but not kept, so made-up addresses cannot fill the cache.
    """
    allowed = frozenset(PAGE_PARAMS + tuple(params))

    def decorate(view):
        @wraps(view)
        def marked_view(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.public_page = allowed
            return response

        return marked_view

    return decorate(view) if view is not None else decorate


class PublicPageCacheMiddleware:
    """Answer visitors from the cache; keep the public pages rendered for them.

    Sits right below the CSP middleware (which gives each response its nonce) and above
    sessions: a hit skips the rest of the stack, a kept page has every header the rest added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redis_outage.forget()  # every request tries Redis afresh (it is above all that uses it)
        if not _visitor(request):
            return self.get_response(request)
        if redis_outage.recently_unanswered():
            return self.get_response(request)
        key = _page_key(request)
        try:
            found = cache.get_many([_generation_key(), key])
        except Exception:  # noqa: BLE001 - any cache failure: serve the page uncached
            logger.warning("Public page cache unavailable; serving %s uncached", request.path)
            redis_outage.note_no_answer()
            return self.get_response(request)
        generation = found.get(_generation_key(), 0)
        entry = found.get(key)
        if entry is not None and entry["generation"] == generation:
            return _restore(request, entry)
        if entry is not None and not _claim_render(key, generation):
            return _restore(request, entry)  # another request renders the new copy right now
        response = self.get_response(request)
        if _storable(request, response):
            _store(request, key, generation, response)
        return response


def changed() -> None:
    """The published records changed: every cached page is out of date. When the cache does
    not answer, a job in the outbox (PostgreSQL) moves the generation on once it does."""
    if redis_outage.recently_unanswered():
        _bump_later()
        return
    try:
        bump()
    except Exception:  # noqa: BLE001 - the outbox tries again; entries expire after TIMEOUT anyway
        logger.warning("Public page cache unavailable; its refresh waits in the outbox")
        redis_outage.note_no_answer()
        _bump_later()


def bump() -> None:
    """Move the generation on (raises when the cache does not answer)."""
    try:
        cache.incr(_generation_key())
    except ValueError:  # no generation yet
        cache.add(_generation_key(), 1, timeout=None)


def _bump_later() -> None:
    """A job moves the generation on once the cache answers. Redis did not answer a moment ago
    and it is the broker too: the outbox leaves the job late without sending it (a second wait
    in this request), for the resend (beat, every minute)."""
    if not Job.objects.unfinished().filter(task_name=REFRESH_TASK).exists():
        job_enqueue(task_name=REFRESH_TASK, kwargs={})


def watch(app_labels: list[str], *, except_models: frozenset[str] = frozenset()) -> None:
    """Move the generation on whenever a record of these apps is saved or deleted, but for
    the models named in `except_models` (labels such as "actors.User")."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical") or model._meta.label in except_models:
                continue
            uid = f"public-cache:{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid + ":save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid + ":delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_write, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
                )


def _on_write(sender, **kwargs) -> None:
    """Once per transaction, however many rows it writes (an import writes thousands): not
    again while a callback registered within the savepoints still open is pending (one of an
    inner savepoint since released may still be discarded by a rollback: registered anew)."""
    connection = transaction.get_connection()
    open_savepoints = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        func is changed and sids <= open_savepoints
        for sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(changed, robust=True)


def _visitor(request) -> bool:
    """A GET by someone not logged in (no session) and with no message waiting for them."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _generation_key() -> str:
    return f"{NAMESPACE}:generation"


def _page_key(request) -> str:
    """By address, scheme and host: absolute links in a page (open data) follow the request."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"{NAMESPACE}:page:{get_language()}:{digest}"


def _claim_render(key: str, generation: int) -> bool:
    """Whether this request renders the page for this generation (the first to ask does)."""
    try:
        return cache.add(f"{key}:render:{generation}", 1, timeout=RENDER_SECONDS)
    except Exception:  # noqa: BLE001 - no cache to agree through: render
        redis_outage.note_no_answer()
        return True


def _storable(request, response) -> bool:
    allowed = getattr(response, "public_page", None)
    return (
        allowed is not None
        and all(
            name in allowed and len(values) == 1 and len(values[0]) <= MAX_PARAM_LENGTH
            for name, values in request.GET.lists()
        )
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.user.is_authenticated
    )


def _store(request, key, generation, response) -> None:
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        content = content.replace(nonce.encode(), NONCE_MARK)
    entry = {
        "generation": generation,
        "content": content,
        "headers": [
            (name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS
        ],
    }
    try:
        cache.set(key, entry, TIMEOUT)
    except Exception:  # noqa: BLE001 - the visitor already has the page
        logger.warning("Public page cache unavailable; %s not kept", request.path)
        redis_outage.note_no_answer()


def _restore(request, entry) -> HttpResponse:
    content = entry["content"]
    if NONCE_MARK in content:
        content = content.replace(NONCE_MARK, str(request.csp_nonce).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"]:
        response[name] = value
    return response
