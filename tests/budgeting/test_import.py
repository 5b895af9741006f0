"""A POA's actions from a spreadsheet: every row checked first, all saved or nothing, each bad
row named with its reason in Spanish; only planners, only into a draft."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from budgeting.models import Action, BudgetLine, Movement
from pmot.planning.models import Plan
from pmot.planning.services import element_add
from tests.conftest import ALL_PERSONAS

HEADER = [
    "clave",
    "nombre",
    "tipo",
    "responsable",
    "modalidad",
    "meta",
    "unidad",
    "alineacion",
    "p1",
    "p2",
    "p3",
    "p4",
    "fuente",
    "partida",
    "funcional",
    "aprobado",
    "categoria_fismdf",
]


NO_LINE = {"fuente": "", "partida": "", "funcional": "", "aprobado": ""}


def row(key="A-01", **values):
    base = {
        "clave": key,
        "nombre": f"Acción {key}",
        "tipo": "Obra pública",
        "responsable": "SOP",
        "modalidad": "K",
        "meta": "100",
        "unidad": "metros",
        "alineacion": "pmot:1.1",
        "p1": "25",
        "p2": "25",
        "p3": "25",
        "p4": "25",
        "fuente": "propios",
        "partida": "6140",
        "funcional": "2.2.1",
        "aprobado": "1000.00",
        "categoria_fismdf": "",
    }
    return [(base | values)[column] for column in HEADER]


def csv_file(rows, name="acciones.csv", header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


def xlsx_file(rows, name="acciones.xlsx", header=HEADER):
    workbook = Workbook()
    workbook.active.append(header)
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def post(client, poa, upload):
    return client.post(reverse("budgeting:poa_import", args=[poa.pk]), {"file": upload})


@pytest.fixture
def pdm_line(db):
    plan = Plan.objects.create(
        key="pdm-2024-2027",
        name="PDM",
        order=Plan.Order.MUNICIPAL,
        level_names=["Eje", "Línea de acción"],
    )
    axis = element_add(plan=plan, key="PDM-1", name="Ciudad con agua")
    return element_add(plan=plan, key="PDM-1.2.1.3", name="Redes de agua", parent=axis)


@pytest.fixture
def aligned(pmot_strategy, pdm_line, catalogue, orgs):
    return pmot_strategy, pdm_line


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_good_file_adds_actions_lines_and_their_approved_amount(
    client_as, draft_poa, aligned, make_file
):
    rows = [
        row("A-01", alineacion="pmot:1.1; pdm-2024-2027:PDM-1.2.1.3"),
        row(
            "A-01",
            nombre="",
            alineacion="",
            fuente="fismdf",
            aprobado="2500000.50",
            categoria_fismdf="water",
        ),
        row("A-02", tipo="Servicios", meta="12", p1="3", p2="3", p3="3", p4="3", **NO_LINE),
    ]

    response = post(client_as("planner"), draft_poa, make_file(rows))

    assert response.status_code == 302, (
        response.context["problems"] or response.context["form"].errors
    )
    first = Action.objects.get(poa=draft_poa, key="A-01")
    assert first.kind == "public_works"
    assert first.calendar == ["25", "25", "25", "25"]
    assert {e.key for e in first.alignments.all()} == {"1.1", "PDM-1.2.1.3"}
    assert sorted(first.lines.values_list("source__key", "approved")) == [
        ("fismdf", Decimal("2500000.50")),
        ("propios", Decimal("1000.00")),
    ]
    assert first.lines.get(source__key="fismdf").fismdf_category == "water"
    assert Movement.objects.filter(line__action=first, stage="approved").count() == 2
    second = Action.objects.get(poa=draft_poa, key="A-02")
    assert (second.kind, second.lines.count()) == ("services", 0)


def test_a_monthly_calendar_is_read_from_twelve_periods(client_as, draft_poa, aligned):
    header = [*HEADER, *[f"p{n}" for n in range(5, 13)]]
    values = row("M-01", meta="120", p1="10", p2="10", p3="10", p4="10") + ["10"] * 8
    response = post(client_as("planner"), draft_poa, csv_file([values], header=header))
    assert response.status_code == 302
    action = Action.objects.get(key="M-01")
    assert (action.calendar_kind, len(action.calendar)) == ("monthly", 12)


def test_one_bad_row_among_500_saves_nothing_and_names_the_row(client_as, draft_poa, aligned):
    rows = [row(f"A-{n:03d}") for n in range(1, 501)]
    rows[249] = row("A-250", responsable="XYZ")  # the spreadsheet's row 251

    response = post(client_as("planner"), draft_poa, csv_file(rows))

    assert response.status_code == 400
    text = response.content.decode()
    assert response.context["problems"][0].startswith("Fila 251:"), response.context["problems"]
    assert "No se guardó nada." in text
    assert "Fila 251:" in text
    assert "XYZ" in text
    assert text.count("Fila ") == 1
    assert not Action.objects.exists()
    assert not BudgetLine.objects.exists()
    assert not Movement.objects.exists()


def test_every_bad_row_is_listed_with_its_reason(client_as, draft_poa, aligned):
    rows = [
        row("B-01", tipo="Obra faraónica"),
        row("B-02", meta="100", p4="20"),
        row("B-03", alineacion="pmot:9.9"),
        row("B-04", fuente="fismdf"),  # FISMDF without its category
        row("B-05", partida="9999", funcional="7.7.7"),
        row("B-05", fuente="propios", nombre="Otra cosa"),
        row("B-06", aprobado="10.555"),
        row(""),
    ]
    response = post(client_as("planner"), draft_poa, csv_file(rows))
    assert response.status_code == 400
    text = response.content.decode()
    for number in range(2, 10):
        assert f"Fila {number}:" in text
    assert "95" in text  # the calendar's sum, against the target of 100
    assert "pmot:9.9" in text
    assert not Action.objects.exists()


def test_a_rule_the_service_refuses_rolls_back_the_whole_file(client_as, draft_poa, aligned):
    """FISMDF: institutional development may take at most 2 % of the year's FISMDF money; the
    capped uses are written last, so a file within the cap passes whatever its order."""
    within = [
        row("F-01", fuente="fismdf", aprobado="15000.00", categoria_fismdf="institutional"),
        row("F-02", fuente="fismdf", aprobado="1000000.00", categoria_fismdf="water"),
    ]
    assert post(client_as("planner"), draft_poa, csv_file(within)).status_code == 302
    assert Action.objects.count() == 2

    beyond = [
        row("F-03", fuente="fismdf", aprobado="900000.00", categoria_fismdf="water"),
        row("F-04", fuente="fismdf", aprobado="80000.00", categoria_fismdf="institutional"),
    ]
    response = post(client_as("planner"), draft_poa, csv_file(beyond))
    assert response.status_code == 400
    assert "Fila 3:" in response.content.decode()
    assert "2 %" in response.content.decode()
    assert set(Action.objects.values_list("key", flat=True)) == {"F-01", "F-02"}


def test_keys_already_in_the_poa_are_refused(client_as, draft_poa, aligned, make_action):
    make_action(draft_poa, key="A-01")
    response = post(client_as("planner"), draft_poa, csv_file([row("A-02"), row("A-01")]))
    assert response.status_code == 400
    assert "Fila 3:" in response.content.decode()
    assert Action.objects.count() == 1


def test_text_that_looks_like_a_formula_is_kept_as_text(client_as, draft_poa, aligned):
    response = post(client_as("planner"), draft_poa, csv_file([row("X-1", nombre="=1+2")]))
    assert response.status_code == 302
    assert Action.objects.get(key="X-1").name == "=1+2"


def test_a_file_that_is_not_a_spreadsheet_is_refused(client_as, draft_poa, aligned):
    fake = SimpleUploadedFile("acciones.xlsx", b"not a workbook")
    response = post(client_as("planner"), draft_poa, fake)
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_only_a_draft_poa_takes_an_import(client_as, approved_poa):
    poa, *_ = approved_poa
    response = post(client_as("planner"), poa, csv_file([row("Z-01")]))
    assert response.status_code == 400
    assert Action.objects.filter(key="Z-01").count() == 0
    assert (
        client_as("planner").get(reverse("budgeting:poa_import", args=[poa.pk])).status_code == 200
    )


IMPORT_STATUS = dict.fromkeys(ALL_PERSONAS, 403) | {
    "planner": 200,
    "admin": 200,
    "outsider": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_open_the_import(client_as, draft_poa, persona_name):
    response = client_as(persona_name).get(reverse("budgeting:poa_import", args=[draft_poa.pk]))
    assert response.status_code == IMPORT_STATUS[persona_name]


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_import(client_as, draft_poa, aligned, persona_name):
    response = post(client_as(persona_name), draft_poa, csv_file([row("P-01")]))
    expected = IMPORT_STATUS[persona_name]
    assert response.status_code == (302 if expected == 200 else expected)
    assert Action.objects.exists() == (expected == 200)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_download_the_template(client_as, persona_name, fmt):
    response = client_as(persona_name).get(reverse("budgeting:poa_import_template", args=[fmt]))
    expected = {"planner": 200, "admin": 200, "anonymous": 302}.get(persona_name, 403)
    assert response.status_code == expected
