"""Demo data of planning: the plans that frame the PMOT of Aguascalientes, Ags. (the state plan,
the PDM of the demo administration, four sectoral programs and the PMOT itself) and their
alignment. The terms follow the demo calendar (`pmot.actors.demo.calendar`).

No public structured source of these trees exists (data/README.md), so every tree here is an
*example*: plausible for the municipality, written for the demo, not copied from a published
plan, and named "(ejemplo)". The SDGs are the real ones shipped by the data migration.
Running it again changes nothing: elements and alignments are added only when missing.
"""

import datetime
from typing import NamedTuple

from django.db import transaction

from committees.models import Designation
from pmot.actors.demo import ORGANIZATIONS, Calendar, calendar
from pmot.actors.models import Organization
from pmot.planning.models import Alignment, Plan, PlanElement, Program
from pmot.planning.seeds import SDG_PLAN_KEY
from pmot.planning.services import plans as plans_services
from pmot.planning.services import program as program_services

# The PDM and the sectoral programs last as long as the demo administration ("{term}" in their
# names and keys); the state plan, a six-year term from 1 October ("{state_term}").
TERM = "term"
STATE_TERM = "state term"
STATE_TERM_FIRST = datetime.date(2022, 10, 1)
STATE_TERM_YEARS = 6

PROGRAM_NAME = "Programa Municipal de Ordenamiento Territorial de Aguascalientes"


class PlanSpec(NamedTuple):
    key: str
    prefix: str  # element keys read "PDM-1.2.3.4": the plan's prefix and the path of positions
    name: str
    order: str
    sector: str
    level_names: list[str]
    responsible: str | None
    valid: tuple[datetime.date, datetime.date] | str | None
    outline: str


# Each tree is an outline: one element a line, two spaces a level, and after " | " the acronym of
# the organization responsible for it (from the actors demo), if any.
PED = """\
Estado seguro y con justicia
  Reducir la incidencia delictiva con policía de proximidad
    Coordinar la seguridad pública con los municipios con información compartida
  Proteger a la población frente a riesgos naturales y antropogénicos
    Actualizar los atlas de riesgos estatal y municipales
    Vigilar las fallas y grietas geológicas asociadas al abatimiento del acuífero
Bienestar e inclusión social
  Reducir las carencias sociales de la población en situación de pobreza
    Ampliar los servicios básicos de la vivienda en zonas de atención prioritaria
  Garantizar el acceso a una vivienda adecuada y bien localizada
    Promover vivienda social en zonas urbanas consolidadas
  Recuperar espacios públicos para la convivencia, el deporte y la cultura
    Rehabilitar espacios públicos en colonias de alta marginación
Economía innovadora y competitiva
  Atraer inversión productiva y generar empleo formal
    Simplificar con los municipios los trámites para abrir y operar empresas
  Fortalecer el campo y la agroindustria con un uso eficiente del agua
    Tecnificar el riego agrícola
  Impulsar el turismo y el comercio local
    Promover el turismo cultural en los centros históricos y los pueblos
Territorio sustentable, agua y movilidad
  Asegurar el agua para las generaciones presentes y futuras
    Reducir la sobreexplotación del acuífero del Valle de Aguascalientes
    Ampliar el tratamiento y el reúso de las aguas residuales
  Ordenar el territorio y consolidar ciudades compactas
    Armonizar los programas municipales de ordenamiento con el programa estatal
    Coordinar la planeación de la zona metropolitana de Aguascalientes
  Impulsar una movilidad sustentable, segura e incluyente
    Modernizar el sistema de transporte público
  Conservar los ecosistemas y mejorar la calidad del aire
    Ampliar y manejar las áreas naturales protegidas
Gobierno eficiente y abierto
  Fortalecer la planeación, la evaluación y la transparencia
    Consolidar el sistema estatal de planeación democrática y sus indicadores
  Fortalecer las haciendas públicas estatal y municipales
    Apoyar la modernización catastral de los municipios
"""

