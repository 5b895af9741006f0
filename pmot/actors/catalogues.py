"""INEGI's catalogues, read once per process from the CSV files in data/."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class InegiMunicipality:
    key: str  # five digits: state (2) + municipality (3)
    name: str
    state: str


@cache
def inegi_municipalities() -> dict[str, InegiMunicipality]:
    with (DATA / "municipios_mexico_mg2022.csv").open(encoding="utf-8") as f:
        return {
            row["cve_geo"]: InegiMunicipality(
                key=row["cve_geo"], name=row["nombre_municipio"], state=row["nombre_estado"]
            )
            for row in csv.DictReader(f)
        }


@cache
def census_2020_population() -> dict[str, int]:
    """Population by INEGI key, where the census table is shipped (Aguascalientes)."""
    with (DATA / "ags_municipios_censo2020.csv").open(encoding="utf-8") as f:
        return {row["cvegeo"]: int(row["pobtot"]) for row in csv.DictReader(f)}
