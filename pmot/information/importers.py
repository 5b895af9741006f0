"""Reading territorial units from a GeoJSON FeatureCollection or a zipped shapefile.

The request only bounds the file (`bound`: its weight, kind, what it unpacks to, how many
features); a job reads it (`read`) and checks everything before anything is saved: the file as
a whole (it parses, it is WGS84), then each feature (its properties and geometry), then the
keys (repeated in the file, or already taken). The service saves the lot in one transaction or
nothing.

Property names are matched without regard to case or accents, so `Clave`, `CLAVE` and `key`
are the same; shapefile field names are at most ten characters, hence the short aliases.
"""

import io
import json
import struct
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

import shapefile
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmot.core.spreadsheets import archive_check, rows_check
from pmot.core.uploads import GEODATA, check_upload, extension_of, max_upload_bytes
from pmot.information import geo
from pmot.information.models import (
    EnvironmentalPolicy,
    TerritorialUnit,
    UnitKind,
    UrbanAction,
    ZoneClass,
    allowed_geometries,
)

# field of TerritorialUnit -> accepted property names (normalized: lowercase, no accents)
PROPERTY_NAMES = {
    "key": ("clave", "key", "cve", "id_ugat"),
    "name": ("nombre", "name", "nom"),
    "kind": ("tipo", "kind"),
    "environmental_policy": ("politica", "policy", "pol_amb"),
    "urban_action": ("accion", "action", "acc_urb"),
    "zone_class": ("zona", "zone_class", "zonificac", "clase_zona"),
    "surface_ha": ("superficie_ha", "surface_ha", "sup_ha", "superficie"),
    "description": ("descripcion", "description", "desc"),
}
REQUIRED = ("key", "name", "kind")

# Extra spellings people write in a file, besides each choice's value and its labels.
ALIASES = {
    "kind": {
        "ugat": UnitKind.MANAGEMENT_UNIT,
        "uga": UnitKind.MANAGEMENT_UNIT,
        "ugt": UnitKind.MANAGEMENT_UNIT,
        "unidad_de_gestion": UnitKind.MANAGEMENT_UNIT,
        "zona_primaria": UnitKind.PRIMARY_ZONE,
        "zp": UnitKind.PRIMARY_ZONE,
        "localidad": UnitKind.LOCALITY,
        "otra": UnitKind.OTHER,
        "otro": UnitKind.OTHER,
    },
    "environmental_policy": {
        "aprovechamiento": EnvironmentalPolicy.SUSTAINABLE_USE,
        "aprovechamiento_sustentable": EnvironmentalPolicy.SUSTAINABLE_USE,
        "conservacion": EnvironmentalPolicy.CONSERVATION,
        "proteccion": EnvironmentalPolicy.PROTECTION,
        "restauracion": EnvironmentalPolicy.RESTORATION,
    },
    "urban_action": {
        "crecimiento": UrbanAction.GROWTH,
        "consolidacion": UrbanAction.CONSOLIDATION,
        "mejoramiento": UrbanAction.IMPROVEMENT,
        "conservacion": UrbanAction.CONSERVATION,
    },
    "zone_class": {
        "urbanizada": ZoneClass.URBANIZED,
        "urbanizable": ZoneClass.URBANIZABLE,
        "no_urbanizable": ZoneClass.NON_URBANIZABLE,
        "area_natural_protegida": ZoneClass.PROTECTED_AREA,
        "anp": ZoneClass.PROTECTED_AREA,
    },
}
CHOICES = {
    "kind": UnitKind,
    "environmental_policy": EnvironmentalPolicy,
    "urban_action": UrbanAction,
    "zone_class": ZoneClass,
}


def normalize(text) -> str:
    """`Área Natural Protegida` -> `area_natural_protegida`."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "_".join(plain.replace("-", " ").split())


@dataclass
class Feature:
    """One feature as read from the file: its number (from 1), properties and geometry."""

    number: int
    properties: dict
    geometry: object


@dataclass
class Row:
    """A feature that passed every check, ready to become a unit."""

    number: int
    key: str
    fields: dict
    errors: list = field(default_factory=list)


# --- Reading files ------------------------------------------------------------------------------


GEOJSON = (".geojson", ".json")
SHAPEFILE_ZIP = ".zip"


def bound(upload) -> int:
    """Check an uploaded file without parsing it, as the request does before a job reads it:
    its weight, its kind, what a zip unpacks to, and how many features it holds. Returns that
    number (for a GeoJSON file an upper bound); raises ValidationError in Spanish."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file weighs more than the limit of %(limit)d MB."),
            code="too_large",
            params={"limit": limit // (1024 * 1024)},
        )
    extension = extension_of(upload.name)
    upload.seek(0)
    if extension in GEOJSON:
        # Each feature names its type: counted in the text, not parsed (an upper bound, since
        # the text may also appear elsewhere); the features parsed are counted again.
        count = upload.read().count(b'"Feature"')
    elif extension == SHAPEFILE_ZIP:
        # The index (.shx) counts the features: a header of 100 bytes, then 8 a feature.
        _archive, members = _shapefile_archive(upload)
        count = max(members[".shx"].file_size - 100, 0) // 8
    else:
        raise ValidationError(
            _("Import a GeoJSON file (.geojson or .json) or a zipped shapefile (.zip)."),
            code="extension",
        )
    upload.seek(0)
    rows_check(count, features=True)
    return count


