"""The public pages of the program itself (issue 8): the five phases with their accepted and
published deliverables, the PMOT's strategies with their progress, and the chain of one
strategy as a citizen reads it. Nothing unpublished reaches them; each runs a fixed number of
queries whatever the number of records, and the strategy page stays light with many actions.

The strategies stand on the traceability world of tests/evaluation/test_chain.py (strategy
1.1 Redensificar with actions A, B, C of 2027 and D of 2026, indicators I-1 to I-3, an
evaluation and the agreements acting on them); here its program goes to public consultation
and some of its records are published.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgeting.models import Action, BudgetLine, ProgressReport
from budgeting.services import poa as poa_services
from evaluation.models import Evaluation, Indicator, Measurement, Recommendation
from evaluation.services import indicators as indicator_services
from phases.models import DeliverableType, Phase
from phases.services import work
from pmot.core import public_cache
from pmot.planning.models import Program
from pmot.portal.selectors.program import ACTIONS_PER_YEAR
from tests.budgeting import conftest as budgeting_fixtures
from tests.budgeting.progress import validated
from tests.clock import DEMO_DAY, frozen
from tests.committees import conftest as committees_fixtures
from tests.evaluation import conftest as evaluation_fixtures
from tests.evaluation import test_chain as chain_fixtures
from tests.factories import UserFactory
from tests.phases import conftest as phases_fixtures
from tests.planning import conftest as planning_fixtures
from tests.uploads import pdf_bytes

# Fixtures of the tests this file stands on: the traceability world of the chain's tests,
# and the program with its phases of the phases' tests.
catalogue = budgeting_fixtures.catalogue
draft_poa = budgeting_fixtures.draft_poa
make_action = budgeting_fixtures.make_action
pmot_strategy = budgeting_fixtures.pmot_strategy
agreement_type = committees_fixtures.agreement_type
cabildo = committees_fixtures.cabildo
open_session = committees_fixtures.open_session
make_indicator = evaluation_fixtures.make_indicator
council_vote = chain_fixtures.council_vote
freeze_today = chain_fixtures.freeze_today


@pytest.fixture(autouse=True)
def _clock():
    """Records written on the day of the demo's story (their "last update" dates shown on the
    pages); `freeze_today` then moves the clock to the day the lights are read."""
    with frozen(DEMO_DAY):
        yield


world = chain_fixtures.world
program = planning_fixtures.program
phases = phases_fixtures.phases
open_phases = phases_fixtures.open_phases
coordinating_body = phases_fixtures.coordinating_body
validate_by_the_body = phases_fixtures.validate_by_the_body

PDF = pdf_bytes("entregable")
PHASES_URL = reverse("portal:phases")
STRATEGIES_URL = reverse("portal:strategies")
MAX_PAGE_BYTES = 300_000


def strategy_url(element) -> str:
    return reverse("portal:strategy", args=[element.pk])


def _count(client, url):
    """The number of queries of a freshly rendered page, and the response."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context is not None  # rendered, not from the cache
    return len(queries), response


# --- Phases -------------------------------------------------------------------------------------


@pytest.fixture
def deliverable_of(open_phases, orgs, settings, tmp_path, validate_by_the_body):
    """deliverable_of(phase number, type name, up_to=step, publish=…): a deliverable with a
    file, reviewed up to `up_to` (None: a draft); the coordinating body's vote validates it."""
    settings.MEDIA_ROOT = tmp_path
    by = UserFactory()
    steps = ("submit", "validate", "accept")

    def make(number, name, up_to="accept", publish=True, title=""):
        deliverable = work.deliverable_add(
            phase=open_phases[number],
            kind=DeliverableType.objects.filter(phase_number=number).get(name=name),
            responsible=orgs["implan"],
            author="implan",
            title=title,
        )
        work.version_add(
            deliverable=deliverable, upload=SimpleUploadedFile(f"{name}.pdf", PDF), by=by
        )
        for step in steps[: steps.index(up_to) + 1] if up_to else ():
            if step == "validate":
                validate_by_the_body(deliverable)
            else:
                work.deliverable_review(deliverable=deliverable, step=step, by=by)
        deliverable.refresh_from_db()
        if publish and up_to == "accept":
            work.deliverable_publish(deliverable=deliverable)
        return deliverable

    return make


