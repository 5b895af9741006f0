"""Settings of the public-portal benchmark (tests/bench/bench_portal.py): pmot's own settings,
unchanged, with a URL configuration that adds one minimal page next to pmot's, so the pages and
the yardstick they are compared with go through the same middleware, in the same gunicorn."""

from pmot.settings import *  # noqa: F403

ROOT_URLCONF = "bench_portal_urls"
