"""The clock of the tests: whatever depends on the date runs on a day the test chooses, never on
the machine's (TESTING-NOTES.md, "Deterministic suites"). Moments are in the municipality's time
zone, as `timezone.localdate()` reads them.

    with frozen(DEMO_DAY):
        ...

Frozen, not ticking: `timezone.now()` stays put until the block ends. PostgreSQL's own `now()`
is not moved (a server process); nothing in pmot relies on it."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

TZ = ZoneInfo("America/Mexico_City")

# The day the demo's story (pmot.actors.demo) is written for, and fixtures dated in 2026 and
# 2027 expect: 2027 is the year to come.
DEMO_DAY = datetime.date(2026, 12, 6)


def moment(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """`day` at `hour`:`minute` in Aguascalientes."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def frozen(day: datetime.date | datetime.datetime = DEMO_DAY, hour: int = 10):
    """The clock stopped at `day` (10:00 in Aguascalientes unless a moment is given): a context
    manager and a decorator (time-machine's `travel`)."""
    when = day if isinstance(day, datetime.datetime) else moment(day, hour)
    return time_machine.travel(when, tick=False)
