"""Money and numbers as people in Mexico read them: $1,234,567.89 and 85.5 %."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def money(value) -> str:
    """Pesos with two decimals and thousands separators; negative amounts keep their sign."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}${number_format(abs(amount), 2, use_l10n=True, force_grouping=True)}"


def percent(value, decimals: int = 1) -> str:
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), decimals, use_l10n=True)} %"


def integer(value) -> str:
    if value is None or value == "":
        return "—"
    return number_format(int(value), 0, use_l10n=True, force_grouping=True)