def read(upload) -> list[Feature]:
    """The features of a file that `bound` let through: parsed, and its content checked as
    every upload's is (markup, executables inside a zip). Raises ValidationError in Spanish,
    the importer's own messages first: they say what is wrong with the data in its words."""
    upload.seek(0)
    if extension_of(upload.name) in GEOJSON:
        features = read_geojson(upload.read())
    else:
        features = read_shapefile_zip(upload)
    check_upload(upload, accept=GEODATA)
    if not features:
        raise ValidationError(_("The file has no features to import."), code="empty")
    return features


def read_geojson(data: bytes) -> list[Feature]:
    rows_check(data.count(b'"Feature"'), features=True)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ValidationError(
            _("The file is not valid GeoJSON: it could not be read as JSON (%(detail)s)."),
            code="malformed",
            params={"detail": _json_problem(error)},
        ) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValidationError(
            _("The GeoJSON file must be a FeatureCollection."), code="not_a_collection"
        )
    crs = document.get("crs") or {}
    properties = crs.get("properties") if isinstance(crs, dict) else None
    if not isinstance(properties, dict):
        # a crs that is not {"properties": {"name": ...}} declares nothing readable
        properties = {"name": str(crs)} if crs else {}
    crs = str(properties.get("name", ""))
    if crs and not any(code in crs for code in ("4326", "CRS84")):
        raise ValidationError(
            _(
                "The file declares the coordinate system %(crs)s; "
                "reproject it to WGS84 (EPSG:4326)."
            ),
            code="projected",
            params={"crs": crs},
        )
    features = document.get("features")
    if not isinstance(features, list):
        raise ValidationError(_("The GeoJSON file has no list of features."), code="no_features")
    rows_check(len(features), features=True)
    return [
        Feature(
            number=number,
            properties=(item.get("properties") or {}) if isinstance(item, dict) else {},
            geometry=item.get("geometry") if isinstance(item, dict) else None,
        )
        for number, item in enumerate(features, start=1)
    ]


def _json_problem(error: Exception) -> str:
    """Where or why JSON could not be read, in the user's language (the parser's own
    message is English)."""
    if isinstance(error, json.JSONDecodeError):
        return gettext("error at line %(line)d, column %(column)d") % {
            "line": error.lineno,
            "column": error.colno,
        }
    if isinstance(error, UnicodeDecodeError):
        return gettext("the text is not UTF-8")
    if isinstance(error, RecursionError):
        return gettext("it is nested too deeply")
    return gettext("it is not JSON")


def _shapefile_archive(upload) -> tuple[zipfile.ZipFile, dict]:
    """A zip holding one shapefile, checked from its directory, nothing unpacked: the archive
    and its members by extension."""
    try:
        archive = zipfile.ZipFile(upload)
        members = {
            PurePath(info.filename).suffix.lower(): info
            for info in archive.infolist()
            if not info.is_dir() and not PurePath(info.filename).name.startswith(".")
        }
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(
            _("The file is not a valid zip archive."), code="malformed"
        ) from error
    missing = [ext for ext in (".shp", ".shx", ".dbf") if ext not in members]
    if missing:
        raise ValidationError(
            _("The zip must hold a shapefile: %(missing)s missing."),
            code="incomplete",
            params={"missing": ", ".join(missing)},
        )
    archive_check(archive)
    return archive, members


