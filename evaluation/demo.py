"""Demo data of evaluation: about 60 indicators with three years of targets and measurements,
and the evaluation programs of last year and this one with their recommendations (DOMAIN.md §6).

"Today" is the machine's date (`timezone.localdate()`): the strategic indicators and those of
the territorial units are measured from the year before last (a few newer ones from last year),
the management indicators of POA actions from the POA's year; every period that has ended by
today is either measured or left without report on purpose. The past is written through the
services with the dates it would have had: each target set when its period started, each
measurement reported a few days after its period ended, then validated or returned by IMPLAN.
So every colour of the traffic light shows: green, yellow and red, *sin reporte* (overdue), no
target, and *pendiente* when today falls within a period's reporting time (the first days of
a month).

Every name and figure is fictional, though plausible for the municipality. Needs the actors,
information, planning and budgeting demos first. Running it again changes nothing.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from budgeting.models import Action, FundingSource, Poa
from evaluation import lights
from evaluation.lights import Colour
from evaluation.models import Evaluation, EvaluationProgram, Indicator, Recommendation
from evaluation.services import evaluations
from evaluation.services import indicators as services
from pmot.actors.models import Organization, User
from pmot.core.pdf import one_page_pdf  # the one small valid PDF the demos share
from pmot.information.models import TerritorialUnit
from pmot.planning.demo import pdm_key
from pmot.planning.models import PlanElement

KEY_PREFIX = "IND-"
M, Q, H, Y = (
    lights.Frequency.MONTHLY,
    lights.Frequency.QUARTERLY,
    lights.Frequency.HALF_YEARLY,
    lights.Frequency.YEARLY,
)
UP, DOWN, KEEP = (
    lights.Direction.ASCENDING,
    lights.Direction.DESCENDING,
    lights.Direction.CONSTANT,
)
EFFICACY, EFFICIENCY, QUALITY = "efficacy", "efficiency", "quality"


class Spec(NamedTuple):
    key: str
    name: str
    measures: str  # a plan element's key, "UGAT-nn", or "poa:" + the start of an action's name
    reporter: str  # acronym of the reporting organization
    frequency: str
    direction: str
    unit: str
    a: str
    b: str  # "" when the value is A itself
    factor: int
    target: str  # the first year's target of each period
    step: str  # how the target moves each year
    size: int = 0  # the order of B, when there is one
    decimals: int = 0  # of A (and of the targets, when the value is A itself)
    dimension: str = EFFICACY
    bands: tuple[int, int, int, int] | None = None  # green from, green to, yellow from, yellow to
    since: int = 2  # measured from the year before last, or from last year (a newer indicator)


# One indicator a line: kept on one line each (and out of the formatter) so the table reads as one.
# fmt: off
SPECS = [
    # Strategic: the PMOT's strategies.
    Spec("E-01", "Densidad de vivienda en la zona centro", "PMOT-1.1.1", "IMPLAN", Y, UP, "viviendas por hectárea", "Viviendas particulares habitadas en la zona centro", "Hectáreas de la zona centro", 1, "27.5", "1.0", 420),  # noqa: E501
    Spec("E-02", "Predios baldíos intraurbanos ocupados", "PMOT-1.1.2", "IMPLAN", H, UP, "%", "Predios baldíos del inventario con construcción iniciada", "Predios baldíos del inventario", 100, "3.0", "1.5", 6800),  # noqa: E501
    Spec("E-03", "Viviendas deshabitadas recuperadas", "PMOT-1.1.3", "SEDUM", Q, UP, "viviendas", "Viviendas deshabitadas ocupadas de nuevo en el trimestre", "", 1, "45", "10"),  # noqa: E501
    Spec("E-04", "Inmuebles del centro histórico rehabilitados", "PMOT-1.1.4", "SEDUM", Y, UP, "inmuebles", "Inmuebles catalogados con obra de rehabilitación terminada", "", 1, "14", "2"),  # noqa: E501
    Spec("E-05", "Superficie urbanizada fuera del límite de crecimiento", "PMOT-1.2.1", "SEDUM", H, DOWN, "hectáreas", "Hectáreas autorizadas para urbanizar fuera del límite", "", 1, "22", "-4", decimals=1),  # noqa: E501
    Spec("E-06", "Lotes regularizados en asentamientos irregulares", "PMOT-1.2.2", "SEDUM", Q, UP, "lotes", "Lotes con regularización concluida en el trimestre", "", 1, "140", "20"),  # noqa: E501
    Spec("E-07", "Población a menos de 400 metros de un área verde", "PMOT-1.3.1", "IMPLAN", Y, UP, "%", "Habitantes a menos de 400 m de un área verde pública", "Habitantes del área urbana", 100, "61", "3", 880000),  # noqa: E501
    Spec("E-08", "Zonas de recarga del acuífero protegidas en la zonificación", "PMOT-2.1.1", "IMPLAN", Y, UP, "%", "Hectáreas de recarga con zonificación de protección", "Hectáreas de recarga identificadas", 100, "35", "12", 9400),  # noqa: E501
    Spec("E-09", "Agua residual tratada que se reúsa", "PMOT-2.1.2", "SSMAA", Q, UP, "%", "Volumen de agua tratada reusada (m³)", "Volumen de agua residual tratada (m³)", 100, "28", "4", 9500000),  # noqa: E501
    Spec("E-10", "Viviendas en zonas de riesgo", "PMOT-2.2.1", "IMPLAN", Y, DOWN, "viviendas", "Viviendas sobre fallas geológicas o en zonas inundables", "", 1, "3400", "-250"),  # noqa: E501
    Spec("E-11", "Construcciones nuevas en cauces y zonas inundables", "PMOT-2.2.2", "SEDUM", Q, DOWN, "construcciones", "Construcciones nuevas detectadas en cauces y zonas inundables", "", 1, "9", "-2"),  # noqa: E501
    Spec("E-12", "Kilómetros de parque lineal conectados", "PMOT-2.3.1", "SOP", H, UP, "kilómetros", "Kilómetros de parque lineal terminados en el semestre", "", 1, "1.6", "0.3", decimals=2),  # noqa: E501
    Spec("E-13", "Superficie de áreas verdes por habitante", "PMOT-2.3.2", "IMPLAN", Y, UP, "m² por habitante", "Metros cuadrados de áreas verdes públicas", "Población del municipio", 1, "5.8", "0.3", 950000, dimension=QUALITY),  # noqa: E501
    Spec("E-14", "Hectáreas de cerros de valor ambiental urbanizadas", "PMOT-2.3.3", "SSMAA", Y, DOWN, "hectáreas", "Hectáreas de cerros y lomeríos del poniente con cambio a uso urbano", "", 1, "14", "-3", decimals=1),  # noqa: E501
    Spec("E-15", "Kilómetros de ciclovía confinada construidos", "PMOT-3.1.1", "SOP", Q, UP, "kilómetros", "Kilómetros de ciclovía confinada terminados en el trimestre", "", 1, "2.4", "0.4", decimals=2),  # noqa: E501
    Spec("E-16", "Vivienda nueva cerca de los corredores troncales", "PMOT-3.1.2", "SEDUM", H, UP, "%", "Viviendas nuevas a menos de 500 m de un corredor troncal", "Viviendas nuevas autorizadas", 100, "38", "5", 5200),  # noqa: E501
    Spec("E-17", "Kilómetros de vialidad primaria completados", "PMOT-3.2.1", "SOP", Q, UP, "kilómetros", "Kilómetros de vialidad primaria terminados en el trimestre", "", 1, "1.2", "0.2", decimals=2),  # noqa: E501
    Spec("E-18", "Localidades concentradoras con servicios completos", "PMOT-4.1.1", "SOP", Y, UP, "localidades", "Localidades concentradoras con agua, drenaje, clínica y escuela", "", 1, "1", "1"),  # noqa: E501
    Spec("E-19", "Kilómetros de caminos rurales rehabilitados", "PMOT-4.1.2", "SOP", Q, UP, "kilómetros", "Kilómetros de camino rural rehabilitados en el trimestre", "", 1, "4.5", "0.5", decimals=1),  # noqa: E501
    Spec("E-20", "Suelo agrícola de alto valor con cambio de uso autorizado", "PMOT-4.1.3", "SEDUM", Y, DOWN, "hectáreas", "Hectáreas agrícolas de alto valor con cambio de uso de suelo", "", 1, "45", "-6", decimals=1),  # noqa: E501
    Spec("E-21", "Predios con valor catastral actualizado", "PMOT-4.2.1", "SEDUM", Q, UP, "%", "Predios con valor catastral actualizado", "Predios del padrón catastral", 100, "52", "8", 392000),  # noqa: E501
    Spec("E-22", "Tiempo de respuesta de trámites de uso de suelo", "PMOT-4.2.2", "SEDUM", M, DOWN, "días hábiles", "Días hábiles de respuesta sumados", "Trámites de uso de suelo resueltos", 1, "12", "-2", 320, dimension=EFFICIENCY, bands=(95, 130, 85, 150)),  # noqa: E501
    Spec("E-23", "Indicadores del PMOT publicados como datos abiertos", "PMOT-4.2.3", "IMPLAN", Q, UP, "%", "Indicadores del PMOT publicados en el portal de datos abiertos", "Indicadores del PMOT", 100, "60", "15", 60),  # noqa: E501
    Spec("E-24", "Sesiones de la comisión metropolitana de ordenamiento", "PMOT-4.2.4", "SEDATU", H, KEEP, "sesiones", "Sesiones de la comisión metropolitana celebradas", "", 1, "3", "0"),  # noqa: E501
    Spec("E-25", "Superficie de reserva territorial constituida", "PMOT-1.2.3", "SEDUM", Y, UP, "hectáreas", "Hectáreas de reserva territorial adquiridas o convenidas", "", 1, "40", "10"),  # noqa: E501
    # Strategic: the PDM's lines of action.
    Spec("E-26", "Cobertura de agua potable", "PDM-3.1.1.3", "SOP", Q, UP, "%", "Viviendas con servicio de agua potable", "Viviendas particulares habitadas", 100, "96.5", "0.5", 281000, bands=(98, 102, 95, 105)),  # noqa: E501
    Spec("E-27", "Pérdidas físicas de agua en la red", "PDM-1.2.1.1", "SOP", Q, DOWN, "%", "Volumen de agua no facturado por fugas (m³)", "Volumen de agua extraído (m³)", 100, "38", "-3", 24000000),  # noqa: E501
    Spec("E-28", "Licencias de construcción solicitadas en línea", "PDM-4.1.1.1", "SEDUM", M, UP, "%", "Solicitudes de licencia ingresadas en línea", "Solicitudes de licencia ingresadas", 100, "35", "20", 450, since=1),  # noqa: E501
    Spec("E-30", "Metros de cauce desazolvados antes de las lluvias", "PDM-1.2.2.2", "SOP", M, UP, "metros", "Metros de cauce desazolvados en el mes", "", 1, "2600", "300"),  # noqa: E501
    Spec("E-31", "Árboles nativos plantados", "PDM-1.3.1.1", "SSMAA", Q, UP, "árboles", "Árboles de especies nativas plantados en el trimestre", "", 1, "2400", "400"),  # noqa: E501
    Spec("E-32", "Metros cuadrados de banqueta en entornos escolares", "PDM-2.1.1.2", "SOP", Q, UP, "metros cuadrados", "Metros cuadrados de banqueta y cruce seguro terminados", "", 1, "1800", "300"),  # noqa: E501
    Spec("E-34", "Vialidades en buen estado", "PDM-2.2.1.1", "SOP", Y, UP, "%", "Kilómetros de vialidad en buen estado", "Kilómetros de vialidad pavimentada", 100, "58", "4", 2900),  # noqa: E501
    Spec("E-35", "Luminarias con tecnología LED", "PDM-2.2.1.3", "SOP", Q, UP, "%", "Luminarias LED en operación", "Luminarias del alumbrado público", 100, "44", "9", 61000),  # noqa: E501
    Spec("E-36", "Hogares apoyados con piso, techo o baño", "PDM-3.1.2.1", "SEDATU", Q, UP, "hogares", "Hogares con apoyo de mejoramiento terminado", "", 1, "120", "15"),  # noqa: E501
    Spec("E-37", "Diagnósticos participativos con consejos de colonos", "PDM-3.1.1.2", "IMPLAN", Q, UP, "diagnósticos", "Diagnósticos participativos concluidos", "", 1, "5", "1"),  # noqa: E501
    Spec("E-38", "Localidades rurales con agua potable", "PDM-3.2.1.2", "SOP", Y, UP, "%", "Localidades rurales con red de agua potable", "Localidades rurales del municipio", 100, "78", "4", 470),  # noqa: E501
    Spec("E-39", "Consultas al visor de zonificación", "PDM-4.1.1.2", "IMPLAN", M, UP, "consultas", "Consultas atendidas en el visor de zonificación", "", 1, "4200", "900", since=1),  # noqa: E501
    Spec("E-40", "Crecimiento de la mancha urbana", "PDM-1.1.2.3", "IMPLAN", Y, DOWN, "hectáreas", "Hectáreas incorporadas a la mancha urbana en el año", "", 1, "190", "-12", decimals=1),  # noqa: E501
    Spec("E-43", "Padrón catastral actualizado en el mes", "PDM-5.2.1.1", "SEDUM", M, UP, "predios", "Predios actualizados en el padrón catastral", "", 1, "3200", "400", since=1),  # noqa: E501
    Spec("E-44", "Indicadores del PDM publicados en plazo", "PDM-5.1.1.3", "IMPLAN", Q, KEEP, "%", "Indicadores publicados en plazo", "Indicadores del PDM", 100, "100", "0", 48),  # noqa: E501
    # Management: actions of the POA.
    Spec("G-01", "Bacheo realizado respecto de lo programado", "poa:Bacheo y conservación", "SOP", M, UP, "%", "Metros cuadrados de bacheo realizados", "Metros cuadrados de bacheo programados", 100, "100", "0", 900, dimension=EFFICIENCY),  # noqa: E501
    Spec("G-02", "Licencias de construcción emitidas en plazo", "poa:Licencia de construcción", "SEDUM", M, UP, "%", "Licencias emitidas dentro del plazo legal", "Licencias emitidas", 100, "88", "0", 380, dimension=EFFICIENCY),  # noqa: E501
    Spec("G-03", "Tiempo promedio de emisión del dictamen de uso de suelo", "poa:Dictamen de uso de suelo", "SEDUM", M, DOWN, "días hábiles", "Días hábiles de emisión sumados", "Dictámenes emitidos", 1, "8", "0", 260, dimension=EFFICIENCY),  # noqa: E501
    Spec("G-04", "Reportes de fuga atendidos en 48 horas", "poa:Mantenimiento de la red de agua", "SOP", M, UP, "%", "Reportes de fuga atendidos en 48 horas", "Reportes de fuga recibidos", 100, "85", "0", 640, dimension=QUALITY),  # noqa: E501
    Spec("G-05", "Metros de cauce desazolvados", "poa:Desazolve de cauces", "SOP", Q, UP, "metros", "Metros de cauce desazolvados en el trimestre", "", 1, "1350", "0"),  # noqa: E501
    Spec("G-06", "Avance físico de la pavimentación", "poa:Pavimentación con concreto", "SOP", Q, UP, "%", "Metros cuadrados pavimentados acumulados", "Metros cuadrados programados", 100, "25", "0", 6000),  # noqa: E501
    Spec("G-07", "Metros de ciclovía construidos", "poa:Ciclovía confinada", "SOP", Q, UP, "metros", "Metros de ciclovía terminados en el trimestre", "", 1, "450", "0"),  # noqa: E501
    Spec("G-08", "Luminarias sustituidas por LED", "poa:Sustitución de luminarias", "SOP", Q, UP, "luminarias", "Luminarias sustituidas en el trimestre", "", 1, "120", "0"),  # noqa: E501
    Spec("G-09", "Viviendas con techo firme terminado", "poa:Techo firme", "SEDATU", Q, UP, "viviendas", "Viviendas con techo firme o baño terminado en el trimestre", "", 1, "30", "0"),  # noqa: E501
    Spec("G-10", "Supervivencia de los árboles plantados", "poa:Plantación de árboles", "SSMAA", H, UP, "%", "Árboles vivos a los seis meses", "Árboles plantados", 100, "85", "0", 1800, dimension=QUALITY, bands=(85, 115, 70, 130)),  # noqa: E501
    Spec("G-11", "Predios actualizados en el padrón catastral", "poa:Actualización del padrón", "SEDUM", Q, UP, "predios", "Predios actualizados en el trimestre", "", 1, "2100", "0"),  # noqa: E501
    Spec("G-12", "Consultas atendidas en el visor de zonificación", "poa:Visor en línea", "IMPLAN", M, UP, "consultas", "Consultas atendidas en el mes", "", 1, "900", "0"),  # noqa: E501
    Spec("G-13", "Lotes con escritura entregada", "poa:Regularización de lotes", "SEDUM", Q, UP, "lotes", "Lotes con escritura entregada en el trimestre", "", 1, "40", "0"),  # noqa: E501
    Spec("G-14", "Reportes de seguimiento del PMOT publicados", "poa:Seguimiento del PMOT", "IMPLAN", Q, KEEP, "reportes", "Reportes de seguimiento publicados en el trimestre", "", 1, "1", "0"),  # noqa: E501
    Spec("G-15", "Dictámenes de factibilidad emitidos en 20 días", "poa:Factibilidad de fraccionamientos", "SEDUM", M, UP, "%", "Dictámenes de factibilidad emitidos en 20 días hábiles", "Dictámenes de factibilidad emitidos", 100, "80", "0", 40, dimension=EFFICIENCY),  # noqa: E501
    # The territorial units (UGAT).
    Spec("T-01", "Densidad de población en el centro urbano", "UGAT-01", "IMPLAN", Y, UP, "habitantes por hectárea", "Habitantes de la UGAT", "Hectáreas urbanizadas de la UGAT", 1, "62", "1.5", 1500, decimals=0),  # noqa: E501
    Spec("T-02", "Cobertura de drenaje en el oriente urbano", "UGAT-02", "SOP", Q, UP, "%", "Viviendas conectadas al drenaje", "Viviendas particulares habitadas", 100, "93", "1.5", 64000),  # noqa: E501
    Spec("T-03", "Lotes baldíos en el sur urbano", "UGAT-03", "IMPLAN", H, DOWN, "%", "Lotes baldíos", "Lotes urbanizados", 100, "14", "-1.5", 23000),  # noqa: E501
    Spec("T-04", "Viviendas en zonas de riesgo del norte urbano", "UGAT-05", "SEDUM", Y, DOWN, "viviendas", "Viviendas en zonas de riesgo de la UGAT", "", 1, "820", "-60"),  # noqa: E501
    Spec("T-05", "Cobertura de alumbrado público en Pocitos", "UGAT-08", "SOP", Q, UP, "%", "Calles con alumbrado en operación", "Calles de la UGAT", 100, "82", "4", 1400),  # noqa: E501
]
# fmt: on

SOURCES = {
    "IMPLAN": (
        "Sistema de información territorial del IMPLAN",
        "Reporte de indicadores del IMPLAN",
    ),
    "SOP": (
        "Bitácoras y actas de entrega de la Secretaría de Obras Públicas",
        "Informe de avance de obra de la SOP",
    ),
    "SEDUM": (
        "Sistema de trámites de la Secretaría de Desarrollo Urbano",
        "Reporte del sistema de trámites de la SEDUM",
    ),
    "SSMAA": (
        "Registros de la Secretaría de Sustentabilidad, Medio Ambiente y Agua",
        "Informe trimestral de la SSMAA",
    ),
    "SEDATU": (
        "Registros del programa de mejoramiento urbano de la SEDATU",
        "Informe del convenio con la SEDATU",
    ),
}
# Who reports for each organization (the demo has no person of SEDUM: IMPLAN captures for it).
REPORTERS = {"SOP": "obras", "SSMAA": "estatal", "SEDATU": "federal"}
# The colour aimed at in each indicator's last period, by its position in SPECS.
G, YE, R = Colour.GREEN, Colour.YELLOW, Colour.RED
LAST = [G, YE, G, R, G, G, YE, G, R, G]
# How often each colour comes up in the earlier periods, by the indicator's profile.
PROFILES = [(70, 20, 10), (50, 30, 20), (25, 35, 40)]
RETURNED = (
    "Revisar la cifra: no coincide con el informe adjunto; adjuntar la fuente de la variable B."
)
CORRECTED = "Cifra corregida conforme a las observaciones del IMPLAN."
# Targets changed while their period was open, with the reason: (new value ÷ old, reason).
CHANGES = {
    "E-03": (
        "1.2",
        "Ajuste por la ampliación presupuestal del POA: se suman viviendas del convenio con el "
        "organismo estatal de vivienda.",
    ),
    "E-31": (
        "0.8",
        "Se reduce la meta: la temporada de lluvias se retrasó y la plantación se recorre al "
        "trimestre siguiente.",
    ),
}


def _seeded(seed: int) -> random.Random:
    """The same demo on every run: a seeded generator (not for secrets)."""
    return random.Random(seed)  # noqa: S311


@transaction.atomic
def load(*, today: datetime.date | None = None) -> dict[str, list]:
    """The indicators and the evaluation programs, each loaded once; what was loaded."""
    today = today or timezone.localdate()
    context = _Context(today)
    if context.missing:
        return {}
    loaded = {}
    if not Indicator.objects.filter(key__startswith=KEY_PREFIX).exists():
        loaded["indicators"] = _indicators(context)
    if not EvaluationProgram.objects.filter(year__in=[today.year - 1, today.year]).exists():
        loaded["programs"] = _evaluations(context)
    return loaded


class _Context:
    """The demo records the indicators and evaluations are written with."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.planner = User.objects.filter(username="planeacion").first()
        self.users = {u.username: u for u in User.objects.filter(username__in=REPORTERS.values())}
        self.organizations = {o.acronym: o for o in Organization.objects.all()}
        self.elements = {
            e.key: e for e in PlanElement.objects.filter(plan__key__in=["pmot", pdm_key(today)])
        }
        self.units = {u.key: u for u in TerritorialUnit.objects.filter(key__startswith="UGAT-")}
        poas = Poa.objects.filter(unit=None)
        self.poa = (
            poas.filter(fiscal_year__lte=today.year).order_by("-fiscal_year").first()
            or poas.order_by("fiscal_year").first()
        )
        self.missing = self.planner is None or "PMOT-1.1.1" not in self.elements or not self.poa
        self.actions = list(self.poa.actions.order_by("key")) if self.poa else []
        self.sources = {s.key: s for s in FundingSource.objects.all()}

    def reporter(self, acronym: str) -> User:
        return self.users.get(REPORTERS.get(acronym, ""), self.planner)

    def action(self, start: str) -> Action | None:
        return next((a for a in self.actions if a.name.startswith(start)), None)

    def at(self, day: datetime.date, hour: int) -> datetime.datetime:
        """A moment of `day`, never later than now."""
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))
        return min(moment, timezone.now())


