"""The pages of an action for every persona: who sees it, who edits it, aligns it, adds
budget lines, records movements and reports progress; refusals shown in Spanish with their
figures and nothing saved."""

# The fixtures of pages_fixtures are imported, then named as arguments.
# ruff: noqa: F811

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgeting.models import Action, BudgetLine, Movement, ProgressReport
from budgeting.services import poa as poa_services
from pmot.planning.services import plans as planning
from tests.budgeting.pages_fixtures import cofinanced, many_actions  # noqa: F401
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.factories import UserFactory
from tests.uploads import HOSTILE, pdf_bytes

PLANNERS = {"admin", "planner"}
# The planners and the people of the responsible organization (Obras Públicas).
EDITORS = PLANNERS | {"municipal_liaison"}
OBJECT = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 404, "anonymous": 302}
PDF = pdf_bytes("evidencia")


def refused(persona_name):
    return {"anonymous": 302, "outsider": 404}.get(persona_name, 403)


def action_fields(**extra):
    return {
        "key": "A-02",
        "name": "Alumbrado del parque",
        "kind": "services",
        "modality": "",
        "target": "12",
        "target_unit": "luminarias",
        "calendar_kind": "quarterly",
        "cal-q1": "3",
        "cal-q2": "3",
        "cal-q3": "3",
        "cal-q4": "3",
    } | extra


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_action_page_by_persona(client_as, cofinanced, persona_name):
    _, action, _, _ = cofinanced
    response = client_as(persona_name).get(reverse("budgeting:action_detail", args=[action.pk]))
    assert response.status_code == OBJECT[persona_name]
    if response.status_code == 200:
        assert "Recursos estatales" in response.text
        assert "Avance físico por periodo" in response.text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_creating_an_action_by_persona(client_as, draft_poa, catalogue, orgs, persona_name):
    fields = action_fields(modality=catalogue["modality"].pk, responsible=orgs["works"].pk)
    response = client_as(persona_name).post(
        reverse("budgeting:action_create", args=[draft_poa.pk]), fields
    )
    created = Action.objects.filter(poa=draft_poa, key="A-02").first()
    if persona_name in PLANNERS:
        assert response.status_code == 302
        assert created.calendar == ["3", "3", "3", "3"]
        assert created.target == Decimal("12.00")
    else:
        assert response.status_code == refused(persona_name)
        assert created is None


def test_a_calendar_that_does_not_add_up_is_refused_with_the_service_message(
    client_as, draft_poa, catalogue, orgs
):
    fields = action_fields(
        modality=catalogue["modality"].pk, responsible=orgs["works"].pk, **{"cal-q4": "2"}
    )
    response = client_as("planner").post(
        reverse("budgeting:action_create", args=[draft_poa.pk]), fields
    )
    assert response.status_code == 400
    assert "El calendario suma 11, pero la meta es 12" in response.text
    assert not Action.objects.filter(key="A-02").exists()


def test_a_monthly_calendar_reads_the_twelve_months(client_as, draft_poa, catalogue, orgs):
    months = {f"cal-m{n}": "1" for n in range(1, 13)}
    fields = action_fields(
        modality=catalogue["modality"].pk,
        responsible=orgs["works"].pk,
        calendar_kind="monthly",
        **months,
    )
    client_as("planner").post(reverse("budgeting:action_create", args=[draft_poa.pk]), fields)
    assert Action.objects.get(key="A-02").calendar == ["1"] * 12


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_editing_an_action_by_persona(client_as, draft_poa, make_action, catalogue, persona_name):
    action = make_action(draft_poa)
    client = client_as(persona_name)
    url = reverse("budgeting:action_edit", args=[action.pk])
    fields = action_fields(key="A-01", name="Nuevo nombre", modality=catalogue["modality"].pk)
    fields["responsible"] = action.responsible_id
    response = client.post(url, fields)
    action.refresh_from_db()
    if persona_name in EDITORS:
        assert client.get(url).status_code == 200
        assert response.status_code == 302
        assert action.name == "Nuevo nombre"
    else:
        assert client.get(url).status_code == refused(persona_name)
        assert response.status_code == refused(persona_name)
        assert action.name == "Rehabilitación de la red de agua"


