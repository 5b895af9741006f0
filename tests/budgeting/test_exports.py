"""The POA table taken away: XLSX and CSV with the page's rows and filters, cells that would
run as formulae escaped; a PDF rendered through the outbox, with a page that follows it."""

import csv
import io
import uuid

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from budgeting.services import exports, money
from budgeting.services import poa as poa_services
from budgeting.tasks import render_poa_table_pdf
from pmot.core.models import Job
from pmot.core.outbox import job_run
from tests.budgeting.conftest import DAY
from tests.conftest import ALL_PERSONAS
from tests.factories import UserFactory

READ_STATUS = dict.fromkeys(ALL_PERSONAS, 200) | {"outsider": 404, "anonymous": 302}


def export(client, poa, fmt, **params):
    return client.get(reverse("budgeting:poa_table_export", args=[poa.pk, fmt]), params)


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(values) for values in sheet.iter_rows(values_only=True)]


@pytest.fixture
def table(approved_poa, make_action, catalogue, pmot_strategy):
    """The approved POA with its first action's money committed and exercised, and a second
    action of another kind whose name looks like formulae."""
    poa, action, line = approved_poa
    user = UserFactory()
    money.movement_record(line=line, stage="committed", amount="600000", date=DAY, by=user)
    money.movement_record(line=line, stage="accrued", amount="500000", date=DAY, by=user)
    money.movement_record(line=line, stage="exercised", amount="400000", date=DAY, by=user)
    modification = poa_services.modification_open(poa=poa, reason="Nueva acción", by=user)
    other = make_action(
        poa,
        key="S-02",
        name='=HYPERLINK("http://x")',
        kind="services",
        modification=modification,
        alignments=[pmot_strategy],
    )
    return poa, action, other


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_export_the_table(client_as, approved_poa, persona_name, fmt):
    poa, *_ = approved_poa
    response = export(client_as(persona_name), poa, fmt)
    assert response.status_code == READ_STATUS[persona_name]
    if response.status_code == 200:
        assert response["Content-Disposition"] == f'attachment; filename="cuadro-poa-2027.{fmt}"'


def test_the_csv_holds_the_table_rows_with_their_totals(client_as, table):
    rows = csv_rows(export(client_as("council_member"), table[0], "csv"))
    assert [row["clave"] for row in rows] == ["A-01", "S-02"]
    first = rows[0]
    assert first["alineacion"] == "pmot:1.1"
    assert first["fuentes"] == "propios=1000000.00"
    assert (first["aprobado"], first["modificado"], first["ejercido"]) == (
        "1000000.00",
        "1000000.00",
        "400000.00",
    )
    assert first["subejercicio"] == "500000.00"
    assert first["avance_financiero"] == "40.0"
    assert first["brecha"] == "sí"  # 0 % physical against 40 % financial
    assert (first["calendario"], first["p1"], first["p5"]) == ("trimestral", "25", "")
    assert first["tipo"] == "Obra pública"


def test_the_export_keeps_the_page_filters_and_sort(client_as, table):
    client = client_as("planner")
    only_services = csv_rows(export(client, table[0], "csv", tipo="services"))
    assert [row["clave"] for row in only_services] == ["S-02"]
    by_text = csv_rows(export(client, table[0], "csv", q="agua"))
    assert [row["clave"] for row in by_text] == ["A-01"]
    by_exercised = csv_rows(export(client, table[0], "csv", orden="ejercido"))
    assert [row["clave"] for row in by_exercised] == ["S-02", "A-01"]
    ignored = csv_rows(export(client, table[0], "csv", responsable="x", orden="'; drop"))
    assert len(ignored) == 2


def test_the_workbook_holds_numbers_that_add_up(client_as, table):
    rows = xlsx_rows(export(client_as("planner"), table[0], "xlsx"))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["modificado"] == 1000000
    assert isinstance(first["ejercido"], float | int)
    assert header == list(exports.TABLE_HEADER)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_cells_that_would_run_as_formulae_are_escaped(
    client_as, draft_poa, make_action, fmt, start
):
    make_action(
        draft_poa, key="F-1", name=f"{start}SUM(A1:A9)", target_unit=f"{start}cmd|'/c calc'!A0"
    )
    response = export(client_as("planner"), draft_poa, fmt)
    if fmt == "csv":
        row = csv_rows(response)[0]
        name, unit = row["nombre"], row["unidad"]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        cells = {cell.value: cell for cell in sheet[1]}
        name = sheet.cell(2, list(cells).index("nombre") + 1)
        unit = sheet.cell(2, list(cells).index("unidad") + 1)
        assert name.data_type == unit.data_type == "s"  # text, never a formula
        name, unit = name.value, unit.value
    assert name == f"'{start}SUM(A1:A9)"
    assert unit == f"'{start}cmd|'/c calc'!A0"


