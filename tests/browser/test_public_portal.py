"""The public portal in a real browser, over the whole demo, as a citizen without an account
sees it: from the home page an agreement's votes, an action on the map and an indicator's
chart are at most three clicks away; every public page has no serious or critical problem axe
finds, nothing blocked by our Content-Security-Policy, and no sideways scroll on a 390-px
phone (wide tables scroll inside their own frame)."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from committees.selectors import ballots_of
from phases.models import Consultation
from pmot.planning.models import Plan
from pmot.portal.selectors import published

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MAX_CLICKS = 3
SERIOUS = {"serious", "critical"}
# Every violation of our policy reaches the page as this DOM event (and the console): both
# are collected, the event also names the blocked address and the directive.
WATCH_CSP = """
window.pmotBlocked = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.pmotBlocked.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""
MAP_FEATURE = ".leaflet-overlay-pane path.leaflet-interactive"


@pytest.fixture
def public_site(live_server, settings, tmp_path):
    """The demo a person sees after `make run`, behind a live server, with no tile server."""
    settings.PMOT_DEMO_DATA = True
    settings.MEDIA_ROOT = tmp_path
    settings.PMOT_MAP_TILE_URL = ""
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    return live_server


class Visit:
    """A citizen's way from the home page, counting each click on a visible link."""

    def __init__(self, page, site):
        self.page = page
        self.clicks = 0
        page.goto(site.url + reverse("portal:home"))

    def follow(self, link):
        expect(link).to_be_visible()
        with self.page.expect_navigation():
            link.click()
        self.clicks += 1


def located_action(year: int):
    """An action of the year's public POA with an exact point on the map."""
    return (
        published.actions()
        .filter(poa__fiscal_year=year, latitude__isnull=False, longitude__isnull=False)
        .select_related("poa")
        .order_by("key")
        .first()
    )