def test_a_liaison_cannot_hand_their_action_to_another_organization(
    client_as, draft_poa, make_action, catalogue, orgs
):
    action = make_action(draft_poa)
    fields = action_fields(
        key="A-01", modality=catalogue["modality"].pk, responsible=orgs["state_agency"].pk
    )
    client_as("municipal_liaison").post(reverse("budgeting:action_edit", args=[action.pk]), fields)
    action.refresh_from_db()
    assert action.responsible == orgs["works"]
    assert action.target_unit == "luminarias"


def test_the_state_liaison_may_not_edit_the_action_of_obras_publicas(client_as, cofinanced):
    _, action, _, _ = cofinanced
    client = client_as("state_liaison")
    assert client.get(reverse("budgeting:action_edit", args=[action.pk])).status_code == 403
    page = client.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert reverse("budgeting:action_edit", args=[action.pk]) not in page


# --- Alignment and submission ----------------------------------------------------------------


def test_an_unaligned_action_cannot_be_submitted_and_the_page_says_why(
    client_as, draft_poa, make_action
):
    action = make_action(draft_poa)
    client = client_as("municipal_liaison")
    page = client.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert "Esta acción todavía no puede enviarse:" in page
    assert "No está alineada a ningún elemento del PMOT o del PDM: alinéela primero." in page
    assert reverse("budgeting:action_submit", args=[action.pk]) not in page
    response = client.post(reverse("budgeting:action_submit", args=[action.pk]), follow=True)
    assert "No está alineada a ningún elemento del PMOT o del PDM: alinéela primero." in (
        response.text
    )
    action.refresh_from_db()
    assert action.status == Action.Status.DRAFT


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_aligning_then_submitting_by_persona(
    client_as, draft_poa, make_action, pmot_strategy, persona_name
):
    action = make_action(draft_poa)
    client = client_as(persona_name)
    aligned = client.post(
        reverse("budgeting:action_align", args=[action.pk]),
        {"plan": pmot_strategy.plan.key, "element": pmot_strategy.pk},
    )
    submitted = client.post(reverse("budgeting:action_submit", args=[action.pk]))
    action.refresh_from_db()
    if persona_name in EDITORS:
        assert aligned.status_code == submitted.status_code == 302
        assert list(action.alignments.all()) == [pmot_strategy]
        assert action.status == Action.Status.SUBMITTED
    else:
        assert aligned.status_code == submitted.status_code == refused(persona_name)
        assert not action.alignments.exists()
        assert action.status == Action.Status.DRAFT


def test_the_page_lists_the_elements_of_the_chosen_plan_and_removes_an_alignment(
    client_as, draft_poa, make_action, pmot_strategy
):
    action = make_action(draft_poa)
    poa_services.action_align(action=action, elements=[pmot_strategy])
    client = client_as("planner")
    url = reverse("budgeting:action_detail", args=[action.pk])
    page = client.get(url, {"plan": "pmot"}).text
    assert "1.1 · Redensificar" in page
    client.post(reverse("budgeting:action_unalign", args=[action.pk, pmot_strategy.pk]))
    assert not action.alignments.exists()


def test_an_approved_poa_changes_alignment_only_within_a_modification(
    client_as, approved_poa, pmot_strategy
):
    poa, action, _ = approved_poa
    client = client_as("planner")
    url = reverse("budgeting:action_unalign", args=[action.pk, pmot_strategy.pk])
    response = client.post(url, follow=True)
    assert "El POA está aprobado: registre la modificación" in response.text
    assert action.alignments.count() == 1
    modification = poa_services.modification_open(poa=poa, reason="Ajuste", by=UserFactory())
    # Its last alignment is replaced, never removed.
    response = client.post(url, {"modification": modification.pk}, follow=True)
    assert "Toda acción de un POA aprobado conserva al menos una alineación" in response.text
    assert action.alignments.count() == 1
    other = planning.element_add(
        plan=pmot_strategy.plan, key="1.2", name="Consolidar", parent=pmot_strategy.parent
    )
    client.post(
        reverse("budgeting:action_align", args=[action.pk]),
        {"plan": other.plan.key, "element": other.pk, "modification": modification.pk},
    )
    client.post(url, {"modification": modification.pk})
    assert list(action.alignments.all()) == [other]


