"""Demo data of budgeting: the POA of Aguascalientes for two fiscal years, written through the
services so every rule holds (DOMAIN.md §5). The years follow the demo calendar
(`pmot.actors.demo.calendar`): its story's year and the next one, named here for a demo loaded
in December 2026.

- 2026: approved by the Cabildo in an extraordinary session of December 2025, changed by a
  transfer IMPLAN authorized (modification 1, July 2026: an emergency action, aligned as it
  was added), and executed through every budget stage up to the end of the demo's story,
  27 November 2026, with progress reported by period and validated by IMPLAN (never by whoever
  reported it); a few actions whose physical and financial progress differ by more than the
  threshold. The first SOP action the state co-finances has its progress reported by two
  organizations, each for its share: SOP and the state's SSMAA. Awaiting IMPLAN's validation:
  SSMAA's share of that action's last period, and SOP's correction of a validated figure of
  another action (the public pages keep the validated one). Modification 2 (November) increases
  the POA's total: it moved money once the Cabildo approved it, on 19 November 2026.
- 2027: submitted to the Cabildo, its approved amounts recorded (dated 1 January 2027, when the
  budget takes effect). Waiting for the vote until the Cabildo's session of 11 December 2026;
  loaded after it, approved there and executed up to the day the demo is loaded, so the year in
  course always has its POA.

About 150 actions in all, of the four kinds, on every funding source (FISMDF within its legal
categories and under its 2 % and 3 % caps), aligned to the demo PMOT strategies and PDM lines
of action and located in the demo UGATs. On purpose: the PMOT strategies PMOT-1.1.3, PMOT-1.2.3,
PMOT-4.1.3 and PMOT-4.2.4 have no action; public lighting is aligned only to a PDM line no PMOT
strategy reaches. Every action is aligned (DOMAIN.md §5).

Every name and amount is fictional, though plausible for the municipality. Needs the actors,
information, committees and planning demos first. Running it again changes nothing.
"""

import datetime
import random
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.db import transaction

from budgeting.models import (
    Action,
    ActionKind,
    ExpenseItem,
    FismdfCategory,
    FunctionalClass,
    FundingSource,
    Poa,
    ProgramModality,
    ProgressReport,
)
from budgeting.services import modifications, money, progress
from budgeting.services import poa as services
from committees import demo as committees_demo
from committees.models import Body
from committees.rules import Choice
from pmot.actors.demo import STORY_ENDS, STORY_YEAR, TZ, Calendar, calendar
from pmot.actors.models import Organization, User
from pmot.core.pdf import one_page_pdf
from pmot.information.models import TerritorialUnit
from pmot.planning.demo import pdm_key
from pmot.planning.models import PlanElement

# Each POA is approved in an extraordinary session of the Cabildo on 11 December of the year
# before (a year of its own for the session numbers of the story's year).
APPROVAL_SESSION = (12, 11, 10)  # month, day, hour
# Actions of the story's year's POA and of the next year's.
ACTIONS = {0: 80, 1: 70}
CENT = Decimal("0.01")

Q = Action.Calendar.QUARTERLY
M = Action.Calendar.MONTHLY


class Line(NamedTuple):
    source: str
    item: str
    functional: str
    share: int  # percent of the action's cost
    fismdf: str = ""


class Template(NamedTuple):
    kind: str
    name: str  # "{place}" is filled in
    responsible: str
    modality: str
    unit: str
    target: tuple[int, int]
    calendar: str
    cost: tuple[int, int]  # thousands of pesos
    align: tuple[str, ...]
    lines: tuple[Line, ...]
    where: str = "urban"  # urban, rural, centre, city (no territorial unit)


