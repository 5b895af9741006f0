"""Plan trees to and from spreadsheets: the file bounded at once, then every row checked by a
job of the outbox, all saved or nothing, the outcome on the import's page."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pmot.planning.models import Plan, PlanElement, PlanImport
from pmot.planning.tasks import import_plan_elements
from tests.conftest import ALL_PERSONAS
from tests.fuzz import hostile
from tests.imports import Upload, import_jobs, run_import_jobs, upload_and_import

HEADER = ["clave", "clave_superior", "nombre", "responsable"]


@pytest.fixture
def pdm(orgs):
    return Plan.objects.create(
        key="pdm",
        name="Plan de Desarrollo Municipal",
        order=Plan.Order.MUNICIPAL,
        level_names=["Eje", "Objetivo", "Estrategia", "Línea de acción"],
    )


def csv_file(rows, name="arbol.csv", header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


def xlsx_file(rows, name="arbol.xlsx"):
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


GOOD_ROWS = [
    ["1", "", "Ciudad ordenada", "IMPLAN"],
    ["1.1", "1", "Contener la expansión urbana", ""],
    ["1.1.1", "1.1", "Redensificar el centro", "sop"],
    ["1.1.1.1", "1.1.1", "Programa de vivienda en lotes baldíos", ""],
    ["2", "", "Agua para todos", ""],
]


def post(client, plan, upload) -> Upload:
    url = reverse("planning:plan_import", args=[plan.key])
    return upload_and_import(client, url, {"file": upload}, import_plan_elements)


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_good_file_builds_the_tree(client_as, pdm, orgs, make_file):
    response = post(client_as("planner"), pdm, make_file(GOOD_ROWS))
    assert response.status_code == 302
    elements = {element.key: element for element in pdm.elements.select_related("parent")}
    assert elements["1.1.1.1"].level == 3
    assert elements["1.1.1.1"].parent.key == "1.1.1"
    assert elements["1"].responsible == orgs["implan"]
    assert elements["1.1.1"].responsible == orgs["works"]  # acronyms in any case
    page = client_as("planner").get(reverse("planning:plan_detail", args=["pdm"]), follow=True)
    assert page.text.index("Ciudad ordenada") < page.text.index("Agua para todos")


def test_one_bad_row_among_good_ones_saves_nothing_and_names_each_bad_row(client_as, pdm):
    rows = [
        *GOOD_ROWS,
        ["3", "9", "Eje con superior inexistente", ""],
        ["1.1", "1", "Clave repetida", ""],
        ["", "1", "Sin clave", ""],
        ["4", "", "", ""],
        ["1.1.1.1.1", "1.1.1.1", "Quinto nivel", ""],
        ["5", "", "Responsable desconocido", "XYZ"],
    ]
    response = post(client_as("planner"), pdm, csv_file(rows))
    assert response.status_code == 302
    assert not pdm.elements.exists()
    assert PlanImport.objects.get().status == PlanImport.Status.REJECTED
    page = response.text
    assert "No se guardó nada." in page
    for expected in (
        "Fila 7: la clave superior 9 no está ni en el archivo ni en el plan.",
        "Fila 8: la clave 1.1 se repite (también en la fila 3).",
        "Fila 9: falta la clave.",
        "Fila 10: el elemento 4 no tiene nombre.",
        "Fila 11: el elemento 1.1.1.1.1 quedaría en el nivel 5; este plan tiene 4.",
        "Fila 12: ninguna organización tiene las siglas XYZ.",
    ):
        assert expected in page


def test_a_cycle_is_refused(client_as, pdm):
    rows = [["1", "2", "A", ""], ["2", "1", "B", ""]]
    response = post(client_as("planner"), pdm, csv_file(rows))
    assert "es su propio ancestro" in response.text
    assert not pdm.elements.exists()


def test_an_existing_key_renames_and_cannot_move(client_as, pdm):
    post(client_as("planner"), pdm, csv_file(GOOD_ROWS))
    renamed = [["1.1", "1", "Contener la expansión", ""], ["3", "", "Nuevo eje", ""]]
    response = post(client_as("planner"), pdm, csv_file(renamed))
    assert response.status_code == 302
    assert pdm.elements.get(key="1.1").name == "Contener la expansión"
    assert pdm.elements.count() == 6

    moved = [["1.1", "2", "Contener la expansión", ""]]
    response = post(client_as("planner"), pdm, csv_file(moved))
    assert "ya cuelga de «1»" in response.text
    assert pdm.elements.get(key="1.1").parent.key == "1"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("arbol.xlsx", b"clave,nombre\n1,a\n"), "no es un libro de cálculo"),
        (SimpleUploadedFile("arbol.csv", b"PK\x03\x04binary"), "su contenido es un libro"),
        (SimpleUploadedFile("arbol.csv", "clave;nombre\n".encode("utf-16")), "no está en UTF-8"),
        (SimpleUploadedFile("arbol.pdf", b"%PDF-1.4"), "formato XLSX o CSV"),
        (SimpleUploadedFile("arbol.xlsx", b"PK\x03\x04not really a zip"), "no se pudo leer"),
        (SimpleUploadedFile("arbol.csv", b"clave,clave_superior,nombre\n"), "no tiene filas"),
    ],
)
def test_unreadable_files_are_refused_with_their_reason(client_as, pdm, upload, message):
    response = post(client_as("planner"), pdm, upload)
    assert response.status_code == 400
    assert message in response.text
    assert not pdm.elements.exists()


def test_a_file_without_the_columns_of_a_tree_is_refused_by_the_job(client_as, pdm):
    response = post(
        client_as("planner"), pdm, SimpleUploadedFile("arbol.csv", b"clave,nombre\n1,Eje\n")
    )
    assert "faltan: clave_superior" in response.text
    assert PlanImport.objects.get().status == PlanImport.Status.REJECTED
    assert not pdm.elements.exists()


# --- Bounded before anything is parsed, imported by a job (issue 19, finding 7) ----------------


def test_a_small_workbook_that_unpacks_to_a_huge_one_is_refused_at_once(client_as, pdm):
    upload = SimpleUploadedFile("arbol.xlsx", hostile.xlsx_bomb(HEADER))
    response = post(client_as("planner"), pdm, upload)
    assert response.status_code == 400
    assert "descomprimido ocupa 64 MB" in response.text
    assert not PlanImport.objects.exists()
    assert not import_jobs(import_plan_elements).exists()


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_file_of_more_rows_than_an_import_takes_is_refused_at_once(
    client_as, pdm, settings, make_file
):
    settings.PMOT_IMPORT_MAX_ROWS = 4
    response = post(client_as("planner"), pdm, make_file(GOOD_ROWS))
    assert response.status_code == 400
    assert "contiene 5 filas; una importación admite como máximo 4" in response.text
    assert not PlanImport.objects.exists()
    assert not import_jobs(import_plan_elements).exists()


def test_the_request_returns_at_once_and_the_page_follows_the_job(client_as, pdm):
    client = client_as("planner")
    response = client.post(
        reverse("planning:plan_import", args=[pdm.key]), {"file": xlsx_file(GOOD_ROWS)}
    )
    record = PlanImport.objects.get()
    assert response["Location"] == reverse("planning:plan_import_status", args=["pdm", record.pk])
    assert not pdm.elements.exists()
    assert import_jobs(import_plan_elements).get().kwargs == {"plan_import_id": record.pk}
    waiting = client.get(response["Location"])
    assert "Esperando su turno: 5 filas por leer" in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text

    run_import_jobs(import_plan_elements)
    part = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "<html" not in part.text
    assert "hx-trigger" not in part.text
    assert "5 elementos agregados, 0 actualizados" in part.text
    record.refresh_from_db()
    assert (record.rows_read, record.created, record.updated) == (5, 5, 0)
    assert pdm.elements.count() == 5


def test_an_import_of_another_plan_is_not_found(client_as, pdm):
    post(client_as("planner"), pdm, csv_file(GOOD_ROWS))
    other = Plan.objects.create(
        key="otro", name="Otro", order=Plan.Order.MUNICIPAL, level_names=["Eje"]
    )
    url = reverse("planning:plan_import_status", args=[other.key, PlanImport.objects.get().pk])
    assert client_as("planner").get(url).status_code == 404


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_follow_an_import(client_as, pdm, persona_name):
    post(client_as("planner"), pdm, csv_file(GOOD_ROWS))
    url = reverse("planning:plan_import_status", args=["pdm", PlanImport.objects.get().pk])
    expected = {"admin": 200, "planner": 200, "anonymous": 302, "outsider": 404}
    assert client_as(persona_name).get(url).status_code == expected.get(persona_name, 403)


def test_a_file_over_the_size_limit_is_refused(client_as, pdm, settings):
    settings.PMOT_MAX_UPLOAD_MB = 1
    big = csv_file([["1", "", "x" * 2_000_000, ""]])
    response = post(client_as("planner"), pdm, big)
    assert "pesa más de los 1 MB permitidos" in response.text
    assert not pdm.elements.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_tree_imports_back_into_an_empty_plan(client_as, pdm, fmt):
    client = client_as("planner")
    post(client, pdm, csv_file(GOOD_ROWS))
    exported = client.get(reverse("planning:plan_export", args=["pdm", fmt]))
    copy = Plan.objects.create(
        key="copia", name="Copia", order=Plan.Order.MUNICIPAL, level_names=pdm.level_names
    )
    response = post(client, copy, SimpleUploadedFile(f"copia.{fmt}", exported.content))
    assert response.status_code == 302

    def shape(plan):
        return sorted(
            (e.key, e.parent.key if e.parent else "", e.name, e.level, e.responsible_id)
            for e in plan.elements.select_related("parent")
        )

    assert shape(copy) == shape(pdm)


def test_the_export_lists_each_element_with_its_level_name(client_as, pdm):
    post(client_as("planner"), pdm, csv_file(GOOD_ROWS))
    response = client_as("citizen_rep").get(reverse("planning:plan_export", args=["pdm", "xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("clave", "clave_superior", "nombre", "responsable", "nivel")
    assert rows[4] == (
        "1.1.1.1",
        "1.1.1",
        "Programa de vivienda en lotes baldíos",
        None,
        "Línea de acción",
    )


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_importing_by_persona(client_as, pdm, persona_name):
    response = post(client_as(persona_name), pdm, csv_file(GOOD_ROWS))
    imported = PlanElement.objects.filter(plan=pdm).exists()
    assert imported == (persona_name in {"admin", "planner"})
    if not imported:
        assert response.status_code == {"anonymous": 302, "outsider": 404}.get(persona_name, 403)
