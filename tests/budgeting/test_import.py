"""A POA's actions from a spreadsheet: the file checked at once, then every row checked and
written by a job of the outbox, all saved or nothing, each bad row named with its reason in
Spanish on the import's page; only planners, only into a draft."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from budgeting.models import Action, BudgetLine, Movement, PoaImport
from budgeting.services import imports
from budgeting.services import poa as poa_services
from budgeting.tasks import import_poa_actions
from pmot.core import spreadsheets
from pmot.core.models import Job
from pmot.planning.models import Plan
from pmot.planning.services.plans import element_add
from tests.conftest import ALL_PERSONAS
from tests.fuzz import hostile
from tests.imports import Upload, import_jobs, run_import_jobs, upload_and_import

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


def post(client, poa, upload) -> Upload:
    url = reverse("budgeting:poa_import", args=[poa.pk])
    return upload_and_import(client, url, {"file": upload}, import_poa_actions)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


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


def done(result: Upload) -> PoaImport:
    """The import's record once its job has run, asserting that it went in."""
    assert result.response.status_code == 302, (
        result.response.context and result.response.context["problems"]
    )
    record = PoaImport.objects.get()
    assert record.status == PoaImport.Status.DONE, record.errors
    assert result.page.status_code == 200
    return record


def rejected(result: Upload) -> PoaImport:
    """The import's record once its job has run, asserting that nothing went in."""
    assert result.response.status_code == 302
    record = PoaImport.objects.get()
    assert record.status == PoaImport.Status.REJECTED
    assert result.page.status_code == 200
    assert "No se guardó nada." in result.text
    return record


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

    result = post(client_as("planner"), draft_poa, make_file(rows))

    record = done(result)
    assert (record.created_actions, record.created_lines) == (2, 2)
    assert "se agregaron 2 acciones y 2 líneas presupuestales" in result.text
    assert reverse("budgeting:poa_detail", args=[draft_poa.pk]) in result.text
    assert "hx-trigger" not in result.text
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
    # Written by the job on behalf of who uploaded the file.
    assert first.history.first().history_user.username == "planner"


def test_a_monthly_calendar_is_read_from_twelve_periods(client_as, draft_poa, aligned):
    header = [*HEADER, *[f"p{n}" for n in range(5, 13)]]
    values = row("M-01", meta="120", p1="10", p2="10", p3="10", p4="10") + ["10"] * 8
    done(post(client_as("planner"), draft_poa, csv_file([values], header=header)))
    action = Action.objects.get(key="M-01")
    assert (action.calendar_kind, len(action.calendar)) == ("monthly", 12)


def test_one_bad_row_among_500_saves_nothing_and_names_the_row(client_as, draft_poa, aligned):
    rows = [row(f"A-{n:03d}") for n in range(1, 501)]
    rows[249] = row("A-250", responsable="XYZ")  # the spreadsheet's row 251

    result = post(client_as("planner"), draft_poa, csv_file(rows))

    record = rejected(result)
    assert record.errors[0].startswith("Fila 251:"), record.errors
    text = result.text
    assert "Fila 251:" in text
    assert "XYZ" in text
    assert text.count("Fila ") == 1
    assert "hx-trigger" not in text
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
    result = post(client_as("planner"), draft_poa, csv_file(rows))
    rejected(result)
    for number in range(2, 10):
        assert f"Fila {number}:" in result.text
    assert "95" in result.text  # the calendar's sum, against the target of 100
    assert "pmot:9.9" in result.text
    assert not Action.objects.exists()


