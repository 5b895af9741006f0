"""The Django admin, for the IMPLAN administrator: in Spanish, with history, and unable to go
around the membership services."""

import datetime
from html import escape

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from pmot.actors.models import Membership
from pmot.actors.roles import Role
from tests.factories import UserFactory, membership


def admin_urls():
    for model in admin.site._registry:
        meta = model._meta
        yield f"admin:{meta.app_label}_{meta.model_name}_changelist"


@pytest.mark.parametrize("url_name", list(admin_urls()))
def test_every_admin_list_opens_in_spanish(client_as, orgs, url_name):
    response = client_as("admin").get(reverse(url_name))
    assert response.status_code == 200
    assert "Administración de pmot" in response.text


def test_an_organization_history_shows_who_changed_it(client_as, persona, orgs):
    works = orgs["works"]
    client_as("planner").post(
        reverse("actors:organization_update", args=[works.pk]),
        {"name": works.name, "sector": works.sector, "phone": "449 910 1000", "is_active": "on"},
    )
    response = client_as("admin").get(reverse("admin:actors_organization_history", args=[works.pk]))
    assert response.status_code == 200
    assert "Historia de modificaciones" in response.text
    assert escape(str(persona("planner"))) in response.text


def test_the_admin_cannot_delete_a_membership(client_as, persona):
    held = persona("state_liaison").memberships.get()
    response = client_as("admin").post(
        reverse("admin:actors_membership_delete", args=[held.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=held.pk).exists()


def test_role_groups_are_read_only_in_the_admin(client_as, orgs):
    group = Group.objects.get(name=Role.CITIZEN_REPRESENTATIVE)
    before = set(group.permissions.all())
    response = client_as("admin").post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": []},
    )
    assert response.status_code == 403
    assert set(group.permissions.all()) == before


def test_ending_memberships_from_the_admin_ends_active_ones_and_cancels_scheduled_ones(
    client_as, orgs
):
    active_user, future_user = UserFactory(), UserFactory()
    active = membership(active_user, orgs["works"], Role.MUNICIPAL_LIAISON)
    future = membership(
        future_user,
        orgs["works"],
        Role.MUNICIPAL_LIAISON,
        start=timezone.localdate() + datetime.timedelta(days=20),
    )
    response = client_as("admin").post(
        reverse("admin:actors_membership_changelist"),
        {"action": "end_memberships", "_selected_action": [active.pk, future.pk]},
    )
    assert response.status_code == 302
    active.refresh_from_db()
    future.refresh_from_db()
    assert (active.status, future.status) == (Membership.Status.ENDED, Membership.Status.CANCELLED)
    assert not active_user.groups.exists()


def test_a_second_municipality_profile_cannot_be_added(client_as, orgs):
    client = client_as("admin")
    client.post(
        reverse("admin:actors_municipality_add"),
        {"inegi_key": "01001", "population": "", "population_year": "2020"},
    )
    response = client.get(reverse("admin:actors_municipality_add"))
    assert response.status_code == 403


def test_the_admin_refuses_an_unknown_inegi_key(client_as, orgs):
    response = client_as("admin").post(
        reverse("admin:actors_municipality_add"),
        {"inegi_key": "99999", "population": "1000", "population_year": "2020"},
    )
    assert response.status_code == 200
    assert "Ningún municipio tiene la clave INEGI 99999" in response.text