PDM = """\
Ciudad ordenada, compacta y sostenible
  Consolidar una ciudad compacta que aproveche el suelo urbano ya servido
    Promover la ocupación de predios baldíos y la densificación de corredores
      Integrar el inventario de predios baldíos y su factibilidad de servicios | IMPLAN
      Actualizar las normas de densidad en los corredores de transporte público | SEDUM
      Proponer estímulos en el predial para edificar vivienda en baldíos del centro
    Contener la expansión urbana dispersa en la periferia
      Autorizar fraccionamientos solo contiguos a la mancha urbana y con servicios | SEDUM
      Atender la regularización de asentamientos humanos irregulares en la periferia | SEDUM
      Medir cada año el crecimiento de la mancha urbana con imágenes de satélite | IMPLAN
  Cuidar el agua y reducir los riesgos del territorio
    Usar el agua con eficiencia y proteger el acuífero
      Sectorizar la red de agua potable para reducir las pérdidas físicas
      Ampliar el reúso de agua residual tratada en el riego de parques, camellones e industria
      Identificar y proteger las zonas de recarga del acuífero | IMPLAN
    Gestionar de forma integral los riesgos hidrometeorológicos y geológicos
      Construir obras de drenaje pluvial en zonas con encharcamientos recurrentes | SOP
      Desazolvar y rehabilitar los cauces de arroyos urbanos antes de las lluvias | SOP
      Actualizar el registro de fallas y grietas geológicas y no edificar sobre ellas | SEDUM
  Ampliar la infraestructura verde y mejorar la calidad ambiental
    Crear y conservar áreas verdes y arbolado urbano
      Plantar árboles de especies nativas en camellones, parques y escuelas
      Rehabilitar parques lineales a lo largo de arroyos y bordos | SOP
      Proteger de la urbanización los cerros y lomeríos de valor ambiental del poniente | IMPLAN
Movilidad e infraestructura para todas las personas
  Favorecer la movilidad activa y el transporte público
    Ampliar y conectar la infraestructura peatonal y ciclista
      Construir ciclovías confinadas que conecten los tramos existentes | SOP
      Rehabilitar banquetas y cruces seguros en entornos escolares | SOP
      Elaborar el Plan Integral de Movilidad Urbana Sustentable del municipio | IMPLAN
    Coordinar con el Gobierno del Estado la mejora del transporte público
      Proponer al Estado rutas de transporte hacia las colonias del oriente y el norte | IMPLAN
      Construir paradas accesibles, iluminadas y con sombra en los corredores troncales | SOP
  Mantener y completar la infraestructura urbana básica
    Conservar y completar la red vial
      Repavimentar vialidades según un diagnóstico anual de su estado | SOP
      Completar las vialidades primarias faltantes del oriente hacia el Tercer Anillo | SOP
      Sustituir el alumbrado público por luminarias de bajo consumo | SOP
Comunidad con bienestar
  Reducir las desigualdades entre colonias
    Intervenir de forma integral los polígonos prioritarios del oriente
      Rehabilitar espacios públicos y centros comunitarios en los polígonos prioritarios | SOP
      Realizar diagnósticos participativos con los consejos de colonos | IMPLAN
      Completar las redes de agua, drenaje y alumbrado en colonias con rezago | SOP
    Mejorar la vivienda de los hogares con carencias
      Otorgar apoyos para piso firme, techo y baño a hogares con carencias
      Promover con los organismos de vivienda la recuperación de viviendas deshabitadas | SEDUM
  Atender a las localidades rurales del municipio
    Acercar servicios e infraestructura a las localidades rurales
      Rehabilitar los caminos que comunican a las localidades rurales con la ciudad | SOP
      Llevar agua potable y saneamiento a las localidades rurales sin cobertura
      Hacer de Calvillito, Cañada Honda y Norias de Ojocaliente centros de servicios rurales
Economía local y empleo
  Facilitar la actividad económica y el empleo
    Simplificar los trámites para abrir negocios y construir
      Emitir en línea el dictamen de uso de suelo y la licencia de construcción | SEDUM
      Publicar en un visor en línea la zonificación y los usos permitidos por predio | IMPLAN
    Revitalizar el centro histórico y los mercados municipales
      Rehabilitar los mercados municipales | SOP
      Animar el centro histórico y los barrios de San Marcos, El Encino, La Purísima y Triana
  Impulsar una actividad agropecuaria sustentable
    Apoyar a las personas productoras del campo
      Tecnificar el riego de parcelas para reducir la extracción de agua
      Evitar el cambio de uso de suelo en tierras agrícolas de alto valor productivo | SEDUM
Gobierno abierto y planeación con resultados
  Planear con participación y medir los resultados
    Consolidar el sistema municipal de planeación
      Elaborar el PMOT y someterlo a consulta pública | IMPLAN
      Alinear el Programa Operativo Anual a los objetivos del PDM y del PMOT | IMPLAN
      Publicar los indicadores de seguimiento del PDM como datos abiertos | IMPLAN
  Fortalecer la hacienda municipal
    Modernizar el catastro y la recaudación del impuesto predial
      Actualizar el padrón catastral y las tablas de valores unitarios de suelo
      Proponer contribuciones de mejoras por obras públicas que elevan el valor del suelo
"""

