"""Open data: every file in every format is served with its headers and parses, holds the
published records and never an unpublished one, keeps a stable address per fiscal year, runs a
fixed number of queries whatever its rows; and the catalogue documents every file."""

import csv
import datetime
import importlib
import io
import json
import uuid
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from budgeting.models import (
    Action,
    BudgetLine,
    ExpenseItem,
    FunctionalClass,
    FundingSource,
    Poa,
    ProgramModality,
    ProgressReport,
)
from committees.models import AgendaItem, Agreement, AgreementType, Body, Minutes, Session, Vote
from evaluation.models import Evaluation, EvaluationProgram, Indicator, Measurement, Recommendation
from phases.models import Deliverable, DeliverableType, Phase
from pmot.core import public_cache
from pmot.core.history import last_changed
from pmot.information import geo
from pmot.information.models import Document, TerritorialUnit
from pmot.planning.models import Alignment, Plan, PlanElement, Program
from pmot.portal.opendata import DATASETS
from tests.budgeting.progress import validated
from tests.clock import DEMO_DAY, frozen
from tests.factories import UserFactory

MX = ZoneInfo("America/Mexico_City")
AT = datetime.datetime(2027, 3, 10, 10, 0, tzinfo=MX)
DAY = datetime.date(2027, 3, 10)
YEAR = 2027  # the POA of the fixtures: a year to come on the day the clock is stopped


@pytest.fixture(autouse=True)
def _clock():
    """Which year is this year's, and which one is to come, depends on the day."""
    with frozen(DEMO_DAY):
        yield


YEARLY = [name for name, dataset in DATASETS.items() if dataset.yearly]
FILES = [(name, fmt) for name, dataset in DATASETS.items() for fmt in dataset.formats]
TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
TYPES["geojson"] = "application/geo+json"
# What each file must show of the published world (in its CSV and its JSON alike).
SHOWN = {
    "agreements": "PUBLICO-acuerdo",
    "sessions": "PUBLICO-sesion",
    "phases": "Sistema de coordinación",
    "deliverables": "PUBLICO-entregable",
    "strategies": "PUBLICO-estrategia",
    "alignments": "PUBLICO-pdm",
    "documents": "PUBLICO-documento",
    "territory": "PUBLICO-unidad",
    "actions": "PUBLICO-accion",
    "budget": "PUBLICO-accion",
    "progress": "PUBLICO-accion",
    "indicators": "PUBLICO-indicador",
    "measurements": "11.1111",
    "evaluations": "PUBLICO-evaluacion",
    "recommendations": "PUBLICO-recomendacion",
}
# Values of measurements awaiting validation or returned: never in a file.
UNVALIDATED = ("22.2222", "33.3333")


def square(west=-102.3, south=21.85, size=0.01):
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


# --- The world: one published record of every kind, and its unpublished twins ------------------


