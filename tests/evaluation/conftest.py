import datetime

import pytest

from evaluation.services import indicators as services
from tests.budgeting.conftest import pmot_strategy  # noqa: F401

# A date in the middle of the indicators' life: 2026's first two quarters have closed.
TODAY = datetime.date(2026, 8, 20)


@pytest.fixture
def make_indicator(orgs, pmot_strategy):  # noqa: F811
    """make_indicator(key="I-1", **fields): a quarterly ascending indicator of the PMOT's
    strategy 1.1, reported by Obras Públicas, unless told otherwise."""

    def make(key="I-1", **fields):
        values = {
            "key": key,
            "name": "Viviendas con agua entubada",
            "definition": "Porcentaje de viviendas con agua entubada dentro de la vivienda.",
            "method": "Viviendas con agua entubada entre viviendas habitadas, por cien.",
            "variable_a": "Viviendas con agua entubada",
            "variable_b": "Viviendas habitadas",
            "factor": 100,
            "unit": "%",
            "dimension": "efficacy",
            "kind": "strategic",
            "frequency": "quarterly",
            "direction": "ascending",
            "source": "Padrón de usuarios del organismo operador",
            "verification": "Informe trimestral del organismo operador",
            "reporter": orgs["works"],
            "element": pmot_strategy,
            "first_year": 2025,
        } | fields
        return services.indicator_save(**values)

    return make


@pytest.fixture
def indicator(make_indicator):
    return make_indicator()