# --- Indicators -------------------------------------------------------------------------------


def _indicators(ctx: _Context) -> list[Indicator]:
    rng = _seeded(2026)
    made = []
    for n, spec in enumerate(SPECS):
        indicator = _indicator(ctx, spec, n)
        if indicator is None:
            continue
        plan = _Plan(ctx, indicator, spec, n, rng)
        plan.targets()
        if spec.key in CHANGES:
            plan.change(CHANGES[spec.key])
        plan.measurements()
        made.append(indicator)
    return made


def _indicator(ctx: _Context, spec: Spec, n: int) -> Indicator | None:
    measured, first_year = {}, ctx.today.year - spec.since
    if spec.measures.startswith("poa:"):
        measured["action"] = ctx.action(spec.measures[4:])
        first_year = min(ctx.poa.fiscal_year, ctx.today.year)
        kind, level = Indicator.Kind.MANAGEMENT, Indicator.MirLevel.ACTIVITY
    elif spec.measures.startswith("UGAT-"):
        measured["unit_measured"] = ctx.units.get(spec.measures)
        kind, level = Indicator.Kind.STRATEGIC, ""
    else:
        measured["element"] = ctx.elements.get(spec.measures)
        kind = Indicator.Kind.STRATEGIC
        level = Indicator.MirLevel.PURPOSE if spec.key < "E-26" else Indicator.MirLevel.COMPONENT
    if None in measured.values():
        return None
    source, verification = SOURCES[spec.reporter]
    method = f"{spec.a} ÷ {spec.b}" if spec.b else spec.a
    if spec.factor != 1:
        method += f" × {spec.factor}"
    bands = (
        dict(zip(lights.BAND_NAMES, map(Decimal, spec.bands), strict=True)) if spec.bands else {}
    )
    baseline = _target_value(spec, first_year - 1, first_year)
    return services.indicator_save(
        key=KEY_PREFIX + spec.key,
        name=spec.name,
        definition=f"{spec.name} ({spec.unit}) en cada periodo de medición (ejemplo).",
        method=method,
        variable_a=spec.a,
        variable_b=spec.b,
        factor=Decimal(spec.factor),
        unit=spec.unit,
        dimension=spec.dimension,
        kind=kind,
        frequency=spec.frequency,
        direction=spec.direction,
        mir_level=level,
        baseline_value=baseline,
        baseline_year=first_year - 1,
        source=source,
        verification=verification,
        reporter=ctx.organizations[spec.reporter],
        first_year=first_year,
        published=n % 7 != 4,  # a few still unpublished
        **measured,
        **bands,
    )