W, S, SV, P = (
    ActionKind.PUBLIC_WORKS,
    ActionKind.SOCIAL_WORKS,
    ActionKind.SERVICES,
    ActionKind.PROCEDURES,
)
F = FismdfCategory
# One action a line: kept on one line each (and out of the formatter) so the table reads as one.
# fmt: off
TEMPLATES = [
    Template(W, "Rehabilitación de la red de agua potable en {place}", "SOP", "K", "metros de tubería", (800, 3200), Q, (2500, 7000), ("PDM-1.2.1.1", "PMOT-2.1.2"), (Line("fismdf", "6130", "2.2.3", 75, F.WATER), Line("propios", "6130", "2.2.3", 25))),  # noqa: E501
    Template(W, "Construcción de colector pluvial en {place}", "SOP", "K", "metros de colector", (300, 1200), Q, (4000, 12000), ("PDM-1.2.2.1",), (Line("fismdf", "6130", "2.1.3", 60, F.DRAINAGE), Line("estatal", "6130", "2.1.3", 40))),  # noqa: E501
    Template(W, "Pavimentación con concreto hidráulico de calles en {place}", "SOP", "K", "metros cuadrados", (2000, 9000), Q, (1800, 6500), ("PDM-2.2.1.1", "PMOT-3.2.1"), (Line("fismdf", "6140", "2.2.1", 90, F.URBANIZATION), Line("beneficiarios", "6140", "2.2.1", 10))),  # noqa: E501
    Template(W, "Ciclovía confinada en {place}", "SOP", "K", "metros de ciclovía", (900, 3000), Q, (3000, 9000), ("PMOT-3.1.1", "PDM-2.1.1.1"), (Line("convenio-federal", "6150", "2.2.1", 50), Line("propios", "6150", "2.2.1", 50))),  # noqa: E501
    Template(W, "Rehabilitación del parque lineal del arroyo en {place}", "SOP", "K", "metros cuadrados", (5000, 20000), Q, (2500, 8000), ("PDM-1.3.1.2",), (Line("estatal", "6140", "2.2.1", 50), Line("propios", "6140", "2.2.1", 50))),  # noqa: E501
    Template(W, "Sustitución de luminarias por tecnología LED en {place}", "SOP", "K", "luminarias", (150, 900), Q, (1200, 4500), ("PDM-2.2.1.3",), (Line("propios", "6170", "2.2.4", 100),)),  # noqa: E501
    Template(W, "Rehabilitación del camino a {place}", "SOP", "K", "kilómetros", (2, 9), Q, (3500, 11000), ("PMOT-4.1.2", "PDM-3.2.1.1"), (Line("ramo28", "6150", "2.2.1", 100),), "rural"),  # noqa: E501
    Template(W, "Agua potable y saneamiento en {place}", "SOP", "K", "tomas domiciliarias", (80, 400), Q, (2500, 8000), ("PDM-3.2.1.2", "PMOT-4.1.1"), (Line("fismdf", "6130", "2.2.3", 70, F.SEWERAGE), Line("convenio-federal", "6130", "2.2.3", 30))),  # noqa: E501
    Template(W, "Rehabilitación del mercado municipal en {place}", "SOP", "K", "metros cuadrados", (600, 2500), Q, (3000, 9000), ("PDM-4.1.2.1", "PMOT-1.1.4"), (Line("propios", "6220", "2.2.6", 80), Line("privado", "6220", "2.2.6", 20)), "centre"),  # noqa: E501
    Template(W, "Banquetas y cruces seguros en el entorno escolar de {place}", "SOP", "K", "metros cuadrados", (800, 3000), Q, (900, 3000), ("PDM-2.1.1.2",), (Line("fismdf", "6140", "2.2.1", 100, F.URBANIZATION),)),  # noqa: E501
    Template(W, "Paradas accesibles y con sombra del corredor troncal en {place}", "SOP", "K", "paradas", (8, 30), Q, (800, 2500), ("PDM-2.1.2.2", "PMOT-3.1.2"), (Line("estatal", "6170", "2.2.1", 50), Line("propios", "6170", "2.2.1", 50))),  # noqa: E501
    Template(S, "Techo firme y cuarto para baño en viviendas de {place}", "SEDUM", "S", "viviendas", (40, 180), Q, (1500, 5000), ("PDM-3.1.2.1", "PMOT-1.3.1"), (Line("fismdf", "6140", "2.2.5", 85, F.HOUSING), Line("beneficiarios", "6140", "2.2.5", 15))),  # noqa: E501
    Template(S, "Rehabilitación del centro comunitario de {place}", "SOP", "S", "centros comunitarios", (1, 1), Q, (1200, 3500), ("PDM-3.1.1.1",), (Line("propios", "6120", "2.2.2", 70), Line("privado", "6120", "2.2.2", 30))),  # noqa: E501
    Template(S, "Diagnóstico participativo con el consejo de colonos de {place}", "IMPLAN", "P", "talleres", (4, 12), M, (150, 450), ("PDM-3.1.1.2",), (Line("propios", "3330", "1.3.8", 80), Line("beneficiarios", "3330", "1.3.8", 20))),  # noqa: E501
    Template(S, "Plantación de árboles nativos en {place}", "SOP", "S", "árboles", (500, 3000), Q, (400, 1500), ("PDM-1.3.1.1", "PMOT-2.3.2"), (Line("propios", "3590", "2.1.5", 70), Line("privado", "3590", "2.1.5", 30))),  # noqa: E501
    Template(SV, "Desazolve de cauces y arroyos urbanos en {place}", "SOP", "E", "metros de cauce", (1500, 6000), M, (600, 2000), ("PDM-1.2.2.2",), (Line("fortamundf", "3510", "2.1.3", 100),)),  # noqa: E501
    Template(SV, "Bacheo y conservación de vialidades en {place}", "SOP", "E", "metros cuadrados", (3000, 12000), M, (1500, 5000), ("PMOT-3.2.1",), (Line("fortamundf", "3510", "2.2.1", 100),)),  # noqa: E501
    Template(SV, "Mantenimiento de la red de agua y drenaje en {place}", "SOP", "E", "intervenciones", (40, 160), M, (700, 2200), ("PDM-1.2.1.1",), (Line("fismdf", "3510", "2.2.3", 100, F.MAINTENANCE),)),  # noqa: E501
    Template(SV, "Mantenimiento de parques y camellones en {place}", "SOP", "E", "metros cuadrados", (20000, 80000), M, (800, 2600), ("PMOT-2.3.2", "PDM-1.3.1.1"), (Line("propios", "3590", "2.2.1", 100),)),  # noqa: E501
    Template(SV, "Estudio de las zonas de recarga del acuífero en {place}", "IMPLAN", "P", "estudios", (1, 1), Q, (600, 1800), ("PMOT-2.1.1", "PDM-1.2.1.3"), (Line("convenio-federal", "3330", "2.1.2", 60), Line("propios", "3330", "2.1.2", 40))),  # noqa: E501
    Template(SV, "Registro de fallas y grietas geológicas en {place}", "SEDUM", "P", "kilómetros revisados", (10, 40), Q, (400, 1200), ("PDM-1.2.2.3",), (Line("estatal", "3330", "1.3.8", 50), Line("propios", "3330", "1.3.8", 50))),  # noqa: E501
    Template(SV, "Delimitación de los cerros de valor ambiental en {place}", "IMPLAN", "P", "hectáreas", (200, 900), Q, (350, 900), ("PMOT-2.3.3",), (Line("propios", "3330", "2.1.5", 100),)),  # noqa: E501
    Template(SV, "Seguimiento del PMOT y publicación de indicadores como datos abiertos", "IMPLAN", "P", "reportes", (4, 4), Q, (300, 700), ("PDM-5.1.1.3", "PMOT-4.2.3"), (Line("propios", "3170", "1.8.2", 100),), "city"),  # noqa: E501
    Template(SV, "Medición anual de la mancha urbana con imágenes de satélite", "IMPLAN", "P", "informes", (1, 1), Q, (250, 600), ("PDM-1.1.2.3",), (Line("propios", "3330", "1.3.8", 100),), "city"),  # noqa: E501
    Template(P, "Dictamen de uso de suelo en línea", "SEDUM", "E", "trámites", (1500, 4000), M, (500, 1500), ("PDM-4.1.1.1", "PMOT-4.2.2"), (Line("propios", "3170", "1.3.8", 100),), "city"),  # noqa: E501
    Template(P, "Licencia de construcción en línea", "SEDUM", "E", "trámites", (2000, 6000), M, (500, 1500), ("PDM-4.1.1.1",), (Line("propios", "3170", "1.3.8", 100),), "city"),  # noqa: E501
    Template(P, "Regularización de lotes en asentamientos de {place}", "SEDUM", "E", "lotes", (60, 300), Q, (300, 1200), ("PDM-1.1.2.2", "PMOT-1.2.2"), (Line("propios", "3390", "1.3.8", 80), Line("beneficiarios", "3390", "1.3.8", 20)), "urban"),  # noqa: E501
    Template(P, "Actualización del padrón catastral en {place}", "SEDUM", "E", "predios", (3000, 12000), M, (800, 2500), ("PDM-5.2.1.1", "PMOT-4.2.1"), (Line("fortamundf", "3330", "1.5.2", 100),)),  # noqa: E501
    Template(P, "Visor en línea de la zonificación por predio", "IMPLAN", "E", "consultas atendidas", (5000, 15000), M, (300, 900), ("PDM-4.1.1.2",), (Line("propios", "3170", "1.3.8", 100),), "city"),  # noqa: E501
    Template(P, "Factibilidad de fraccionamientos contiguos a la mancha urbana", "SEDUM", "E", "dictámenes", (20, 80), M, (200, 600), ("PDM-1.1.2.1", "PMOT-1.2.1"), (Line("ramo28", "3390", "1.3.8", 100),), "city"),  # noqa: E501
    Template(P, "Inventario de predios baldíos y su factibilidad de servicios en {place}", "IMPLAN", "P", "predios", (300, 1500), Q, (300, 900), ("PDM-1.1.1.1", "PMOT-1.1.2"), (Line("propios", "3330", "1.3.8", 100),)),  # noqa: E501
    Template(P, "Normas de densidad en corredores de transporte de {place}", "SEDUM", "P", "corredores", (1, 3), Q, (250, 700), ("PDM-1.1.1.2",), (Line("propios", "3330", "1.3.8", 100),), "centre"),  # noqa: E501
]
# The capped uses of FISMDF, one action each a year (the amount follows the year's FISMDF).
CAPPED = [
    Template(SV, "Equipo de cómputo para la planeación de obras del FISMDF", "IMPLAN", "E", "equipos", (6, 6), Q, (0, 0), ("PDM-5.1.1.2",), (Line("fismdf", "5150", "1.3.8", 100, F.INSTITUTIONAL),), "city"),  # noqa: E501
    Template(SV, "Supervisión y verificación de obras del FISMDF", "SOP", "E", "verificaciones", (40, 40), M, (0, 0), ("PDM-5.1.1.2",), (Line("fismdf", "3330", "2.2.1", 100, F.INDIRECT),), "city"),  # noqa: E501
]
CAP_SHARE = {F.INSTITUTIONAL: Decimal("0.015"), F.INDIRECT: Decimal("0.025")}

