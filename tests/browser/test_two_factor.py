"""Two-factor login in a real browser, as the planner does it the first time: the password, the
page with the QR code (drawn on the server, allowed by our Content-Security-Policy), the key
typed into an authenticator, its code, the backup codes, then the page they were going to. On
a 390-px phone, with no serious accessibility problem axe finds."""

import base64

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from pmot.actors import two_factor
from pmot.actors.models import User
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_second_step]

PHONE = {"width": 390, "height": 844}
SERIOUS = {"serious", "critical"}


def code_for(manual_key: str) -> str:
    """What an authenticator app shows for the key typed from the page."""
    key = manual_key.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(key)):06d}"


def serious_problems(page) -> list[str]:
    results = Axe().run(page)
    return [
        violation["id"]
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def test_a_planner_sets_up_an_authenticator_on_a_phone(demo_site, new_context, settings):
    settings.PMOT_TWO_FACTOR_REQUIRED = True
    context = new_context(viewport=PHONE, locale="es-MX")
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)

    page.goto(demo_site.url + reverse("budgeting:poa_list"))
    page.get_by_label("Nombre de usuario").fill("planeacion")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    page.wait_for_url(lambda url: reverse("second_step_enroll") in url)
    expect(page.get_by_role("heading", name="Configura tu autenticador")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    assert serious_problems(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"

    page.get_by_label("Código que muestra la aplicación").fill("000000")
    page.get_by_role("button", name="Confirmar y continuar").click()
    expect(page.get_by_text("Ese no es el código que muestra la aplicación")).to_be_visible()

    key = page.locator(".secret-key").inner_text()
    page.get_by_label("Código que muestra la aplicación").fill(code_for(key))
    page.get_by_role("button", name="Confirmar y continuar").click()

    expect(page.get_by_role("heading", name="Tus códigos de respaldo")).to_be_visible()
    expect(page.locator(".backup-codes li")).to_have_count(two_factor.BACKUP_CODE_COUNT)
    assert serious_problems(page) == []
    page.get_by_role("link", name="Ya los guardé: continuar").click()
    page.wait_for_url(demo_site.url + reverse("budgeting:poa_list"))
    assert two_factor.is_enrolled(User.objects.get(username="planeacion"))
    assert blocked == []
