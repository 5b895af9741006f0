"""Every page of the information base for every persona, the map's queries, and the map with
and without a tile server."""

import json

import pytest
from django.urls import reverse

from pmot.information.models import TerritorialUnit
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.information.conftest import square

READERS = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 403, "anonymous": 302}
RECORD = READERS | {"outsider": 404}
EDITORS = dict.fromkeys(ROLE_PERSONAS, 403) | {
    "admin": 200,
    "planner": 200,
    "outsider": 403,
    "anonymous": 302,
}
DOC_ADDERS = EDITORS | {
    "municipal_liaison": 200,
    "state_liaison": 200,
    "federal_liaison": 200,
    "private_rep": 200,
}
EVERYONE = dict.fromkeys(ALL_PERSONAS, 200)


@pytest.fixture
def records(make_unit, make_document):
    unit = make_unit("UGAT-01")
    internal = make_document(published=False, title="Borrador interno")
    internal.units.add(unit)
    published = make_document(published=True, title="Estudio publicado")
    return unit, internal, published


PAGES = [
    ("information:unit_map", None, READERS),
    ("information:unit_detail", "unit", RECORD),
    ("information:unit_create", None, EDITORS),
    ("information:unit_update", "unit", EDITORS | {"outsider": 404}),
    ("information:unit_import", None, EDITORS),
    ("information:document_list", None, READERS),
    ("information:document_detail", "internal", RECORD),
    ("information:document_create", None, DOC_ADDERS),
    ("information:public_documents", None, EVERYONE),
    ("information:public_document", "published", EVERYONE),
]


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
@pytest.mark.parametrize(("name", "arg", "table"), PAGES)
def test_pages_by_persona(client_as, records, persona_name, name, arg, table):
    unit, internal, published = records
    args = {None: [], "unit": [unit.key], "internal": [internal.pk], "published": [published.pk]}
    response = client_as(persona_name).get(reverse(name, args=args[arg]))
    assert response.status_code == table[persona_name]
    if table[persona_name] == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_an_unpublished_document_is_not_on_public_pages(client_as, records, persona_name):
    _unit, internal, published = records
    client = client_as(persona_name)
    listing = client.get(reverse("information:public_documents")).text
    assert "Estudio publicado" in listing
    assert "Borrador interno" not in listing
    assert client.get(reverse("information:public_document", args=[internal.pk])).status_code == 404


def test_the_staff_list_shows_internal_documents_too(client_as, records):
    page = client_as("citizen_rep").get(reverse("information:document_list")).text
    assert "Borrador interno" in page
    assert "Estudio publicado" in page


def test_a_unit_page_lists_its_documents(client_as, records):
    unit, *_ = records
    page = client_as("council_member").get(reverse("information:unit_detail", args=[unit.key]))
    assert "Borrador interno" in page.text
    assert "Estudio publicado" not in page.text


def test_the_change_links_follow_the_permissions(client_as, records):
    _unit, internal, _ = records
    url = reverse("information:document_detail", args=[internal.pk])
    edit = reverse("information:document_update", args=[internal.pk])
    assert edit in client_as("planner").get(url).text
    assert edit not in client_as("state_liaison").get(url).text
    assert (
        reverse("information:unit_import")
        in client_as("admin").get(reverse("information:unit_map")).text
    )
    assert (
        reverse("information:unit_import")
        not in client_as("secretary").get(reverse("information:unit_map")).text
    )


# --- The map ----------------------------------------------------------------------------------


def test_the_map_page_lists_every_unit_and_carries_them_as_geojson(client_as, make_unit):
    make_unit("UGAT-01", name="Centro", urban_action="consolidation")
    make_unit(
        "LOC-1",
        name="Pocitos",
        kind="locality",
        environmental_policy="",
        geometry={"type": "Point", "coordinates": [-102.33, 21.92]},
    )
    response = client_as("citizen_rep").get(reverse("information:unit_map"))
    page = response.text
    for text in ["UGAT-01", "Centro", "Conservación", "Consolidación", "Pocitos", "Localidad"]:
        assert text in page
    data = json.loads(
        page.split('id="units-data" type="application/json">')[1].split("</script>")[0]
    )
    assert [f["properties"]["key"] for f in data["features"]] == ["UGAT-01", "LOC-1"]
    assert data["features"][0]["properties"]["policy"] == "conservation"
    assert "vendor/leaflet/leaflet.js" in page
    assert "js/map.js" in page


def test_with_no_tile_server_the_map_still_renders(client_as, make_unit, settings):
    settings.PMOT_MAP_TILE_URL = ""
    make_unit("UGAT-01")
    page = client_as("planner").get(reverse("information:unit_map")).text
    assert 'data-tile-url=""' in page
    assert "No hay un mapa base configurado" in page
    assert 'id="units-data"' in page


def test_a_tile_server_comes_from_the_settings(client_as, make_unit, settings):
    settings.PMOT_MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    settings.PMOT_MAP_TILE_ATTRIBUTION = "© Colaboradores de OpenStreetMap"
    page = client_as("planner").get(reverse("information:unit_map")).text
    assert 'data-tile-url="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in page
    assert "© Colaboradores de OpenStreetMap" in page
    assert "No hay un mapa base configurado" not in page