def _target_value(spec: Spec, year: int, first_year: int) -> Decimal:
    value = Decimal(spec.target) + Decimal(spec.step.strip()) * (year - first_year)
    if spec.unit == "%":
        value = min(value, Decimal(100))
    places = Decimal(1).scaleb(-spec.decimals) if not spec.b else Decimal("0.1")
    return value.quantize(places, ROUND_HALF_UP)


class _Plan:
    """One indicator's past: which periods have a target, which are reported, in what colour,
    and what IMPLAN did with each report."""

    def __init__(self, ctx: _Context, indicator: Indicator, spec: Spec, n: int, rng):
        self.ctx, self.indicator, self.spec, self.n, self.rng = ctx, indicator, spec, n, rng
        today = ctx.today
        self.ended = [
            p
            for p in lights.periods_between(
                indicator.frequency, datetime.date(indicator.first_year, 1, 1), today
            )
            if p.end < today
        ]
        self.last = self.ended[-1] if self.ended else None
        # A few indicators without targets for the year of their last period (a new method).
        self.untargeted_year = self.last.year if self.last and n % 16 == 9 else None
        self.weights = PROFILES[rng.randrange(len(PROFILES))]
        self.reporter = ctx.reporter(spec.reporter)
        self.goals: dict[tuple[int, int], Decimal] = {}

    def targets(self) -> None:
        """Each period's target, set when the period started (those of the periods still to
        come are set today), up to the end of this year."""
        indicator, ctx = self.indicator, self.ctx
        for year in range(indicator.first_year, ctx.today.year + 1):
            if year == self.untargeted_year:
                continue
            for number in range(1, indicator.periods_per_year + 1):
                period = indicator.period(year, number)
                target = services.target_set(
                    indicator=indicator,
                    year=year,
                    number=number,
                    value=_target_value(self.spec, year, indicator.first_year),
                    by=ctx.planner,
                    today=min(period.start, ctx.today),
                )
                self.goals[(year, number)] = target.value

    def change(self, change: tuple[str, str]) -> None:
        """The second quarter's target changed three weeks into the quarter: this year's, or
        last year's this early in the year. The history keeps the first value."""
        today = self.ctx.today
        year = today.year if today > datetime.date(today.year, 4, 21) else today.year - 1
        if (year, 2) not in self.goals:
            return
        factor, reason = change
        target = services.target_set(
            indicator=self.indicator,
            year=year,
            number=2,
            value=(self.goals[(year, 2)] * Decimal(factor)).quantize(Decimal(1)),
            by=self.ctx.planner,
            reason=reason,
            today=datetime.date(year, 4, 21),
        )
        self.goals[(year, 2)] = target.value

    def measurements(self) -> None:
        for period in self.ended:
            last = period == self.last
            if not self._reported(period, last):
                continue
            colour = LAST[self.n % len(LAST)] if last else self._colour()
            a, b = self._variables(period, colour)
            self._report(period, a, b, last)

    def _reported(self, period: lights.Period, last: bool) -> bool:
        """Whether the period's figure came in: a few periods never; a few indicators have
        reported neither of their last two periods (*sin reporte* even while the last one is
        within its reporting time); in the last period a few are still within their time
        (*pendiente*)."""
        behind = self.n % 12 == 5
        if last:
            pending = self.ctx.today <= period.due and self.n % 3 == 0
            return not (pending or behind)
        if behind and len(self.ended) > 1 and period == self.ended[-2]:
            return False
        return self.rng.random() >= 0.03

    def _colour(self) -> str:
        return self.rng.choices([Colour.GREEN, Colour.YELLOW, Colour.RED], self.weights)[0]

    def _variables(self, period: lights.Period, colour: str) -> tuple[Decimal, Decimal | None]:
        """A and B giving a value whose compliance falls in `colour`'s band."""
        spec, rng = self.spec, self.rng
        target = self.goals.get((period.year, period.number)) or _target_value(
            spec, period.year, self.indicator.first_year
        )
        per_cent = Decimal(
            str(round(_compliance(self.indicator.bands, colour, rng, spec.direction == DOWN), 2))
        )
        value = target * 100 / per_cent if spec.direction == DOWN else target * per_cent / 100
        if not spec.b:
            step = Decimal(1).scaleb(-spec.decimals)
            return max(value.quantize(step, ROUND_HALF_UP), step), None
        grown = 1 + (period.year - self.indicator.first_year) / 100 + rng.uniform(-0.01, 0.01)
        b = Decimal(round(spec.size * grown)).max(Decimal(1))
        a = (value * b / spec.factor).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if a == a.to_integral_value() or a > 100:
            a = a.quantize(Decimal(1), ROUND_HALF_UP)
        return max(a, Decimal(1)), b

    def _report(self, period: lights.Period, a, b, last: bool) -> None:
        """Reported a few days after the period ended (now and then late), with evidence now
        and then; validated a few days later, unless too recent, held back or returned."""
        ctx, rng = self.ctx, self.rng
        late = rng.random() < 0.05
        after = rng.randint(16, 35) if late else rng.randint(2, 13)
        day = min(period.end + datetime.timedelta(days=after), ctx.today)
        measurement = services.measurement_report(
            indicator=self.indicator,
            year=period.year,
            number=period.number,
            a=a,
            b=b,
            by=self.reporter,
            note="Cifra preliminar." if late else "",
            today=day,
            at=ctx.at(day, 9 + rng.randint(0, 8)),
        )
        # Evidence comes with a quarter of the figures of the last twelve months (not only this
        # year's: early in January, this year has no period ended yet).
        recent = period.end >= ctx.today - datetime.timedelta(days=365) and rng.random() < 0.25
        if recent or (last and self.n % 9 == 0):
            services.evidence_add(
                measurement=measurement,
                upload=ContentFile(
                    one_page_pdf(f"Evidencia {self.indicator.key} {period.label} (ejemplo)"),
                    name=f"evidencia-{self.indicator.key.lower()}-{period.label}.pdf",
                ),
                by=self.reporter,
            )
        review = day + datetime.timedelta(days=rng.randint(2, 9))
        if last and self.n % 20 == 11:  # returned and not corrected yet
            services.measurement_return(
                measurement=measurement,
                observations=RETURNED,
                by=ctx.planner,
                at=ctx.at(min(review, ctx.today), 17),
            )
            return
        if review >= ctx.today or (last and self.n % 10 == 3):  # awaiting validation
            return
        corrected = review + datetime.timedelta(days=5)
        if not last and rng.random() < 0.04 and corrected < ctx.today:
            # returned, then corrected and validated
            services.measurement_return(
                measurement=measurement,
                observations=RETURNED,
                by=ctx.planner,
                at=ctx.at(review, 12),
            )
            measurement = services.measurement_report(
                indicator=self.indicator,
                year=period.year,
                number=period.number,
                a=(a * Decimal("1.02")).quantize(a),  # the figure the source gives
                b=b,
                by=self.reporter,
                note=CORRECTED,
                today=corrected - datetime.timedelta(days=2),
                at=ctx.at(corrected - datetime.timedelta(days=2), 10),
            )
            review = corrected
        services.measurement_validate(
            measurement=measurement, by=ctx.planner, at=ctx.at(review, 13)
        )