def _close(phase, agreement):
    phase.status = Phase.Status.CLOSED
    phase.actual_end = datetime.date(2026, 3, 31)
    phase.close_agreement = agreement
    phase.save()


def test_the_phases_page_shows_each_phase_its_progress_and_the_agreement_that_closed_it(
    open_phases,
    council_vote,
    client,
):
    agreement = council_vote()
    _close(open_phases[1], agreement)
    body = client.get(PHASES_URL).content.decode()
    assert "Las cinco fases del programa" in body
    for name in ("Sistema de coordinación", "Análisis", "Formulación", "Ejecución"):
        assert name in body
    assert "Seguimiento y evaluación" in body
    assert "Cerrada el 31 de marzo de 2026" in body
    assert reverse("committees:public_agreement", args=[agreement.pk]) in body
    assert "Abierta el 20 de marzo de 2026" in body  # phase 3
    assert "100 % de avance" in body
    assert 'aria-current="step"' in body
    assert body.count("Por iniciar") >= 2
    assert "Última actualización:" in body


def test_the_current_phase_is_the_latest_in_progress(open_phases, client):
    response = client.get(PHASES_URL)
    assert response.context["current_phase"] == open_phases[3]


def test_only_accepted_and_published_deliverables_are_listed_with_their_file(
    deliverable_of, client
):
    shown = deliverable_of(2, "Diagnóstico de riesgos", title="Atlas de riesgos 2026")
    deliverable_of(2, "Diagnóstico social", publish=False)  # accepted, not published
    deliverable_of(3, "Modelo territorial", up_to="validate")  # still in review
    deliverable_of(3, "Zonificación primaria", up_to=None)  # a draft
    body = client.get(PHASES_URL).content.decode()
    assert "Atlas de riesgos 2026" in body
    assert "Diagnóstico de riesgos" in body  # its type
    assert "Diagnóstico social" not in body
    assert "Modelo territorial" not in body
    assert "Zonificación primaria" not in body
    download = reverse("phases:version_download", args=[shown.versions.get().pk])
    assert download in body
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_without_published_deliverables_the_page_says_so(open_phases, client):
    body = client.get(PHASES_URL).content.decode()
    assert "Todavía no se ha aceptado y publicado ningún documento del programa." in body


def test_before_the_program_exists_the_phases_page_says_so(client, db):
    response = client.get(PHASES_URL)
    assert response.status_code == 200
    assert "El Cabildo aún no inicia el programa." in response.content.decode()


def test_the_phases_page_runs_a_fixed_number_of_queries(deliverable_of, client):
    deliverable_of(2, "Diagnóstico de riesgos")
    small, _ = _count(client, PHASES_URL)
    for name in ("Diagnóstico social", "Diagnóstico económico"):
        deliverable_of(2, name)
    for name in ("Modelo territorial", "Cartera de proyectos"):
        deliverable_of(3, name)
    public_cache.changed()  # as the commit would
    large, response = _count(client, PHASES_URL)
    assert large == small
    assert response.content.decode().count("Descargar") >= 5


# --- Strategies ---------------------------------------------------------------------------------


@pytest.fixture
def public_world(world, freeze_today):
    """The world once its program is in public consultation, with I-1 and I-2 and the
    evaluation published; I-3 stays unpublished."""
    consulted = world["program"]
    consulted.status = Program.Status.CONSULTATION
    consulted.save()
    i1, i2, _ = world["indicators"]
    for indicator in (i1, i2):
        indicator.published = True
        indicator.save()
    world["evaluation"].published = True
    world["evaluation"].save()
    return world


def test_while_the_program_is_drafted_its_strategies_are_not_public(world, client):
    body = client.get(STRATEGIES_URL).content.decode()
    assert "El programa todavía se está elaborando" in body
    assert "Última actualización:" in body
    assert "Redensificar" not in body
    assert client.get(strategy_url(world["e"]["1.1"])).status_code == 404