def test_a_citizen_reaches_votes_a_mapped_action_and_a_chart_in_three_clicks(
    new_context, public_site
):
    context = new_context(viewport=DESKTOP)
    page = context.new_page()

    # (a) An agreement's vote, member by member.
    visit = Visit(page, public_site)
    recent = page.get_by_role("region", name="Acuerdos recientes")
    key = recent.get_by_role("listitem").first.get_by_role("link").inner_text().strip()
    agreement = published.agreements().select_related("item__vote").get(key=key)
    visit.follow(recent.get_by_role("link", name=key, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Acuerdo {key}")
    table = page.get_by_role("table", name="Voto de cada integrante")
    expect(table).to_be_visible()
    with translation.override("es-mx"):
        expected = sorted(
            (str(ballot.member.user), ballot.get_choice_display())
            for ballot in ballots_of(agreement.item.vote)
        )
    shown = sorted(
        tuple(row.locator("td").all_inner_texts()) for row in table.locator("tbody tr").all()
    )
    assert expected, "the demo's recent agreements should have a vote by name"
    assert shown == expected
    assert visit.clicks <= MAX_CLICKS

    # (b) An action on the map: the year's works, then one of them, drawn where it is.
    year = timezone.localdate().year
    action = located_action(year)
    assert action is not None, f"the demo's POA of {year} should have actions on the map"
    visit = Visit(page, public_site)
    visit.follow(page.get_by_role("link", name="Obras y acciones del año", exact=True))
    assert page.url.endswith(reverse("portal:poa_year", args=[year]))
    year_map = page.locator(".map").first
    year_map.locator(MAP_FEATURE).first.wait_for()
    expect(year_map).to_be_visible()
    listed = page.get_by_role("region", name="Las acciones")
    visit.follow(listed.get_by_role("link", name=action.name, exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(action.name)
    marker = page.locator(f".map {MAP_FEATURE}")
    expect(marker).to_have_count(1)
    expect(marker).to_be_visible()
    marker.hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text(f"{action.key} · {action.name}")
    assert visit.clicks <= MAX_CLICKS

    # (c) An indicator's chart: every indicator, then one with measurements.
    indicator = (
        published.indicators()
        .annotate(validated=Count("measurements", filter=Q(measurements__status="validated")))
        .filter(validated__gt=0)
        .order_by("key")
        .first()
    )
    visit = Visit(page, public_site)
    visit.follow(page.get_by_role("link", name="Todos los indicadores y sus gráficas"))
    listed = page.get_by_role("region", name="Los indicadores")
    visit.follow(listed.get_by_role("link", name=f"{indicator.key} {indicator.name}", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(indicator.name)
    chart = page.locator("svg.series-chart__svg").first
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_contain_text(indicator.key)
    assert chart.locator(".series-chart__marker").count() >= 1
    assert chart.bounding_box()["width"] > 200
    assert visit.clicks <= MAX_CLICKS
    context.close()


def public_paths() -> list[str]:
    """Every public page of the demo: each list, and one record of each kind."""
    year = timezone.localdate().year
    action = located_action(year)
    strategy = (  # the PMOT's element with the most public actions: the longest chain
        published.elements()
        .filter(plan__order=Plan.Order.PMOT, poa_actions__in=published.actions())
        .annotate(actions=Count("poa_actions"))
        .order_by("-actions", "pk")
        .first()
    )
    indicator = (
        published.indicators()
        .annotate(validated=Count("measurements", filter=Q(measurements__status="validated")))
        .order_by("-validated", "key")
        .first()
    )
    agreement = published.agreements().order_by("-pk").first()
    consultation = Consultation.objects.order_by("-pk").first()
    paths = [
        reverse("portal:home"),
        reverse("portal:phases"),
        reverse("portal:strategies"),
        reverse("portal:strategy", args=[strategy.pk]),
        reverse("portal:poa"),
        reverse("portal:poa_year", args=[year]),
        reverse("portal:action", args=[year, action.pk]),
        reverse("portal:territory"),
        reverse("portal:indicators"),
        reverse("portal:indicator", args=[indicator.pk]),
        reverse("portal:evaluations"),
        reverse("portal:evaluation", args=[published.evaluations().order_by("pk").first().pk]),
        reverse("portal:open_data"),
        reverse("committees:public_agreements"),
        reverse("committees:public_agreement", args=[agreement.pk]),
        reverse("committees:public_sessions"),
        reverse("committees:public_body"),
        reverse("information:public_documents"),
        reverse(
            "information:public_document", args=[published.documents().order_by("pk").first().pk]
        ),
        reverse("phases:consultation_public"),
        reverse("phases:consultation_public_comment", args=[consultation.pk]),
        reverse("phases:consultation_public_follow"),
    ]
    for answered in Consultation.objects.filter(answers_published_at__isnull=False):
        paths.append(reverse("phases:consultation_public_answers", args=[answered.pk]))
    return paths


def problems_of(page, path: str, phone: bool) -> list[str]:
    """What is wrong with the page now shown: serious or critical axe violations (each with
    its elements), and on a phone any sideways scroll."""
    found = []
    if page.locator(".map").count():
        page.locator(f".map {MAP_FEATURE}").first.wait_for()
    results = Axe().run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{path}: axe {violation['id']} ({violation['impact']}): {targets}")
    if phone:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            found.append(f"{path}: scrolls sideways by {overflow}px on a 390-px phone")
    return found


def csp_messages(page) -> list[str]:
    """What the console says our policy blocked, on any page the tab shows from now on."""
    found: list[str] = []

    def listen(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            found.append(message.text)

    page.on("console", listen)
    return found


def test_every_public_page_is_accessible_unblocked_and_fits_a_phone(new_context, public_site):
    paths = public_paths()
    problems = []
    for viewport in (DESKTOP, PHONE):
        context = new_context(viewport=viewport)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        console = csp_messages(page)
        for path in paths:
            response = page.goto(public_site.url + path)
            assert response.status == 200, path
            problems += problems_of(page, path, phone=viewport is PHONE)
            blocked = page.evaluate("window.pmotBlocked")
            problems += [f"{path}: CSP blocked {what}" for what in blocked]
        problems += [f"CSP (console): {text}" for text in console]
        context.close()
    assert problems == [], "\n".join(problems)
