"""Every change is kept in history, with who made it."""

from django.urls import reverse

from pmot.actors.models import Membership, Organization
from pmot.actors.roles import Role


def test_a_change_from_a_request_is_recorded_with_its_author(client_as, persona, orgs):
    planner = persona("planner")
    works = orgs["works"]
    response = client_as("planner").post(
        reverse("actors:organization_update", args=[works.pk]),
        {
            "name": "Secretaría de Obras Públicas",
            "acronym": "SOP",
            "sector": "municipal",
            "parent": orgs["council"].pk,
            "email": "obras@municipio.gob.mx",
            "phone": "",
            "website": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    latest = works.history.first()
    assert latest.history_user == planner
    assert latest.email == "obras@municipio.gob.mx"
    assert latest.prev_record.email == ""


def test_a_membership_registered_through_the_page_is_recorded_with_the_administrator(
    client_as, persona, orgs
):
    admin = persona("admin")
    person = persona("outsider")
    response = client_as("admin").post(
        reverse("actors:membership_create", args=[orgs["works"].pk]),
        {
            "user": person.pk,
            "role": Role.MUNICIPAL_LIAISON,
            "position": "Enlace",
            "start_date": "2026-01-15",
            "end_date": "",
        },
    )
    assert response.status_code == 302
    created = Membership.objects.get(user=person)
    assert created.history.first().history_user == admin


def test_history_keeps_no_password_hashes(persona):
    user = persona("planner")
    user.set_password("otra-contraseña-segura-2")
    user.save()
    assert not hasattr(user.history.first(), "password")


def test_every_domain_model_of_actors_has_history():
    from django.apps import apps

    for model in apps.get_app_config("actors").get_models():
        if model._meta.model_name.startswith("historical") or "objectpermission" in (
            model._meta.model_name
        ):
            continue
        if model._meta.model_name == "accessevent":
            assert not hasattr(model, "history")  # it is a log itself: rows never change
            continue
        if model._meta.model_name == "loginthrottle":
            # The lockout's bookkeeping, logged in the access log: no one's work to keep.
            assert not hasattr(model, "history")
            continue
        assert hasattr(model, "history"), model
    assert hasattr(Organization, "history")


def test_logging_in_writes_no_history_row(client, persona):
    user = persona("planner")
    before = user.history.count()
    client.post(reverse("login"), {"username": "planner", "password": "contraseña-de-prueba-1"})
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == before
