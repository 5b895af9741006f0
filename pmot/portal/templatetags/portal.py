"""The navigation bars' entries for the templates (the data in pmot/portal/navigation.py)."""

from django import template

from pmot.portal import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_navigation(context) -> list[navigation.Entry]:
    request = context["request"]
    return navigation.entries(
        navigation.STAFF, user=request.user, path=request.path, link_class="site-nav__link"
    )


@register.simple_tag(takes_context=True)
def public_navigation(context) -> list[navigation.Entry]:
    request = context["request"]
    return navigation.entries(navigation.PUBLIC, user=request.user, path=request.path)