def _compliance(bands: lights.Bands, colour: str, rng, descending: bool = False) -> float:
    """A compliance well inside `colour`'s band, so rounding never moves it to the next. A
    descending indicator is yellow only above its target (below it, it has met it: green)."""
    green_low, green_high = float(bands.green_low), float(bands.green_high)
    yellow_low, yellow_high = float(bands.yellow_low), float(bands.yellow_high)
    if colour == Colour.GREEN:
        width = green_high - green_low
        return rng.uniform(green_low + width * 0.15, green_high - width * 0.35)
    if colour == Colour.YELLOW:
        beyond = rng.random() < 0.2 and yellow_high > green_high
        if beyond and not descending:  # above the target, beyond green
            width = yellow_high - green_high
            return rng.uniform(green_high + width * 0.25, yellow_high - width * 0.25)
        width = green_low - yellow_low
        return rng.uniform(yellow_low + width * 0.25, green_low - width * 0.25)
    return rng.uniform(yellow_low * 0.7, yellow_low * 0.95)


# --- Evaluations ------------------------------------------------------------------------------


def _pdf(name: str, text: str) -> ContentFile:
    return ContentFile(one_page_pdf(text), name=name)


def _evaluations(ctx: _Context) -> list[EvaluationProgram]:
    """Last year's and this year's programs: the PMOT's design evaluated last year, with its
    recommendations in every state; this year the processes of the paving program, and a
    specific evaluation still to come."""
    year = ctx.today.year
    programs = [
        evaluations.program_save(
            year=program_year,
            title=f"Programa Anual de Evaluación {program_year} (ejemplo)",
            document=_pdf(
                f"pae-{program_year}.pdf", f"Programa Anual de Evaluacion {program_year} - ejemplo"
            ),
            published=True,
        )
        for program_year in (year - 1, year)
    ]
    design = _design(ctx, programs[0])
    _design_recommendations(ctx, design)
    _paving(ctx, programs[1])
    _planned(ctx, programs[1])
    return programs


