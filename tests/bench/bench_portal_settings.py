"""Settings of the public-portal and load benchmarks (tests/bench/bench_portal.py,
bench_load.py): pmot's own settings with a URL configuration that adds one minimal page next to
pmot's, so the pages and the yardstick they are compared with go through the same middleware,
in the same gunicorn; and a middleware that makes the public page cache count each render it
keeps (bench_render_count), so "one render per change" is measured."""

from pmot.settings import *  # noqa: F403
from pmot.settings import MIDDLEWARE

ROOT_URLCONF = "bench_portal_urls"

_CACHE = "pmot.core.public_cache.PublicPageCacheMiddleware"
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(MIDDLEWARE.index(_CACHE) + 1, "bench_render_count.RenderCountMiddleware")