# Places of the demo (colonias and localities), in which UGAT of the demo grid.
PLACES = {
    "centre": [("Zona Centro", "UGAT-01"), ("Barrio de San Marcos", "UGAT-01"), ("Barrio de la Purísima", "UGAT-01"), ("Barrio de Triana", "UGAT-01"), ("Barrio de El Encino", "UGAT-01")],  # noqa: E501
    "urban": [("colonia Insurgentes", "UGAT-02"), ("colonia Solidaridad", "UGAT-02"), ("colonia Morelos", "UGAT-02"), ("fraccionamiento Pilar Blanco", "UGAT-02"), ("colonia Ojocaliente", "UGAT-02"), ("colonia Guadalupe Peralta", "UGAT-03"), ("fraccionamiento Villa de las Norias", "UGAT-03"), ("colonia Vicente Guerrero", "UGAT-03"), ("fraccionamiento Pozo Bravo", "UGAT-05"), ("colonia Jesús Terán", "UGAT-05"), ("fraccionamiento Las Cumbres", "UGAT-05"), ("colonia Gremial", "UGAT-01"), ("Pocitos", "UGAT-08")],  # noqa: E501
    "rural": [("Calvillito", "UGAT-04"), ("Cañada Honda", "UGAT-06"), ("Norias de Ojocaliente", "UGAT-07"), ("Peñuelas", "UGAT-13"), ("Montoro", "UGAT-14"), ("Jaltomate", "UGAT-15"), ("San Antonio de los Pedroza", "UGAT-10")],  # noqa: E501
    "city": [("todo el municipio", None)],
}
# fmt: on
# Actions whose physical and financial progress are far apart, so the POA flags them:
# (index among the actions of the story's year, physical minus financial in points).
GAPS = {3: 35, 11: -30, 26: 40, 40: -45, 57: 30}