SECTORAL_URBAN = """\
Ordenar el uso del suelo conforme a la zonificación y los programas vigentes
  Hacer ágiles y verificables los trámites de uso de suelo y construcción
    Publicar en línea el estado de cada trámite de uso de suelo y construcción
    Programar la inspección de obras y fraccionamientos en proceso
  Dar certeza jurídica sobre el suelo
    Acompañar la escrituración de lotes en asentamientos regularizados
Mejorar la vivienda y el entorno de las colonias
  Mejorar la vivienda existente
    Coordinar con los organismos de vivienda apoyos de ampliación y mejoramiento
    Ofrecer asesoría técnica gratuita para la autoconstrucción segura
Diseñar espacios públicos accesibles y seguros
  Aplicar criterios de diseño universal en las obras de espacio público
    Revisar con criterios de accesibilidad los proyectos de parques y plazas
"""

SECTORAL_SOCIAL = """\
Reducir las carencias sociales en las zonas de atención prioritaria
  Coordinar los programas sociales en los polígonos prioritarios
    Integrar un padrón único de personas beneficiarias por colonia
    Operar los centros comunitarios con actividades para jóvenes y personas mayores
Fortalecer la participación comunitaria
  Fortalecer los consejos de colonos
    Capacitar a los consejos de colonos en planeación participativa
  Incluir a las localidades rurales en la vida del municipio
    Llevar jornadas de servicios municipales a las localidades rurales
"""

SECTORAL_ECONOMIC = """\
Fortalecer a las micro, pequeñas y medianas empresas y el empleo local
  Facilitar el financiamiento y la capacitación empresarial
    Otorgar microcréditos a negocios de las colonias del oriente
  Mejorar la regulación municipal
    Abrir empresas de bajo riesgo en un solo trámite en línea
Impulsar el desarrollo rural y agroalimentario
  Apoyar a las personas productoras del campo
    Cofinanciar sistemas de riego tecnificado
    Organizar mercados de productores locales en la ciudad
Promover el turismo en el centro histórico y los barrios tradicionales
  Difundir la oferta cultural y turística de los barrios tradicionales
    Crear recorridos por los barrios de San Marcos, La Purísima, El Encino y Triana
"""

SECTORAL_ENVIRONMENT = """\
Conservar y ampliar las áreas verdes y el arbolado urbano
  Reforestar la ciudad con especies nativas
    Producir planta nativa en el vivero municipal
  Proteger las zonas de valor ambiental
    Proponer zonas de conservación ecológica municipales
Reducir y aprovechar los residuos sólidos urbanos
  Separar los residuos desde su origen
    Ampliar la recolección separada de residuos por rutas
Adaptarse al cambio climático y mejorar la calidad del aire
  Planear la acción climática municipal
    Elaborar el inventario de emisiones y el Plan de Acción Climática Municipal
    Operar con el Estado el monitoreo de la calidad del aire
"""

