"""Elements and their alignment from either side, and the alignment matrix with its gaps."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pmot.planning.models import Alignment, Plan, PlanElement
from pmot.planning.services import plans as services
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS

EDITORS = {"admin", "planner"}
READERS = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 404, "anonymous": 302}


def element_url(element):
    return reverse("planning:element_detail", args=[element.plan.key, element.pk])


def test_an_alignment_entered_from_one_side_shows_on_both(client_as, pmot_and_pdm):
    _, _, tree = pmot_and_pdm
    strategy, line = tree["T1.1.1"], tree["M1.1.2"]
    client = client_as("planner")
    response = client.post(
        reverse("planning:alignment_create", args=["pdm", line.pk]),
        {"con": "pmot", "target": strategy.pk, "note": "Redensificación"},
    )
    assert response.status_code == 302
    for element, other in ((strategy, line), (line, strategy)):
        page = client.get(element_url(element)).text
        assert other.name in page
        assert "Redensificación" in page
    assert Alignment.objects.count() == 1


def test_the_same_link_from_the_other_side_is_refused_and_said(client_as, pmot_and_pdm):
    _, _, tree = pmot_and_pdm
    services.alignment_add(source=tree["T1.1.1"], target=tree["M1.1.1"])
    client = client_as("planner")
    response = client.post(
        reverse("planning:alignment_create", args=["pdm", tree["M1.1.1"].pk]),
        {"con": "pmot", "target": tree["T1.1.1"].pk},
        follow=True,
    )
    assert "Estos elementos ya están alineados." in response.text
    assert Alignment.objects.count() == 1


def test_the_alignment_form_offers_only_the_chosen_plans_elements(client_as, pmot_and_pdm):
    _, _, tree = pmot_and_pdm
    client = client_as("planner")
    page = client.get(element_url(tree["T1.1.1"]), {"con": "pdm"}).text
    assert "M1.1.2 · Tercer nivel 2" in page
    assert "T1.1.2 · Tercer nivel 2" not in page
    # An element of the same plan sent by hand is not a valid choice.
    client.post(
        reverse("planning:alignment_create", args=["pmot", tree["T1.1.1"].pk]),
        {"con": "pdm", "target": tree["T1.1.2"].pk},
    )
    assert not Alignment.objects.exists()


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_aligning_and_removing_by_persona(client_as, pmot_and_pdm, persona_name):
    _, _, tree = pmot_and_pdm
    client = client_as(persona_name)
    response = client.post(
        reverse("planning:alignment_create", args=["pmot", tree["T1.1.1"].pk]),
        {"con": "pdm", "target": tree["M1.1.1"].pk},
    )
    created = Alignment.objects.exists()
    assert created == (persona_name in EDITORS)
    if persona_name not in EDITORS:
        assert response.status_code == {"anonymous": 302, "outsider": 404}.get(persona_name, 403)

    link = services.alignment_add(source=tree["T1.1.2"], target=tree["M1.1.2"])
    response = client.post(reverse("planning:alignment_delete", args=[link.pk]))
    assert Alignment.objects.filter(pk=link.pk).exists() == (persona_name not in EDITORS)


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_element_pages_by_persona(client_as, pmot_and_pdm, persona_name):
    _, _, tree = pmot_and_pdm
    response = client_as(persona_name).get(element_url(tree["T1.1"]))
    assert response.status_code == READERS[persona_name]
    if response.status_code == 200:
        assert "Tercer nivel 1" in response.text  # what lies below it
        assert ("Alinear con un elemento" in response.text) == (persona_name in EDITORS)


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_adding_and_editing_elements_by_persona(client_as, pmot_and_pdm, persona_name):
    _, _, tree = pmot_and_pdm
    client = client_as(persona_name)
    client.post(
        reverse("planning:element_create", args=["pmot"]),
        {"parent": tree["T1"].pk, "key": "T1.2", "name": "Contener la expansión urbana"},
    )
    client.post(
        reverse("planning:element_edit", args=["pmot", tree["T1.1"].pk]),
        {"key": "T1.1", "name": "Objetivo renombrado"},
    )
    added = PlanElement.objects.filter(key="T1.2", plan__key="pmot").first()
    tree["T1.1"].refresh_from_db()
    if persona_name in EDITORS:
        assert added.level == 1
        assert added.parent == tree["T1"]
        assert tree["T1.1"].name == "Objetivo renombrado"
    else:
        assert added is None
        assert tree["T1.1"].name == "Objetivo T"


def test_an_element_below_the_last_level_is_refused_with_the_reason(client_as, pmot_and_pdm):
    _, _, tree = pmot_and_pdm
    response = client_as("planner").post(
        reverse("planning:element_create", args=["pmot"]),
        {"parent": tree["T1.1.1"].pk, "key": "T1.1.1.1", "name": "Demasiado abajo"},
    )
    assert response.status_code == 200
    assert "no puede ir por debajo del último" in response.text
    assert not PlanElement.objects.filter(key="T1.1.1.1").exists()


def test_a_repeated_key_is_refused_on_edit(client_as, pmot_and_pdm):
    _, _, tree = pmot_and_pdm
    response = client_as("planner").post(
        reverse("planning:element_edit", args=["pmot", tree["T1.1.2"].pk]),
        {"key": "T1.1.1", "name": "Otro"},
    )
    assert "ya se usa en este plan" in response.text
    tree["T1.1.2"].refresh_from_db()
    assert tree["T1.1.2"].key == "T1.1.2"


# --- The matrix --------------------------------------------------------------------------------


def test_the_matrix_shows_each_link_and_highlights_the_gaps(client_as, pmot_and_pdm):
    _, _, tree = pmot_and_pdm
    sdg_target = PlanElement.objects.get(plan__key="ods", key="11.3")
    services.alignment_add(source=tree["T1.1"], target=sdg_target)
    services.alignment_add(source=tree["T1.1.1"], target=tree["M1.1.1"])
    client = client_as("council_member")

    pmot_page = client.get(reverse("planning:alignment_matrix", args=["pmot"])).text
    assert "Plan de Desarrollo Municipal" in pmot_page
    assert "Agenda 2030" in pmot_page
    assert ">M1.1.1<" in pmot_page
    assert ">11.3<" in pmot_page
    # T1.1.2 is aligned to nothing: its row is marked.
    row = pmot_page[pmot_page.index(">T1.1.2<") - 600 : pmot_page.index(">T1.1.2<") + 400]
    assert "matrix__row--gap" in row
    assert "Alineado a nada" in row

    pdm_page = client.get(reverse("planning:alignment_matrix", args=["pdm"])).text
    # M1.1.2, a last-level line, has no PMOT strategy: a gap in the PMOT column.
    row = pdm_page[pdm_page.index(">M1.1.2<") :].split("</tr>")[0]
    assert "matrix__cell--gap" in row
    row = pdm_page[pdm_page.index(">M1.1.1<") :].split("</tr>")[0]
    assert ">T1.1.1<" in row
    assert "matrix__cell--gap" not in row

    only_gaps = client.get(reverse("planning:alignment_matrix", args=["pdm"]), {"brechas": "1"})
    assert ">M1.1.2<" in only_gaps.text
    assert ">M1.1.1<" not in only_gaps.text


def test_the_matrix_exports_to_csv_and_xlsx_with_the_same_rows(client_as, pmot_and_pdm):
    _, _, tree = pmot_and_pdm
    services.alignment_add(source=tree["T1.1.1"], target=tree["M1.1.1"])
    services.element_add(plan=tree["T1"].plan, key="T2", name='=HYPERLINK("http://x")')
    client = client_as("state_liaison")

    response = client.get(reverse("planning:matrix_export", args=["pmot", "csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="alineacion-pmot.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["Clave", "Nivel", "Nombre"]
    assert header[-1] == "Brecha"
    by_key = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_key["T1.1.1"]["Plan de Desarrollo Municipal"] == "M1.1.1"
    assert by_key["T1.1.2"]["Brecha"] == "Sí"
    assert by_key["T1.1.1"]["Brecha"] == "No"
    assert by_key["T2"]["Nombre"].startswith("'=")  # never run as a formula

    response = client.get(reverse("planning:matrix_export", args=["pmot", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == rows


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_matrix_and_its_exports_by_persona(client_as, pmot_and_pdm, persona_name):
    client = client_as(persona_name)
    for url in (
        reverse("planning:alignment_matrix", args=["pmot"]),
        reverse("planning:matrix_export", args=["pmot", "csv"]),
        reverse("planning:plan_export", args=["pmot", "xlsx"]),
    ):
        assert client.get(url).status_code == READERS[persona_name]


@pytest.mark.parametrize("size", [5, 500])
def test_the_matrix_runs_a_fixed_number_of_queries(
    client_as, orgs, django_assert_max_num_queries, size
):
    pmot = Plan.objects.create(
        key="pmot", name="PMOT", order=Plan.Order.PMOT, level_names=["Eje", "Estrategia"]
    )
    pdm = Plan.objects.create(
        key="pdm", name="PDM", order=Plan.Order.MUNICIPAL, level_names=["Eje", "Línea"]
    )
    targets = list(PlanElement.objects.filter(plan__key="ods", level=1)[:20])
    axes = [services.element_add(plan=plan, key="1", name="Eje") for plan in (pmot, pdm)]
    for n in range(size):
        strategy = services.element_add(plan=pmot, key=f"1.{n}", name="E", parent=axes[0])
        line = services.element_add(plan=pdm, key=f"1.{n}", name="L", parent=axes[1])
        if n % 3:
            services.alignment_add(source=strategy, target=line)
            services.alignment_add(source=strategy, target=targets[n % 20])
    client = client_as("planner")
    for key in ("pmot", "pdm"):
        # Session, user, permissions, plan, elements, links, columns, municipality, session save.
        with django_assert_max_num_queries(12):
            response = client.get(reverse("planning:alignment_matrix", args=[key]))
        assert response.status_code == 200