def test_a_rule_the_service_refuses_rolls_back_the_whole_file(client_as, draft_poa, aligned):
    """FISMDF: institutional development may take at most 2 % of the year's FISMDF money; the
    capped uses are written last, so a file within the cap passes whatever its order."""
    within = [
        row("F-01", fuente="fismdf", aprobado="15000.00", categoria_fismdf="institutional"),
        row("F-02", fuente="fismdf", aprobado="1000000.00", categoria_fismdf="water"),
    ]
    done(post(client_as("planner"), draft_poa, csv_file(within)))
    assert Action.objects.count() == 2
    PoaImport.objects.all().delete()

    beyond = [
        row("F-03", fuente="fismdf", aprobado="900000.00", categoria_fismdf="water"),
        row("F-04", fuente="fismdf", aprobado="80000.00", categoria_fismdf="institutional"),
    ]
    result = post(client_as("planner"), draft_poa, csv_file(beyond))
    rejected(result)
    assert "Fila 3:" in result.text
    assert "2 %" in result.text
    assert set(Action.objects.values_list("key", flat=True)) == {"F-01", "F-02"}


def test_keys_already_in_the_poa_are_refused(client_as, draft_poa, aligned, make_action):
    make_action(draft_poa, key="A-01")
    result = post(client_as("planner"), draft_poa, csv_file([row("A-02"), row("A-01")]))
    rejected(result)
    assert "Fila 3:" in result.text
    assert Action.objects.count() == 1


def test_text_that_looks_like_a_formula_is_kept_as_text(client_as, draft_poa, aligned):
    done(post(client_as("planner"), draft_poa, csv_file([row("X-1", nombre="=1+2")])))
    assert Action.objects.get(key="X-1").name == "=1+2"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("acciones.xlsx", b"not a workbook"), "no es un libro"),
        (SimpleUploadedFile("acciones.csv", b"PK\x03\x04rest"), "es un libro"),
        (SimpleUploadedFile("acciones.txt", b"clave,nombre"), "XLSX o CSV"),
        (SimpleUploadedFile("acciones.csv", b"clave,nombre\n"), "no tiene filas"),
    ],
    ids=["not-a-workbook", "workbook-called-csv", "other-extension", "header-only"],
)
def test_a_file_that_is_not_a_table_of_actions_is_refused_at_once(
    client_as, draft_poa, aligned, upload, message
):
    result = post(client_as("planner"), draft_poa, upload)
    assert result.response.status_code == 400
    assert message in result.text, result.response.context["problems"]
    assert not PoaImport.objects.exists()
    assert not import_jobs(import_poa_actions).exists()
    assert not Action.objects.exists()


# --- Bounded before anything is parsed (issue 19, finding 7) -----------------------------------


@pytest.mark.parametrize(
    "content",
    [hostile.xlsx_bomb(HEADER), hostile.xlsx_bomb(HEADER, megabytes=2)],
    ids=["unpacks-beyond-the-limit", "compressed-a-thousand-times"],
)
def test_a_small_workbook_that_unpacks_to_a_huge_one_is_refused_at_once(
    client_as, draft_poa, aligned, content
):
    assert len(content) < 300 * 1024
    upload = SimpleUploadedFile("acciones.xlsx", content)
    result = post(client_as("planner"), draft_poa, upload)
    assert result.response.status_code == 400
    assert "comprim" in result.text or "descomprim" in result.text
    assert not PoaImport.objects.exists()
    assert not import_jobs(import_poa_actions).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_of_more_rows_than_an_import_takes_is_refused_at_once(
    client_as, draft_poa, aligned, settings, fmt
):
    settings.PMOT_IMPORT_MAX_ROWS = 3
    rows = [row(f"M-0{n}") for n in range(4)]
    upload = csv_file(rows) if fmt == "csv" else xlsx_file(rows)
    result = post(client_as("planner"), draft_poa, upload)
    assert result.response.status_code == 400
    assert "contiene 4 filas; una importación admite como máximo 3" in result.text
    assert not PoaImport.objects.exists()
    assert not import_jobs(import_poa_actions).exists()