PMOT = """\
Ciudad compacta, cercana y equitativa
  Consolidar y densificar el área urbana servida
    Densificar el núcleo urbano y los corredores de transporte público
    Ocupar los predios baldíos intraurbanos
    Recuperar la vivienda deshabitada
    Regenerar el centro histórico y los barrios tradicionales
  Contener la expansión urbana dispersa
    Fijar el límite de crecimiento urbano y las etapas de incorporación de suelo
    Prevenir los asentamientos irregulares y ordenar su regularización
    Constituir reservas territoriales para el crecimiento ordenado después de 2030
  Acercar equipamientos y espacios públicos a toda la población
    Dotar de equipamiento y espacio público a los polígonos con déficit del oriente
Agua, riesgos y medio ambiente
  Proteger el acuífero del Valle de Aguascalientes y sus zonas de recarga
    Zonificar la protección de las zonas de recarga del acuífero
    Exigir eficiencia hídrica y reúso de agua tratada en los nuevos desarrollos
  Reducir la exposición de la población a riesgos
    Incorporar el atlas de riesgos y las fallas y grietas geológicas a la zonificación
    Respetar los cauces y las zonas inundables en la ocupación del suelo
  Integrar una red de infraestructura verde
    Conectar parques lineales a lo largo de arroyos y bordos
    Ampliar el arbolado urbano y los corredores verdes
    Conservar los cerros y suelos de valor ambiental del poniente
Movilidad y conectividad
  Priorizar la movilidad activa y el transporte público
    Construir una red continua de movilidad peatonal y ciclista
    Orientar el desarrollo urbano al transporte público
  Completar la conectividad vial del oriente y la periferia
    Completar la red vial primaria con secciones para todos los modos
Territorio rural y gestión del territorio
  Fortalecer las localidades rurales y el suelo productivo
    Consolidar un sistema de localidades rurales concentradoras de servicios
    Mejorar los caminos que enlazan las localidades rurales con la ciudad
    Proteger el suelo agrícola de alto valor productivo
  Gestionar el territorio con instrumentos y seguimiento público
    Recuperar plusvalías y modernizar el catastro para financiar la ciudad
    Hacer transparente y ágil el control del uso del suelo
    Dar seguimiento público al PMOT con indicadores y participación
    Coordinar la planeación metropolitana con Jesús María y San Francisco de los Romo
"""

SECTORAL_LEVELS = ["Objetivo", "Estrategia", "Línea de acción"]
PLANS = [
    PlanSpec(
        "ped-ags",
        "PED",
        "Plan Estatal de Desarrollo de Aguascalientes {state_term} (ejemplo)",
        Plan.Order.STATE,
        "",
        ["Eje", "Objetivo", "Estrategia"],
        None,  # the actors demo has state agencies but not the state government itself
        STATE_TERM,
        PED,
    ),
    PlanSpec(
        "pdm-{term_key}",
        "PDM",
        "Plan de Desarrollo Municipal de Aguascalientes {term} (ejemplo)",
        Plan.Order.MUNICIPAL,
        "",
        ["Eje", "Objetivo", "Estrategia", "Línea de acción"],
        "Ayuntamiento",
        TERM,
        PDM,
    ),
    PlanSpec(
        "ps-urbano",
        "PSU",
        "Programa Sectorial de Desarrollo Urbano y Vivienda {term} (ejemplo)",
        Plan.Order.SECTORAL,
        Plan.Sector.URBAN,
        SECTORAL_LEVELS,
        "SEDUM",
        TERM,
        SECTORAL_URBAN,
    ),
    # The actors demo has no municipal secretariat of social, economic or environmental affairs:
    # those programs are left without a responsible organization rather than given a wrong one.
    PlanSpec(
        "ps-social",
        "PSS",
        "Programa Sectorial de Desarrollo Social {term} (ejemplo)",
        Plan.Order.SECTORAL,
        Plan.Sector.SOCIAL,
        SECTORAL_LEVELS,
        None,
        TERM,
        SECTORAL_SOCIAL,
    ),
    PlanSpec(
        "ps-economico",
        "PSE",
        "Programa Sectorial de Desarrollo Económico {term} (ejemplo)",
        Plan.Order.SECTORAL,
        Plan.Sector.ECONOMIC,
        SECTORAL_LEVELS,
        None,
        TERM,
        SECTORAL_ECONOMIC,
    ),
    PlanSpec(
        "ps-ambiental",
        "PSA",
        "Programa Sectorial de Medio Ambiente y Sustentabilidad {term} (ejemplo)",
        Plan.Order.SECTORAL,
        Plan.Sector.ENVIRONMENT,
        SECTORAL_LEVELS,
        None,
        TERM,
        SECTORAL_ENVIRONMENT,
    ),
    PlanSpec(
        "pmot",
        "PMOT",
        "PMOT de Aguascalientes: ejes, objetivos y estrategias (ejemplo)",
        Plan.Order.PMOT,
        "",
        ["Eje", "Objetivo", "Estrategia"],
        "IMPLAN",
        None,  # in force only once approved and published
        PMOT,
    ),
]