def _evaluation(ctx: _Context, program, *, elements=(), **fields) -> Evaluation:
    """Its status follows its dates; once finished it has its report."""
    if ctx.today < fields["start"]:
        status = Evaluation.Status.PLANNED
    elif ctx.today <= fields["end"]:
        status = Evaluation.Status.IN_PROGRESS
    else:
        status = Evaluation.Status.FINISHED
    report = None
    if status == Evaluation.Status.FINISHED:
        report = _pdf("informe-final.pdf", f"Informe final - {program.year} - ejemplo")
    return evaluations.evaluation_save(
        program=program,
        status=status,
        report=report,
        elements=[ctx.elements[k] for k in elements if k in ctx.elements],
        **fields,
    )


def _design(ctx: _Context, program) -> Evaluation:
    year = program.year
    return _evaluation(
        ctx,
        program,
        title="Evaluación de diseño del PMOT",
        kind=Evaluation.Kind.DESIGN,
        evaluator="Universidad pública estatal (ejemplo), Departamento de Urbanismo",
        cost=Decimal("480000.00"),
        source=ctx.sources.get("propios"),
        start=datetime.date(year, 5, 15),
        end=datetime.date(year, 10, 31),
        summary=(
            "El PMOT identifica bien los problemas del territorio y su árbol de objetivos es "
            "coherente con el PDM. Faltan líneas base en la mitad de sus indicadores, metas "
            "intermedias para 2030 y responsables para las estrategias de gestión del suelo; la "
            "coordinación metropolitana no tiene instrumento que la opere (ejemplo)."
        ),
        published=True,
        elements=("PMOT-1", "PMOT-2", "PMOT-1.2", "PMOT-4.2", "PMOT-4.2.3", "PMOT-4.2.4"),
    )


