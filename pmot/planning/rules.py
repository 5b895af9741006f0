"""Pure rules of the planning procedure: business days, and the term of the state's congruence
opinion (LGAHOTDU art. 44). No database, no user.

Business days are Monday to Friday except the official rest days of the Ley Federal del
Trabajo (art. 74); state law may add its own, listed in the setting PMOT_EXTRA_HOLIDAYS
(ISO dates). The public consultation (phases) counts its period with them too.
"""

import datetime

from django.conf import settings

# LGAHOTDU art. 44: the state answers within 90 business days of the municipality's request;
# its silence counts as a favourable opinion.
OPINION_BUSINESS_DAYS = 90


def _nth_monday(year: int, month: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    offset = (7 - first.weekday()) % 7  # days until the first Monday
    return first + datetime.timedelta(days=offset + 7 * (n - 1))


def official_holidays(year: int) -> set[datetime.date]:
    """The rest days of LFT art. 74 in `year`."""
    days = {
        datetime.date(year, 1, 1),
        _nth_monday(year, 2, 1),  # Constitution day
        _nth_monday(year, 3, 3),  # Benito Juárez
        datetime.date(year, 5, 1),
        datetime.date(year, 9, 16),
        _nth_monday(year, 11, 3),  # Revolution
        datetime.date(year, 12, 25),
    }
    if (year - 2024) % 6 == 0:  # the federal executive takes office on 1 October
        days.add(datetime.date(year, 10, 1))
    extra = {datetime.date.fromisoformat(day) for day in settings.PMOT_EXTRA_HOLIDAYS}
    return days | {day for day in extra if day.year == year}


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in official_holidays(day.year)


def last_day(opens_on: datetime.date, days: int, *, business: bool) -> datetime.date:
    """The last day of a period of `days` days that starts on `opens_on` (counted as the
    first day when it is a day that counts)."""
    if days < 1:
        raise ValueError("A period lasts at least one day")
    if not business:
        return opens_on + datetime.timedelta(days=days - 1)
    day, counted = opens_on, 0
    while True:
        if is_business_day(day):
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def opinion_deadline(requested_on: datetime.date) -> datetime.date:
    """The last day the state has to give its opinion: the 90th business day counted from the
    day after the request (the day of the request itself does not count)."""
    return last_day(requested_on + datetime.timedelta(days=1), OPINION_BUSINESS_DAYS, business=True)


def tacit_opinion_on(requested_on: datetime.date) -> datetime.date:
    """The day the state's silence counts as a favourable opinion: the day after its term."""
    return opinion_deadline(requested_on) + datetime.timedelta(days=1)
