"""The one place where views ask what a user may see and change.

A role's model permission (from its group) covers every row; an object permission (django-guardian,
granted only by membership services) covers one row. So `accept_global_perms` is on purpose:
the global permission is checked first, the object permission second.

Views answer 404 when the user may not see a thing (a hidden thing and a missing thing look the
same) and 403 when the user may see it but not change it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user


def perm_name(model: type[Model] | Model, action: str) -> str:
    """`actors.change_organization` for (Organization, "change")."""
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def user_can(user, action: str, obj: Model) -> bool:
    """May `user` do `action` ("view", "change", "delete", or a custom codename) to `obj`?"""
    perm = perm_name(obj, action) if "." not in action else action
    return user.has_perm(perm) or user.has_perm(perm, obj)


def get_object_for_view(user, queryset: QuerySet, **lookup) -> Model:
    """The object if `user` may see it, else 404."""
    obj = get_object_or_404(queryset, **lookup)
    if not user_can(user, "view", obj):
        raise Http404
    return obj


def get_object_for_change(user, queryset: QuerySet, *, action: str = "change", **lookup) -> Model:
    """The object if `user` may change it; 404 if they may not even see it, else 403."""
    obj = get_object_for_view(user, queryset, **lookup)
    if not user_can(user, action, obj):
        raise PermissionDenied
    return obj


def require_perm(user, perm: str) -> None:
    """403 unless the user's roles give `perm` (for creating, where there is no object yet)."""
    if not user.has_perm(perm):
        raise PermissionDenied


def restrict(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """The rows of `queryset` that `user` may act on: all of them with the role's permission,
    otherwise only those granted one by one."""
    perm = perm_name(queryset.model, action)
    if user.has_perm(perm):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return get_objects_for_user(
        user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
    )
