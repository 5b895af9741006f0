"""The rule of DOMAIN.md §8 that issue 17 found broken (defect 14): an organization-bound role
changes only its organization's records and reads the rest."""

import datetime

import pytest
from django.urls import reverse

from evaluation.services import indicators as evaluation
from tests.budgeting.conftest import pmot_strategy  # noqa: F401

ORGANIZATION_BOUND = {
    "municipal_liaison": "works",
    "state_liaison": "state_agency",
    "federal_liaison": "federal_agency",
    "private_rep": "chamber",
}


@pytest.fixture
def indicators(orgs, pmot_strategy, persona):  # noqa: F811
    """One indicator reported by each organization, each with a measurement of 2026-T1."""
    planner = persona("planner")
    made = {}
    for n, org in enumerate(["implan", *ORGANIZATION_BOUND.values()], start=1):
        indicator = evaluation.indicator_save(
            key=f"I-{n}",
            name=f"Indicador de {orgs[org].acronym}",
            definition="Definición.",
            method="A",
            variable_a="Valor",
            variable_b="",
            factor=1,
            unit="piezas",
            dimension="efficacy",
            kind="management",
            frequency="quarterly",
            direction="ascending",
            source="Registro",
            verification="Informe",
            reporter=orgs[org],
            element=pmot_strategy,
            first_year=2026,
        )
        evaluation.measurement_report(
            indicator=indicator,
            year=2026,
            number=1,
            a="5",
            by=planner,
            today=datetime.date(2026, 4, 5),
        )
        made[org] = indicator
    return made


@pytest.mark.parametrize("name", list(ORGANIZATION_BOUND))
def test_an_organization_bound_role_reads_every_indicator_and_changes_only_its_own(
    name, indicators, client_as
):
    client = client_as(name)
    own = indicators[ORGANIZATION_BOUND[name]]
    listed = client.get(reverse("evaluation:indicator_list")).content.decode()
    assert all(indicator.key in listed for indicator in indicators.values())
    assert client.get(reverse("evaluation:quarterly_report"), follow=True).status_code == 200
    for indicator in indicators.values():
        assert (
            client.get(reverse("evaluation:indicator_detail", args=[indicator.pk])).status_code
            == 200
        )
        report = reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 1])
        assert client.get(report).status_code == (200 if indicator == own else 403)
        assert (
            client.get(reverse("evaluation:indicator_edit", args=[indicator.pk])).status_code == 403
        )
