"""The 2030 Agenda as a plan: 17 goals and their 169 targets, in Spanish (data/)."""

import csv
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SDG_PLAN_KEY = "ods"


def seed_sdgs(plan_model, element_model) -> None:
    """Create the SDG plan and its elements if missing; never touch what exists."""
    plan, _ = plan_model.objects.get_or_create(
        key=SDG_PLAN_KEY,
        defaults={
            "name": "Agenda 2030 para el Desarrollo Sostenible",
            "order": "sdg",
            "level_names": ["Objetivo", "Meta"],
        },
    )
    if element_model.objects.filter(plan=plan).exists():
        return
    goals = {}
    with (DATA / "ods_objetivos_es.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            number = int(row["numero"])
            goals[number] = element_model.objects.create(
                plan=plan,
                key=str(number),
                name=_nfc(f"{row['nombre_corto']}: {row['titulo']}"),
                level=0,
                position=number,
            )
    with (DATA / "ods_metas_es.csv").open(encoding="utf-8") as f:
        for position, row in enumerate(csv.DictReader(f), start=1):
            element_model.objects.create(
                plan=plan,
                parent=goals[int(row["objetivo"])],
                key=row["codigo"],
                name=_nfc(row["descripcion"]),
                level=1,
                position=position,
            )


def _nfc(text: str) -> str:
    """The catalogue mixes decomposed accents; store composed ones, as people type them."""
    return unicodedata.normalize("NFC", text)
