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


@register.simple_tag(takes_context=True)
def aria_current(context, prefix: str) -> str:
    """For `aria-current="..."`: "page" on the navigation entry whose URL starts the path."""
    path = context["request"].path
    current = path == prefix if prefix == "/" else path.startswith(prefix)
    return "page" if current else "false"


@register.filter
def width_step(value) -> int:
    """A percentage rounded to the nearest 5, for the `w-N` width classes (no inline styles
    under our CSP)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(min(max(round(number / 5) * 5, 0), 100))


@register.simple_tag(takes_context=True)
def if_current(context, *prefixes: str) -> str:
    """For a navigation section's class: " site-nav__link--current" when the path is under
    any of `prefixes`."""
    path = context["request"].path
    return " site-nav__link--current" if any(path.startswith(p) for p in prefixes) else ""