def test_the_strategies_page_lists_each_strategy_with_its_progress_and_colours(
    public_world, client
):
    response = client.get(STRATEGIES_URL)
    body = response.content.decode()
    assert "Ejes y estrategias del programa" in body
    assert "Ciudad compacta" in body
    assert strategy_url(public_world["e"]["1.1"]) in body
    assert strategy_url(public_world["e"]["1.2"]) in body
    (axis,) = response.context["axes"]
    rows = {row.element.key: row for row in axis.strategies}
    assert rows["1.1"].rollup.physical == Decimal("32.2")
    assert "32.2 %" in body
    assert rows["1.1"].indicators == 2
    assert rows["1.2"].indicators == 1  # I-2 of its action B; I-3 is not published
    assert "Última actualización:" in body


def test_the_strategy_page_shows_its_whole_chain(public_world, client, catalogue):
    e, actions = public_world["e"], public_world["actions"]
    response = client.get(strategy_url(e["1.1"]))
    assert response.status_code == 200
    body = response.content.decode()
    # where it sits and what it contributes to
    assert reverse("portal:strategy", args=[e["1"].pk]) in body
    assert "Ciudad compacta" in body
    for key in ("M1.1", "M1.2", "11.1"):
        assert f"<strong>{key}</strong>" in body
    # its actions by year, linked to their public page
    chain = response.context["chain"]
    assert {g.fiscal_year: sorted(r.action.key for r in g.rows) for g in chain.years} == {
        2027: ["A", "B", "C"],
        2026: ["D"],
    }
    for action in actions.values():
        url = reverse("portal:action", kwargs={"year": action.poa.fiscal_year, "pk": action.pk})
        assert url in body
    # money by source and stage
    assert "$4,500,000.00" in body
    assert catalogue["fismdf"].name in body
    # its indicators, the evaluation and the agreements
    i1, i2, _ = public_world["indicators"]
    assert reverse("portal:indicator", args=[i1.pk]) in body
    assert reverse("portal:indicator", args=[i2.pk]) in body
    assert reverse("portal:evaluation", args=[public_world["evaluation"].pk]) in body
    assert "Evaluación de diseño de la redensificación" in body
    agreement = public_world["recommendation_agreement"]
    assert reverse("committees:public_agreement", args=[agreement.pk]) in body
    assert "Última actualización:" in body


def test_unpublished_records_stay_off_the_strategy_page(public_world, client, orgs, catalogue):
    e = public_world["e"]
    poa28 = poa_services.poa_create(fiscal_year=2028)
    draft = Action.objects.create(
        poa=poa28, key="BORRADOR", name="Acción aún en borrador", kind="services",
        responsible=orgs["works"], modality=catalogue["modality"], target=Decimal(1),
        target_unit="servicios", calendar=[0.25] * 4, status=Action.Status.DRAFT,
    )  # fmt: skip
    draft.alignments.add(e["1.1"])
    future = Action.objects.create(
        poa=poa28, key="FUTURA", name="Acción de un POA sin aprobar", kind="services",
        responsible=orgs["works"], modality=catalogue["modality"], target=Decimal(1),
        target_unit="servicios", calendar=[0.25] * 4, status=Action.Status.SUBMITTED,
    )  # fmt: skip
    future.alignments.add(e["1.1"])
    hidden = Evaluation.objects.create(
        program=public_world["evaluation"].program, title="Evaluación interna sin publicar",
        kind=Evaluation.Kind.PROCESSES, evaluator="Contraloría",
        start=datetime.date(2027, 1, 1), end=datetime.date(2027, 3, 1),
    )  # fmt: skip
    hidden.elements.add(e["1.1"])
    _, _, i3 = public_world["indicators"]
    i3.element = e["1.1"]
    i3.save()  # measures the strategy, still unpublished
    body = client.get(strategy_url(e["1.1"])).content.decode()
    for text in ("BORRADOR", "FUTURA", "Evaluación interna sin publicar", i3.name):
        assert text not in body
    assert "2028" not in body


