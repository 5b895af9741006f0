"""Memberships and the roles they give. The only place where groups and object permissions
are granted or revoked."""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from pmot.actors import two_factor
from pmot.actors.models import Membership, Organization, User
from pmot.actors.roles import ORGANIZATION_OBJECT_PERMISSIONS, Role, Sector
from pmot.core.models import Job
from pmot.core.outbox import job_enqueue


def membership_validate(
    *,
    user: User,
    organization: Organization,
    role: Role | str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> None:
    """The rules a new membership must meet; raises ValidationError saying which one failed."""
    role = Role(role)
    if organization.sector not in role.sectors:
        raise ValidationError(
            _("The role “%(role)s” is held through an organization of the sector: %(sectors)s.")
            % {
                "role": role.label,
                "sectors": ", ".join(str(Sector(s).label) for s in sorted(role.sectors)),
            }
        )
    if not organization.is_active:
        raise ValidationError(_("The organization is inactive; reactivate it first."))
    if end_date and end_date < start_date:
        raise ValidationError(_("The membership cannot end before it starts."))
    if Membership.objects.open().filter(user=user, organization=organization, role=role).exists():
        raise ValidationError(_("This person already holds that role in this organization."))


@transaction.atomic
def membership_start(
    *,
    user: User,
    organization: Organization,
    role: Role | str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    position: str = "",
) -> Membership:
    """Register a person in an organization with a role. It takes effect on its start date."""
    role = Role(role)
    membership_validate(
        user=user, organization=organization, role=role, start_date=start_date, end_date=end_date
    )
    today = timezone.localdate()
    if end_date and end_date < today:
        status = Membership.Status.ENDED  # a past term, recorded for the history
    elif start_date <= today:
        status = Membership.Status.ACTIVE
    else:
        status = Membership.Status.SCHEDULED
    membership = Membership.objects.create(
        user=user,
        organization=organization,
        role=role,
        position=position,
        start_date=start_date,
        end_date=end_date,
        status=status,
    )
    if status == Membership.Status.ACTIVE:
        _grant(membership)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, end_date: datetime.date | None = None) -> Membership:
    """End a membership and take back what its role gave, unless another membership gives it.

    An end date still to come is recorded now and applied by the daily check on that date.
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status in Membership.Status.closed():
        raise ValidationError(_("This membership has already ended."))
    today = timezone.localdate()
    end_date = end_date or today
    if end_date < membership.start_date:
        raise ValidationError(_("The membership cannot end before it starts."))
    membership.end_date = end_date
    if end_date > today:
        membership.save(update_fields=["end_date"])
        return membership
    membership.status = Membership.Status.ENDED
    membership.save(update_fields=["end_date", "status"])
    _revoke(membership)
    return membership


@transaction.atomic
def membership_cancel(*, membership: Membership) -> Membership:
    """Withdraw a membership that has not started: it never gave anything, so nothing is revoked."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.SCHEDULED:
        raise ValidationError(_("Only a membership that has not started yet can be cancelled."))
    membership.status = Membership.Status.CANCELLED
    membership.save(update_fields=["status"])
    return membership


@transaction.atomic
def memberships_sync(*, today: datetime.date) -> tuple[int, int]:
    """The daily check: start memberships whose date came, end those whose date passed.

    Idempotent: a second run the same day changes nothing. Returns (started, ended).
    """
    started = ended = 0
    for membership in Membership.objects.due_to_start(today).order_by("pk").select_for_update():
        membership.status = Membership.Status.ACTIVE
        membership._change_reason = _("Started automatically: its start date came.")
        membership.save(update_fields=["status"])
        _grant(membership)
        started += 1
    for membership in Membership.objects.due_to_end(today).order_by("pk").select_for_update():
        membership.status = Membership.Status.ENDED
        membership._change_reason = _("Ended automatically: its end date passed.")
        membership.save(update_fields=["status"])
        _revoke(membership)
        ended += 1
    return started, ended


SYNC_TASK = "pmot.actors.tasks.sync_memberships"


@transaction.atomic
def memberships_sync_request(*, today: datetime.date, by=None) -> Job:
    """Ask for today's check now, in the background, instead of waiting for the nightly run."""
    return job_enqueue(task_name=SYNC_TASK, kwargs={"on_date": today.isoformat()}, requested_by=by)


def _grant(membership: Membership) -> None:
    # Lock the person: two memberships changing at once must see each other.
    user, role = User.objects.select_for_update().get(pk=membership.user_id), Role(membership.role)
    user.groups.add(Group.objects.get(name=role.value))
    # Sessions spared the second step while the person could only read are asked for it now.
    two_factor.exemption_forget(user)
    if role.is_organization_bound:
        for codename in ORGANIZATION_OBJECT_PERMISSIONS:
            assign_perm(f"actors.{codename}", user, membership.organization)
    if role == Role.IMPLAN_ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _revoke(membership: Membership) -> None:
    user, role = User.objects.select_for_update().get(pk=membership.user_id), Role(membership.role)
    others = user.memberships.active().exclude(pk=membership.pk)
    if not others.filter(role=role).exists():
        user.groups.remove(Group.objects.get(name=role.value))
        if role == Role.IMPLAN_ADMIN and user.is_staff:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    still_bound = others.filter(
        organization=membership.organization,
        role__in=[r.value for r in Role if r.is_organization_bound],
    ).exists()
    if role.is_organization_bound and not still_bound:
        for codename in ORGANIZATION_OBJECT_PERMISSIONS:
            remove_perm(f"actors.{codename}", user, membership.organization)
