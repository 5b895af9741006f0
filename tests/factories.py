import datetime

import factory

from pmot.actors.models import Organization, User
from pmot.actors.roles import Sector
from pmot.actors.services import memberships as services


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"persona{n}")
    first_name = factory.Faker("first_name", locale="es_MX")
    last_name = factory.Faker("last_name", locale="es_MX")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("contraseña-de-prueba-1")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organización {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    sector = Sector.MUNICIPAL


def membership(user, organization, role, *, start=None, end=None, position=""):
    """Through the service, as in real life: the role's group and object permissions follow."""
    return services.membership_start(
        user=user,
        organization=organization,
        role=role,
        start_date=start or datetime.date(2024, 10, 15),
        end_date=end,
        position=position,
    )
