"""Demo data of pmot.actors: the municipality of Aguascalientes (real INEGI figures) with
fictional people. Running it again changes nothing.

It also holds the demo's calendar, which every app's demo follows: the demo is built around the
day it is loaded, so `make run` shows a living program in any year."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from pmot.actors.catalogues import census_2020_population, inegi_municipalities
from pmot.actors.models import Administration, Membership, Municipality, Organization, User
from pmot.actors.roles import Role, Sector
from pmot.actors.services import memberships as services

DEMO_PASSWORD = "pmot-demo-2026"  # noqa: S105 - printed by `make run`; demo data only
MUNICIPALITY_KEY = "01001"
TZ = ZoneInfo("America/Mexico_City")

# The demo's story is written for one year, STORY_YEAR: a year of the Cabildo's sessions, the
# PMOT's first phases closed and the third open, the year's POA (approved the December before)
# executed up to STORY_ENDS, next year's POA submitted. It is moved, whole years at a time, to
# the last year whose story has ended by the day the demo is loaded.
STORY_YEAR = 2026
STORY_ENDS = (11, 27)  # month, day
TERM_YEARS = 3


@dataclass(frozen=True)
class Calendar:
    """The dates of the demo loaded on `today`.

    `year` is the story's year: this year from 28 November on, last year before then. The
    administration is a three-year term starting on 15 October, as the Ayuntamientos of
    Aguascalientes do, that holds both the story (from the December before `year`, when the
    Cabildo approves its POA) and today; a demo needs its Cabildo's past year, so the term
    follows the story rather than the election calendar."""

    today: datetime.date
    year: int
    term_start: datetime.date
    term_end: datetime.date

    def on(self, month: int, day: int, *, years: int = 0) -> datetime.date:
        """`day`/`month` of the story's year (or `years` after it)."""
        return datetime.date(self.year + years, month, day)

    def at(self, month: int, day: int, hour: int, *, years: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(
            self.on(month, day, years=years), datetime.time(hour), tzinfo=TZ
        )

    def moved(self, written: str | datetime.date) -> datetime.date:
        """A date written for STORY_YEAR ("2026-10-30"), moved to the story's year."""
        day = datetime.date.fromisoformat(written) if isinstance(written, str) else written
        return day.replace(year=day.year + self.year - STORY_YEAR)

    @property
    def term_label(self) -> str:
        return f"{self.term_start.year}–{self.term_end.year}"

    @property
    def previous_term(self) -> tuple[datetime.date, datetime.date]:
        start = self.term_start.replace(year=self.term_start.year - TERM_YEARS)
        return start, self.term_start - datetime.timedelta(days=1)


def calendar(today: datetime.date | None = None) -> Calendar:
    """The demo's calendar for `today` (the municipality's date by default)."""
    today = today or timezone.localdate()
    ended = today > datetime.date(today.year, *STORY_ENDS)
    year = today.year if ended else today.year - 1
    # The term holding the December before the story's year and today: the one starting in
    # October two years before it, unless that one has ended by today.
    start = datetime.date(year - 2, 10, 15)
    if _term_end(start) < today:
        start = datetime.date(year - 1, 10, 15)
    return Calendar(today=today, year=year, term_start=start, term_end=_term_end(start))


def _term_end(start: datetime.date) -> datetime.date:
    return start.replace(year=start.year + TERM_YEARS) - datetime.timedelta(days=1)


# (name, acronym, sector, parent name)
ORGANIZATIONS = [
    ("H. Ayuntamiento de Aguascalientes", "Ayuntamiento", Sector.MUNICIPAL, None),
    (
        "Instituto Municipal de Planeación de Aguascalientes",
        "IMPLAN",
        Sector.MUNICIPAL,
        "H. Ayuntamiento de Aguascalientes",
    ),
    (
        "Secretaría de Obras Públicas Municipal",
        "SOP",
        Sector.MUNICIPAL,
        "H. Ayuntamiento de Aguascalientes",
    ),
    (
        "Secretaría de Desarrollo Urbano Municipal",
        "SEDUM",
        Sector.MUNICIPAL,
        "H. Ayuntamiento de Aguascalientes",
    ),
    (
        "Secretaría de Finanzas Públicas Municipales",
        "SFPM",
        Sector.MUNICIPAL,
        "H. Ayuntamiento de Aguascalientes",
    ),
    (
        "Secretaría de Sustentabilidad, Medio Ambiente y Agua del Estado",
        "SSMAA",
        Sector.STATE,
        None,
    ),
    ("Secretaría de Desarrollo Agrario, Territorial y Urbano", "SEDATU", Sector.FEDERAL, None),
    ("Cámara de la industria de la construcción (delegación estatal)", "CIC", Sector.PRIVATE, None),
    ("Consejo de Colonos del Oriente (ejemplo)", "CCO", Sector.SOCIAL, None),
    ("Universidad pública estatal (ejemplo)", "UPE", Sector.ACADEMIA, None),
]

# (username, first name, last name, gender, role, organization acronym, position)
PEOPLE = [
    (
        "admin",
        "Laura",
        "Méndez Ortiz",
        "F",
        Role.IMPLAN_ADMIN,
        "IMPLAN",
        "Coordinadora de sistemas",
    ),
    ("planeacion", "Jorge", "Ramírez Luna", "M", Role.IMPLAN_PLANNER, "IMPLAN", "Planeador urbano"),
    ("tesoreria", "Elena", "Vargas Campos", "F", Role.TREASURY, "SFPM", "Directora de egresos"),
    (
        "secretaria",
        "Patricia",
        "Salas Herrera",
        "F",
        Role.COUNCIL_SECRETARY,
        "Ayuntamiento",
        "Secretaria del H. Ayuntamiento",
    ),
    ("regidora", "Ana", "Torres Delgado", "F", Role.COUNCIL_MEMBER, "Ayuntamiento", "Regidora"),
    ("comite", "Miguel", "Castro Vela", "M", Role.BODY_MEMBER, "UPE", "Consejero académico"),
    ("obras", "Ricardo", "Pérez Núñez", "M", Role.MUNICIPAL_LIAISON, "SOP", "Enlace de planeación"),
    ("estatal", "Sofía", "Guzmán Ríos", "F", Role.STATE_LIAISON, "SSMAA", "Enlace estatal"),
    ("federal", "Héctor", "Medina Flores", "M", Role.FEDERAL_LIAISON, "SEDATU", "Enlace federal"),
    ("privado", "Carmen", "Ibarra Soto", "F", Role.PRIVATE_REPRESENTATIVE, "CIC", "Representante"),
    (
        "ciudadana",
        "Rosa",
        "Luna Aguilar",
        "F",
        Role.CITIZEN_REPRESENTATIVE,
        "CCO",
        "Presidenta del consejo de colonos",
    ),
]


def load(today: datetime.date | None = None) -> list[tuple[str, str, str]]:
    """Load the demo records; return (role label, username, password) of each demo account."""
    dates = calendar(today)
    found = inegi_municipalities()[MUNICIPALITY_KEY]
    Municipality.objects.get_or_create(
        singleton=True,
        defaults={
            "inegi_key": found.key,
            "name": found.name,
            "state": found.state,
            "population": census_2020_population()[found.key],
        },
    )
    Administration.objects.get_or_create(
        start_date=dates.term_start, defaults={"end_date": dates.term_end}
    )
    organizations = _load_organizations()
    accounts = []
    for username, first, last, gender, role, acronym, position in PEOPLE:
        user = _person(username, first, last, gender)
        organization = organizations[acronym]
        if not Membership.objects.filter(user=user, organization=organization, role=role).exists():
            services.membership_start(
                user=user,
                organization=organization,
                role=role,
                position=position,
                start_date=dates.term_start,
            )
        accounts.append((str(role.label), username, DEMO_PASSWORD))
    _load_history_example(organizations, dates)
    return accounts


def _load_organizations() -> dict[str, Organization]:
    by_name: dict[str, Organization] = {}
    for name, acronym, sector, parent in ORGANIZATIONS:
        organization, _ = Organization.objects.get_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "sector": sector,
                "parent": by_name.get(parent) if parent else None,
            },
        )
        by_name[name] = organization
    return {o.acronym: o for o in by_name.values()}


def _person(username: str, first: str, last: str, gender: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "gender": gender,
            "email": f"{username}@demo.invalid",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _load_history_example(organizations: dict[str, Organization], dates: Calendar) -> None:
    """One ended membership, so the directory and history show how a term ends."""
    user = _person("exenlace", "Tomás", "Vargas Gil", "M")
    if not user.memberships.exists():
        start, end = dates.previous_term
        membership = services.membership_start(
            user=user,
            organization=organizations["SEDUM"],
            role=Role.MUNICIPAL_LIAISON,
            position="Enlace (administración anterior)",
            start_date=start,
        )
        services.membership_end(membership=membership, end_date=end)
    if user.is_active and not user.memberships.active().exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