class Maker:
    """Records made directly (the services are tested in their apps); every unpublished one
    carries the word OCULTO, which no file may contain."""

    def __init__(self, orgs):
        self.orgs = orgs
        self.user = UserFactory(username="reportera", email="reportera@example.org")
        self.reviewer = UserFactory(username="revisora", email="revisora@example.org")
        self.body = Body.objects.create(name="H. Ayuntamiento", key="CAB", kind=Body.Kind.CABILDO)
        self.general = AgreementType.objects.get(code="general")
        self.source = FundingSource.objects.get(key="propios")
        self.item = ExpenseItem.objects.get(key="6140")
        self.functional = FunctionalClass.objects.get(key="2.2.1")
        self.modality = ProgramModality.objects.get(key="K")
        self.count = 0

    def number(self) -> int:
        self.count += 1
        return self.count

    def session(self, place="PUBLICO-sesion", status=Session.Status.CLOSED) -> Session:
        return Session.objects.create(
            body=self.body,
            year=2027,
            number=self.number(),
            kind=Session.Kind.ORDINARY,
            status=status,
            starts_at=AT,
            place=place,
        )

    def agreement(self, text="=1+1 PUBLICO-acuerdo") -> Agreement:
        session = self.session()
        item = AgendaItem.objects.create(
            session=session, number=1, title="Punto", agreement_type=self.general
        )
        Vote.objects.create(
            item=item, method="nominal", status="closed", votes_for=10, against=3, approved=True
        )
        return Agreement.objects.create(
            key=f"CAB/2027/ORD-{session.number:02d}/01",
            body=self.body,
            year=2027,
            item=item,
            agreement_type=self.general,
            text=text,
            status=Agreement.Status.APPROVED,
            decided_at=AT,
        )

    def element(self, plan, key, name, parent=None) -> PlanElement:
        return PlanElement.objects.create(
            plan=plan, key=key, name=name, level=parent.level + 1 if parent else 0, parent=parent
        )

    def unit(self, key, name="PUBLICO-unidad", **fields) -> TerritorialUnit:
        values = {"kind": "management_unit", "environmental_policy": "conservation"} | fields
        return TerritorialUnit.objects.create(key=key, name=name, geometry=square(), **values)

    def action(self, poa, key, name="PUBLICO-accion", status="submitted", **place) -> Action:
        action = Action.objects.create(
            poa=poa,
            key=key,
            name=name,
            kind="public_works",
            responsible=self.orgs["works"],
            modality=self.modality,
            target=Decimal(100),
            target_unit="metros",
            calendar=["25", "25", "25", "25"],
            status=status,
            **place,
        )
        BudgetLine.objects.create(
            action=action,
            source=self.source,
            expense_item=self.item,
            functional=self.functional,
            approved=Decimal("1000.00"),
            modified=Decimal("1000.00"),
            committed=Decimal("500.00"),
            accrued=Decimal("400.00"),
            exercised=Decimal("300.00"),
            paid=Decimal("200.00"),
        )
        ProgressReport.objects.create(
            action=action,
            period=1,
            achieved=Decimal(10),
            by=self.user,
            note="OCULTO-nota",
            evidence_name="OCULTO-evidencia.pdf",
            **validated(action, self.reviewer),
        )
        return action

    def indicator(self, key, name="PUBLICO-indicador", published=True, **measured) -> Indicator:
        return Indicator.objects.create(
            key=key,
            name=name,
            definition="Definición",
            method="A entre B",
            variable_a="A",
            unit="%",
            dimension="efficacy",
            kind="strategic",
            frequency="quarterly",
            direction="ascending",
            source="Padrón",
            verification="Informe",
            reporter=self.orgs["works"],
            first_year=2026,
            published=published,
            **measured,
        )

    def measurement(self, indicator, number, value, status="validated", year=2026) -> Measurement:
        reviewed = {} if status == "submitted" else {"reviewed_by": self.user, "reviewed_at": AT}
        return Measurement.objects.create(
            indicator=indicator,
            year=year,
            number=number,
            a=Decimal(value),
            value=Decimal(value),
            colour="green",
            green_low=90,
            green_high=110,
            yellow_low=75,
            yellow_high=125,
            status=status,
            reported_by=self.user,
            note="OCULTO-nota",
            observations="OCULTO-observaciones" if status == "returned" else "",
            **reviewed,
        )

    def evaluation(self, program, title="PUBLICO-evaluacion", published=True) -> Evaluation:
        evaluation = Evaluation.objects.create(
            program=program,
            title=title,
            kind="design",
            evaluator="Universidad",
            start=DAY,
            end=DAY,
            published=published,
        )
        Recommendation.objects.create(
            evaluation=evaluation,
            number=1,
            text=title.replace("evaluacion", "recomendacion"),
            responsible=self.orgs["implan"],
            due=DAY,
        )
        return evaluation


