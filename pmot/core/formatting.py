"""Money, numbers and dates as people in Mexico read them: $1,234,567.89, 85.5 %,
27 de noviembre de 2026. Dates come from CLDR (Babel): Django's own Spanish catalogue
capitalizes month names, which Spanish does not."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date, format_datetime
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

LOCALE = "es_MX"


def _rounded(value, decimals: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def money(value) -> str:
    """Pesos with two decimals and thousands separators; negative amounts keep their sign."""
    if value is None or value == "":
        return "—"
    amount = _rounded(value, 2)
    sign = "-" if amount < 0 else ""
    return f"{sign}${number_format(abs(amount), 2, use_l10n=True, force_grouping=True)}"


def percent(value, decimals: int = 1) -> str:
    if value is None or value == "":
        return "—"
    return f"{number_format(_rounded(value, decimals), decimals, use_l10n=True)} %"


def figure(value, decimals: int = 4) -> str:
    """A measured figure as people write it: 28.5, 1,250, 0.0657 (up to `decimals` places,
    no trailing zeros, never in exponent form)."""
    if value is None or value == "":
        return "—"
    amount = _rounded(value, decimals).normalize()
    places = max(0, -amount.as_tuple().exponent)
    return number_format(amount, places, use_l10n=True, force_grouping=True)


def short_number(value) -> str:
    """A figure short enough for a chart's label or axis: 1.2 M, 850 mil, 1,250, 12.5. Below
    ten thousand it keeps its digits, so an axis' ticks (1,000, 1,250) never read alike."""
    if abs(value) >= 1_000_000:
        return _("%(n)s M") % {"n": figure(Decimal(str(value / 1_000_000)), 1)}
    if abs(value) >= 10_000:
        return _("%(n)s thousand") % {"n": figure(Decimal(str(value / 1_000)), 0)}
    return figure(Decimal(str(value)), 2)


def short_money(value) -> str:
    """Pesos as short as `short_number`: $12.3 M, $850 mil, $9,500."""
    sign = "-" if value < 0 else ""
    return f"{sign}${short_number(abs(value))}"


def integer(value) -> str:
    if value is None or value == "":
        return "—"
    return number_format(int(value), 0, use_l10n=True, force_grouping=True)


def long_date(value: datetime.date | None) -> str:
    """27 de noviembre de 2026"""
    if not value:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return format_date(value, format="long", locale=LOCALE)


def full_date(value: datetime.date | None) -> str:
    """viernes, 27 de noviembre de 2026"""
    if not value:
        return "—"
    return format_date(value, format="full", locale=LOCALE)


def date_time(value: datetime.datetime | None) -> str:
    """27 de noviembre de 2026, 15:30 (local time)"""
    if not value:
        return "—"
    return format_datetime(timezone.localtime(value), "d 'de' MMMM 'de' y, HH:mm", locale=LOCALE)