def test_a_workbook_that_hides_its_rows_is_stopped_at_the_limit_by_the_job(
    client_as, draft_poa, aligned, settings
):
    settings.PMOT_IMPORT_MAX_ROWS = 3
    content = xlsx_file([row(f"M-0{n}") for n in range(5)]).read()
    upload = SimpleUploadedFile("acciones.xlsx", hostile.xlsx_with_dimension(content, "A1:A1"))
    record = rejected(post(client_as("planner"), draft_poa, upload))
    assert record.errors == [
        "El archivo contiene más de 3 filas; una importación admite como máximo 3. "
        "Divídalo en varios archivos."
    ]
    assert not Action.objects.exists()


def test_the_page_shows_how_many_rows_the_job_has_read(client_as, draft_poa, aligned, monkeypatch):
    client = client_as("planner")
    monkeypatch.setattr(spreadsheets, "PROGRESS_EVERY", 1)
    response = client.post(
        reverse("budgeting:poa_import", args=[draft_poa.pk]),
        {"file": xlsx_file([row("V-01"), row("V-02"), row("V-03")])},
    )
    assert response.status_code == 302
    waiting = client.get(response["Location"])
    assert "3 filas por leer" in waiting.text
    seen = []
    real_import = imports.poa_import

    def looking_meanwhile(**kwargs):  # the planner's page polls while the job works
        seen.append(client.get(response["Location"], headers={"HX-Request": "true"}).text)
        return real_import(**kwargs)

    monkeypatch.setattr(imports, "poa_import", looking_meanwhile)
    run_import_jobs(import_poa_actions)
    assert "3 de 3 filas leídas; comprobando y guardando" in seen[0]
    assert 'hx-trigger="every 2s"' in seen[0]
    page = client.get(response["Location"])
    assert "se agregaron 3 acciones" in page.text
    assert PoaImport.objects.get().rows_read == 3


def test_a_file_over_the_size_limit_is_refused_at_once(client_as, draft_poa, aligned, settings):
    settings.PMOT_MAX_UPLOAD_MB = 0
    result = post(client_as("planner"), draft_poa, csv_file([row("A-01")]))
    assert result.response.status_code == 400
    assert "MB" in result.text
    assert not PoaImport.objects.exists()


def test_only_a_draft_poa_takes_an_import(client_as, approved_poa):
    poa, *_ = approved_poa
    result = post(client_as("planner"), poa, csv_file([row("Z-01")]))
    assert result.response.status_code == 400
    assert "borrador" in result.text
    assert not PoaImport.objects.exists()
    assert Action.objects.filter(key="Z-01").count() == 0
    assert (
        client_as("planner").get(reverse("budgeting:poa_import", args=[poa.pk])).status_code == 200
    )


def test_a_file_without_the_columns_of_actions_is_refused_by_the_job(client_as, draft_poa, aligned):
    upload = SimpleUploadedFile("acciones.csv", b"clave,nombre\nA-1,Algo\n")
    record = rejected(post(client_as("planner"), draft_poa, upload))
    assert "tipo" in record.errors[0]
    assert not Action.objects.exists()


def test_a_poa_submitted_while_the_job_waited_refuses_it(client_as, draft_poa, aligned):
    client = client_as("planner")
    response = client.post(
        reverse("budgeting:poa_import", args=[draft_poa.pk]), {"file": csv_file([row("Z-01")])}
    )
    type(draft_poa).objects.filter(pk=draft_poa.pk).update(status="submitted")
    run_import_jobs(import_poa_actions)
    record = rejected(Upload(response, client.get(response["Location"])))
    assert "borrador" in record.errors[0]
    assert not Action.objects.exists()


# --- The import's page and its job ----------------------------------------------------------


def test_the_page_waits_for_the_job_and_then_shows_its_outcome(client_as, draft_poa, aligned):
    client = client_as("planner")
    response = client.post(
        reverse("budgeting:poa_import", args=[draft_poa.pk]), {"file": csv_file([row("W-01")])}
    )
    assert response.status_code == 302
    record = PoaImport.objects.get()
    assert response["Location"] == reverse(
        "budgeting:poa_import_status", args=[draft_poa.pk, record.pk]
    )
    job = import_jobs(import_poa_actions).get()
    assert job.kwargs == {"poa_import_id": record.pk}
    assert job.requested_by.username == "planner"

    waiting = client.get(response["Location"])
    assert "Preparando la importación" in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text
    assert not Action.objects.exists()

    run_import_jobs(import_poa_actions)
    part = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "<html" not in part.text
    assert "hx-trigger" not in part.text
    assert "se agregaron 1 acciones" in part.text


