"""How far a background job went, for the page that follows it.

A job of the outbox runs inside one transaction: a row it writes is seen only at the end, so
its progress goes to the cache, which others read at once. The cache may be down, or absent
(the embedded `make run`, where jobs run inline): the page then only says the job is working.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

TIMEOUT = 6 * 3600


def progress_report(key: str, *, done: int, total: int | None, label: str) -> None:
    try:
        cache.set(f"progress:{key}", {"done": done, "total": total, "label": label}, TIMEOUT)
    except Exception:  # a cache outage must not stop the job
        logger.warning("Progress not recorded for %s", key, exc_info=True)


def progress_of(key: str) -> dict | None:
    """{"done", "total", "label"} as last reported; None when nothing is known."""
    try:
        return cache.get(f"progress:{key}")
    except Exception:  # a cache outage must not break the page
        logger.warning("Progress unavailable for %s", key, exc_info=True)
        return None
