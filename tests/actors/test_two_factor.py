"""Two-factor login: whoever can change records passes a second step after the password (a code
from an authenticator app, or a backup code); readers and the public are not asked;
administrators reset it for a lost phone.

The login here is the real one (the form, then the second step): these tests are marked
`real_second_step`, so the test client's logins do not pass it by themselves.
"""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from committees.models import Body, Member
from committees.services import member_add
from pmot.actors import two_factor
from pmot.actors.models import AccessEvent, Organization
from pmot.actors.roles import Role
from tests.factories import UserFactory, membership
from tests.two_factor import authenticator, code_of, current_code

pytestmark = [pytest.mark.real_second_step, pytest.mark.django_db]

PASSWORD = "contraseña-de-prueba-1"
# Roles that change records through model permissions or their organization's object
# permissions; the others change records only through a seat with a vote.
ASKED = [
    "admin",
    "planner",
    "secretary",
    "municipal_liaison",
    "state_liaison",
    "federal_liaison",
    "private_rep",
]
READERS = ["council_member", "body_member", "citizen_rep", "outsider"]


@pytest.fixture(autouse=True)
def _second_step_required(db, settings):
    settings.PMOT_TWO_FACTOR_REQUIRED = True


def log_in(client, user, **extra):
    """The password step, through the form."""
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, **extra
    )
    assert response.status_code == 302, "the password was refused"
    return client


def second_step(client, token, next_url=""):
    return client.post(reverse("second_step"), {"token": token, "next": next_url})


def organizations_count():
    return Organization.objects.count()


# --- Who is asked ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ASKED)
def test_every_role_that_changes_records_is_sent_to_the_second_step(client, persona, name):
    log_in(client, persona(name))
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_step_enroll"))


@pytest.mark.parametrize("name", READERS)
def test_a_person_who_only_reads_goes_straight_in(client, persona, name):
    log_in(client, persona(name))
    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert client.session[two_factor.SESSION_KEY] == two_factor.EXEMPT


def test_a_council_member_with_a_vote_is_asked(client, persona):
    cabildo = Body.objects.create(name="H. Ayuntamiento", key="CAB", kind=Body.Kind.CABILDO)
    member = persona("council_member")
    member_add(
        body=cabildo,
        user=member,
        role=Member.Role.ALDERMAN,
        sector="municipal",
        start_date=datetime.date(2024, 10, 1),
    )
    log_in(client, member)
    assert client.get(reverse("portal:dashboard"))["Location"].startswith(
        reverse("second_step_enroll")
    )