# The PMOT design evaluation's recommendations: (text, responsible, the state it reached).
# fmt: off
DESIGN_RECOMMENDATIONS = [
    ("Definir la línea base y la fuente de cada indicador estratégico del PMOT.", "IMPLAN", Recommendation.Status.ATTENDED),  # noqa: E501
    ("Fijar metas intermedias a 2027 y 2030 para las estrategias de ciudad compacta.", "IMPLAN", Recommendation.Status.IN_PROGRESS),  # noqa: E501
    ("Nombrar a la dependencia responsable de cada estrategia de gestión del suelo.", "SEDUM", Recommendation.Status.ACCEPTED),  # noqa: E501
    ("Crear un fideicomiso municipal para adquirir reserva territorial.", "SEDUM", Recommendation.Status.NOT_ACCEPTED),  # noqa: E501
    ("Publicar en datos abiertos las capas de zonificación del PMOT con su fecha de corte.", "IMPLAN", Recommendation.Status.ATTENDED),  # noqa: E501
    ("Incluir en la cartera de obra las ciclovías que conectan los tramos existentes.", "SOP", Recommendation.Status.IN_PROGRESS),  # noqa: E501
    ("Acordar con los municipios conurbados un programa de trabajo metropolitano.", "IMPLAN", Recommendation.Status.ACCEPTED),  # noqa: E501
]
# fmt: on
NOT_ACCEPTED_REASON = (
    "La Ley de Ingresos no prevé la fuente para aportarle; la reserva se constituirá por "
    "convenio con el organismo estatal de vivienda."
)