# --- Money ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_adding_a_line_by_persona(client_as, draft_poa, make_action, catalogue, persona_name):
    action = make_action(draft_poa)
    response = client_as(persona_name).post(
        reverse("budgeting:line_add", args=[action.pk]),
        {
            "linea-source": catalogue["source"].pk,
            "linea-expense_item": catalogue["item"].pk,
            "linea-functional": catalogue["functional"].pk,
        },
    )
    if persona_name in EDITORS:
        assert response.status_code == 302
        assert action.lines.count() == 1
    else:
        assert response.status_code == refused(persona_name)
        assert not action.lines.exists()


def test_a_fismdf_line_without_its_category_is_refused_in_spanish(
    client_as, draft_poa, make_action, catalogue
):
    action = make_action(draft_poa)
    response = client_as("planner").post(
        reverse("budgeting:line_add", args=[action.pk]),
        {
            "linea-source": catalogue["fismdf"].pk,
            "linea-expense_item": catalogue["item"].pk,
            "linea-functional": catalogue["functional"].pk,
        },
    )
    assert response.status_code == 400
    assert "FISMDF" in response.text
    assert not BudgetLine.objects.filter(action=action).exists()


def movement(line, stage="committed", amount="100000.00", **extra):
    prefix = f"mov{line.pk}"
    data = {"stage": stage, "amount": amount, "date": "2027-04-01", "reference": "CONT-1"}
    return {f"{prefix}-{name}": value for name, value in (data | extra).items()}


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_recording_a_movement_on_the_state_line_by_persona(client_as, cofinanced, persona_name):
    _, _, own_line, state_line = cofinanced
    client = client_as(persona_name)
    on_state = client.post(
        reverse("budgeting:movement_record", args=[state_line.pk]), movement(state_line)
    )
    on_own = client.post(
        reverse("budgeting:movement_record", args=[own_line.pk]), movement(own_line)
    )
    state_line.refresh_from_db()
    own_line.refresh_from_db()
    # The state agency co-finances the state line; Obras Públicas is responsible for both.
    if persona_name in EDITORS | {"state_liaison"}:
        assert on_state.status_code == 302
        assert state_line.committed == Decimal("100000.00")
    else:
        assert on_state.status_code == refused(persona_name)
        assert state_line.committed == 0
    if persona_name in EDITORS:
        assert on_own.status_code == 302
        assert own_line.committed == Decimal("100000.00")
    else:
        assert on_own.status_code == refused(persona_name)
        assert own_line.committed == 0


def test_the_state_liaison_sees_the_movement_form_only_on_the_line_it_cofinances(
    client_as, cofinanced
):
    _, action, own_line, state_line = cofinanced
    page = client_as("state_liaison").get(reverse("budgeting:action_detail", args=[action.pk]))
    assert reverse("budgeting:movement_record", args=[state_line.pk]) in page.text
    assert reverse("budgeting:movement_record", args=[own_line.pk]) not in page.text


def test_a_refused_movement_shows_its_figures_and_saves_nothing(client_as, cofinanced):
    _, _, own_line, _ = cofinanced
    count = Movement.objects.count()
    response = client_as("planner").post(
        reverse("budgeting:movement_record", args=[own_line.pk]),
        movement(own_line, amount="1000000.01"),
    )
    assert response.status_code == 400
    assert (
        "El comprometido llegaría a $1,000,000.01, por encima del modificado de $1,000,000.00."
        in response.text
    )
    assert Movement.objects.count() == count
    own_line.refresh_from_db()
    assert own_line.committed == 0


def test_a_movement_carries_its_supporting_document(client_as, cofinanced):
    _, action, own_line, _ = cofinanced
    client = client_as("planner")
    data = movement(own_line) | {
        f"mov{own_line.pk}-document": SimpleUploadedFile("contrato.pdf", PDF, "application/pdf")
    }
    client.post(reverse("budgeting:movement_record", args=[own_line.pk]), data)
    recorded = Movement.objects.get(line=own_line, stage="committed")
    assert recorded.document_name == "contrato.pdf"
    page = client.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert "contrato.pdf" in page
    url = reverse("budgeting:movement_document", args=[recorded.pk])
    download = client_as("council_member").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client_as("outsider").get(url).status_code == 404