def test_the_public_pages_stay_open_to_someone_between_the_two_steps(client, persona):
    log_in(client, persona("planner"))
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_admin_is_behind_the_second_step(client, persona):
    log_in(client, persona("admin"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_step_enroll"))


def test_nothing_is_saved_between_the_two_steps(client, persona):
    log_in(client, persona("planner"))
    before = organizations_count()
    response = client.post(
        reverse("actors:organization_create"),
        {"name": "Dirección de Catastro", "acronym": "DC", "sector": "municipal"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_step_enroll"))
    assert organizations_count() == before


def test_a_new_role_asks_for_the_second_step_on_the_next_page(client, persona, orgs):
    reader = persona("outsider")
    log_in(client, reader)
    assert client.get(reverse("portal:dashboard")).status_code == 200
    membership(reader, orgs["implan"], Role.IMPLAN_PLANNER)
    assert client.get(reverse("portal:dashboard"))["Location"].startswith(
        reverse("second_step_enroll")
    )


def test_with_the_requirement_off_only_enrolled_people_are_asked(client, persona, settings):
    settings.PMOT_TWO_FACTOR_REQUIRED = False
    planner, secretary = persona("planner"), persona("secretary")
    authenticator(secretary)
    log_in(client, planner)
    assert client.get(reverse("portal:dashboard")).status_code == 200
    client.logout()
    log_in(client, secretary)
    assert client.get(reverse("portal:dashboard"))["Location"].startswith(reverse("second_step"))


# --- Setting up the authenticator -----------------------------------------------------------


def test_setting_up_an_authenticator_gives_ten_backup_codes_once(client, persona):
    planner = persona("planner")
    log_in(client, planner)
    page = client.get(reverse("second_step_enroll"))
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Configura tu autenticador" in page.text
    device = TOTPDevice.objects.get(user=planner, confirmed=False)

    wrong = client.post(reverse("second_step_enroll"), {"token": "000000"})
    assert "no es el código que muestra la aplicación" in wrong.text
    assert not two_factor.is_enrolled(planner)

    done = client.post(
        reverse("second_step_enroll"), {"token": code_of(device), "next": "/organizaciones/"}
    )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(code in done.text for code in codes)
    assert 'href="/organizaciones/"' in done.text
    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert AccessEvent.objects.filter(
        user=planner, kind=AccessEvent.Kind.TWO_FACTOR_ENROLLED
    ).exists()
    # Never shown again: the security page counts them and shows none.
    security = client.get(reverse("account_security"))
    assert "Te quedan 10 códigos de respaldo" in security.text
    assert not any(code in security.text for code in codes)


def test_the_qr_code_stays_the_same_on_reload_until_confirmed(client, persona):
    log_in(client, persona("planner"))
    first = client.get(reverse("second_step_enroll")).context["manual_key"]
    assert client.get(reverse("second_step_enroll")).context["manual_key"] == first


def test_a_stolen_password_cannot_replace_the_authenticator(client, persona):
    planner = persona("planner")
    authenticator(planner)
    log_in(client, planner)
    response = client.get(reverse("second_step_enroll"))
    assert response["Location"].startswith(reverse("second_step"))
    assert TOTPDevice.objects.filter(user=planner).count() == 1


def test_moving_to_a_new_phone_replaces_the_old_authenticator(client, persona):
    planner = persona("planner")
    old = authenticator(planner)
    log_in(client, planner)
    second_step(client, current_code(planner))
    client.get(reverse("second_step_enroll"))
    new = TOTPDevice.objects.get(user=planner, confirmed=False)
    client.post(reverse("second_step_enroll"), {"token": code_of(new)})
    assert list(TOTPDevice.objects.filter(user=planner)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# --- The second step ------------------------------------------------------------------------


def test_the_code_of_the_app_lets_the_person_in_where_they_were_going(client, persona):
    planner = persona("planner")
    authenticator(planner)
    log_in(client, planner)
    asked = client.get("/organizaciones/?q=obras")
    assert asked["Location"] == reverse("second_step") + "?next=%2Forganizaciones%2F%3Fq%3Dobras"
    page = client.get(asked["Location"])
    assert "Segundo paso" in page.text
    assert 'value="/organizaciones/?q=obras"' in page.text

    response = second_step(client, current_code(planner), "/organizaciones/?q=obras")
    assert response["Location"] == "/organizaciones/?q=obras"
    assert client.get("/organizaciones/").status_code == 200
    assert AccessEvent.objects.filter(user=planner, kind=AccessEvent.Kind.SECOND_STEP).exists()


def test_a_wrong_code_is_refused_in_spanish_and_logged(client, persona):
    planner = persona("planner")
    device = authenticator(planner)
    log_in(client, planner)
    wrong = "123456" if code_of(device) != "123456" else "654321"
    response = second_step(client, wrong)
    assert response.status_code == 200
    assert "El código no es válido o ya se usó" in response.text
    assert client.get(reverse("portal:dashboard")).status_code == 302
    assert AccessEvent.objects.filter(
        user=planner, kind=AccessEvent.Kind.SECOND_STEP_FAILED
    ).exists()


def test_a_code_of_the_app_works_once(client, persona):
    planner = persona("planner")
    device = authenticator(planner)
    code = code_of(device)
    log_in(client, planner)
    assert second_step(client, code).status_code == 302
    other = client.__class__()
    log_in(other, planner)
    assert "El código no es válido o ya se usó" in second_step(other, code).text


def test_after_wrong_codes_the_person_must_wait(client, persona):
    planner = persona("planner")
    device = authenticator(planner)
    log_in(client, planner)
    for _ in range(3):
        second_step(client, "000000" if code_of(device) != "000000" else "111111")
    response = second_step(client, code_of(device))
    assert "Demasiados códigos incorrectos. Espera" in response.text
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_a_backup_code_works_once(client, persona):
    planner = persona("planner")
    authenticator(planner)
    codes = two_factor.backup_codes_replace(planner)
    log_in(client, planner)
    # Typed from a printout: upper case, in two groups.
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    assert second_step(client, typed).status_code == 302
    assert two_factor.backup_codes_left(planner) == 9
    other = client.__class__()
    log_in(other, planner)
    assert "El código no es válido o ya se usó" in second_step(other, codes[0]).text


def test_the_person_is_warned_when_few_backup_codes_are_left(client, persona):
    planner = persona("planner")
    authenticator(planner)
    codes = two_factor.backup_codes_replace(planner)
    StaticToken.objects.filter(token__in=codes[3:]).delete()
    log_in(client, planner)
    response = second_step(client, codes[0], reverse("portal:dashboard"))
    page = client.get(response["Location"])
    assert "Te quedan 2 códigos de respaldo" in page.text


def test_next_never_leaves_the_site(client, persona):
    planner = persona("planner")
    authenticator(planner)
    log_in(client, planner)
    response = second_step(client, current_code(planner), "https://ejemplo.invalid/robar")
    assert response["Location"] == reverse("portal:dashboard")


def test_new_backup_codes_replace_the_old_ones(client, persona):
    planner = persona("planner")
    authenticator(planner)
    old = two_factor.backup_codes_replace(planner)
    log_in(client, planner)
    second_step(client, current_code(planner))
    response = client.post(reverse("backup_codes_new"))
    new = response.context["codes"]
    assert len(new) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_logging_out_is_possible_between_the_two_steps(client, persona):
    log_in(client, persona("planner"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- Administrators reset it ----------------------------------------------------------------


def test_an_administrator_resets_a_lost_phone_and_the_sessions_end(client, persona):
    planner, admin = persona("planner"), persona("admin")
    authenticator(planner)
    two_factor.backup_codes_replace(planner)
    log_in(client, planner)
    second_step(client, current_code(planner))
    assert client.get(reverse("portal:dashboard")).status_code == 200

    admin_client = client.__class__()
    log_in(admin_client, admin)
    second_step_for(admin_client, admin)
    response = admin_client.post(
        reverse("admin:actors_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [planner.pk]},
    )
    assert response.status_code == 302
    assert not two_factor.is_enrolled(planner)
    assert two_factor.backup_codes_left(planner) == 0
    assert AccessEvent.objects.filter(user=planner, kind=AccessEvent.Kind.TWO_FACTOR_RESET).exists()
    # The planner's session ended: the next page asks for the password again.
    assert client.get(reverse("portal:dashboard"))["Location"].startswith(reverse("login"))
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(planner.pk) for s in Session.objects.all()
    )
    # And the next login sets up a new authenticator.
    log_in(client, planner)
    assert client.get(reverse("portal:dashboard"))["Location"].startswith(
        reverse("second_step_enroll")
    )


def test_the_admin_shows_no_authenticator_secret(client, persona):
    admin = persona("admin")
    log_in(client, admin)
    second_step_for(client, admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_someone_who_is_not_an_administrator_cannot_reset(client, persona):
    planner, secretary = persona("planner"), persona("secretary")
    authenticator(secretary)
    log_in(client, planner)
    second_step_for(client, planner)
    client.post(
        reverse("admin:actors_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [secretary.pk]},
    )
    assert two_factor.is_enrolled(secretary)


def second_step_for(client, user):
    authenticator(user)
    response = second_step(client, current_code(user))
    assert response.status_code == 302, response.content[:500]


def test_a_reader_may_set_up_an_authenticator_of_their_own(client):
    reader = UserFactory(username="lectora")
    log_in(client, reader)
    page = client.get(reverse("account_security"))
    assert "Tu función solo consulta registros" in page.text
    client.get(reverse("second_step_enroll"))
    device = TOTPDevice.objects.get(user=reader, confirmed=False)
    client.post(reverse("second_step_enroll"), {"token": code_of(device)})
    assert two_factor.is_enrolled(reader)
    # From now on, asked like everyone enrolled.
    client.logout()
    log_in(client, reader)
    assert client.get(reverse("portal:dashboard"))["Location"].startswith(reverse("second_step"))
