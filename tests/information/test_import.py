"""Importing units: the file bounded at once, then every feature checked by a job of the outbox,
all saved or nothing, the outcome on the import's page."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pmot.core.imports import import_progress
from pmot.information.models import TerritorialUnit, UnitImport
from pmot.information.services.imports import unit_import_run
from pmot.information.tasks import import_units
from tests.conftest import ALL_PERSONAS
from tests.imports import Upload, import_jobs, run_import_jobs, upload_and_import
from tests.information.conftest import feature, geojson_bytes, shapefile_zip, square

URL = reverse("information:unit_import")
UTM_PRJ = (
    'PROJCS["WGS_1984_UTM_Zone_13N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",'
    'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["Meter",1.0]]'
)


@pytest.fixture(autouse=True)
def _stored_apart(media):
    """The uploaded files go to a folder of the test's own."""


def upload(client, content: bytes, name="unidades.geojson", update=False) -> Upload:
    data = {"file": SimpleUploadedFile(name, content)}
    if update:
        data["update_existing"] = "on"
    return upload_and_import(client, URL, data, import_units)


def test_a_good_file_creates_its_units_with_their_surface(client_as, orgs):
    content = geojson_bytes(
        feature("UGAT-01", accion="consolidación", politica="Aprovechamiento sustentable"),
        feature("ZP-01", tipo="zona primaria", politica="", zona="Área natural protegida"),
        feature(
            "LOC-1",
            tipo="localidad",
            politica="",
            geometry={"type": "Point", "coordinates": [-102.29, 21.88]},
        ),
    )
    response = upload(client_as("planner"), content)
    assert "Importación terminada: 3 unidades creadas, 0 actualizadas." in response.text
    unit = TerritorialUnit.objects.get(key="UGAT-01")
    assert (unit.environmental_policy, unit.urban_action) == ("sustainable_use", "consolidation")
    assert float(unit.surface_ha) == pytest.approx(114.9, abs=1)  # 0.01° × 0.01° at 21.85° N
    assert TerritorialUnit.objects.get(key="ZP-01").zone_class == "protected_area"
    assert TerritorialUnit.objects.get(key="LOC-1").surface_ha is None
    assert unit.history.first().history_user.username == "planner"


def test_one_bad_feature_among_good_ones_saves_nothing_and_is_named(client_as, orgs):
    content = geojson_bytes(
        feature("UGAT-01"),
        feature("UGAT-02", politica="desarrollo"),
        feature("UGAT-03"),
    )
    response = upload(client_as("planner"), content)
    assert TerritorialUnit.objects.count() == 0
    assert UnitImport.objects.get().status == UnitImport.Status.REJECTED
    page = response.text
    assert "No se guardó nada." in page
    assert "Elemento 2 (UGAT-02): «desarrollo» no es un valor válido de politica." in page
    assert "Elemento 1" not in page


def test_every_bad_feature_is_listed_with_its_reasons(client_as, orgs):
    open_ring = square()
    open_ring["coordinates"][0].pop()
    content = geojson_bytes(
        feature("A", geometry=open_ring),
        feature("A"),
        {"type": "Feature", "properties": {"nombre": "Sin clave"}, "geometry": square()},
        feature("ZP", tipo="zona primaria", politica="protección"),
        feature("B", sup_ha="mucho"),
        feature("C", tipo="localidad", politica="", geometry={"type": "LineString"}),
    )
    upload(client_as("admin"), content)
    problems = UnitImport.objects.get().errors
    assert problems[0].startswith("Elemento 1 (A): un anillo del polígono no está cerrado")
    assert problems[1] == "Elemento 2 (A): la clave se repite en el archivo (elemento 1)."
    assert "Elemento 3 (sin clave): falta la propiedad «clave»" in problems[2]
    assert "falta la propiedad «tipo»" in problems[2]
    assert "Solo las unidades de gestión (UGAT) llevan política ambiental" in problems[3]
    assert "Una zona primaria necesita su clase" in problems[3]
    assert "«mucho» no es un número de hectáreas" in problems[4]
    assert "la geometría es un LineString" in problems[5]
    assert TerritorialUnit.objects.count() == 0


def test_a_malformed_file_is_refused_with_a_spanish_message(client_as, orgs):
    response = upload(client_as("planner"), b'{"type": "FeatureCollection", "features": [')
    assert "El archivo no es GeoJSON válido" in response.text


