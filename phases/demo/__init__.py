"""Demo data of the phases: the PMOT of Aguascalientes in phase 3 (Formulation), phases 1 and 2
closed by agreements of the Cabildo, deliverables in every review state (validated by
agreements of the coordinating body) and activities, some late. Fictional, like every demo
record; loaded after the council and the plans."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from committees import demo as committees_demo
from committees.models import Body, Designation
from phases.demo import consultation as consultation_demo
from phases.models import Activity, Deliverable, DeliverableStatus, DeliverableType, Phase
from phases.services import work
from pmot.actors.demo import TZ, Calendar, calendar
from pmot.actors.models import Organization, User
from pmot.core.pdf import one_page_pdf  # the one small valid PDF the demos share
from pmot.planning.models import Program

# Dates written for the demo's story year (pmot.actors.demo.STORY_YEAR), moved to the year of
# the demo calendar when loaded.
PLAN = {
    1: (datetime.date(2026, 1, 15), datetime.date(2026, 4, 30)),
    2: (datetime.date(2026, 3, 1), datetime.date(2026, 8, 31)),
    3: (datetime.date(2026, 8, 1), datetime.date(2027, 3, 31)),
    4: (datetime.date(2027, 4, 1), datetime.date(2029, 12, 31)),
    5: (datetime.date(2027, 4, 1), datetime.date(2030, 12, 31)),
}
OPENED = {1: datetime.date(2026, 2, 3), 2: datetime.date(2026, 3, 9), 3: datetime.date(2026, 8, 3)}
# The extraordinary sessions of the Cabildo that closed phases 1 and 2 (after the council demo's
# year of sessions; extraordinary sessions are numbered apart, so the numbers stay in order).
CLOSING_SESSIONS = {
    1: (datetime.date(2026, 10, 8), 10),
    2: (datetime.date(2026, 11, 12), 10),
}

# The ordinary sessions of the coordinating body (the COPLADEM of the committees demo) whose
# agreements validate the deliverables: those of phases 1 and 2 before the Cabildo closes them,
# those of phase 3 before the consultation.
VALIDATING_SESSIONS = {
    (1, 2): (datetime.date(2026, 9, 24), 10),
    (3,): (datetime.date(2026, 10, 22), 10),
}

VALIDATION_TEXT = "El órgano coordinador del PMOT valida el entregable en los términos presentados."

# Phase 3: (deliverable, responsible, author, author's name, where its review stands, due)
FORMULATION = [
    ("Modelo territorial", "IMPLAN", "implan", "", DeliverableStatus.ACCEPTED, "2026-10-30"),
    (
        "Unidades de gestión territorial (UGT/UGAT)",
        "IMPLAN",
        "consultant",
        "Geoconsultores del Bajío (ejemplo)",
        DeliverableStatus.VALIDATED,
        "2026-11-15",
    ),
    ("Zonificación primaria", "SEDUM", "implan", "", DeliverableStatus.IN_REVIEW, "2026-11-20"),
    ("Estrategias", "IMPLAN", "implan", "", DeliverableStatus.OBSERVED, "2026-11-10"),
    ("Cartera de proyectos", "SOP", "implan", "", DeliverableStatus.DRAFT, "2026-12-15"),
    (
        "Indicadores",
        "IMPLAN",
        "observatory",
        "Observatorio Urbano de Aguascalientes (ejemplo)",
        DeliverableStatus.DRAFT,
        "2026-11-01",
    ),
    (
        "Proyecto de programa para consulta pública",
        "IMPLAN",
        "implan",
        "",
        DeliverableStatus.ACCEPTED,
        "2026-09-30",
    ),
]
# The path of each final state through the review.
PATHS = {
    DeliverableStatus.DRAFT: [],
    DeliverableStatus.IN_REVIEW: ["submit"],
    DeliverableStatus.OBSERVED: ["submit", "observe"],
    DeliverableStatus.VALIDATED: ["submit", "observe", "submit", "validate"],
    DeliverableStatus.ACCEPTED: ["submit", "validate", "accept"],
}
# (phase, activity, responsible, planned start, planned end, progress, the one it waits for)
ACTIVITIES = [
    (1, "Instalación del órgano coordinador", "IMPLAN", "2026-01-15", "2026-01-31", 100, None),
    (
        1,
        "Programa de trabajo y aviso público",
        "IMPLAN",
        "2026-02-01",
        "2026-03-15",
        100,
        "Instalación del órgano coordinador",
    ),
    (
        2,
        "Recopilación de información y trabajo de campo",
        "IMPLAN",
        "2026-03-01",
        "2026-05-31",
        100,
        None,
    ),
    (
        2,
        "Talleres de diagnóstico participativo",
        "IMPLAN",
        "2026-05-15",
        "2026-07-15",
        100,
        "Recopilación de información y trabajo de campo",
    ),
    (
        2,
        "Escenarios tendencial, contextual y estratégico",
        "IMPLAN",
        "2026-07-01",
        "2026-08-31",
        100,
        "Talleres de diagnóstico participativo",
    ),
    (3, "Modelo territorial y UGAT", "IMPLAN", "2026-08-01", "2026-10-31", 90, None),
    (
        3,
        "Taller de priorización de la cartera de proyectos",
        "SOP",
        "2026-09-15",
        "2026-11-15",
        40,
        None,
    ),
    (3, "Consulta pública del proyecto", "IMPLAN", "2026-11-01", "2027-01-31", 30, None),
    (
        3,
        "Integración de la versión final",
        "IMPLAN",
        "2027-02-01",
        "2027-03-31",
        0,
        "Consulta pública del proyecto",
    ),
]


@transaction.atomic
def load(today: datetime.date | None = None) -> Program | None:
    dates = calendar(today)
    program = Program.objects.order_by("pk").first()
    if program is None or program.start_agreement is None:
        return None  # needs the plans and the council demo first
    if program.phases.filter(status=Phase.Status.OPEN, number=3).exists():
        consultation_demo.load(program, today=dates.today)  # loaded already: adds nothing
        return program
    planner = User.objects.get(username="planeacion")
    liaison = User.objects.get(username="obras")
    phases = {p.number: p for p in work.phases_prepare(program=program)}
    for number, (start, end) in PLAN.items():
        extra = {}
        if number == 1:
            extra = {
                "notice_published_on": dates.on(2, 2),
                "notice_medium": Phase.NoticeMedium.STATE_GAZETTE,
            }
        work.phase_plan(
            phase=phases[number],
            planned_start=dates.moved(start),
            planned_end=dates.moved(end),
            **extra,
        )
    for number, day in OPENED.items():
        work.phase_open(phase=phases[number], on=dates.moved(day))
    _activities(phases, dates)
    made = [
        _deliverable(
            phases[number],
            kind,
            "IMPLAN",
            "implan",
            "",
            DeliverableStatus.ACCEPTED,
            None,
            planner,
            planner,
        )
        for number in (1, 2)
        for kind in DeliverableType.objects.filter(phase_number=number, required=True)
    ]
    _validated_by_the_body(made, _moved_moment(dates, VALIDATING_SESSIONS[1, 2]), planner)
    for number in (1, 2):
        _close_by_the_cabildo(phases[number], _moved_moment(dates, CLOSING_SESSIONS[number]))
    made = []
    for name, acronym, author, author_name, state, due in FORMULATION:
        kind = DeliverableType.objects.get(phase_number=3, name=name)
        by = liaison if acronym == "SOP" else planner
        made.append(
            _deliverable(
                phases[3],
                kind,
                acronym,
                author,
                author_name,
                state,
                dates.moved(due),
                by,
                planner,
            )
        )
    _validated_by_the_body(made, _moved_moment(dates, VALIDATING_SESSIONS[3,]), planner)
    consultation_demo.load(program, today=dates.today)
    return program


def _moved_moment(dates: Calendar, written: tuple[datetime.date, int]) -> datetime.datetime:
    day, hour = written
    return datetime.datetime.combine(dates.moved(day), datetime.time(hour), tzinfo=TZ)


def _deliverable(phase, kind, acronym, author, author_name, state, due, by, reviewer):
    """A deliverable reviewed up to where its review stands, or up to the coordinating body's
    vote when it must go through it: (the deliverable, the steps left, "validate" first)."""
    deliverable = work.deliverable_add(
        phase=phase,
        kind=kind,
        responsible=Organization.objects.get(acronym=acronym),
        author=author,
        author_name=author_name,
        due_date=due,
    )
    steps = PATHS[state]
    if steps or kind.name == "Cartera de proyectos":
        _upload(deliverable, by, 1)
    before_the_body = steps[: steps.index("validate")] if "validate" in steps else steps
    for step in before_the_body:
        if step == "submit" and deliverable.reviews.filter(to_status="observed").exists():
            _upload(deliverable, by, deliverable.versions.count() + 1)
        observations = (
            "Precisar las fuentes de la información y el año de cada capa."
            if step == "observe"
            else ""
        )
        work.deliverable_review(
            deliverable=deliverable, step=step, by=reviewer, observations=observations
        )
    return deliverable, steps[len(before_the_body) :]


def _validated_by_the_body(made, starts_at: datetime.datetime, reviewer) -> None:
    """A session of the coordinating body whose approved agreements validate the deliverables
    that wait for it (committees' hook); then the IMPLAN accepts those accepted in the story."""
    waiting = [deliverable for deliverable, left in made if left]
    if waiting:
        body = Designation.objects.get(in_charge=True).body
        committees_demo.session_held(
            body,
            starts_at,
            [(f"Validación del entregable «{d}» ({d.phase})", VALIDATION_TEXT, d) for d in waiting],
        )
    for deliverable, left in made:
        for step in left[1:]:
            work.deliverable_review(deliverable=deliverable, step=step, by=reviewer)
        deliverable.refresh_from_db()
        if deliverable.status == DeliverableStatus.ACCEPTED and deliverable.phase.number == 3:
            work.deliverable_publish(deliverable=deliverable)


def _upload(deliverable: Deliverable, by, number: int) -> None:
    text = f"{deliverable.kind.name} - ejemplo, version {number}"
    content = one_page_pdf(text.encode("ascii", "replace").decode("ascii"))
    work.version_add(
        deliverable=deliverable,
        upload=ContentFile(content, name=f"entregable-v{number}.pdf"),
        by=by,
        note="Versión de demostración",
    )


def _close_by_the_cabildo(phase: Phase, starts_at: datetime.datetime) -> None:
    text = (
        f"El H. Ayuntamiento da por concluida la fase {phase.number} del PMOT, "
        "con sus entregables aceptados."
    )
    title = f"Cierre de la fase {phase.number} del PMOT: {phase.get_number_display()}"
    cabildo = Body.objects.get(kind=Body.Kind.CABILDO)
    committees_demo.session_held(cabildo, starts_at, [(title, text, phase)])


def _activities(phases, dates: Calendar) -> None:
    made: dict[str, Activity] = {}
    for number, name, acronym, start, end, progress, waits_for in ACTIVITIES:
        activity = work.activity_add(
            phase=phases[number],
            name=name,
            responsible=Organization.objects.get(acronym=acronym),
            planned_start=dates.moved(start),
            planned_end=dates.moved(end),
            depends_on=[made[waits_for]] if waits_for else [],
        )
        made[name] = activity
        if progress:
            work.activity_progress(
                activity=activity,
                progress=progress,
                actual_start=activity.planned_start,
                actual_end=activity.planned_end if progress == 100 else None,
            )