# --- Progress -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_reporting_progress_by_persona(client_as, cofinanced, persona_name):
    _, action, _, _ = cofinanced
    response = client_as(persona_name).post(
        reverse("budgeting:progress_report", args=[action.pk]),
        {
            "avance-period": "1",
            "avance-achieved": "20",
            "avance-evidence": SimpleUploadedFile("foto.pdf", PDF, "application/pdf"),
        },
    )
    report = ProgressReport.objects.filter(action=action, period=1).first()
    # The state agency co-finances a line: its people report its share.
    if persona_name in EDITORS | {"state_liaison"}:
        assert response.status_code == 302
        assert report.achieved == Decimal("20.00")
        assert report.evidence_name == "foto.pdf"
    else:
        assert response.status_code == refused(persona_name)
        assert report is None


def test_progress_shows_physical_beside_financial_and_flags_the_gap(client_as, cofinanced):
    _, action, own_line, _ = cofinanced
    client = client_as("planner")
    client.post(
        reverse("budgeting:progress_report", args=[action.pk]),
        {"avance-period": "1", "avance-achieved": "50"},
    )
    report = ProgressReport.objects.get(action=action)
    client_as("admin").post(reverse("budgeting:progress_validate", args=[report.pk]))
    page = client.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert "50.0 %" in page  # physical: 50 of 100 metres
    assert "0.0 %" in page  # financial: nothing exercised
    assert "Brecha entre el avance físico y el financiero" in page


def test_progress_on_a_draft_poa_is_refused_with_the_reason(client_as, draft_poa, make_action):
    action = make_action(draft_poa)
    response = client_as("planner").post(
        reverse("budgeting:progress_report", args=[action.pk]),
        {"avance-period": "1", "avance-achieved": "5"},
    )
    assert response.status_code == 400
    assert "El avance se reporta sobre las acciones de un POA aprobado." in response.text
    assert not ProgressReport.objects.exists()


def test_action_pages_refuse_the_wrong_method(client_as, cofinanced):
    _, action, own_line, _ = cofinanced
    client = client_as("planner")
    for url in (
        reverse("budgeting:action_submit", args=[action.pk]),
        reverse("budgeting:action_align", args=[action.pk]),
        reverse("budgeting:line_add", args=[action.pk]),
        reverse("budgeting:progress_report", args=[action.pk]),
        reverse("budgeting:movement_record", args=[own_line.pk]),
    ):
        assert client.get(url).status_code == 405, url


def test_the_action_page_runs_a_fixed_number_of_queries(
    client_as, cofinanced, django_assert_max_num_queries
):
    _, action, _, _ = cofinanced
    client = client_as("planner")
    url = reverse("budgeting:action_detail", args=[action.pk])
    client.get(url)
    # A fixed number, whatever the lines and periods (the changes waiting for authorization and
    # the validated and pending progress included).
    with django_assert_max_num_queries(32):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_neither_a_supporting_document_nor_evidence(client_as, cofinanced, name):
    _, action, own_line, _ = cofinanced
    client = client_as("planner")
    data = movement(own_line) | {
        f"mov{own_line.pk}-document": SimpleUploadedFile(name, HOSTILE[name])
    }
    url = reverse("budgeting:movement_record", args=[own_line.pk])
    response = client.post(url, data, follow=True)
    assert name in response.text
    assert "rechaz" in response.text
    assert not Movement.objects.filter(line=own_line, stage="committed").exists()
    response = client.post(
        reverse("budgeting:progress_report", args=[action.pk]),
        {
            "avance-period": "1",
            "avance-achieved": "20",
            "avance-evidence": SimpleUploadedFile(name, HOSTILE[name]),
        },
        follow=True,
    )
    assert name in response.text
    assert "rechaz" in response.text
    assert not ProgressReport.objects.filter(action=action).exists()
