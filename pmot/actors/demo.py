"""Demo data of pmot.actors: the municipality of Aguascalientes (real INEGI figures) with
fictional people. Running it again changes nothing."""

import datetime

from pmot.actors import services
from pmot.actors.catalogues import census_2020_population, inegi_municipalities
from pmot.actors.models import Administration, Membership, Municipality, Organization, User
from pmot.actors.roles import Role, Sector

DEMO_PASSWORD = "pmot-demo-2026"  # noqa: S105 - printed by `make run`; demo data only
MUNICIPALITY_KEY = "01001"

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


def load() -> list[tuple[str, str, str]]:
    """Load the demo records; return (role label, username, password) of each demo account."""
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
        start_date=datetime.date(2024, 10, 15),
        defaults={"end_date": datetime.date(2027, 10, 14)},
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
                start_date=datetime.date(2024, 10, 15),
            )
        accounts.append((str(role.label), username, DEMO_PASSWORD))
    _load_history_example(organizations)
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


def _load_history_example(organizations: dict[str, Organization]) -> None:
    """One ended membership, so the directory and history show how a term ends."""
    user = _person("exenlace", "Tomás", "Vargas Gil", "M")
    if not user.memberships.exists():
        membership = services.membership_start(
            user=user,
            organization=organizations["SEDUM"],
            role=Role.MUNICIPAL_LIAISON,
            position="Enlace (administración anterior)",
            start_date=datetime.date(2021, 10, 15),
        )
        services.membership_end(membership=membership, end_date=datetime.date(2024, 10, 14))
    if user.is_active and not user.memberships.active().exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