def test_the_csp_allows_the_tile_host_and_nothing_inline():
    from pmot.settings import tile_origin

    assert tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://*.tile.openstreetmap.org"
    )
    assert tile_origin("https://tiles.example.mx/{z}/{x}/{y}.png") == "https://tiles.example.mx"
    assert tile_origin("") is None
    assert tile_origin("javascript:alert(1)") is None


def test_the_map_page_has_no_inline_script_or_style(client_as, make_unit):
    make_unit("UGAT-01")
    response = client_as("planner").get(reverse("information:unit_map"))
    page = response.text
    assert " style=" not in page
    scripts = page.count("<script")
    assert scripts == page.count('<script src="') + page.count(
        'type="application/json"'
    ) + page.count("<script nonce=")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("size", [5, 200])
def test_the_map_runs_a_fixed_number_of_queries(
    client_as, orgs, django_assert_max_num_queries, size
):
    for n in range(size):
        TerritorialUnit.objects.create(
            key=f"UGAT-{n:03}",
            name=f"Unidad {n}",
            kind="management_unit",
            environmental_policy="protection",
            geometry=square(west=-102.5 + n * 0.001),
        )
    client = client_as("planner")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("information:unit_map"))
    assert response.content.count(b"UGAT-") >= size


@pytest.mark.parametrize("size", [5, 50])
def test_the_document_lists_run_a_fixed_number_of_queries(
    client_as, make_document, django_assert_max_num_queries, size
):
    for n in range(size):
        make_document(published=True, title=f"Documento {n}")
    client = client_as("planner")
    with django_assert_max_num_queries(10):
        client.get(reverse("information:document_list"))
    with django_assert_max_num_queries(8):
        client_as("anonymous").get(reverse("information:public_documents"))


# --- Units through the form ------------------------------------------------------------------


def test_a_planner_creates_a_unit_with_its_surface_computed(client_as, orgs):
    response = client_as("planner").post(
        reverse("information:unit_create"),
        {
            "key": "UGAT-20",
            "name": "Nueva",
            "kind": "management_unit",
            "environmental_policy": "restoration",
            "geometry": json.dumps(square()),
        },
    )
    assert response.status_code == 302
    assert float(TerritorialUnit.objects.get(key="UGAT-20").surface_ha) == pytest.approx(
        114.9, abs=1
    )


def test_a_policy_on_a_locality_is_refused(client_as, orgs):
    response = client_as("planner").post(
        reverse("information:unit_create"),
        {
            "key": "LOC-1",
            "name": "Pocitos",
            "kind": "locality",
            "environmental_policy": "protection",
            "urban_action": "growth",
            "geometry": '{"type": "Point", "coordinates": [-102.33, 21.92]}',
        },
    )
    assert "Solo las unidades de gestión (UGAT) llevan política ambiental." in response.text
    assert "Solo las unidades de gestión (UGAT) llevan acción urbana." in response.text
    assert not TerritorialUnit.objects.exists()


def test_a_polygon_out_of_range_is_refused_on_the_form(client_as, orgs):
    response = client_as("planner").post(
        reverse("information:unit_create"),
        {
            "key": "UGAT-1",
            "name": "Proyectada",
            "kind": "management_unit",
            "environmental_policy": "protection",
            "geometry": json.dumps(square(west=780000, south=2420000, size=1000)),
        },
    )
    assert "reproyéctelo a WGS84 (EPSG:4326)" in response.text
    assert not TerritorialUnit.objects.exists()


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_change_a_unit(client_as, make_unit, persona_name):
    unit = make_unit("UGAT-01", name="Antes")
    response = client_as(persona_name).post(
        reverse("information:unit_update", args=[unit.key]),
        {
            "key": "UGAT-01",
            "name": "Después",
            "kind": "management_unit",
            "environmental_policy": "protection",
            "geometry": json.dumps(unit.geometry),
        },
    )
    expected = EDITORS | {"admin": 302, "planner": 302, "outsider": 404}
    assert response.status_code == expected[persona_name]
    unit.refresh_from_db()
    assert (unit.name == "Después") == (persona_name in {"admin", "planner"})


def test_a_refused_edit_of_a_unit_keeps_its_saved_key_in_the_links(client_as, make_unit):
    """A key with slashes typed in, and the form refused: the page answers with the Spanish
    errors, its links still go to the unit as saved (found by tests/fuzz: it was a 500)."""
    unit = make_unit("UGAT-01", name="Antes")
    response = client_as("planner").post(
        reverse("information:unit_update", args=[unit.key]),
        {
            "key": "../../etc/passwd",
            "name": "Después",
            "kind": "management_unit",
            "environmental_policy": "protection",
            "geometry": json.dumps(unit.geometry),
        },
    )
    assert response.status_code == 200
    assert "Use letras, dígitos, puntos, guiones" in response.text
    assert f'href="{reverse("information:unit_detail", args=["UGAT-01"])}"' in response.text
    unit.refresh_from_db()
    assert (unit.key, unit.name) == ("UGAT-01", "Antes")