def test_a_polygon_out_of_range_asks_to_reproject(client_as, orgs):
    utm = {
        "type": "Polygon",
        "coordinates": [
            [[780000, 2420000], [790000, 2420000], [790000, 2430000], [780000, 2420000]]
        ],
    }
    response = upload(client_as("planner"), geojson_bytes(feature("UGAT-01", geometry=utm)))
    assert "Elemento 1 (UGAT-01): las coordenadas (780000, 2420000) están fuera" in response.text
    assert "reproyéctelo a WGS84 (EPSG:4326)" in response.text
    assert not TerritorialUnit.objects.exists()


def test_a_file_whose_content_does_not_match_its_extension_is_refused(client_as, orgs):
    response = upload(client_as("planner"), b"%PDF-1.4 not a zip", name="unidades.zip")
    assert "El archivo no es un ZIP válido." in response.text
    response = upload(client_as("planner"), b"%PDF-1.4", name="unidades.pdf")
    assert (
        "Importe un archivo GeoJSON (.geojson o .json) o un shapefile comprimido" in response.text
    )


def test_something_other_than_a_feature_collection_is_refused(client_as, orgs):
    response = upload(client_as("planner"), b'{"type": "Feature"}')
    assert "El archivo GeoJSON debe ser una FeatureCollection." in response.text


def test_a_file_over_the_limit_is_refused(client_as, orgs, settings):
    settings.PMOT_MAX_UPLOAD_MB = 1
    response = upload(client_as("planner"), b" " * (1024 * 1024 + 1))
    assert "El archivo pesa más que el límite de 1 MB." in response.text


def test_existing_keys_are_refused_unless_updating(client_as, orgs, make_unit):
    make_unit("UGAT-01", name="Antes")
    content = geojson_bytes(feature("UGAT-01", nombre="Después"), feature("UGAT-02"))
    refused = upload(client_as("planner"), content)
    assert "ya existe una unidad con esta clave" in refused.text
    assert TerritorialUnit.objects.count() == 1

    response = upload(client_as("planner"), content, update=True)
    assert response.status_code == 302
    assert TerritorialUnit.objects.get(key="UGAT-01").name == "Después"
    assert TerritorialUnit.objects.count() == 2


def test_a_zipped_shapefile_is_imported(client_as, orgs):
    ring = [[-102.3, 21.85], [-102.3, 21.86], [-102.29, 21.86], [-102.29, 21.85], [-102.3, 21.85]]
    content = shapefile_zip([("UGAT-10", "Sierra", ring), ("UGAT-11", "Valle", ring)])
    response = upload(client_as("planner"), content, name="unidades.zip")
    assert "2 unidades creadas" in response.text, UnitImport.objects.get().errors
    unit = TerritorialUnit.objects.get(key="UGAT-10")
    assert unit.environmental_policy == "protection"
    assert unit.geometry["type"] == "Polygon"
    assert float(unit.surface_ha) == pytest.approx(114.9, abs=1)


def test_a_projected_shapefile_is_refused_and_asks_to_reproject(client_as, orgs):
    ring = [[780000, 2420000], [780000, 2430000], [790000, 2430000], [780000, 2420000]]
    content = shapefile_zip([("UGAT-10", "Sierra", ring)], prj=UTM_PRJ)
    response = upload(client_as("planner"), content, name="unidades.zip")
    assert "El shapefile está proyectado (WGS_1984_UTM_Zone_13N)" in response.text
    assert "reproyéctelo a WGS84 (EPSG:4326)" in response.text
    assert not TerritorialUnit.objects.exists()


def test_a_zip_without_a_shapefile_is_refused(client_as, orgs):
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("leeme.txt", "hola")
    response = upload(client_as("planner"), archive.getvalue(), name="unidades.zip")
    assert "El ZIP debe contener un shapefile" in response.text


@pytest.mark.parametrize(
    ("persona_name", "status"),
    [
        ("admin", 200),
        ("planner", 200),
        ("secretary", 403),
        ("state_liaison", 403),
        ("outsider", 403),
        ("anonymous", 302),
    ],
)
def test_only_planners_and_admins_import(client_as, orgs, persona_name, status):
    assert client_as(persona_name).get(URL).status_code == status
    response = upload(client_as(persona_name), geojson_bytes(feature("UGAT-01")))
    assert response.status_code in {status, 302}
    assert TerritorialUnit.objects.exists() == (status == 200)


# --- Bounded before anything is parsed (issue 19, finding 7) -----------------------------------


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    archive = io.BytesIO(content)
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(name, data)
    return archive.getvalue()