@pytest.fixture
def world(orgs):
    make = Maker(orgs)
    agreement = make.agreement()
    Minutes.objects.create(
        session=agreement.item.session,
        text="Acta",
        status="approved",
        approved_by=agreement,
        pdf="committees/minutes/2027/acta.pdf",
    )
    make.session(place="OCULTO-sesion", status=Session.Status.SCHEDULED)

    program = Program.objects.create(name="PMOT", horizon_year=2045, status="consultation")
    pmot = Plan.objects.create(
        key="pmot", name="PMOT", order="pmot", level_names=["Eje", "Estrategia"], program=program
    )
    axis = make.element(pmot, "T1", "Eje uno")
    strategy = make.element(pmot, "T1.1", "PUBLICO-estrategia", parent=axis)
    pdm = Plan.objects.create(key="pdm", name="PDM", order="municipal", level_names=["Eje"])
    Alignment.objects.create(source=strategy, target=make.element(pdm, "M1", "PUBLICO-pdm"))

    phase = Phase.objects.create(program=program, number=1, status="open", actual_start=DAY)
    kind = DeliverableType.objects.filter(phase_number=1).first()
    for title, status, shown in (
        ("PUBLICO-entregable", "accepted", True),
        ("OCULTO-entregable-en-revision", "in_review", False),
        ("OCULTO-entregable-no-publicado", "accepted", False),
    ):
        Deliverable.objects.create(
            phase=phase,
            kind=kind,
            title=title,
            responsible=orgs["implan"],
            author="implan",
            status=status,
            is_published=shown,
        )
    for title, shown in (("PUBLICO-documento", True), ("OCULTO-documento", False)):
        Document.objects.create(
            title=title,
            kind="study",
            author_organization=orgs["implan"],
            date=DAY,
            phase=2,
            is_published=shown,
        )

    unit = make.unit("UGAT-01")
    poa = Poa.objects.create(fiscal_year=YEAR, status="approved", approval_agreement=agreement)
    point = make.action(poa, "A-01", latitude=Decimal("21.88"), longitude=Decimal("-102.29"))
    point.alignments.add(strategy)
    area = make.action(poa, "A-02", name="PUBLICO-accion-area", unit=unit)
    draft_poa = Poa.objects.create(fiscal_year=YEAR + 1)
    make.action(draft_poa, "A-03", name="OCULTO-accion-borrador", status="draft")
    make.action(draft_poa, "B-01", name="OCULTO-accion-poa-borrador")

    indicator = make.indicator("I-1", element=strategy)
    make.measurement(indicator, 1, "11.1111")
    make.measurement(indicator, 2, "22.2222", status="submitted")
    make.measurement(indicator, 3, "33.3333", status="returned")
    hidden = make.indicator("I-2", name="OCULTO-indicador", published=False, element=strategy)
    make.measurement(hidden, 1, "44.4444")

    evaluations = EvaluationProgram.objects.create(year=2027, title="PAE 2027", published=True)
    make.evaluation(evaluations)
    make.evaluation(evaluations, title="OCULTO-evaluacion", published=False)
    return SimpleNamespace(
        make=make, program=program, pmot=pmot, strategy=strategy, poa=poa, unit=unit,
        point=point, area=area, indicator=indicator, evaluations=evaluations, phase=phase,
        kind=kind, pdm=pdm,
    )  # fmt: skip


