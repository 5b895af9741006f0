"""Template helpers every app uses: {% load pmot %}."""

from django import template
from django.templatetags.static import static

from pmot.core import formatting

register = template.Library()

register.filter("mxn", formatting.money)
register.filter("percent", formatting.percent)
register.filter("integer", formatting.integer)
register.filter("figure", formatting.figure)
register.filter("long_date", formatting.long_date)
register.filter("full_date", formatting.full_date)
register.filter("date_time", formatting.date_time)


@register.simple_tag
def asset(path: str) -> str:
    """A configured asset (the logo), always from our own static files."""
    return static(path.lstrip("/"))


@register.filter
def width_step(value) -> int:
    """A percentage rounded to the nearest 5, for the `w-N` width classes (no inline styles
    under our CSP)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(min(max(round(number / 5) * 5, 0), 100))