@transaction.atomic
def load(today: datetime.date | None = None) -> dict[int, Poa]:
    """The two POAs; each is loaded once (a POA of its year found, it is left as it is)."""
    loaded = {}
    context = _Context(calendar(today))
    if context.missing:
        return loaded
    year = context.dates.year
    if not Poa.objects.filter(fiscal_year=year, unit=None).exists():
        loaded[year] = _executed_year(context)
    if not Poa.objects.filter(fiscal_year=year + 1, unit=None).exists():
        loaded[year + 1] = _next_year(context)
    return loaded


class _Context:
    """The catalogues and demo records the POAs are written with."""

    def __init__(self, dates: Calendar):
        self.dates = dates
        self.planner = User.objects.filter(username="planeacion").first()
        self.admin = User.objects.filter(username="admin").first()
        self.works = User.objects.filter(username="obras").first()
        self.treasury = User.objects.filter(username="tesoreria").first()
        self.state = User.objects.filter(username="estatal").first()
        self.organizations = {o.acronym: o for o in Organization.objects.all()}
        self.elements = {
            e.key: e
            for e in PlanElement.objects.filter(
                plan__key__in=["pmot", pdm_key(dates.today)]
            ).select_related("plan")
        }
        self.missing = (
            self.planner is None
            or self.treasury is None
            or "PMOT-1.1.1" not in self.elements
            or not Body.objects.filter(kind=Body.Kind.CABILDO).exists()
        )
        self.sources = {s.key: s for s in FundingSource.objects.all()}
        self.items = {i.key: i for i in ExpenseItem.objects.all()}
        self.functional = {f.key: f for f in FunctionalClass.objects.all()}
        self.modalities = {m.key: m for m in ProgramModality.objects.all()}
        self.units = {u.key: u for u in TerritorialUnit.objects.filter(key__startswith="UGAT-")}
        self.cofinancers = {
            "estatal": self.organizations.get("SSMAA"),
            "convenio-federal": self.organizations.get("SEDATU"),
            "privado": self.organizations.get("CIC"),
            "beneficiarios": self.organizations.get("CCO"),
        }


