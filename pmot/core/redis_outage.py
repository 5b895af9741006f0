"""Redis did not answer a moment ago: the rest of this request skips it instead of waiting one
more socket timeout. The cache and the broker are the same Redis, so a save that both refreshes
the public pages and hands a job to the broker would otherwise wait twice; a request waits for
a frozen Redis at most once (README, "Seguridad y operación"). What it skips is never lost: the
page is served uncached, the refresh and the job wait in the outbox, late at once, for the
resend. Kept per thread, forgotten when a request or a resend starts and after a few seconds,
so the next request, resend or worker tries Redis again."""

import threading
import time

from django.conf import settings

_state = threading.local()


def note_no_answer() -> None:
    _state.until = time.monotonic() + settings.PMOT_REDIS_QUIET_SECONDS


def recently_unanswered() -> bool:
    return time.monotonic() < getattr(_state, "until", 0.0)


def forget() -> None:
    _state.until = 0.0
