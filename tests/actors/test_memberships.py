"""Memberships give roles: groups and object permissions follow them, and only them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pmot.actors.models import Membership
from pmot.actors.roles import Role
from pmot.actors.services import memberships as services
from pmot.core.permissions import user_can
from tests.factories import UserFactory, membership

TODAY = timezone.localdate()


def fresh(user):
    """The same person with caches of permissions cleared, as on their next request."""
    return type(user).objects.get(pk=user.pk)


def test_a_membership_in_effect_gives_the_role_group(orgs):
    user = UserFactory()
    membership(user, orgs["implan"], Role.IMPLAN_PLANNER)
    assert fresh(user).has_perm("actors.add_organization")
    assert list(user.groups.values_list("name", flat=True)) == ["implan_planner"]


def test_a_liaison_may_change_only_their_own_organization(orgs):
    user = UserFactory()
    membership(user, orgs["state_agency"], Role.STATE_LIAISON)
    user = fresh(user)
    assert user_can(user, "change", orgs["state_agency"])
    assert user_can(user, "actors.report_for_organization", orgs["state_agency"])
    assert not user_can(user, "change", orgs["works"])
    assert not user.has_perm("actors.change_organization")


def test_ending_a_membership_takes_back_its_role_and_object_permissions(orgs):
    user = UserFactory()
    held = membership(user, orgs["state_agency"], Role.STATE_LIAISON)
    services.membership_end(membership=held, end_date=TODAY)
    user = fresh(user)
    assert not user.groups.exists()
    assert not user_can(user, "change", orgs["state_agency"])
    held.refresh_from_db()
    assert held.status == Membership.Status.ENDED


def test_ending_one_of_two_memberships_with_the_same_role_keeps_the_role(orgs):
    user = UserFactory()
    first = membership(user, orgs["implan"], Role.IMPLAN_PLANNER)
    membership(user, orgs["council"], Role.IMPLAN_PLANNER)
    services.membership_end(membership=first)
    assert fresh(user).has_perm("actors.add_organization")


def test_the_administrator_role_opens_the_admin_site_and_closes_it_when_it_ends(orgs):
    user = UserFactory()
    held = membership(user, orgs["implan"], Role.IMPLAN_ADMIN)
    assert fresh(user).is_staff
    services.membership_end(membership=held)
    assert not fresh(user).is_staff


def test_a_future_membership_gives_nothing_until_its_start_date(orgs):
    user = UserFactory()
    start = TODAY + datetime.timedelta(days=10)
    held = membership(user, orgs["implan"], Role.IMPLAN_PLANNER, start=start)
    assert held.status == Membership.Status.SCHEDULED
    assert not fresh(user).has_perm("actors.view_organization")

    assert services.memberships_sync(today=start) == (1, 0)
    assert fresh(user).has_perm("actors.view_organization")


def test_the_daily_check_ends_memberships_past_their_end_date_once(orgs):
    user = UserFactory()
    end = TODAY + datetime.timedelta(days=3)
    membership(user, orgs["works"], Role.MUNICIPAL_LIAISON, end=end)
    day_after = end + datetime.timedelta(days=1)

    assert services.memberships_sync(today=end) == (0, 0)
    assert services.memberships_sync(today=day_after) == (0, 1)
    assert services.memberships_sync(today=day_after) == (0, 0)
    user = fresh(user)
    assert not user_can(user, "change", orgs["works"])
    ended = Membership.objects.get(user=user)
    assert ended.status == Membership.Status.ENDED
    assert ended.history.first().history_change_reason.startswith("Termin")


@pytest.mark.parametrize(
    ("role", "org_key"),
    [
        (Role.STATE_LIAISON, "works"),
        (Role.FEDERAL_LIAISON, "state_agency"),
        (Role.PRIVATE_REPRESENTATIVE, "neighbours"),
        (Role.CITIZEN_REPRESENTATIVE, "chamber"),
        (Role.IMPLAN_PLANNER, "university"),
    ],
)
def test_a_role_is_held_only_through_an_organization_of_its_sector(orgs, role, org_key):
    user = UserFactory()
    with pytest.raises(ValidationError, match="sector"):
        membership(user, orgs[org_key], role)
    assert not Membership.objects.filter(user=user).exists()
    assert not user.groups.exists()


def test_the_same_role_in_the_same_organization_is_held_once(orgs):
    user = UserFactory()
    membership(user, orgs["implan"], Role.IMPLAN_PLANNER)
    with pytest.raises(ValidationError):
        membership(user, orgs["implan"], Role.IMPLAN_PLANNER)
    assert Membership.objects.filter(user=user).count() == 1


def test_an_ended_membership_cannot_end_again(orgs):
    held = membership(UserFactory(), orgs["implan"], Role.IMPLAN_PLANNER)
    services.membership_end(membership=held)
    with pytest.raises(ValidationError):
        services.membership_end(membership=held)


def test_roles_come_from_memberships_only(orgs):
    """Groups exist for every role and are not handed to anyone by the migration."""
    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)
    assert not Group.objects.filter(user__isnull=False).exists()


def test_a_past_term_is_recorded_as_ended_and_does_not_block_the_current_one(orgs):
    user = UserFactory()
    past = membership(
        user,
        orgs["works"],
        Role.MUNICIPAL_LIAISON,
        start=datetime.date(2021, 10, 15),
        end=datetime.date(2024, 10, 14),
    )
    assert past.status == Membership.Status.ENDED
    assert not fresh(user).groups.exists()
    current = membership(user, orgs["works"], Role.MUNICIPAL_LIAISON)
    assert current.status == Membership.Status.ACTIVE


def test_a_membership_not_started_is_cancelled_without_ever_giving_its_role(orgs):
    user = UserFactory()
    future = membership(
        user, orgs["implan"], Role.IMPLAN_PLANNER, start=TODAY + datetime.timedelta(days=5)
    )
    services.membership_cancel(membership=future)
    future.refresh_from_db()
    assert future.status == Membership.Status.CANCELLED
    assert services.memberships_sync(today=TODAY + datetime.timedelta(days=5)) == (0, 0)
    assert not fresh(user).groups.exists()


def test_an_active_membership_cannot_be_cancelled(orgs):
    held = membership(UserFactory(), orgs["implan"], Role.IMPLAN_PLANNER)
    with pytest.raises(ValidationError):
        services.membership_cancel(membership=held)


def test_the_end_page_of_a_membership_not_started_offers_to_cancel_it(client_as, orgs):
    future = membership(
        UserFactory(),
        orgs["works"],
        Role.MUNICIPAL_LIAISON,
        start=TODAY + datetime.timedelta(days=5),
    )
    client = client_as("admin")
    page = client.get(reverse("actors:membership_end", args=[future.pk]))
    assert "Cancelar membresía" in page.text
    response = client.post(reverse("actors:membership_end", args=[future.pk]))
    assert response.status_code == 302
    future.refresh_from_db()
    assert future.status == Membership.Status.CANCELLED
