import io
import json
import zipfile

import pytest
import shapefile

from pmot.information.models import Document, EnvironmentalPolicy, TerritorialUnit, UnitKind
from pmot.information.services import documents as documents_services
from pmot.information.services import territory as territory_services
from tests.uploads import pdf_bytes


def square(west=-102.3, south=21.85, size=0.01):
    """A closed square ring (lon, lat) as a GeoJSON Polygon."""
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(key, *, geometry=None, **properties):
    base = {"clave": key, "nombre": f"Unidad {key}", "tipo": "ugat", "politica": "conservación"}
    base.update(properties)
    return {"type": "Feature", "properties": base, "geometry": geometry or square()}


def geojson_bytes(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def shapefile_zip(records, *, prj: str | None = None) -> bytes:
    """A zipped polygon shapefile built with pyshp: records are (key, name, ring)."""
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as writer:
        writer.field("CLAVE", "C", size=20)
        writer.field("NOMBRE", "C", size=80)
        writer.field("TIPO", "C", size=20)
        writer.field("POLITICA", "C", size=40)
        writer.field("ACCION", "C", size=40)
        for key, name, ring in records:
            writer.poly([ring])
            writer.record(key, name, "UGAT", "Protección", "")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("unidades.shp", shp.getvalue())
        bundle.writestr("unidades.shx", shx.getvalue())
        bundle.writestr("unidades.dbf", dbf.getvalue())
        bundle.writestr("unidades.cpg", "UTF-8")
        if prj is not None:
            bundle.writestr("unidades.prj", prj)
    return archive.getvalue()


@pytest.fixture
def make_unit(db):
    def make(key="UGAT-01", **fields):
        values = {
            "name": f"Unidad {key}",
            "kind": UnitKind.MANAGEMENT_UNIT,
            "environmental_policy": EnvironmentalPolicy.CONSERVATION,
            "geometry": square(),
        } | fields
        return territory_services.unit_save(unit=TerritorialUnit(key=key, **values))

    return make


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


PDF = pdf_bytes()


@pytest.fixture
def make_document(media, orgs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(*, org="implan", published=False, title="Diagnóstico", filename="diag.pdf"):
        return documents_services.document_save(
            document=Document(
                title=title,
                kind="study",
                author_organization=orgs[org],
                date="2026-03-02",
                phase=2,
                is_published=published,
            ),
            files=[SimpleUploadedFile(filename, PDF)],
        )

    return make