def test_the_export_runs_a_fixed_number_of_queries(
    client_as, draft_poa, make_action, django_assert_max_num_queries
):
    client = client_as("planner")
    for n in range(10):
        make_action(draft_poa, key=f"Q-{n:02d}")
    with django_assert_max_num_queries(12):
        assert export(client, draft_poa, "xlsx").status_code == 200


# --- PDF ---------------------------------------------------------------------------------------


def request_pdf(client, poa, **params):
    url = reverse("budgeting:poa_table_pdf", args=[poa.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return client.post(url)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_jobs():
    return Job.objects.filter(task_name=render_poa_table_pdf.name)


def run_job(job: Job) -> Job:
    """What the worker does with a job it receives (the real worker: test_worker.py)."""
    job_run(job_id=job.pk, func=render_poa_table_pdf.func)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_ask_for_the_pdf(
    client_as, approved_poa, persona_name, django_capture_on_commit_callbacks
):
    poa, *_ = approved_poa
    with django_capture_on_commit_callbacks():
        response = request_pdf(client_as(persona_name), poa)
    expected = READ_STATUS[persona_name]
    assert response.status_code == (302 if expected == 200 else expected)
    made = pdf_jobs().count()
    assert made == (1 if expected == 200 else 0)
    if persona_name == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_the_pdf_is_rendered_through_the_outbox_and_the_page_follows_it(
    client_as, table, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    poa = table[0]
    reader = client_as("federal_liaison")
    with django_capture_on_commit_callbacks() as callbacks:  # the broker is not reached
        response = request_pdf(reader, poa, tipo="public_works")
    assert len(callbacks) == 1  # sent after commit
    job = pdf_jobs().get()
    assert job.requested_by.username == "federal_liaison"
    assert job.kwargs["filters"]["kind"] == "public_works"
    status_url = response["Location"]

    waiting = reader.get(status_url)
    assert waiting.status_code == 200
    assert "Preparando el PDF" in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text
    assert "<progress" in waiting.text

    assert run_job(job).status == Job.Status.DONE
    ready = reader.get(status_url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in ready.text
    download_url = reverse("budgeting:poa_table_pdf_download", args=[poa.pk, job.kwargs["token"]])
    assert download_url in ready.text

    pdf = reader.get(download_url)
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "A-01" in text
    assert "Rehabilitación de la red de agua" in text
    assert "S-02" not in text  # filtered out as on the page
    assert "$1,000,000.00" in text

    # Once done, a job delivered again changes nothing.
    assert run_job(job).status == Job.Status.DONE


def test_twenty_requests_for_the_same_pdf_queue_one_job(
    client_as, approved_poa, django_capture_on_commit_callbacks
):
    """Issue 19, finding 10: a second request of the same person for the same table joins the
    first while it is pending; another table, or another person, gets its own."""
    poa, *_ = approved_poa
    reader = client_as("planner")
    with django_capture_on_commit_callbacks():
        places = {request_pdf(reader, poa)["Location"] for _ in range(20)}
        request_pdf(reader, poa, tipo="public_works")
        request_pdf(client_as("federal_liaison"), poa)
    assert len(places) == 1
    assert pdf_jobs().count() == 3
    # Once it is done, asking again renders anew (the data may have changed).
    pdf_jobs().update(status=Job.Status.DONE)
    with django_capture_on_commit_callbacks():
        request_pdf(reader, poa)
    assert pdf_jobs().count() == 4


def test_progress_is_shown_step_by_step(
    client_as, approved_poa, django_capture_on_commit_callbacks
):
    poa, *_ = approved_poa
    reader = client_as("planner")
    with django_capture_on_commit_callbacks():
        status_url = request_pdf(reader, poa)["Location"]
    token = pdf_jobs().get().kwargs["token"]
    exports._report(token, 2, "Acomodando 1 acciones en las páginas")
    page = reader.get(status_url, headers={"HX-Request": "true"})
    assert "Paso 2 de 3" in page.text
    assert 'value="1"' in page.text


def test_a_failed_job_says_so_and_stops_polling(
    client_as, approved_poa, django_capture_on_commit_callbacks
):
    poa, *_ = approved_poa
    reader = client_as("planner")
    with django_capture_on_commit_callbacks():
        status_url = request_pdf(reader, poa)["Location"]
    pdf_jobs().update(status=Job.Status.FAILED)
    page = reader.get(status_url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in page.text
    assert 'role="alert"' in page.text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_follow_and_download_the_pdf(
    client_as, approved_poa, persona_name, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    poa, *_ = approved_poa
    with django_capture_on_commit_callbacks():
        request_pdf(client_as("planner"), poa)
    job = run_job(pdf_jobs().get())
    token = job.kwargs["token"]
    client = client_as(persona_name)
    for name in ("budgeting:poa_table_pdf_status", "budgeting:poa_table_pdf_download"):
        response = client.get(reverse(name, args=[poa.pk, token]))
        assert response.status_code == READ_STATUS[persona_name], name


def test_a_token_of_another_poa_or_none_is_not_found(
    client_as, approved_poa, django_capture_on_commit_callbacks
):
    poa, *_ = approved_poa
    other = poa_services.poa_create(fiscal_year=2028)
    client = client_as("planner")
    with django_capture_on_commit_callbacks():
        request_pdf(client, poa)
    token = pdf_jobs().get().kwargs["token"]
    assert (
        client.get(reverse("budgeting:poa_table_pdf_status", args=[other.pk, token])).status_code
        == 404
    )
    unknown = uuid.uuid4()
    assert (
        client.get(reverse("budgeting:poa_table_pdf_status", args=[poa.pk, unknown])).status_code
        == 404
    )
    # Asked for but not rendered yet: nothing to download.
    assert (
        client.get(reverse("budgeting:poa_table_pdf_download", args=[poa.pk, token])).status_code
        == 404
    )


def test_the_pdf_is_asked_for_with_a_post_only(client_as, approved_poa):
    poa, *_ = approved_poa
    response = client_as("planner").get(reverse("budgeting:poa_table_pdf", args=[poa.pk]))
    assert response.status_code == 405
    assert not pdf_jobs().exists()


def test_the_pdf_prints_user_text_as_text(draft_poa, make_action, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_action(draft_poa, key="H-1", name='<img src="file:///etc/passwd"> Pozo')
    path = exports.table_pdf_render(poa=draft_poa, filters=exports.Filters(), token="t")
    with open(tmp_path / path, "rb") as f:
        assert '<img src="file:///etc/passwd"> Pozo' in pdf_text(f.read())


# --- The buttons on the POA page --------------------------------------------------------------


def test_the_export_buttons_carry_the_page_filters(draft_poa, persona):
    request = RequestFactory().get("/poa/", {"tipo": "services", "q": "agua"})
    request.user = persona("planner")
    html = render_to_string(
        "budgeting/poa/_exports.html", {"poa": draft_poa, "can_add_action": True}, request=request
    )
    query = "?tipo=services&amp;q=agua"
    assert reverse("budgeting:poa_table_export", args=[draft_poa.pk, "xlsx"]) + query in html
    assert reverse("budgeting:poa_table_export", args=[draft_poa.pk, "csv"]) + query in html
    assert reverse("budgeting:poa_table_pdf", args=[draft_poa.pk]) + query in html
    assert reverse("budgeting:poa_import", args=[draft_poa.pk]) in html


def test_readers_see_no_import_link(draft_poa, persona):
    request = RequestFactory().get("/poa/")
    request.user = persona("council_member")
    context = {"poa": draft_poa, "can_add_action": False}
    html = render_to_string("budgeting/poa/_exports.html", context, request=request)
    assert reverse("budgeting:poa_import", args=[draft_poa.pk]) not in html
    assert "XLSX" in html


def test_the_pdf_opens_with_the_charts_then_lists_every_action(table, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    poa, action, other = table
    path = exports.table_pdf_render(poa=poa, filters=exports.Filters(), token="all")
    with open(tmp_path / path, "rb") as f:
        pages = [page.extract_text() for page in PdfReader(f).pages]
    text = "\n".join(pages)
    for title in (
        "Por orden de gobierno",
        "Por fuente de financiamiento",
        "Por estrategia del PMOT",
    ):
        assert title in text
    assert "A-01" not in pages[0]  # the charts come first, on pages of their own
    listing = "\n".join(page for page in pages if "A-01" in page)
    assert "S-02" in listing
    assert "Total" in listing
    assert "$1,000,000.00" in listing  # approved and modified
    assert "$400,000.00" in listing  # exercised


def test_a_filtered_pdf_says_the_charts_cover_the_whole_poa(table, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    poa = table[0]
    filters = exports.Filters(kind="services")
    path = exports.table_pdf_render(poa=poa, filters=filters, token="some")
    with open(tmp_path / path, "rb") as f:
        text = " ".join(pdf_text(f.read()).split())
    assert "Las gráficas describen todo el POA" in text
    assert "S-02" in text
    assert "A-01" not in text
