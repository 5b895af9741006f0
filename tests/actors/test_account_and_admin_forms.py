"""The password form and the admin's membership form refuse bad input in Spanish."""

from django.urls import reverse

from pmot.actors.models import Membership
from pmot.actors.roles import Role


def test_a_wrong_current_password_changes_nothing(client_as, persona):
    user = persona("secretary")
    response = client_as("secretary").post(
        reverse("password_change"),
        {
            "old_password": "no-es-la-mia",
            "new_password1": "nueva-contraseña-larga-1",
            "new_password2": "nueva-contraseña-larga-1",
        },
    )
    assert response.status_code == 200
    assert "La antigua contraseña introducida es incorrecta" in response.text
    user.refresh_from_db()
    assert user.check_password("contraseña-de-prueba-1")


def test_a_weak_new_password_is_refused_with_the_reason(client_as, persona):
    user = persona("secretary")
    response = client_as("secretary").post(
        reverse("password_change"),
        {
            "old_password": "contraseña-de-prueba-1",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert "demasiado corta" in response.text
    assert "completamente numérica" in response.text
    user.refresh_from_db()
    assert user.check_password("contraseña-de-prueba-1")


def test_a_good_new_password_is_saved(client_as, persona):
    user = persona("secretary")
    response = client_as("secretary").post(
        reverse("password_change"),
        {
            "old_password": "contraseña-de-prueba-1",
            "new_password1": "ordenamiento-territorial-2026",
            "new_password2": "ordenamiento-territorial-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ordenamiento-territorial-2026")


def test_the_admin_site_refuses_a_membership_outside_the_role_sector(client_as, persona, orgs):
    newcomer = persona("outsider")
    response = client_as("admin").post(
        reverse("admin:actors_membership_add"),
        {
            "user": newcomer.pk,
            "organization": orgs["works"].pk,
            "role": Role.STATE_LIAISON,
            "position": "",
            "start_date": "2026-01-15",
            "end_date": "",
        },
    )
    assert response.status_code == 200
    assert "Gobierno estatal" in response.text
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not newcomer.groups.exists()


def test_the_admin_site_registers_a_membership_through_the_service(client_as, persona, orgs):
    newcomer = persona("outsider")
    response = client_as("admin").post(
        reverse("admin:actors_membership_add"),
        {
            "user": newcomer.pk,
            "organization": orgs["state_agency"].pk,
            "role": Role.STATE_LIAISON,
            "position": "Enlace",
            "start_date": "2026-01-15",
            "end_date": "",
        },
    )
    assert response.status_code == 302
    assert newcomer.groups.filter(name=Role.STATE_LIAISON).exists()
    assert Membership.objects.get(user=newcomer).status == Membership.Status.ACTIVE