def test_a_job_delivered_twice_imports_once(client_as, draft_poa, aligned):
    done(post(client_as("planner"), draft_poa, csv_file([row("D-01")])))
    job = import_jobs(import_poa_actions).get()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SENT)  # as if its ack was lost
    run_import_jobs(import_poa_actions)
    assert Action.objects.count() == 1
    assert PoaImport.objects.get().created_actions == 1


def test_a_job_that_gave_up_says_so_and_stops_polling(client_as, draft_poa, aligned):
    client = client_as("planner")
    response = client.post(
        reverse("budgeting:poa_import", args=[draft_poa.pk]), {"file": csv_file([row("G-01")])}
    )
    import_jobs(import_poa_actions).update(status=Job.Status.FAILED)
    page = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "hx-trigger" not in page.text
    assert 'role="alert"' in page.text


def test_the_file_is_kept_under_a_generated_name_when_it_went_in(
    client_as, draft_poa, aligned, media
):
    done(post(client_as("planner"), draft_poa, csv_file([row("K-01")], name="mis acciones.csv")))
    record = PoaImport.objects.get()
    assert record.original_name == "mis acciones.csv"
    assert record.file.name.startswith(f"budgeting/importaciones/{draft_poa.pk}/")
    assert record.file.name.endswith(".csv")
    assert "acciones" not in record.file.name
    assert default_storage.exists(record.file.name)
    assert (media / record.file.name).is_file()


def test_the_file_of_a_refused_import_is_deleted(
    client_as, draft_poa, aligned, media, django_capture_on_commit_callbacks
):
    client = client_as("planner")
    response = client.post(
        reverse("budgeting:poa_import", args=[draft_poa.pk]),
        {"file": csv_file([row("R-01", responsable="XYZ")])},
    )
    stored = PoaImport.objects.get().file.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):  # the deletion waits for the commit
        run_import_jobs(import_poa_actions)
    record = rejected(Upload(response, client.get(response["Location"])))
    assert record.file.name == ""
    assert not default_storage.exists(stored)


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
    result = post(client_as(persona_name), draft_poa, csv_file([row("P-01")]))
    expected = IMPORT_STATUS[persona_name]
    assert result.response.status_code == (302 if expected == 200 else expected)
    assert Action.objects.exists() == (expected == 200)
    assert PoaImport.objects.exists() == (expected == 200)
    assert import_jobs(import_poa_actions).exists() == (expected == 200)


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_follow_an_import(client_as, draft_poa, aligned, persona_name):
    done(post(client_as("planner"), draft_poa, csv_file([row("P-01")])))
    url = reverse("budgeting:poa_import_status", args=[draft_poa.pk, PoaImport.objects.get().pk])
    response = client_as(persona_name).get(url)
    assert response.status_code == IMPORT_STATUS[persona_name]


def test_an_import_of_another_poa_or_none_is_not_found(client_as, draft_poa, aligned):
    done(post(client_as("planner"), draft_poa, csv_file([row("P-01")])))
    other = poa_services.poa_create(fiscal_year=2028)
    record = PoaImport.objects.get()
    client = client_as("planner")
    for args in ([other.pk, record.pk], [draft_poa.pk, record.pk + 1]):
        assert client.get(reverse("budgeting:poa_import_status", args=args)).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_download_the_template(client_as, persona_name, fmt):
    response = client_as(persona_name).get(reverse("budgeting:poa_import_template", args=[fmt]))
    expected = {"planner": 200, "admin": 200, "anonymous": 302}.get(persona_name, 403)
    assert response.status_code == expected