def read_shapefile_zip(upload) -> list[Feature]:
    """A zip holding one shapefile (.shp, .shx, .dbf; .prj and .cpg read when present)."""
    archive, members = _shapefile_archive(upload)
    rows_check(max(members[".shx"].file_size - 100, 0) // 8, features=True)
    parts = {ext: archive.read(info) for ext, info in members.items()}
    prj = parts.get(".prj", b"").decode("latin-1")
    if "PROJCS" in prj.upper():
        raise ValidationError(
            _(
                "The shapefile is projected (%(name)s); reproject it to WGS84 (EPSG:4326) "
                "before importing."
            ),
            code="projected",
            params={"name": prj.split('"')[1] if '"' in prj else "PROJCS"},
        )
    encoding = parts.get(".cpg", b"").decode("ascii", "ignore").strip() or "utf-8"
    try:
        try:
            return _shapefile_features(parts, encoding)
        except UnicodeDecodeError:
            # Shapefiles made in Mexico are often Latin-1 without a .cpg saying so.
            return _shapefile_features(parts, "latin-1")
    except (shapefile.ShapefileException, LookupError, ValueError, struct.error) as error:
        raise ValidationError(
            _("The shapefile could not be read (%(detail)s)."),
            code="malformed",
            # pyshp's own message is English
            params={"detail": gettext("its .shp, .shx and .dbf files are damaged or do not match")},
        ) from error


def _shapefile_features(parts: dict, encoding: str) -> list[Feature]:
    with shapefile.Reader(
        shp=io.BytesIO(parts[".shp"]),
        shx=io.BytesIO(parts[".shx"]),
        dbf=io.BytesIO(parts[".dbf"]),
        encoding=encoding,
    ) as reader:
        features = []
        for number, item in enumerate(reader.iterShapeRecords(), start=1):
            shape = item.shape
            geometry = None if shape.shapeType == shapefile.NULL else shape.__geo_interface__
            features.append(
                Feature(number=number, properties=item.record.as_dict(), geometry=_plain(geometry))
            )
        return features


def _plain(value):
    """pyshp gives tuples; GeoJSON (and our checks) speak lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# --- Checking features --------------------------------------------------------------------------


PROGRESS_EVERY = 25  # features between two reports of progress


def check(
    features: list[Feature],
    *,
    update_existing: bool,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Row], list[str]]:
    """Rows ready to save, and one message per bad feature (number, key and reason);
    `progress(features checked)` is told as it goes."""
    rows = []
    for feature in features:
        rows.append(_row(feature))
        if progress is not None and feature.number % PROGRESS_EVERY == 0:
            progress(feature.number)
    seen: dict[str, int] = {}
    for row in rows:
        if not row.key:
            continue
        if row.key in seen:
            row.errors.append(
                gettext("the key is repeated in the file (feature %(first)d)")
                % {"first": seen[row.key]}
            )
        else:
            seen[row.key] = row.number
    if not update_existing:
        taken = set(
            TerritorialUnit.objects.filter(key__in=list(seen)).values_list("key", flat=True)
        )
        for row in rows:
            if row.key in taken and not row.errors:
                row.errors.append(
                    gettext(
                        "a unit with this key already exists (tick «update existing units» "
                        "to replace it)"
                    )
                )
    errors = [
        gettext("Feature %(number)d (%(key)s): %(reasons)s.")
        % {
            "number": row.number,
            "key": row.key or gettext("no key"),
            "reasons": "; ".join(row.errors),
        }
        for row in rows
        if row.errors
    ]
    return rows, errors


def _row(feature: Feature) -> Row:
    properties = {normalize(name): value for name, value in feature.properties.items()}
    values = {}
    for field_name, names in PROPERTY_NAMES.items():
        value = next((properties[n] for n in names if properties.get(n) not in (None, "")), "")
        values[field_name] = str(value).strip() if not isinstance(value, float | int) else value
    row = Row(number=feature.number, key=str(values["key"]).strip(), fields={})
    for name in REQUIRED:
        if values[name] in ("", None):
            row.errors.append(
                gettext("the property «%(property)s» is missing")
                % {"property": PROPERTY_NAMES[name][0]}
            )
    for name, choices in CHOICES.items():
        if values[name] in ("", None):
            row.fields[name] = ""
            continue
        choice = _choice(name, choices, values[name])
        if choice is None:
            row.errors.append(
                gettext("«%(value)s» is not a valid %(property)s")
                % {"value": values[name], "property": PROPERTY_NAMES[name][0]}
            )
        row.fields[name] = choice or ""
    row.fields["name"] = str(values["name"])
    row.fields["description"] = str(values["description"])
    row.fields["surface_ha"] = _surface(values["surface_ha"], row)
    row.fields["geometry"] = feature.geometry
    if row.errors:
        return row
    _check_unit(row)
    return row


def _choice(name, choices, value) -> str | None:
    wanted = normalize(value)
    for choice in choices:
        if wanted in {
            normalize(choice.value),
            normalize(choice.label),
            normalize(gettext(choice.label)),
        }:
            return choice.value
    return ALIASES[name].get(wanted)


def _surface(value, row: Row) -> Decimal | None:
    if value in ("", None):
        return None
    try:
        surface = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        surface = None
    if surface is not None and surface.is_finite() and surface >= 0:
        try:
            # a number of more digits than the decimal context holds cannot be rounded
            return surface.quantize(Decimal("0.01"))
        except InvalidOperation:
            pass
    row.errors.append(
        gettext("the surface «%(value)s» is not a number of hectares") % {"value": value}
    )
    return None


def _check_unit(row: Row) -> None:
    """The model's own rules (geometry, policy only for UGAT...), feature by feature."""
    kind = row.fields["kind"]
    try:
        geo.validate(row.fields["geometry"], allowed=allowed_geometries(kind))
    except geo.GeometryError as error:
        row.errors.append(str(error.message))
        return
    unit = TerritorialUnit(key=row.key, **row.fields)
    try:
        unit.full_clean(exclude=["geometry"], validate_unique=False)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            label = (
                str(TerritorialUnit._meta.get_field(field_name).verbose_name)
                if field_name != "__all__"
                else ""
            )
            row.errors.extend(f"{label}: {m}" if label else m for m in messages)