class _Planned(NamedTuple):
    action: Action
    template: Template
    lines: list  # (BudgetLine, approved amount)


# --- Building a year ----------------------------------------------------------------------------


def _seeded(seed: int) -> random.Random:
    """The same demo on every run: a seeded generator (not for secrets)."""
    return random.Random(seed)  # noqa: S311


def _executed_year(ctx: _Context) -> Poa:
    """The story's year: approved, modified in July, executed up to the story's end."""
    dates = ctx.dates
    poa, planned = _programmed(ctx, dates.year, _seeded(STORY_YEAR))
    services.poa_submit(poa=poa)
    _approve_by_the_cabildo(poa, dates.at(*APPROVAL_SESSION, years=-1))
    poa.refresh_from_db()
    _modification(ctx, poa, planned, _seeded(70000 + STORY_YEAR))
    _execution(ctx, planned, _seeded(110000 + STORY_YEAR), until=dates.on(*STORY_ENDS))
    _awaiting_validation(ctx, planned, until=dates.on(*STORY_ENDS))
    return poa


def _next_year(ctx: _Context) -> Poa:
    """Submitted; approved in its December session once that is past, then executed up to
    today."""
    dates = ctx.dates
    poa, planned = _programmed(ctx, dates.year + 1, _seeded(STORY_YEAR + 1))
    poa = services.poa_submit(poa=poa)
    session = dates.at(*APPROVAL_SESSION)
    if session.date() >= dates.today:
        return poa
    _approve_by_the_cabildo(poa, session)
    poa.refresh_from_db()
    _execution(ctx, planned, _seeded(110000 + STORY_YEAR + 1), until=dates.today)
    return poa


def _programmed(ctx: _Context, year: int, rng: random.Random) -> tuple[Poa, list[_Planned]]:
    """A draft POA of `year` with its actions aligned and submitted and their approved money
    recorded on 1 January; the capped FISMDF uses last, as shares of the year's FISMDF."""
    poa = services.poa_create(fiscal_year=year)
    planned, turn = [], {where: rng.randrange(len(p)) for where, p in PLACES.items()}
    for n in range(ACTIONS[year - ctx.dates.year] - len(CAPPED)):
        # The same actions in every year the demo is loaded, whatever the calendar.
        template = TEMPLATES[(n + STORY_YEAR + year - ctx.dates.year) % len(TEMPLATES)]
        place, unit_key = PLACES[template.where][turn[template.where] % len(PLACES[template.where])]
        turn[template.where] += 1
        cost = Decimal(rng.randint(*template.cost) * 1000)
        action = _action(ctx, poa, template, n + 1, place, unit_key, rng)
        planned.append(_Planned(action, template, _lines(ctx, action, template, cost, year)))
    fismdf = sum(
        (amount for p in planned for line, amount in p.lines if line.source.is_fismdf),
        Decimal(0),
    )
    for n, template in enumerate(CAPPED, start=len(planned) + 1):
        category = template.lines[0].fismdf
        cost = (fismdf * CAP_SHARE[category]).quantize(Decimal("1000"), rounding=ROUND_DOWN)
        action = _action(ctx, poa, template, n, "", None, rng)
        planned.append(_Planned(action, template, _lines(ctx, action, template, cost, year)))
    return poa, planned


def _action(ctx, poa, template: Template, n: int, place: str, unit_key, rng) -> Action:
    low, high = template.target
    target = rng.randint(low, high)
    calendar = _calendar(target, 4 if template.calendar == Q else 12, template.kind)
    unit = ctx.units.get(unit_key) if unit_key else None
    point = _point(unit, rng) if unit is not None and n % 3 == 0 else (None, None)
    prefix = {W: "OP", S: "OS", SV: "SV", P: "TR"}[template.kind]
    action = services.action_save(
        poa=poa,
        key=f"{prefix}-{poa.fiscal_year % 100}-{n:03d}",
        name=template.name.format(place=place),
        kind=template.kind,
        responsible=ctx.organizations[template.responsible],
        modality=ctx.modalities[template.modality],
        unit=unit,
        latitude=point[0],
        longitude=point[1],
        target=Decimal(target),
        target_unit=template.unit,
        calendar_kind=template.calendar,
        calendar=calendar,
    )
    services.action_align(action=action, elements=[ctx.elements[k] for k in template.align])
    return services.action_submit(action=action)


