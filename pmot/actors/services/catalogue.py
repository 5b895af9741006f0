"""The municipality's profile, its administrations and its organizations, as their forms leave
them: the forms check the fields, these save them in one transaction under their author."""

from django.db import transaction

from pmot.actors.models import Administration, Municipality, Organization
from pmot.core.history import acting_as


@transaction.atomic
def catalogue_save(*, record: Administration | Municipality | Organization, by):
    with acting_as(by):
        record.save()
    return record