def grow(world, n):
    """n more published records of every kind a file shows, with their related records."""
    make = world.make
    for i in range(n):
        make.agreement(text=f"Acuerdo {i}")
        unit = make.unit(f"UGAT-X{i}", name=f"Unidad {i}")
        element = make.element(world.pmot, f"T1.1.{i}", f"Línea {i}", parent=world.strategy)
        Alignment.objects.create(source=element, target=make.element(world.pdm, f"M{i}.x", "x"))
        program = Program.objects.create(name=f"P{i}", horizon_year=2045)
        Phase.objects.create(program=program, number=1)
        Deliverable.objects.create(
            phase=world.phase,
            kind=world.kind,
            title=f"Entregable {i}",
            responsible=make.orgs["implan"],
            author="implan",
            status="accepted",
            is_published=True,
        )
        document = Document.objects.create(
            title=f"Doc {i}",
            kind="map",
            author_organization=make.orgs["implan"],
            date=DAY,
            phase=3,
            is_published=True,
        )
        document.units.add(unit, world.unit)
        action = make.action(world.poa, f"N-{i}", name=f"Acción {i}", unit=unit)
        action.alignments.add(element, world.strategy)
        ProgressReport.objects.create(
            action=action, period=2, achieved=5, by=make.user, **validated(action, make.reviewer)
        )
        indicator = make.indicator(f"J-{i}", action=action)
        make.indicator(f"K-{i}", unit_measured=unit)
        make.measurement(indicator, 1, "1.5")
        make.measurement(world.indicator, 1 + i % 4, "2.5", year=2030 + i // 4)
        make.evaluation(world.evaluations, title=f"Evaluación {i}")


def url(name, fmt, year=None):
    return f"/datos/{year}/{name}.{fmt}" if year else f"/datos/{name}.{fmt}"


def parse(response, fmt):
    """The file's rows as dicts, after checking it parses as its format says."""
    content = response.content.decode("utf-8")
    if fmt == "csv":
        assert content.startswith("\ufeff")
        return list(csv.DictReader(io.StringIO(content[1:])))
    data = json.loads(content)
    if fmt == "json":
        return data["rows"]
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        geo.validate(feature["geometry"], allowed=geo.POINT | geo.POLYGONAL)
    return [feature["properties"] for feature in data["features"]]


# --- Every file ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), FILES)
def test_every_file_is_an_attachment_that_parses_with_its_fields(client, world, name, fmt):
    dataset = DATASETS[name]
    response = client.get(url(name, fmt))

    assert response.status_code == 200
    assert response["Content-Type"] == TYPES[fmt]
    stem = f"pmot_{name}_{YEAR}" if dataset.yearly else f"pmot_{name}"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.{fmt}"'
    rows = parse(response, fmt)
    assert rows
    assert all(list(row) == [field.name for field in dataset.fields] for row in rows)


@pytest.mark.parametrize(("name", "fmt"), FILES)
def test_every_file_shows_published_records_and_nothing_unpublished_or_personal(
    client, world, name, fmt
):
    text = client.get(url(name, fmt)).content.decode("utf-8")

    assert SHOWN[name] in text
    assert "OCULTO" not in text
    assert "reportera" not in text
    assert not any(value in text for value in UNVALIDATED)


@pytest.mark.parametrize("name", YEARLY)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_yearly_file_has_a_stable_address_per_public_fiscal_year(client, world, name, fmt):
    response = client.get(url(name, fmt, YEAR))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pmot_{name}_{YEAR}.{fmt}"'
    years = {row["fiscal_year"] for row in parse(response, fmt)}
    assert years == ({str(YEAR)} if fmt == "csv" else {YEAR})


@pytest.mark.parametrize(
    "path",
    [
        "/datos/nada.csv",  # no such file
        "/datos/agreements.xlsx",  # no such format
        "/datos/agreements.geojson",  # a format this file does not have
        f"/datos/{YEAR}/agreements.csv",  # not a yearly file
        f"/datos/{YEAR + 1}/actions.csv",  # a POA not approved yet
        f"/datos/{YEAR - 1}/budget.json",  # no POA at all
        "/datos/27/actions.csv",  # not a year
    ],
)
def test_unknown_files_formats_and_years_are_not_found(client, world, path):
    assert client.get(path).status_code == 404


def test_the_undated_yearly_file_is_the_year_the_poa_pages_open_on(client, world):
    """This year's POA, else the latest before it, else the first to come (as /publico/poa/)."""
    later = Poa.objects.create(
        fiscal_year=YEAR + 2, status="approved", approval_agreement=world.poa.approval_agreement
    )
    world.make.action(later, "C-01", name="Acción de dos años después")
    earlier = Poa.objects.create(
        fiscal_year=2020, status="approved", approval_agreement=world.poa.approval_agreement
    )
    world.make.action(earlier, "P-01", name="Acción de 2020")

    response = client.get("/datos/actions.csv")

    assert response["Content-Disposition"] == 'attachment; filename="pmot_actions_2020.csv"'
    assert [row["key"] for row in parse(response, "csv")] == ["P-01"]
    assert "PUBLICO-accion" in client.get(url("actions", "csv", YEAR)).text
    assert client.get("/publico/poa/")["Location"] == "/publico/poa/2020/"


def test_a_csv_cell_never_runs_as_a_formula_while_json_keeps_the_text(client, world):
    [agreement] = parse(client.get("/datos/agreements.csv"), "csv")
    [same] = parse(client.get("/datos/agreements.json"), "json")

    assert agreement["text"] == "'=1+1 PUBLICO-acuerdo"
    assert same["text"] == "=1+1 PUBLICO-acuerdo"


def test_values_are_typed_in_json_and_plain_in_csv(client, world):
    [row] = [r for r in parse(client.get("/datos/actions.json"), "json") if r["key"] == "A-01"]
    [line] = [r for r in parse(client.get("/datos/actions.csv"), "csv") if r["key"] == "A-01"]

    assert row["latitude"] == 21.88
    assert row["approved_amount"] == 1000.0
    assert row["achieved"] == 10.0
    assert row["progress_percent"] == 10.0
    assert row["aligned_to"] == "pmot:T1.1"
    assert row["url"] == f"http://testserver/publico/poa/{YEAR}/acciones/{world.point.pk}/"
    assert line["approved_amount"] == "1000.00"
    assert line["poa_unit"] == ""
    [session] = parse(client.get("/datos/sessions.json"), "json")
    assert session["starts_at"] == "2027-03-10T10:00:00-06:00"
    assert session["minutes_url"].endswith(".pdf")


def test_a_json_file_describes_itself_its_license_and_its_fields(client, world, settings):
    settings.PMOT_OPEN_DATA_LICENSE = {"name": "CC BY 4.0", "url": "https://example.org/by"}

    data = client.get("/datos/measurements.json").json()

    assert data["dataset"] == "measurements"
    assert data["title"] == "Mediciones de los indicadores"
    assert data["license"] == {"name": "CC BY 4.0", "url": "https://example.org/by"}
    updated = last_changed(
        Measurement.objects.filter(status="validated", indicator__published=True)
    )
    assert datetime.datetime.fromisoformat(data["updated"]) == updated
    light = next(field for field in data["fields"] if field["name"] == "light")
    assert light["type"] == "string"
    assert light["values"]["green"] == "Verde"
    assert data["rows"][0]["light"] == "green"


def test_the_license_is_libre_uso_mx_unless_configured(client, world, monkeypatch):
    monkeypatch.delenv("PMOT_OPEN_DATA_LICENSE_NAME", raising=False)
    monkeypatch.delenv("PMOT_OPEN_DATA_LICENSE_URL", raising=False)
    settings_module = importlib.reload(importlib.import_module("pmot.settings"))

    assert settings_module.PMOT_OPEN_DATA_LICENSE == {
        "name": "Libre Uso MX",
        "url": "https://datos.gob.mx/libreusomx",
    }
    data = client.get("/datos/phases.json").json()

    assert data["license"] == {"name": "Libre Uso MX", "url": "https://datos.gob.mx/libreusomx"}


def test_actions_are_points_or_the_area_of_their_unit_on_the_map(client, world):
    world.make.action(world.poa, "A-04", name="Acción sin lugar")

    data = client.get("/datos/actions.geojson").json()

    by_key = {feature["properties"]["key"]: feature["geometry"] for feature in data["features"]}
    assert by_key["A-01"] == {"type": "Point", "coordinates": [-102.29, 21.88]}
    assert by_key["A-02"] == world.unit.geometry
    assert "A-04" not in by_key
    assert data["year"] == YEAR


def test_the_strategies_file_is_empty_with_its_columns_while_the_pmot_is_drafted(client, world):
    Program.objects.filter(pk=world.program.pk).update(status=Program.Status.DRAFTING)

    response = client.get("/datos/strategies.csv")

    header = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert header == [",".join(field.name for field in DATASETS["strategies"].fields)]
    assert client.get("/datos/strategies.json").json()["rows"] == []
    assert "PUBLICO-estrategia" not in client.get("/datos/alignments.csv").text


def test_a_cached_file_keeps_its_type_and_name(client, world):
    client.get("/datos/territory.geojson")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/datos/territory.geojson")

    assert len(queries) == 0
    assert again["Content-Type"] == "application/geo+json"
    assert again["Content-Disposition"] == 'attachment; filename="pmot_territory.geojson"'


# --- Queries do not grow with the rows ----------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_every_file_and_the_catalogue_run_the_same_queries_for_few_or_many_rows(
    client, world, monkeypatch
):
    paths = [url(name, fmt) for name, fmt in FILES] + [url(n, "csv", YEAR) for n in YEARLY]
    paths.append("/datos/")
    few = {path: _queries(client, path) for path in paths}
    sizes = {name: len(parse(client.get(url(name, "json")), "json")) for name in DATASETS}

    grow(world, 12)
    monkeypatch.setattr(public_cache, "NAMESPACE", f"grown-{uuid.uuid4().hex}")  # none cached
    many = {path: _queries(client, path) for path in paths}

    assert many == few
    grown = {name: len(parse(client.get(url(name, "json")), "json")) for name in DATASETS}
    assert all(grown[name] > sizes[name] for name in DATASETS)