def _calendar(target: int, periods: int, kind: str) -> list[Decimal]:
    """The target over the year: works weigh on the middle quarters, the rest evenly."""
    weights = [1, 3, 4, 2] if periods == 4 and kind in (W, S) else [1] * periods
    values = [Decimal(target * w // sum(weights)) for w in weights]
    values[-1] += Decimal(target) - sum(values)
    return values


def _point(unit: TerritorialUnit, rng) -> tuple[Decimal, Decimal]:
    """A point near the middle of the unit's polygon (the mean of its vertices)."""
    ring = unit.geometry["coordinates"][0]
    lon = sum(p[0] for p in ring) / len(ring) + rng.uniform(-0.01, 0.01)
    lat = sum(p[1] for p in ring) / len(ring) + rng.uniform(-0.01, 0.01)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _lines(ctx, action: Action, template: Template, cost: Decimal, year: int) -> list:
    made, left = [], cost
    for n, spec in enumerate(template.lines):
        last = n == len(template.lines) - 1
        amount = left if last else (cost * spec.share / 100).quantize(Decimal("100"))
        left -= amount
        line = money.line_add(
            action=action,
            source=ctx.sources[spec.source],
            expense_item=ctx.items[spec.item],
            functional=ctx.functional[spec.functional],
            cofinancer=ctx.cofinancers.get(spec.source),
            fismdf_category=spec.fismdf,
        )
        money.movement_record(
            line=line,
            stage="approved",
            amount=amount,
            date=datetime.date(year, 1, 1),
            by=ctx.planner,
            reference=f"Presupuesto de Egresos {year} (ejemplo)",
        )
        made.append((line, amount))
    return made


# --- Approval, modification, execution, progress -----------------------------------------------


def _approve_by_the_cabildo(poa: Poa, starts_at: datetime.datetime) -> None:
    """An extraordinary session of the Cabildo votes the POA; its agreement approves it
    (committees' hook), as phases/demo.py closes phases."""
    _cabildo_decides(
        poa,
        f"Aprobación del Programa Operativo Anual {poa.fiscal_year}",
        f"El H. Ayuntamiento aprueba el Programa Operativo Anual {poa.fiscal_year} del "
        "Municipio de Aguascalientes, con sus acciones, metas y presupuesto por fuente.",
        starts_at,
    )


def _cabildo_decides(subject, title: str, text: str, starts_at: datetime.datetime) -> None:
    """An extraordinary session of the Cabildo votes an item on `subject`; the vote's
    agreement reaches the subject through committees' hook."""
    committees_demo.session_held(
        Body.objects.get(kind=Body.Kind.CABILDO),
        starts_at,
        [(title, text, subject)],
        notice_days=3,
        # the last three seats vote against or abstain, in turn
        choices=lambda k, count: (
            Choice.FOR if k < count - 3 else [Choice.AGAINST, Choice.ABSTAIN][k % 2]
        ),
        minutes_per_item=40,
        closes_after=20,
    )


def _modification(ctx: _Context, poa: Poa, planned: list[_Planned], rng) -> None:
    """Modification 1, a transfer authorized by IMPLAN in July: less for studies that will not
    start, the same money for the emergency works of a sinkhole (a new action, aligned as it is
    added). Modification 2, November: more money from federal participations and own
    resources for some works; it changes the POA's total, so it moved money only once the
    Cabildo approved it (extraordinary session of 19 November, after the phases demo's
    sessions so the numbers follow the dates)."""
    dates = ctx.dates
    transfer = services.modification_open(
        poa=poa,
        reason=(
            f"Adecuación presupuestal de julio de {poa.fiscal_year} (ejemplo): traspaso de "
            "estudios que no iniciarán a la atención emergente de un socavón."
        ),
        by=ctx.planner,
        at=dates.at(7, 15, 11),
    )
    movable = [
        (line, amount) for p in planned for line, amount in p.lines if not line.source.is_fismdf
    ]
    rng.shuffle(movable)
    freed = Decimal(0)
    for line, amount in movable[10:14]:
        reduction = (amount * Decimal(rng.choice([20, 30, 40])) / 100).quantize(Decimal("100"))
        _request(ctx, transfer, line, "reduction", reduction, dates.on(7, 15), "Oficio de traspaso")
        freed += reduction
    _emergency(ctx, poa, transfer, freed)
    increase = services.modification_open(
        poa=poa,
        reason=(
            f"Ampliación presupuestal de noviembre de {poa.fiscal_year} (ejemplo): ingresos "
            "excedentes de participaciones y recursos propios para obras en curso."
        ),
        by=ctx.planner,
        at=dates.at(11, 3, 11),
    )
    for line, amount in movable[:10]:
        more = (amount * Decimal(rng.choice([10, 15, 20, 25])) / 100).quantize(Decimal("100"))
        _request(ctx, increase, line, "increase", more, dates.on(11, 3), "Oficio de ampliación")
    _cabildo_decides(
        increase,
        f"Ampliación del Presupuesto de Egresos {poa.fiscal_year}: modificación M2 del POA",
        f"El H. Ayuntamiento aprueba la ampliación del Programa Operativo Anual "
        f"{poa.fiscal_year} por ingresos excedentes de participaciones y recursos propios "
        "(modificación M2).",
        dates.at(11, 19, 10),
    )


def _request(ctx, modification, line, stage, amount, day, reference) -> None:
    if amount > 0:
        money.change_request(
            modification=modification,
            line=line,
            stage=stage,
            amount=amount,
            date=day,
            by=ctx.planner,
            reference=reference,
            document=ContentFile(one_page_pdf(f"{reference} (ejemplo)"), name="oficio.pdf"),
        )


def _emergency(ctx: _Context, poa: Poa, transfer, freed: Decimal) -> None:
    """Added by the transfer, aligned as it is added, and funded by what the transfer frees;
    committed once IMPLAN authorizes the transfer."""
    action = services.action_save(
        poa=poa,
        modification=transfer,
        key=f"OP-{poa.fiscal_year % 100:02d}-900",
        name="Atención emergente del socavón en la avenida Siglo XXI",
        kind=W,
        responsible=ctx.organizations["SOP"],
        modality=ctx.modalities["K"],
        unit=ctx.units.get("UGAT-02"),
        target=Decimal(1),
        target_unit="obra",
        calendar_kind=Q,
        calendar=[0, 0, 1, 0],
        alignments=[ctx.elements["PDM-2.2.1.1"]],
    )
    line = money.line_add(
        action=action,
        source=ctx.sources["propios"],
        expense_item=ctx.items["6150"],
        functional=ctx.functional["2.2.1"],
        modification=transfer,
    )
    dates = ctx.dates
    _request(ctx, transfer, line, "increase", freed, dates.on(7, 15), "Oficio de traspaso")
    modifications.modification_authorize(
        modification=transfer, by=ctx.treasury, at=dates.at(7, 17, 13)
    )
    spent = (freed * Decimal("0.65")).quantize(Decimal("100"))
    for stage, amount, day in [
        ("committed", freed, dates.on(7, 22)),
        ("accrued", spent, dates.on(9, 30)),
        ("exercised", spent, dates.on(10, 15)),
        ("paid", spent, dates.on(10, 30)),
    ]:
        reference = f"Contrato OP-EM-01/{poa.fiscal_year} (ejemplo)"
        _move(ctx, line, stage, amount, day, reference)


def _move(ctx, line, stage, amount, day, reference) -> None:
    if amount > 0:
        money.movement_record(
            line=line, stage=stage, amount=amount, date=day, by=ctx.planner, reference=reference
        )


def _execution(ctx: _Context, planned: list[_Planned], rng, *, until: datetime.date) -> None:
    """Every line through the stages before `until`, and each action's progress by period."""
    for n, p in enumerate(planned):
        started = n % 9 != 5  # about one action in nine has not started
        pace = Decimal(rng.choice([35, 50, 60, 70, 80, 90, 100])) if started else Decimal(0)
        if n in GAPS:  # room for the gap: far behind in money, or far ahead
            pace = Decimal(50 if GAPS[n] > 0 else 100)
        exercised = modified = Decimal(0)
        for line, _amount in p.lines:
            line.refresh_from_db()
            modified += line.modified
            exercised += _stages(ctx, line, pace, rng, p.action, until)
        financial = 100 * exercised / modified if modified else Decimal(0)
        physical = min(max(financial + GAPS.get(n, rng.randint(-8, 8)), Decimal(0)), Decimal(100))
        if started:
            _progress(ctx, p.action, physical, until)


def _stages(ctx, line, pace: Decimal, rng, action: Action, until: datetime.date) -> Decimal:
    """Record the line's stages before `until`, each a share of the one before; return what
    is exercised."""
    year = action.poa.fiscal_year
    amount = (line.modified * pace / 100).quantize(CENT, rounding=ROUND_DOWN)
    exercised = Decimal(0)
    day = datetime.date(year, 2, 1) + datetime.timedelta(days=rng.randint(0, 110))
    for stage in money.EXECUTION:
        if stage != "committed":
            amount = (amount * Decimal(rng.choice([90, 95, 100])) / 100).quantize(
                CENT, rounding=ROUND_DOWN
            )
            day += datetime.timedelta(days=rng.randint(10, 60))
        if day >= until:
            break  # this stage and the next ones are still to come
        _move(ctx, line, stage, amount, day, f"{action.key}/{stage[:3].upper()}-{year}")
        if stage == "exercised":
            exercised = amount
    return exercised


def _reported_on(action: Action, period: int) -> datetime.datetime:
    """A few days after the period ends: the 5th of the month after it."""
    last_month = period * 3 if action.calendar_kind == Q else period
    year, month = action.poa.fiscal_year + last_month // 12, last_month % 12 + 1
    return datetime.datetime(year, month, 5, 12, 0, tzinfo=TZ)


def _progress(ctx: _Context, action: Action, physical: Decimal, until: datetime.date) -> None:
    """Reports for the periods reported before `until`, adding up to `physical` percent of the
    target in proportion to the calendar, each validated by IMPLAN a few days later. The share
    the state co-finances of the first action with one (SHARED) is reported by the state."""
    periods = sum(
        _reported_on(action, period).date() < until for period in range(1, len(action.calendar) + 1)
    )
    if not periods:
        return
    planned = [Decimal(v) for v in action.calendar[:periods]]
    # Whole units, except for targets of a few things (60 % of one community centre: 0.60).
    step = Decimal(1) if action.target >= 20 else CENT
    achieved = (action.target * physical / 100).quantize(step, rounding=ROUND_DOWN)
    whole = sum(planned) or Decimal(1)
    by = ctx.works if action.responsible.acronym == "SOP" else ctx.planner
    shared = _shared(ctx, action)
    left = achieved
    for period, value in enumerate(planned, start=1):
        last = period == periods
        part = left if last else (achieved * value / whole).quantize(step, rounding=ROUND_DOWN)
        left -= part
        state = (part * SHARED_PERCENT / 100).quantize(step, rounding=ROUND_DOWN) if shared else 0
        note = "Avance verificado en campo (ejemplo)." if last else ""
        _validated(ctx, action, period, part - state, by, note, action.responsible, until)
        if state:
            # The state's share of the last period still waits for IMPLAN.
            _validated(ctx, action, period, state, ctx.state, note, shared, until, not last)


# The state's share of the progress of the first action it co-finances, in percent.
SHARED_PERCENT = Decimal(40)


def _shared(ctx: _Context, action: Action) -> Organization | None:
    """The state (SSMAA) when `action` is the first of its POA the state co-finances and its
    liaison is in the demo: it reports its share of that action's progress."""
    state = ctx.cofinancers["estatal"]
    if ctx.state is None or state is None:
        return None
    first = (
        action.poa.actions.filter(lines__cofinancer=state, responsible__acronym="SOP")
        .order_by("key")
        .first()
    )
    return state if first == action else None


def _validated(
    ctx, action: Action, period: int, achieved, by, note: str, organization, until, validate=True
) -> None:
    """Reported on the 5th after the period, validated three days later (never after
    `until`) by IMPLAN's planner, or its administrator when the planner reported it."""
    at = _reported_on(action, period)
    report = progress.progress_report(
        action=action,
        period=period,
        achieved=achieved,
        by=by,
        organization=organization,
        note=note,
        at=at,
    )
    validator = ctx.admin if by == ctx.planner else ctx.planner
    if validate and validator is not None:
        latest = datetime.datetime.combine(until, datetime.time(9), tzinfo=TZ)
        on = min(at + datetime.timedelta(days=3), latest)
        progress.progress_validate(report=report, by=validator, at=on)


def _awaiting_validation(ctx: _Context, planned: list[_Planned], *, until: datetime.date) -> None:
    """A correction for IMPLAN's queue: SOP corrects a validated figure of one of its actions
    (the public pages keep the validated one until IMPLAN validates the correction)."""
    corrected = (
        ProgressReport.objects.validated()
        .filter(action__poa=planned[0].action.poa, organization__acronym="SOP", achieved__gt=1)
        .exclude(action__lines__cofinancer__isnull=False)
        .order_by("action__key", "period")
        .first()
    )
    if corrected is not None and ctx.works is not None:
        progress.progress_report(
            action=corrected.action,
            period=corrected.period,
            achieved=corrected.achieved - 1,
            by=ctx.works,
            note="Corrección: un tramo se contó dos veces (ejemplo).",
            at=datetime.datetime.combine(until, datetime.time(10), tzinfo=TZ),
        )
