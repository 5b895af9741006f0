"""Counting the renders of public pages in the benchmarks' gunicorn (bench_portal_settings).

pmot's public page cache (pmot/core/public_cache.py) keeps each page it renders for visitors
with `_store(request, key, generation, response)`, given the cache generation the request
was answered for. Wrapped here, each such store is counted in Redis by that generation and the
page's address: one count per render of a public page, so a benchmark can count how many
renders one change of the published records cost under concurrent requests. (Reading the
generation again in a middleware of our own would race with a change made meanwhile and could
count a render against the next change.)
"""

import contextlib

from django.core.cache import cache

from pmot.core import public_cache

RENDERS_KEY = "pmot-bench:renders"


def _client():
    return cache._cache.get_client(write=True)


def install() -> None:
    """Wrap the cache's store in this process (once)."""
    original = public_cache._store
    if getattr(original, "counted", False):
        return

    def counted_store(request, key, generation, response):
        # A count lost shows as a render missing, never as one too many.
        with contextlib.suppress(Exception):
            _client().hincrby(RENDERS_KEY, f"{generation} {request.get_full_path()}", 1)
        return original(request, key, generation, response)

    counted_store.counted = True
    public_cache._store = counted_store


class RenderCountMiddleware:
    """Installs the count when gunicorn's worker loads the middleware; passes every request
    on unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response
        install()

    def __call__(self, request):
        return self.get_response(request)


def reset() -> None:
    _client().delete(RENDERS_KEY)


def counts() -> dict[tuple[int, str], int]:
    """{(generation, address): renders} since the last reset."""
    found = _client().hgetall(RENDERS_KEY)
    result = {}
    for field, value in found.items():
        generation, path = field.decode().split(" ", 1)
        result[(int(generation), path)] = int(value)
    return result


def generation() -> int:
    return cache.get(public_cache._generation_key(), 0)