# Deliberate gaps, so the alignment matrix has something to show:
# - PMOT-1.2.3 (territorial reserves after 2030) and PMOT-4.2.4 (metropolitan coordination) look
#   beyond the three-year PDM and are aligned to nothing at all;
# - PDM-2.2.1.3 (public lighting), PDM-3.1.2.1 (home improvement grants) and PDM-4.1.2.1
#   (municipal markets) have no PMOT strategy aligned to them.
# Every other PMOT strategy and PDM line of action is aligned.
PMOT_TO_PDM = {
    "PMOT-1.1.1": ("PDM-1.1.1.2", "PDM-2.1.2.2"),
    "PMOT-1.1.2": ("PDM-1.1.1.1", "PDM-1.1.1.3"),
    "PMOT-1.1.3": ("PDM-3.1.2.2",),
    "PMOT-1.1.4": ("PDM-4.1.2.2",),
    "PMOT-1.2.1": ("PDM-1.1.2.1",),
    "PMOT-1.2.2": ("PDM-1.1.2.2",),
    "PMOT-1.3.1": ("PDM-3.1.1.1", "PDM-3.1.1.3"),
    "PMOT-2.1.1": ("PDM-1.2.1.3",),
    "PMOT-2.1.2": ("PDM-1.2.1.1", "PDM-1.2.1.2", "PDM-4.2.1.1"),
    "PMOT-2.2.1": ("PDM-1.2.2.3",),
    "PMOT-2.2.2": ("PDM-1.2.2.1", "PDM-1.2.2.2"),
    "PMOT-2.3.1": ("PDM-1.3.1.2",),
    "PMOT-2.3.2": ("PDM-1.3.1.1",),
    "PMOT-2.3.3": ("PDM-1.3.1.3",),
    "PMOT-3.1.1": ("PDM-2.1.1.1", "PDM-2.1.1.2"),
    "PMOT-3.1.2": ("PDM-2.1.1.3", "PDM-2.1.2.1"),
    "PMOT-3.2.1": ("PDM-2.2.1.1", "PDM-2.2.1.2"),
    "PMOT-4.1.1": ("PDM-3.2.1.2", "PDM-3.2.1.3"),
    "PMOT-4.1.2": ("PDM-3.2.1.1",),
    "PMOT-4.1.3": ("PDM-4.2.1.2",),
    "PMOT-4.2.1": ("PDM-5.2.1.1", "PDM-5.2.1.2"),
    "PMOT-4.2.2": ("PDM-4.1.1.1", "PDM-4.1.1.2"),
    "PMOT-4.2.3": ("PDM-5.1.1.1", "PDM-5.1.1.2", "PDM-5.1.1.3", "PDM-3.1.1.2", "PDM-1.1.2.3"),
}

PDM_TO_PED = {
    "PDM-1.1": ("PED-4.2",),
    "PDM-1.2": ("PED-4.1", "PED-1.2"),
    "PDM-1.3": ("PED-4.4",),
    "PDM-2.1": ("PED-4.3",),
    "PDM-2.2": ("PED-4.3",),
    "PDM-3.1": ("PED-2.1", "PED-2.2", "PED-2.3"),
    "PDM-3.2": ("PED-2.1",),
    "PDM-4.1": ("PED-3.1", "PED-3.3"),
    "PDM-4.2": ("PED-3.2",),
    "PDM-5.1": ("PED-5.1",),
    "PDM-5.2": ("PED-5.2",),
}