# --- The catalogue ------------------------------------------------------------------------------


def test_the_catalogue_documents_every_file_its_fields_license_and_years(client, world):
    response = client.get("/datos/")

    assert response.status_code == 200
    text = response.text
    for name, dataset in DATASETS.items():
        assert f'id="{name}"' in text
        assert str(dataset.title) in text
        for fmt in dataset.formats:
            assert f'href="/datos/{name}.{fmt}"' in text
        for field in dataset.fields:
            assert f"<code>{field.name}</code>" in text
    assert f'href="/datos/{YEAR}/budget.csv"' in text
    assert f"/datos/{YEAR + 1}/" not in text
    assert 'href="https://datos.gob.mx/libreusomx" rel="license">Libre Uso MX</a>' in text
    assert "se actualiza al menos cada trimestre" in text
    assert "Mediciones de los indicadores" in text
    assert "<code>green</code>: Verde" in text
    assert "Última actualización" in text
    assert len(response.content) < 300_000


def test_the_downloads_under_a_list_link_its_files(client, db):
    territory = render_to_string("portal/public/_downloads.html", {"dataset": "territory"})
    agreements = render_to_string("portal/public/_downloads.html", {"dataset": "agreements"})
    budget = render_to_string("portal/public/_downloads.html", {"dataset": "budget", "year": 2027})

    assert 'href="/datos/territory.geojson"' in territory
    assert 'href="/datos/agreements.csv"' in agreements
    assert "geojson" not in agreements
    assert 'href="/datos/2027/budget.json"' in budget
    assert 'href="/datos/#budget"' in budget
