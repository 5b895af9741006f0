"""{% load information %}: hectares as people in Mexico read them (1,234.56)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hectares(value) -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return number_format(amount, 2, use_l10n=True, force_grouping=True)