PMOT_TO_SDG = {
    "PMOT-1.1": ("11.3", "11.1"),
    "PMOT-1.2": ("11.3", "15.3"),
    "PMOT-1.3": ("11.7", "10.2"),
    "PMOT-2.1": ("6.4", "6.6"),
    "PMOT-2.2": ("11.5", "13.1"),
    "PMOT-2.3": ("11.7", "15.1"),
    "PMOT-3.1": ("11.2", "3.6"),
    "PMOT-3.2": ("9.1",),
    "PMOT-4.1": ("11.a", "2.4"),
    "PMOT-4.2": ("11.3", "16.7"),
}

# Sectoral objectives → SDG targets and → the PDM objective they serve.
SECTORAL_TO_SDG = {
    "ps-urbano": {"PSU-1": ("11.3",), "PSU-2": ("11.1",), "PSU-3": ("11.7",)},
    "ps-social": {"PSS-1": ("1.4", "10.2"), "PSS-2": ("16.7",)},
    "ps-economico": {"PSE-1": ("8.3",), "PSE-2": ("2.3", "2.4"), "PSE-3": ("8.9", "11.4")},
    "ps-ambiental": {
        "PSA-1": ("11.7", "15.1"),
        "PSA-2": ("11.6", "12.5"),
        "PSA-3": ("13.1", "13.2"),
    },
}
SECTORAL_TO_PDM = {
    "ps-urbano": {"PSU-1": ("PDM-1.1",), "PSU-2": ("PDM-3.1",), "PSU-3": ("PDM-3.1",)},
    "ps-social": {"PSS-1": ("PDM-3.1",), "PSS-2": ("PDM-5.1", "PDM-3.2")},
    "ps-economico": {"PSE-1": ("PDM-4.1",), "PSE-2": ("PDM-4.2",), "PSE-3": ("PDM-4.1",)},
    "ps-ambiental": {"PSA-1": ("PDM-1.3",), "PSA-2": ("PDM-1.3",), "PSA-3": ("PDM-1.2",)},
}

ALIGNMENTS = [
    ("pmot", "pdm-{term_key}", PMOT_TO_PDM),
    ("pdm-{term_key}", "ped-ags", PDM_TO_PED),
    ("pmot", SDG_PLAN_KEY, PMOT_TO_SDG),
    *[(key, SDG_PLAN_KEY, links) for key, links in SECTORAL_TO_SDG.items()],
    *[(key, "pdm-{term_key}", links) for key, links in SECTORAL_TO_PDM.items()],
]


def pdm_key(today: datetime.date | None = None) -> str:
    """The key of the demo's PDM: "pdm-2024-2027" for the administration 2024–2027."""
    return "pdm-" + _terms(calendar(today))["term_key"]