def _design_recommendations(ctx: _Context, evaluation: Evaluation) -> None:
    """Every state: attended with follow-ups and evidence; being attended; accepted and not
    yet due; not accepted with its reason; and open ones past their due date."""
    end, today = evaluation.end, ctx.today
    for number, (text, acronym, status) in enumerate(DESIGN_RECOMMENDATIONS, start=1):
        overdue = number in (3, 6)  # one accepted, one being attended, both late
        due = (
            end + datetime.timedelta(days=45)
            if overdue
            else today + datetime.timedelta(60 * number)
        )
        recommendation = evaluations.recommendation_add(
            evaluation=evaluation, text=text, responsible=ctx.organizations[acronym], due=due
        )
        _follow(ctx, recommendation, status)


# The follow-ups that bring a recommendation to a state: (status, note, days after the
# evaluation ended).
STEPS = {
    Recommendation.Status.ATTENDED: [
        (Recommendation.Status.IN_PROGRESS, "Se integró un grupo de trabajo con calendario.", 20),
        (Recommendation.Status.ATTENDED, "Concluido; se adjunta el documento que lo acredita.", 55),
    ],
    Recommendation.Status.IN_PROGRESS: [
        (Recommendation.Status.IN_PROGRESS, "Borrador revisado con las áreas responsables.", 30),
    ],
    Recommendation.Status.NOT_ACCEPTED: [
        (Recommendation.Status.NOT_ACCEPTED, NOT_ACCEPTED_REASON, 10),
    ],
}


