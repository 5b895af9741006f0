"""The public consultation in a real browser: a citizen without an account, on a phone, sends a
comment and gets a folio; the planner rules and answers it, closes the consultation and
publishes the answers; the citizen follows the folio and reads the answer. The public pages
pass axe."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from phases import demo as phases_demo
from phases.demo import consultation as consultation_demo
from phases.models import Comment, Consultation, Ruling
from phases.services import consultation as services
from pmot.actors.models import User
from pmot.information import demo as information_demo
from pmot.planning import demo as planning_demo

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
ANSWER = "El trazo propuesto cruza una zona federal del río; se estudiará otra ruta."


@pytest.fixture
def consultation_site(demo_site):
    information_demo.load()
    planning_demo.load()
    program = phases_demo.load()
    consultation_demo.load(program)
    return demo_site


def accessible(page, path):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"


def no_sideways_scroll(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px on a phone"


def period_over(consultation):
    """The days pass: the period ends yesterday, and every other comment is answered."""
    planner = User.objects.get(username="planeacion")
    for comment in consultation.comments.filter(ruling=""):
        services.comment_rule(comment=comment, ruling=Ruling.UPHELD, answer="", by=planner)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=min(consultation.opens_on, yesterday), closes_on=yesterday
    )


def test_a_citizen_comments_and_reads_the_answer(
    new_context, consultation_site, log_in, csp_violations
):
    url = consultation_site.url
    citizen = new_context(viewport=PHONE).new_page()
    citizen.goto(url + reverse("phases:consultation_public"))
    accessible(citizen, "consulta")
    no_sideways_scroll(citizen)
    citizen.get_by_role("link", name="Enviar un comentario").click()
    accessible(citizen, "formulario")
    no_sideways_scroll(citizen)
    citizen.get_by_label("Nombre").fill("Ana <b>Pérez</b>")
    citizen.get_by_label("Tema").fill("Ciclovía del río")
    citizen.locator("#id_text").fill("Una ciclovía junto al río San Pedro.")
    citizen.get_by_role("button", name="Enviar el comentario").click()
    citizen.wait_for_selector(".consultation-folio")
    folio = citizen.locator(".consultation-folio").inner_text().strip()
    code = citizen.locator(".consultation-code").inner_text().strip()
    assert Comment.objects.filter(folio=folio, channel="online").exists()
    assert "Ana <b>Pérez</b>" in citizen.content().replace("&lt;", "<").replace("&gt;", ">")
    accessible(citizen, "acuse")
    no_sideways_scroll(citizen)

    comment = Comment.objects.get(folio=folio)
    period_over(comment.consultation)
    planner = log_in(new_context().new_page(), "planeacion")
    planner.goto(url + reverse("phases:consultation_detail", args=[comment.consultation_id]))
    planner.get_by_role("link", name=folio).click()
    planner.locator("#id_ruling").select_option(Ruling.REJECTED)
    planner.locator("#id_answer").fill(ANSWER)
    planner.get_by_role("button", name="Guardar el dictamen").click()
    planner.get_by_role("button", name="Cerrar la consulta").click()
    planner.get_by_text("Consulta cerrada").wait_for()
    planner.get_by_role("button", name="Publicar las respuestas").click()
    planner.get_by_text("Respuestas publicadas en la página pública").wait_for()

    citizen.goto(url + reverse("phases:consultation_public_follow"))
    citizen.get_by_label("Folio").fill(folio)
    citizen.get_by_label("Código de seguimiento").fill(code)
    citizen.get_by_role("button", name="Consultar").click()
    citizen.get_by_text(ANSWER).wait_for()
    assert "Improcedente" in citizen.content()
    accessible(citizen, "seguimiento")
    no_sideways_scroll(citizen)
    citizen.goto(
        url + reverse("phases:consultation_public_answers", args=[comment.consultation_id])
    )
    assert ANSWER in citizen.content()
    assert "Ana" not in citizen.locator("main").inner_text()
    accessible(citizen, "respuestas")
    no_sideways_scroll(citizen)
    assert csp_violations == []