def state_term(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The six-year state government's term holding `today`."""
    first = STATE_TERM_FIRST
    years = today.year - first.year - (today < first.replace(year=today.year))
    terms = years // STATE_TERM_YEARS
    start = first.replace(year=first.year + STATE_TERM_YEARS * terms)
    return start, start.replace(year=start.year + STATE_TERM_YEARS) - datetime.timedelta(days=1)


def _terms(dates: Calendar) -> dict[str, str]:
    state_start, state_end = state_term(dates.today)
    return {
        "term": dates.term_label,
        "term_key": f"{dates.term_start.year}-{dates.term_end.year}",
        "state_term": f"{state_start.year}–{state_end.year}",
    }


def _specs(dates: Calendar) -> list[PlanSpec]:
    """The plans with the demo calendar's terms in their keys, names and validity."""
    terms = _terms(dates)
    valid = {TERM: (dates.term_start, dates.term_end), STATE_TERM: state_term(dates.today)}
    return [
        spec._replace(
            key=spec.key.format(**terms),
            name=spec.name.format(**terms),
            valid=valid[spec.valid] if isinstance(spec.valid, str) else spec.valid,
        )
        for spec in PLANS
    ]


@transaction.atomic
def load(today: datetime.date | None = None) -> dict[str, Plan]:
    """Load the demo plans and their alignment; return the plans by key (the SDGs included).
    Organizations come from the actors demo, loaded first; without it, no one is responsible."""
    dates = calendar(today)
    terms = _terms(dates)
    names = [name for name, _acronym, _sector, _parent in ORGANIZATIONS]
    organizations = {o.acronym: o for o in Organization.objects.filter(name__in=names)}
    program, _ = Program.objects.get_or_create(
        name=PROGRAM_NAME,
        defaults={"horizon_year": 2045, "version": "1.0", "status": Program.Status.DRAFTING},
    )
    plans = {SDG_PLAN_KEY: Plan.objects.get(key=SDG_PLAN_KEY)}
    for spec in _specs(dates):
        plan = _plan(spec, organizations, program if spec.order == Plan.Order.PMOT else None)
        _elements(plan, spec.prefix, spec.outline, organizations)
        plans[spec.key] = plan
    for source_key, target_key, links in ALIGNMENTS:
        _align(plans[source_key.format(**terms)], plans[target_key.format(**terms)], links)
    _started_by_the_designation(program)
    return plans


def _started_by_the_designation(program: Program) -> None:
    """In the demo, the Cabildo's agreement that designated the coordinating body (committees
    demo, loaded first) is also the one that started the process."""
    if program.start_agreement_id is not None:
        return
    designation = Designation.objects.select_related("agreement").order_by("start_date").first()
    if designation is not None:
        program_services.program_update(program=program, start_agreement=designation.agreement)


def _plan(spec: PlanSpec, organizations: dict[str, Organization], program: Program | None) -> Plan:
    valid_from, valid_until = spec.valid or (None, None)
    plan, _ = Plan.objects.get_or_create(
        key=spec.key,
        defaults={
            "name": spec.name,
            "order": spec.order,
            "sector": spec.sector,
            "level_names": spec.level_names,
            "responsible": organizations.get(spec.responsible),
            "valid_from": valid_from,
            "valid_until": valid_until,
            "program": program,
        },
    )
    return plan


def _elements(
    plan: Plan, prefix: str, outline: str, organizations: dict[str, Organization]
) -> None:
    """Add the missing elements of the outline through the service, each parent before its
    children, keyed by the plan's prefix and the path of positions ("PDM-1.2.3.4")."""
    existing = {element.key: element for element in plan.elements.all()}
    path: list[int] = []  # positions from the top down to the last element
    parents: list[PlanElement] = []  # the last element of each level, from the top
    for line in outline.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        level, (name, _, acronym) = indent // 2, line.strip().partition(" | ")
        if indent % 2 or level > len(path):
            raise ValueError(f"{plan.key}: the line “{name}” is badly indented.")
        path = [*path[:level], path[level] + 1 if level < len(path) else 1]
        parents = parents[:level]
        key = f"{prefix}-{'.'.join(map(str, path))}"
        element = existing.get(key) or plans_services.element_add(
            plan=plan,
            key=key,
            name=name,
            parent=parents[-1] if parents else None,
            responsible=organizations.get(acronym),
        )
        parents.append(element)


def _align(source_plan: Plan, target_plan: Plan, links: dict[str, tuple[str, ...]]) -> None:
    """Align each source key to its target keys, skipping links stored already (either way)."""
    targets = {key for keys in links.values() for key in keys}
    sources = {e.key: e for e in source_plan.elements.filter(key__in=links)}
    found = {e.key: e for e in target_plan.elements.filter(key__in=targets)}
    stored = {
        frozenset(pair)
        for pair in Alignment.objects.filter(
            source__plan__in=[source_plan, target_plan], target__plan__in=[source_plan, target_plan]
        ).values_list("source_id", "target_id")
    }
    for source_key, target_keys in links.items():
        for target_key in target_keys:
            source, target = sources[source_key], found[target_key]
            if frozenset((source.pk, target.pk)) not in stored:
                plans_services.alignment_add(source=source, target=target)
