"""Every page of the foundation in a real browser: no accessibility violation that axe finds,
nothing blocked by our Content-Security-Policy, and no sideways scrolling on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from committees.models import Agreement, Session
from pmot.actors.models import Membership, Organization

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def page_paths(username):
    implan = Organization.objects.get(acronym="IMPLAN")
    own = Membership.objects.get(user__username=username).organization
    held = Session.objects.filter(status=Session.Status.CLOSED).first()
    agreement = Agreement.objects.filter(item__vote__isnull=False).first()
    common = [
        reverse("committees:body_list"),
        reverse("committees:body_detail", args=["CAB"]),
        reverse("committees:session_list"),
        reverse("committees:session_detail", args=[held.pk]),
        reverse("committees:agreement_list"),
        reverse("committees:agreement_detail", args=[agreement.pk]),
        reverse("committees:vote_detail", args=[agreement.item.vote.pk]),
        reverse("portal:dashboard"),
        reverse("actors:organization_list"),
        reverse("actors:organization_detail", args=[implan.pk]),
        reverse("actors:people_list"),
        reverse("actors:administration_list"),
        reverse("actors:municipality_detail"),
        reverse("password_change"),
    ]
    if username == "admin":
        return [
            *common,
            reverse("actors:organization_create"),
            reverse("actors:organization_update", args=[implan.pk]),
            reverse("actors:membership_create", args=[implan.pk]),
            reverse("actors:membership_end", args=[implan.memberships.first().pk]),
            reverse("actors:administration_create"),
            reverse("actors:municipality_update"),
        ]
    return [*common, reverse("actors:organization_update", args=[own.pk])]


def assert_accessible(page, path):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"


def assert_fits_the_screen(page, path):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"


@pytest.mark.parametrize("username", ["admin", "estatal"])
def test_staff_pages_are_accessible_and_unblocked(
    page, log_in, demo_site, csp_violations, username
):
    log_in(page, username)
    for path in page_paths(username):
        response = page.goto(demo_site.url + path)
        assert response.status == 200, path
        assert_accessible(page, path)
    assert csp_violations == []


def test_public_pages_are_accessible_on_a_phone(new_context, demo_site):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    agreement = Agreement.objects.first()
    for path in [
        reverse("portal:home"),
        reverse("login"),
        reverse("committees:public_agreements"),
        reverse("committees:public_agreement", args=[agreement.pk]),
        reverse("committees:public_body"),
    ]:
        page.goto(demo_site.url + path)
        assert_accessible(page, path)
        assert_fits_the_screen(page, path)
    context.close()


def test_staff_pages_fit_a_phone(new_context, demo_site, log_in):
    context = new_context(viewport=PHONE)
    page = log_in(context.new_page(), "admin")
    for path in [reverse("portal:dashboard"), reverse("actors:municipality_detail")]:
        page.goto(demo_site.url + path)
        assert_fits_the_screen(page, path)
    context.close()


def test_a_form_with_errors_stays_accessible(page, log_in, demo_site):
    log_in(page, "admin")
    page.goto(demo_site.url + reverse("actors:administration_create"))
    page.get_by_role("button", name="Guardar").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_text("Este campo es obligatorio.").first.is_visible()
    assert_accessible(page, "administration form with errors")


def test_searching_organizations_updates_the_list_without_a_page_load(
    page, log_in, demo_site, csp_violations
):
    log_in(page, "planeacion")
    page.goto(demo_site.url + reverse("actors:organization_list"))
    page.evaluate("window.pmotSamePage = true")
    page.get_by_label("Buscar por nombre o siglas").fill("SEDATU")
    page.wait_for_url("**/organizaciones/?q=SEDATU*")
    rows = page.locator("#results tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1
    assert "Secretaría de Desarrollo Agrario" in rows.first.inner_text()
    assert page.evaluate("window.pmotSamePage") is True
    assert csp_violations == []


def test_logging_out_from_the_header_ends_the_session(page, log_in, demo_site):
    log_in(page, "ciudadana")
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(demo_site.url + reverse("portal:home"))
    page.goto(demo_site.url + reverse("portal:dashboard"))
    assert page.url.startswith(demo_site.url + reverse("login"))