def _follow(ctx: _Context, recommendation: Recommendation, status: str) -> None:
    """The follow-ups that brought the recommendation to `status`, dated after the
    evaluation ended and before today."""
    end, today = recommendation.evaluation.end, ctx.today
    by = ctx.reporter(recommendation.responsible.acronym)
    for step, note, days in STEPS.get(status, []):
        day = min(end + datetime.timedelta(days=days), today - datetime.timedelta(days=1))
        evidence = None
        if step == Recommendation.Status.ATTENDED:
            name = f"evidencia-recomendacion-{recommendation.number}.pdf"
            evidence = _pdf(name, f"Evidencia de la recomendacion {recommendation.number}")
        evaluations.recommendation_follow_up(
            recommendation=recommendation,
            status=step,
            note=note,
            by=by,
            evidence=evidence,
            today=day,
            at=ctx.at(day, 11),
        )


def _paving(ctx: _Context, program) -> Evaluation:
    """This year's: the processes of the paving program, over the POA's paving actions."""
    year = program.year
    paving = [a for a in ctx.actions if a.name.startswith("Pavimentación")]
    evaluation = _evaluation(
        ctx,
        program,
        title="Evaluación de procesos del programa de pavimentación",
        kind=Evaluation.Kind.PROCESSES,
        evaluator="Consultoría en Políticas Públicas del Bajío, S.C. (ejemplo)",
        cost=Decimal("350000.00"),
        source=ctx.sources.get("fortamundf") or ctx.sources.get("propios"),
        start=datetime.date(year, 2, 15),
        end=datetime.date(year, 9, 30),
        summary=(
            "La selección de calles sigue el diagnóstico anual, pero la priorización no se "
            "publica; los tiempos entre la licitación y el inicio de obra superan lo previsto "
            "y la supervisión no registra la calidad del concreto (ejemplo)."
        ),
        published=False,  # its report is being reviewed before it is published
        elements=("PDM-2.2.1.1", "PMOT-3.2.1"),
        actions=paving,
    )
    if evaluation.status != Evaluation.Status.FINISHED:
        return evaluation
    for months, text in [
        (4, "Publicar cada año la priorización de calles con el diagnóstico que la sustenta."),
        (8, "Registrar en la bitácora las pruebas de resistencia del concreto de cada obra."),
    ]:
        evaluations.recommendation_add(
            evaluation=evaluation,
            text=text,
            responsible=ctx.organizations["SOP"],
            due=ctx.today + datetime.timedelta(days=30 * months),
        )
    return evaluation


def _planned(ctx: _Context, program) -> Evaluation:
    """Later this year or early next: a specific evaluation not started yet."""
    start = max(ctx.today + datetime.timedelta(days=20), datetime.date(program.year, 6, 1))
    return _evaluation(
        ctx,
        program,
        title="Evaluación específica de la cobertura de agua potable en localidades rurales",
        kind=Evaluation.Kind.SPECIFIC,
        evaluator="Por designar mediante invitación a tres (ejemplo)",
        cost=Decimal("220000.00"),
        source=ctx.sources.get("propios"),
        start=start,
        end=start + datetime.timedelta(days=150),
        elements=("PDM-3.2.1.2", "PMOT-4.1.1"),
    )
