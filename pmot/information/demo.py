"""Demo data of pmot.information: territorial units of the municipality of Aguascalientes on
its real boundary and real localities (data/README.md), with example names, policies and
actions; and four example documents with small generated files. Running it again changes
nothing. Needs the organizations of `pmot.actors.demo`."""

import csv
import datetime
import json
from pathlib import Path

from django.core.files.base import ContentFile

from pmot.actors.demo import calendar
from pmot.actors.models import Organization, User
from pmot.core.pdf import one_page_pdf
from pmot.information import geo
from pmot.information.models import (
    Document,
    DocumentKind,
    EnvironmentalPolicy,
    Phase,
    TerritorialUnit,
    UnitKind,
    UrbanAction,
)
from pmot.information.services import documents as documents_services
from pmot.information.services import territory as territory_services

DATA = Path(__file__).parent / "data"
DEMO_NOTE = "Datos de demostración: nombre, política y acción son un ejemplo."
MIN_HECTARES = 1000  # pieces of the grid smaller than this are slivers, left out

# A grid over the municipality, clipped to its boundary: column and row breaks (degrees).
COLUMNS = [-102.59, -102.45, -102.345, -102.245, -102.15, -102.06]
ROWS = [21.62, 21.76, 21.84, 21.93, 22.08]

P = EnvironmentalPolicy
A = UrbanAction
# (column, row) from the south-west -> key, name, policy, urban action
UGATS = {
    (2, 2): ("UGAT-01", "Centro urbano (ejemplo)", P.SUSTAINABLE_USE, A.CONSOLIDATION),
    (3, 2): ("UGAT-02", "Oriente urbano (ejemplo)", P.SUSTAINABLE_USE, A.IMPROVEMENT),
    (2, 1): ("UGAT-03", "Sur urbano (ejemplo)", P.SUSTAINABLE_USE, A.GROWTH),
    (3, 1): ("UGAT-04", "Calvillito (ejemplo)", P.SUSTAINABLE_USE, A.GROWTH),
    (2, 3): ("UGAT-05", "Norte urbano (ejemplo)", P.SUSTAINABLE_USE, A.CONSOLIDATION),
    (3, 3): ("UGAT-06", "Cañada Honda (ejemplo)", P.SUSTAINABLE_USE, A.IMPROVEMENT),
    (4, 3): ("UGAT-07", "Nororiente agrícola (ejemplo)", P.SUSTAINABLE_USE, ""),
    (1, 2): ("UGAT-08", "Poniente, Pocitos (ejemplo)", P.CONSERVATION, A.CONSERVATION),
    (0, 1): ("UGAT-09", "Sierra poniente (ejemplo)", P.PROTECTION, ""),
    (1, 1): ("UGAT-10", "Valle poniente (ejemplo)", P.CONSERVATION, ""),
    (0, 0): ("UGAT-11", "Sierra suroeste (ejemplo)", P.PROTECTION, ""),
    (1, 0): ("UGAT-12", "Pastizal suroeste (ejemplo)", P.RESTORATION, ""),
    (2, 0): ("UGAT-13", "Peñuelas (ejemplo)", P.SUSTAINABLE_USE, A.IMPROVEMENT),
    (3, 0): ("UGAT-14", "Sureste agrícola (ejemplo)", P.SUSTAINABLE_USE, ""),
    (4, 1): ("UGAT-15", "Oriente agrícola (ejemplo)", P.CONSERVATION, ""),
    (4, 0): ("UGAT-16", "Lomerío sureste (ejemplo)", P.RESTORATION, ""),
}


def boundary() -> dict:
    """The municipality's boundary (a Polygon), from data/ags_01001_limite.geojson."""
    collection = json.loads((DATA / "ags_01001_limite.geojson").read_text(encoding="utf-8"))
    return collection["features"][0]["geometry"]