def test_a_small_zip_that_unpacks_to_a_huge_one_is_refused_before_it_is_unpacked(client_as, orgs):
    ring = square()["coordinates"][0]
    # ArcGIS puts its metadata beside the shapefile; here, 64 MB of blanks in 64 KB.
    content = with_member(
        shapefile_zip([("UGAT-1", "Sierra", ring)]), "unidades.shp.xml", b" " * (64 << 20)
    )
    assert len(content) < 100 * 1024
    response = upload(client_as("planner"), content, name="unidades.zip")
    assert response.status_code == 400
    assert "descomprimido ocupa 64 MB" in response.text
    assert not UnitImport.objects.exists()
    assert not TerritorialUnit.objects.exists()


@pytest.mark.parametrize("name", ["unidades.zip", "unidades.geojson"])
def test_a_file_of_more_features_than_an_import_takes_is_refused(client_as, orgs, settings, name):
    settings.PMOT_IMPORT_MAX_ROWS = 2
    keys = ["UGAT-1", "UGAT-2", "UGAT-3"]
    if name.endswith(".zip"):
        content = shapefile_zip([(key, key, square()["coordinates"][0]) for key in keys])
    else:
        content = geojson_bytes(*(feature(key) for key in keys))
    response = upload(client_as("planner"), content, name=name)
    assert "contiene 3 elementos geográficos; una importación admite como máximo 2" in (
        response.text
    )
    assert not TerritorialUnit.objects.exists()


# --- Parsed in the worker, followed on the import's page (issue 19, finding 7) -----------------


def test_the_request_returns_at_once_and_the_page_follows_the_job(client_as, orgs):
    client = client_as("planner")
    # Not even JSON: the request does not parse, so this is the job's to refuse.
    content = b'{"type": "FeatureCollection", "features": [{"type": "Feature"}, {"type": "Feature"'
    response = client.post(URL, {"file": SimpleUploadedFile("unidades.geojson", content)})
    record = UnitImport.objects.get()
    assert response["Location"] == reverse("information:unit_import_status", args=[record.pk])
    assert (record.status, record.rows_total) == (UnitImport.Status.PENDING, 2)
    assert import_jobs(import_units).get().kwargs == {"unit_import_id": record.pk}
    waiting = client.get(response["Location"])
    assert "Esperando su turno: 2 elementos geográficos por leer" in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text

    run_import_jobs(import_units)
    part = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "<html" not in part.text
    assert "hx-trigger" not in part.text
    assert "Corrija estos elementos y vuelva a subir el archivo" in part.text
    assert "El archivo no es GeoJSON válido" in part.text
    record.refresh_from_db()
    assert record.status == UnitImport.Status.REJECTED
    assert not record.file  # nothing came of it: the file goes, its errors stay


def test_the_job_reports_its_progress_and_keeps_the_file_it_imported(client_as, orgs):
    content = geojson_bytes(*(feature(f"UGAT-{n:02d}") for n in range(30)))
    upload(client_as("planner"), content)
    record = UnitImport.objects.get()
    assert (record.status, record.rows_read, record.created) == ("done", 30, 30)
    assert record.file.read() == content
    assert import_progress(record) == {"done": 25, "total": 30, "label": "revisando elementos"}
    assert TerritorialUnit.objects.count() == 30


def test_a_job_delivered_twice_imports_once(client_as, orgs):
    upload(client_as("planner"), geojson_bytes(feature("UGAT-01")))
    record = UnitImport.objects.get()
    unit_import_run(unit_import_id=record.pk)  # the broker delivered it again
    assert TerritorialUnit.objects.get().history.count() == 1
    record.refresh_from_db()
    assert (record.created, record.updated) == (1, 0)


def test_updating_existing_units_is_remembered_for_the_job(client_as, orgs, make_unit):
    make_unit("UGAT-01", name="Antes")
    response = upload(client_as("planner"), geojson_bytes(feature("UGAT-01")), update=True)
    assert "actualizando las unidades existentes" in response.text
    assert "0 unidades creadas, 1 actualizadas" in response.text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_follow_an_import(client_as, orgs, persona_name):
    upload(client_as("planner"), geojson_bytes(feature("UGAT-01")))
    url = reverse("information:unit_import_status", args=[UnitImport.objects.get().pk])
    expected = {"admin": 200, "planner": 200, "anonymous": 302}
    assert client_as(persona_name).get(url).status_code == expected.get(persona_name, 403)
