"""Hostile files on every import and upload (issue 9, "Bad input"): the POA's actions and the
plan tree from XLSX/CSV, territorial units from GeoJSON or a zipped shapefile, and the files of
documents. Hypothesis fills the cells and the coordinates (markup, formulas, SQL-looking text,
Unicode, huge and non-finite numbers, out-of-range coordinates, wrong types); mislabelled and
oversized files are thrown at each. Every upload ends with a Spanish message and nothing
written, or with a whole, valid import whose markup is shown as text."""

import contextlib
import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from budgeting.models import Action, PoaImport
from budgeting.tasks import import_poa_actions
from pmot.core.uploads import FILE_TYPES
from pmot.information.models import Document, TerritorialUnit, UnitImport
from pmot.information.tasks import import_units
from pmot.planning.models import Plan, PlanElement, PlanImport
from pmot.planning.tasks import import_plan_elements
from tests.budgeting.test_import import HEADER as POA_HEADER
from tests.budgeting.test_import import row as poa_row
from tests.fuzz import hostile
from tests.imports import run_import_jobs, upload_and_import
from tests.information.conftest import feature, geojson_bytes, shapefile_zip, square

pytestmark = pytest.mark.django_db

PLAN_HEADER = ["clave", "clave_superior", "nombre", "responsable"]
FORMULAS = ["=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
CELL = st.one_of(hostile.HOSTILE_TEXT, st.sampled_from(FORMULAS), hostile.HUGE_NUMBERS)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def csv_bytes(header, rows, *, bom=False, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    return (("\ufeff" if bom else "") + text).encode(encoding, "replace")


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for values in rows:
        # control characters a workbook cannot hold: a spreadsheet program never writes them
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", str(v)) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_file(fmt: str, header, rows, **kwargs) -> SimpleUploadedFile:
    if fmt == "xlsx":
        return SimpleUploadedFile("tabla.xlsx", xlsx_bytes(header, rows))
    return SimpleUploadedFile("tabla.csv", csv_bytes(header, rows, **kwargs))


def messages_on(response) -> list[str]:
    context = response.context or {}
    found = [str(p) for p in (context.get("problems") or [])]
    form = context.get("form")
    if form is not None and form.is_bound:
        found += [str(e) for errors in form.errors.values() for e in errors]
    return found


@contextlib.contextmanager
def rolled_back():
    """One hypothesis example, undone afterwards: each starts from the test's fixtures."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_refused(response, before, sent=()):
    assert response.status_code < 500
    assert hostile.changed(before, hostile.snapshot()) == {}
    messages = messages_on(response)
    assert messages, f"refused without a message ({response.status_code})"
    for message in messages:
        assert hostile.is_spanish(message, list(sent)), message
    for marker in hostile.RAW_MARKUP:
        assert marker not in response.content.decode()


def assert_shown_as_text(client, *urls):
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200
        for marker in hostile.RAW_MARKUP:
            assert marker not in page.content.decode(), url


UNIT_IMPORT_RECORDS = {
    "information.unitimport",
    "information.historicalunitimport",
    "core.job",
}


def import_units_from(client, name: str, content: bytes, *, update=False):
    """Upload a file of units and do the worker's part: the upload's answer and the import's
    page (`tests.imports.Upload`)."""
    data = {"file": SimpleUploadedFile(name, content)}
    if update:
        data["update_existing"] = "on"
    return upload_and_import(client, reverse("information:unit_import"), data, import_units)


def assert_units_refused(outcome, before, sent=()):
    """Refused at once by the request, or by the job: then nothing but the import's own record
    was written, its errors are in Spanish and its page shows them as text."""
    if outcome.page is None:
        assert_refused(outcome.response, before, sent)
        return
    assert set(hostile.changed(before, hostile.snapshot())) <= UNIT_IMPORT_RECORDS
    record = UnitImport.objects.latest("pk")
    assert record.status == UnitImport.Status.REJECTED
    assert not record.file
    assert record.errors
    for message in record.errors:
        assert hostile.is_spanish(message, list(sent)), message
    assert outcome.page.status_code == 200
    for marker in hostile.RAW_MARKUP:
        assert marker not in outcome.text


# --- Plan tree ---------------------------------------------------------------------------------


@pytest.fixture
def pdm(orgs):
    return Plan.objects.create(
        key="pdm",
        name="Plan de Desarrollo Municipal",
        order=Plan.Order.MUNICIPAL,
        level_names=["Eje", "Objetivo", "Estrategia", "Línea de acción"],
    )


PLAN_ROWS = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["1", "1.1", "2"]), CELL),
        st.one_of(st.sampled_from(["", "1", "1.1"]), CELL),
        CELL,
        st.one_of(st.sampled_from(["", "IMPLAN", "sop"]), CELL),
    ).map(list),
    min_size=1,
    max_size=6,
)


@hostile.fuzz_settings(25)
@given(fmt=st.sampled_from(["csv", "xlsx"]), rows=PLAN_ROWS, bom=st.booleans())
@example(fmt="csv", rows=[["1", "", hostile.SCRIPT, ""], ["1.1", "1", "=1+1", ""]], bom=True)
@hostile.category_examples(
    lambda kind, value: {
        "text": {"fmt": "csv", "rows": [["1", "", value, ""]], "bom": False},
        "number": {"fmt": "xlsx", "rows": [[value, "", "Eje", ""]], "bom": False},
        "choice": {"fmt": "csv", "rows": [["1", "", "Eje", value]], "bom": False},
    }.get(kind)
)
def test_the_plan_tree_import_saves_all_valid_rows_or_nothing(client_as, pdm, fmt, rows, bom):
    client = client_as("planner")
    with rolled_back():
        before = hostile.snapshot()
        upload = table_file(fmt, PLAN_HEADER, rows, bom=bom)
        response = client.post(reverse("planning:plan_import", args=[pdm.key]), {"file": upload})
        assert response.status_code < 500
        sent = [str(cell) for r in rows for cell in r]
        if response.status_code != 302:
            assert_refused(response, before, sent)
            return
        run_import_jobs(import_plan_elements)
        record = PlanImport.objects.get()
        page = client.get(response["Location"])
        assert page.status_code == 200
        for marker in hostile.RAW_MARKUP:
            assert marker not in page.content.decode()
        if record.status == PlanImport.Status.DONE:
            elements = list(PlanElement.objects.filter(plan=pdm))
            assert len(elements) == len({str(r[0]).strip() for r in rows})
            for element in elements:
                element.full_clean()
            assert_shown_as_text(client, reverse("planning:plan_detail", args=[pdm.key]))
        else:
            assert record.status == PlanImport.Status.REJECTED
            assert not PlanElement.objects.filter(plan=pdm).exists()
            assert record.errors
            for message in record.errors:
                assert hostile.is_spanish(message, sent), message


# --- The POA's actions -------------------------------------------------------------------------

POA_COLUMNS = ["clave", "nombre", "unidad", "meta", "p1", "aprobado", "partida", "alineacion"]


@hostile.fuzz_settings(15)
@given(
    fmt=st.sampled_from(["csv", "xlsx"]),
    changes=st.lists(st.dictionaries(st.sampled_from(POA_COLUMNS), CELL, max_size=3), max_size=4),
)
@example(fmt="xlsx", changes=[{"nombre": hostile.SCRIPT}, {"nombre": "=HYPERLINK(1)"}])
@example(fmt="csv", changes=[{"meta": "NaN"}, {"aprobado": "1e309"}])
@example(fmt="csv", changes=[{"meta": "1" + "0" * 400}])  # rounding it overflowed: a 500
@hostile.category_examples(
    lambda kind, value: {
        "text": {"fmt": "csv", "changes": [{"nombre": value}]},
        "number": {"fmt": "csv", "changes": [{"meta": value}, {"aprobado": value}]},
        "choice": {"fmt": "xlsx", "changes": [{"partida": value}]},
    }.get(kind)
)
def test_the_poa_import_saves_all_valid_rows_or_nothing(
    client_as, draft_poa, pmot_strategy, catalogue, orgs, fmt, changes
):
    client = client_as("planner")
    with rolled_back():
        rows = [poa_row(f"F-{n}", **change) for n, change in enumerate(changes or [{}])]
        before = hostile.snapshot()
        upload = table_file(fmt, POA_HEADER, rows)
        url = reverse("budgeting:poa_import", args=[draft_poa.pk])
        response = client.post(url, {"file": upload})
        assert response.status_code < 500
        if response.status_code != 302:
            assert_refused(response, before, [str(cell) for r in rows for cell in r])
            return
        actions_before = Action.objects.count()
        run_import_jobs(import_poa_actions)
        record = PoaImport.objects.get()
        page = client.get(response["Location"])
        assert page.status_code == 200
        for marker in hostile.RAW_MARKUP:
            assert marker not in page.content.decode()
        if record.status == PoaImport.Status.DONE:
            keys = {str(r[0]).strip() for r in rows}
            assert Action.objects.filter(poa=draft_poa).count() == len(keys)
            for action in Action.objects.filter(poa=draft_poa):
                action.full_clean()
            assert_shown_as_text(client, reverse("budgeting:poa_detail", args=[draft_poa.pk]))
        else:
            assert record.status == PoaImport.Status.REJECTED
            assert Action.objects.count() == actions_before
            assert record.errors
            for message in record.errors:
                assert hostile.is_spanish(message, [str(c) for r in rows for c in r]), message


# --- Territorial units -------------------------------------------------------------------------

COORDINATE = st.one_of(
    st.floats(-200, 200, allow_nan=False),
    st.sampled_from(
        [1e308, -1e308, 10**400, -(10**400), 181, -91, 90.0000001, 0, "102.3", None, True]
        + [[1, 2], {}]
    ),
    st.integers(-(10**30), 10**30),
)
GEOMETRY = st.one_of(
    st.just(square()),
    st.lists(st.lists(COORDINATE, min_size=0, max_size=3), min_size=0, max_size=6).map(
        lambda ring: {"type": "Polygon", "coordinates": [ring]}
    ),
    st.tuples(COORDINATE, COORDINATE).map(lambda xy: {"type": "Point", "coordinates": list(xy)}),
    st.sampled_from(
        [
            {"type": "Polygon", "coordinates": "x"},
            {"type": "Polygon"},
            {"type": "GeometryCollection", "geometries": []},
            {"type": hostile.SCRIPT, "coordinates": []},
            {"type": "MultiPolygon", "coordinates": [[[[0, 0]] * 100]]},
            None,
            [],
            "POLYGON((0 0, 1 1))",
        ]
    ),
)
PROPERTY = st.one_of(CELL, st.integers(-(10**30), 10**30), st.none(), st.booleans())


@hostile.fuzz_settings(25)
@given(
    features=st.lists(
        st.tuples(
            st.one_of(st.sampled_from(["UGAT-90", "UGAT-91"]), CELL),
            st.dictionaries(
                st.sampled_from(["nombre", "tipo", "politica", "superficie_ha", "descripcion"]),
                PROPERTY,
                max_size=3,
            ),
            GEOMETRY,
        ),
        min_size=1,
        max_size=4,
    ),
    update=st.booleans(),
)
@example(
    features=[("UGAT-90", {"nombre": hostile.SCRIPT, "descripcion": hostile.IMG}, square())],
    update=False,
)
@example(  # a surface of more digits than the decimal context holds: a 500
    features=[("UGAT-90", {"superficie_ha": 10**30}, {"type": "Point", "coordinates": [1e308, 0]})],
    update=False,
)
@example(  # an integer coordinate too large for a float: a 500
    features=[("UGAT-90", {}, {"type": "Point", "coordinates": [10**400, 0]})], update=True
)
@hostile.category_examples(
    lambda kind, value: {
        "text": {"features": [("UGAT-90", {"nombre": value}, square())], "update": False},
        "number": {"features": [("UGAT-90", {"superficie_ha": value}, square())], "update": False},
        "choice": {"features": [("UGAT-90", {"tipo": value}, square())], "update": True},
    }.get(kind)
)
def test_the_unit_import_saves_all_valid_features_or_nothing(client_as, orgs, features, update):
    client = client_as("planner")
    with rolled_back():
        content = json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {**feature(key), "geometry": geometry}
                    | {"properties": feature(key)["properties"] | properties}
                    for key, properties, geometry in features
                ],
            }
        ).encode()
        before = hostile.snapshot()
        outcome = import_units_from(client, "unidades.geojson", content, update=update)
        assert outcome.status_code < 500
        sent = [str(k) for k, _p, _g in features]
        sent += [str(v) for _k, p, _g in features for v in p.values()]
        if outcome.page is not None and TerritorialUnit.objects.exists():
            assert UnitImport.objects.get().status == UnitImport.Status.DONE
            for unit in TerritorialUnit.objects.all():
                unit.full_clean()
            assert_shown_as_text(client, reverse("information:unit_map"))
            for unit in TerritorialUnit.objects.all():
                assert_shown_as_text(client, reverse("information:unit_detail", args=[unit.key]))
        else:
            assert_units_refused(outcome, before, sent)


# --- Mislabelled, broken and oversized files ---------------------------------------------------

PDF_AS_XLSX = ("tabla.xlsx", hostile.PDF)
MISLABELLED_TABLES = [
    PDF_AS_XLSX,
    ("tabla.csv", hostile.zip_bytes({"[Content_Types].xml": b"<x/>"})),
    ("tabla.xlsx", hostile.zip_bytes({"hola.txt": b"hola"})),
    ("tabla.xlsx", b"PK\x03\x04 not a zip at all"),
    ("tabla.csv", "clave,nombre\n1,Ñandú\n".encode("latin-1")),
    ("tabla.csv", b"\xff\xfe" + "clave,nombre\n".encode("utf-16-le")),
    ("tabla.csv", b"clave,clave_superior,nombre\n1,,a\x00b\n"),
    ("tabla.csv", b""),
    ("tabla.csv", "\ufeffclave;clave_superior;nombre\n".encode()),
    ("tabla.pdf", hostile.PDF),
    ("tabla.html", hostile.HTML_PAGE),
    ("tabla", b"clave,nombre\n"),
    ("tabla.xlsx", hostile.zip_bomb()),
]
# Failures the fuzzing found are kept here (marked "found"): each is tried on every run.
MISLABELLED_UNITS = [
    ("unidades.geojson", hostile.PDF),  # found: the JSON parser's English message was shown
    ("unidades.geojson", hostile.HTML_PAGE),
    ("unidades.geojson", b'{"type": "FeatureCollection", "features": {}}'),
    ("unidades.geojson", b'{"type": "FeatureCollection", "features": [1, "x", null]}'),
    ("unidades.geojson", b"[" * 100000 + b"]" * 100000),  # found: RecursionError, a 500
    # found: a crs that is not an object answered a 500
    ("unidades.geojson", b'{"type": "FeatureCollection", "features": [], "crs": 5}'),
    (
        "unidades.geojson",
        json.dumps(
            {"features": [], "type": "FeatureCollection", "crs": {"properties": "x"}}
        ).encode(),
    ),
    ("unidades.json", b'{"a": NaN}'),
    ("unidades.zip", b"PK\x03\x04 not a zip"),
    ("unidades.zip", hostile.zip_bytes({"a.shp": b"x", "a.shx": b"y", "a.dbf": b"z"})),
    ("unidades.zip", hostile.zip_bomb()),
    ("unidades.zip", hostile.PDF),
    ("unidades.shp", b"\x00\x00\x27\x0a"),
    ("unidades.geojson", geojson_bytes(feature("UGAT-9")).decode().encode("utf-16")),
]


@pytest.mark.parametrize(("name", "content"), MISLABELLED_TABLES)
def test_a_mislabelled_or_broken_table_is_refused_by_the_plan_import(client_as, pdm, name, content):
    client = client_as("planner")
    before = hostile.snapshot()
    response = client.post(
        reverse("planning:plan_import", args=[pdm.key]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert_refused(response, before)


@pytest.mark.parametrize(("name", "content"), MISLABELLED_TABLES)
def test_a_mislabelled_or_broken_table_is_refused_by_the_poa_import(
    client_as, draft_poa, catalogue, orgs, name, content
):
    client = client_as("planner")
    before = hostile.snapshot()
    response = client.post(
        reverse("budgeting:poa_import", args=[draft_poa.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert_refused(response, before)


@pytest.mark.parametrize(("name", "content"), MISLABELLED_UNITS)
def test_a_mislabelled_or_broken_file_is_refused_by_the_unit_import(client_as, orgs, name, content):
    client = client_as("planner")
    before = hostile.snapshot()
    assert_units_refused(import_units_from(client, name, content), before)


def test_a_shapefile_with_markup_in_its_records_is_shown_as_text(client_as, orgs):
    ring = square()["coordinates"][0]
    content = shapefile_zip([("UGAT-77", hostile.SCRIPT, ring)])
    client = client_as("planner")
    outcome = import_units_from(client, "unidades.zip", content)
    assert "1 unidades creadas" in outcome.text
    unit = TerritorialUnit.objects.get(key="UGAT-77")
    assert unit.name == hostile.SCRIPT
    assert_shown_as_text(client, reverse("information:unit_detail", args=[unit.key]))


@hostile.fuzz_settings(20)
@given(upload=hostile.FILES)
@hostile.category_examples(lambda kind, value: {"upload": value} if kind == "file" else None)
def test_a_document_file_is_kept_only_when_its_content_matches_its_name(client_as, orgs, upload):
    name, content = upload
    client = client_as("planner")
    with rolled_back():
        document = Document.objects.create(
            title="Diagnóstico",
            kind=Document._meta.get_field("kind").choices[0][0],
            phase=Document._meta.get_field("phase").choices[0][0],
            date=datetime.date(2026, 1, 15),
            author_organization=orgs["implan"],
        )
        before = hostile.snapshot()
        response = client.post(
            reverse("information:file_add", args=[document.pk]),
            {"file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code < 500
        grown = hostile.changed(before, hostile.snapshot())
        page = client.get(reverse("information:document_detail", args=[document.pk]))
        for marker in hostile.RAW_MARKUP:
            assert marker not in page.content.decode()
        if grown:
            stored = document.files.get()
            assert stored.content_type in {t.content_type for t in FILE_TYPES.values()}
            assert not content.lstrip().startswith(b"<")
        else:
            messages = [str(m) for m in page.context["messages"]] if page.context else []
            messages += messages_on(response)
            assert messages, "refused without a message"
            for message in messages:
                assert hostile.is_spanish(message, [name]), message


def test_an_oversized_request_is_refused_with_a_spanish_page(client_as, pdm, settings):
    settings.PMOT_MAX_UPLOAD_MB = 1
    client = client_as("planner")
    before = hostile.snapshot()
    big = SimpleUploadedFile("arbol.csv", b"clave,clave_superior,nombre\n" + b"1,,x\n" * 500_000)
    response = client.post(reverse("planning:plan_import", args=[pdm.key]), {"file": big})
    assert response.status_code == 413
    assert hostile.is_spanish(response.content.decode())
    assert hostile.changed(before, hostile.snapshot()) == {}


@pytest.mark.parametrize("url_name", ["planning:plan_import", "information:unit_import"])
def test_a_file_over_the_limit_inside_the_request_slack_is_refused_in_spanish(
    client_as, pdm, settings, url_name
):
    """A file a little over the limit passes the request-size middleware (it leaves room
    for the rest of the form) and is refused by the import itself."""
    settings.PMOT_MAX_UPLOAD_MB = 1
    client = client_as("planner")
    before = hostile.snapshot()
    name = "arbol.csv" if url_name == "planning:plan_import" else "unidades.geojson"
    big = SimpleUploadedFile(name, b" " * (1024 * 1024 + 4096))
    url = reverse(url_name, args=[pdm.key] if url_name == "planning:plan_import" else [])
    response = client.post(url, {"file": big})
    assert_refused(response, before)


def damaged(content: bytes, flips: list[tuple[int, int]]) -> bytes:
    data = bytearray(content)
    for position, value in flips:
        if data:
            data[position % len(data)] = value
    return bytes(data)


def shapefile_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(shapefile_zip([("UGAT-5", "Cinco", SQUARE_RING)]))) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


SQUARE_RING = square()["coordinates"][0]
FLIPS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8)


@pytest.mark.filterwarnings("ignore::UserWarning:shapefile")
@hostile.fuzz_settings(30)
@given(
    part=st.sampled_from([".shp", ".shx", ".dbf"]),
    flips=FLIPS,
    truncate=st.one_of(st.none(), st.integers(0, 400)),
    cpg=st.sampled_from([None, "UTF-8", "latin-1", "utf-16", "no-such-codec", "\u00e9"]),
)
# pyshp's own English message ("unpack requires a buffer of 4 bytes") reached the page
@example(part=".shp", flips=[(0, 0)], truncate=0, cpg=None)
@example(part=".dbf", flips=[(0, 3)], truncate=40, cpg="UTF-8")
def test_a_damaged_shapefile_is_refused_in_spanish_or_imported_whole(
    client_as, orgs, part, flips, truncate, cpg
):
    parts = shapefile_parts()
    name = next(n for n in parts if n.endswith(part))
    parts[name] = damaged(parts[name], flips)[:truncate]
    if cpg is not None:
        parts["unidades.cpg"] = cpg.encode()
    client = client_as("planner")
    with rolled_back():
        before = hostile.snapshot()
        outcome = import_units_from(client, "unidades.zip", hostile.zip_bytes(parts))
        if TerritorialUnit.objects.exists():
            for unit in TerritorialUnit.objects.all():
                unit.full_clean()
        else:
            assert_units_refused(outcome, before)


DEEP_JSON = "[" * 50_000 + "]" * 50_000


@hostile.fuzz_settings(25)
@given(
    geometry=st.one_of(
        GEOMETRY.map(json.dumps),
        st.sampled_from([DEEP_JSON, "{", "NaN", '{"type": "Feature"}', hostile.SCRIPT]),
        hostile.HOSTILE_TEXT,
    ),
    name=hostile.VALID_TEXT,
)
@example(geometry=DEEP_JSON, name="Hondo")
@example(geometry=json.dumps({"type": "Point", "coordinates": [10**400, 0]}), name="Enorme")
@hostile.category_examples(
    lambda kind, value: {
        "text": {"geometry": json.dumps(square()), "name": value},
        "number": {"geometry": f'{{"type": "Point", "coordinates": [{value}, 0]}}', "name": "N"},
    }.get(kind)
)
def test_the_unit_form_takes_any_geometry_text(client_as, orgs, geometry, name):
    """The geometry is pasted as text: GeoJSON nested thousands deep or with a number too
    large for a float once answered a server error."""
    client = client_as("planner")
    with rolled_back():
        before = hostile.snapshot()
        response = client.post(
            reverse("information:unit_create"),
            {"key": "LOC-FUZZ", "name": name, "kind": "locality", "geometry": geometry},
        )
        if response.status_code == 302:
            unit = TerritorialUnit.objects.get(key="LOC-FUZZ")
            unit.full_clean()
            assert_shown_as_text(client, reverse("information:unit_detail", args=[unit.key]))
        else:
            assert_refused(response, before, [geometry, name])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("capas.geojson", DEEP_JSON.encode()),
        ("capas.json", b'{"a": [' + b"1" * 5000 + b"]}"),
        ("capas.json", json.dumps({"n": 10**400}).encode()),
    ],
)
def test_a_document_json_file_nested_thousands_deep_is_refused(client_as, orgs, name, content):
    """`check_upload` parses .json/.geojson files: deep nesting once raised RecursionError."""
    document = Document.objects.create(
        title="Capas",
        kind=Document._meta.get_field("kind").choices[0][0],
        phase=Document._meta.get_field("phase").choices[0][0],
        date=datetime.date(2026, 1, 15),
        author_organization=orgs["implan"],
    )
    client = client_as("planner")
    response = client.post(
        reverse("information:file_add", args=[document.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302
    kept = document.files.count()
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages
    if content.startswith(b"[["):
        assert kept == 0
    for message in messages:
        assert hostile.is_spanish(message, [name]), message