def test_a_light_awaiting_validation_is_not_shown_until_validated(public_world, client):
    i1 = public_world["indicators"][0]
    url = strategy_url(public_world["e"]["1.1"])
    chain = client.get(url).context["chain"]
    assert chain.lights[i1.pk].colour == "no_report"  # the staff see it green already
    measurement = Measurement.objects.get(indicator=i1)
    indicator_services.measurement_validate(measurement=measurement, by=UserFactory())
    public_cache.changed()  # as the commit would
    chain = client.get(url).context["chain"]
    assert chain.lights[i1.pk].colour == "green"
    assert "Verde" in client.get(url).content.decode()


@pytest.mark.parametrize("key", ["M1", "11.1"])
def test_only_elements_of_the_public_pmot_have_a_page(public_world, client, key):
    assert client.get(strategy_url(public_world["e"][key])).status_code == 404
    assert client.get(reverse("portal:strategy", args=[999_999])).status_code == 404


def _grow(world, n, catalogue, make_indicator, orgs):
    """n more public actions of 2027 under strategy 1.1, with money and progress; a
    published indicator for every second one; a published evaluation of every fifth one."""
    e, poa, by = world["e"], world["poas"][0], UserFactory()
    reviewer = UserFactory()
    evaluation = Evaluation.objects.create(
        program=world["evaluation"].program, title="Evaluación de procesos",
        kind=Evaluation.Kind.PROCESSES, evaluator="Universidad", published=True,
        start=datetime.date(2027, 7, 1), end=datetime.date(2027, 9, 30),
    )  # fmt: skip
    for n_ in range(n):
        action = Action.objects.create(
            poa=poa, key=f"X-{n_:03}", name=f"Acción {n_}", kind="services",
            responsible=orgs["works"], modality=catalogue["modality"], target=Decimal(10),
            target_unit="servicios", calendar=[2.5] * 4, status="submitted",
        )  # fmt: skip
        action.alignments.add(e["1.1"] if n_ % 2 else e["1.1.1"])
        BudgetLine.objects.create(
            action=action, source=catalogue["source"], expense_item=catalogue["item"],
            functional=catalogue["functional"], approved=Decimal(1000 * (n_ + 1)),
            modified=Decimal(1000 * (n_ + 1)),
        )  # fmt: skip
        ProgressReport.objects.create(
            action=action, period=1, achieved=Decimal(n_ % 10), by=by, **validated(action, reviewer)
        )
        if n_ % 2:
            make_indicator(f"X-{n_:03}", element=None, action=action, published=True)
        if n_ % 5 == 0:
            evaluation.actions.add(action)
            Recommendation.objects.create(
                evaluation=evaluation, number=n_ + 1, text=f"Recomendación {n_}",
                responsible=orgs["works"], due=datetime.date(2027, 12, 31),
            )  # fmt: skip


def test_the_strategy_pages_run_a_fixed_number_of_queries_and_stay_light(
    public_world,
    client,
    catalogue,
    make_indicator,
    orgs,
):
    urls = (STRATEGIES_URL, strategy_url(public_world["e"]["1.1"]))
    client.get(urls[1])  # content types cached, as in real use
    public_cache.changed()
    small = [_count(client, url)[0] for url in urls]
    _grow(public_world, 90, catalogue, make_indicator, orgs)
    public_cache.changed()  # as the commit would
    assert Indicator.objects.published().count() > 40
    counted = [_count(client, url) for url in urls]
    assert [queries for queries, _ in counted] == small
    response = counted[1][1]
    assert len(response.content) < MAX_PAGE_BYTES
    body = response.content.decode()
    chain_2027 = response.context["chain"].years[0]
    assert len(chain_2027.rows) == 93
    assert len(chain_2027.shown) == ACTIONS_PER_YEAR
    assert "y 83 más: todas las obras y acciones de 2027" in body
    assert reverse("portal:poa_year", kwargs={"year": 2027}) in body
