"""Catalogues of budgeting, written by a data migration: CONAC's classifiers (from the CSVs in
budgeting/data) and the usual municipal funding sources (DOMAIN.md §5)."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# (key, name, government order, FISMDF?)
FUNDING_SOURCES = [
    ("fismdf", "FISMDF (Ramo 33, FAIS municipal)", "federal", True),
    ("fortamundf", "FORTAMUNDF (Ramo 33)", "federal", False),
    ("ramo28", "Participaciones federales (Ramo 28)", "federal", False),
    ("convenio-federal", "Convenio con el Gobierno Federal", "federal", False),
    ("estatal", "Recursos estatales", "state", False),
    ("propios", "Recursos propios municipales", "municipal", False),
    ("privado", "Aportación del sector privado", "private", False),
    ("beneficiarios", "Aportación de beneficiarios", "social", False),
]


def _rows(name: str):
    with (DATA / name).open(encoding="utf-8") as f:
        yield from csv.DictReader(f)


def seed_catalogues(source_model, item_model, functional_model, modality_model) -> None:
    """Create what is missing; never change what exists (administrators may edit names)."""
    for position, (key, name, order, fismdf) in enumerate(FUNDING_SOURCES, start=1):
        source_model.objects.get_or_create(
            key=key,
            defaults={"name": name, "order": order, "is_fismdf": fismdf, "position": position},
        )
    if not item_model.objects.exists():
        item_model.objects.bulk_create(
            item_model(
                key=row["partida_generica_4d"],
                name=row["partida_generica_nombre"],
                chapter=row["capitulo"],
                chapter_name=row["capitulo_nombre"],
                concept=row["concepto"],
                concept_name=row["concepto_nombre"],
            )
            for row in _rows("conac_cog_partidas_genericas.csv")
        )
    if not functional_model.objects.exists():
        made = {}
        for row in _rows("conac_clasificacion_funcional.csv"):
            made[row["clave"]] = functional_model.objects.create(
                key=row["clave_puntos"],
                name=row["nombre"],
                level=row["nivel"],
                parent=made.get(row["clave_padre"]),
            )
    if not modality_model.objects.exists():
        modality_model.objects.bulk_create(
            modality_model(key=row["modalidad"], name=row["nombre"], group=row["grupo"])
            for row in _rows("conac_clasificacion_programatica.csv")
            if row["nivel"] == "modalidad"
        )