def localities() -> list[dict]:
    with (DATA / "ags_01001_localidades.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def management_units() -> list[TerritorialUnit]:
    """The grid's cells clipped to the municipality (unsaved), slivers left out."""
    outer = boundary()["coordinates"][0]
    units = []
    for (column, row), (key, name, policy, action) in sorted(UGATS.items(), key=lambda i: i[1]):
        window = (COLUMNS[column], ROWS[row], COLUMNS[column + 1], ROWS[row + 1])
        ring = geo.clip_ring(outer, window)
        if not ring or geo.ring_area_m2(ring) / geo.SQUARE_METRES_PER_HECTARE < MIN_HECTARES:
            continue
        units.append(
            TerritorialUnit(
                key=key,
                name=name,
                kind=UnitKind.MANAGEMENT_UNIT,
                environmental_policy=policy,
                urban_action=action,
                description=DEMO_NOTE,
                geometry={"type": "Polygon", "coordinates": [ring]},
            )
        )
    return units


def locality_units() -> list[TerritorialUnit]:
    return [
        TerritorialUnit(
            key=f"LOC-{row['cvegeo']}",
            name=row["nom_loc"],
            kind=UnitKind.LOCALITY,
            description=(
                f"Localidad INEGI {row['cvegeo']}. Población 2020: {int(row['pobtot']):,} "
                "habitantes (INEGI, Censo de Población y Vivienda 2020)."
            ),
            geometry={"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]},
        )
        for row in localities()
    ]


def load(today: datetime.date | None = None) -> None:
    """Territorial units first, then the documents about them; what exists is left alone."""
    taken = set(TerritorialUnit.objects.values_list("key", flat=True))
    for unit in [*management_units(), *locality_units()]:
        if unit.key not in taken:
            territory_services.unit_save(unit=unit)
    _documents(calendar(today).on(3, 2))


# --- Documents ---------------------------------------------------------------------------------


def _ugat_geojson() -> bytes:
    units = TerritorialUnit.objects.management_units().order_by("key")
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "clave": unit.key,
                    "nombre": unit.name,
                    "tipo": "ugat",
                    "politica": unit.get_environmental_policy_display(),
                    "accion": unit.get_urban_action_display(),
                    "sup_ha": str(unit.surface_ha),
                },
                "geometry": unit.geometry,
            }
            for unit in units
        ],
    }
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def _localities_csv() -> bytes:
    lines = ["clave_inegi,localidad,longitud,latitud,altitud_m,poblacion_2020,viviendas_2020"]
    lines += [
        f'{r["cvegeo"]},"{r["nom_loc"]}",{r["lon"]},{r["lat"]},{r["altitud_m"]},'
        f"{r['pobtot']},{r['vivtot']}"
        for r in localities()
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _public_works_csv() -> bytes:
    rows = [
        "clave_ugat,obra,avance_fisico_pct",
        "UGAT-03,Colector pluvial sur (ejemplo),35",
        "UGAT-04,Pavimentación de acceso a Calvillito (ejemplo),60",
        "UGAT-02,Rehabilitación de parque lineal (ejemplo),80",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def _documents(dated: datetime.date) -> None:
    units = {unit.key: unit for unit in TerritorialUnit.objects.all()}
    ugats = [u for u in units.values() if u.kind == UnitKind.MANAGEMENT_UNIT]
    places = [u for u in units.values() if u.kind == UnitKind.LOCALITY]
    protected = [u for u in ugats if u.environmental_policy in (P.PROTECTION, P.CONSERVATION)]
    growing = [u for u in ugats if u.urban_action == A.GROWTH]
    documents = [
        (
            "Unidades de gestión territorial: límites y políticas (ejemplo)",
            DocumentKind.DATASET,
            "IMPLAN",
            Phase.FORMULATION,
            True,
            ugats,
            "ugat_ejemplo.geojson",
            _ugat_geojson,
            "IMPLAN, sobre el límite municipal de CONABIO/INEGI 2023",
            "CC BY 4.0",
        ),
        (
            "Localidades del municipio: población y viviendas 2020",
            DocumentKind.DATASET,
            "IMPLAN",
            Phase.ANALYSIS,
            True,
            places,
            "localidades_2020.csv",
            _localities_csv,
            "INEGI, Censo de Población y Vivienda 2020 (ITER)",
            "Términos de libre uso de la información del INEGI",
        ),
        (
            "Diagnóstico ambiental preliminar (ejemplo)",
            DocumentKind.STUDY,
            "SSMAA",
            Phase.ANALYSIS,
            False,
            protected,
            "diagnostico_ambiental.pdf",
            lambda: one_page_pdf("Diagnostico ambiental preliminar - datos de demostracion"),
            "Secretaría de Sustentabilidad, Medio Ambiente y Agua del Estado",
            "",
        ),
        (
            "Catálogo de obra pública en zonas de crecimiento (ejemplo)",
            DocumentKind.DATASET,
            "SOP",
            Phase.EXECUTION,
            True,
            growing,
            "catalogo_obra_publica.csv",
            _public_works_csv,
            "Secretaría de Obras Públicas Municipal",
            "CC BY 4.0",
        ),
        (
            "Obras en zonas de crecimiento: avance (ejemplo)",
            DocumentKind.DATASET,
            "SOP",
            Phase.ANALYSIS,
            False,
            growing,
            "obras_crecimiento.csv",
            _public_works_csv,
            "Secretaría de Obras Públicas Municipal",
            "",
        ),
    ]
    existing = set(Document.objects.values_list("title", flat=True))
    for title, kind, author, phase, published, about, filename, content, source, terms in documents:
        if title in existing:
            continue
        documents_services.document_save(
            document=Document(
                title=title,
                kind=kind,
                author_organization=Organization.objects.get(acronym=author),
                date=dated,
                phase=phase,
                is_published=published,
                source=source,
                license=terms,
                description="Documento de demostración: su contenido es un ejemplo.",
            ),
            units=about,
            files=[ContentFile(content(), name=filename)],
        )
    _revision_waiting()


def _revision_waiting() -> None:
    """Obras Públicas' liaison updated its published catalogue; the change waits for IMPLAN's
    review and the public still reads the published version."""
    works = User.objects.filter(username="obras").first()
    document = Document.objects.filter(
        title="Catálogo de obra pública en zonas de crecimiento (ejemplo)"
    ).first()
    if works is None or document is None or document.revisions.exists():
        return
    document.description = (
        "Documento de demostración: catálogo actualizado con el avance de noviembre (ejemplo)."
    )
    documents_services.document_save(document=document, by=works)
