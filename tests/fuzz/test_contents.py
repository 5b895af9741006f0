"""The fuzz's "nothing changed" compares the contents of the tables, not their row counts: an
edit that adds no row is seen, and the rows it touched are found (tests/fuzz/hostile.py)."""

import pytest
from django.db import transaction
from django.db.models import F

from pmot.actors.models import Organization
from tests.factories import OrganizationFactory
from tests.fuzz import hostile

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizations():
    return OrganizationFactory.create_batch(3)


def test_an_update_that_adds_no_row_is_a_change(organizations):
    edited = organizations[1]
    before = hostile.snapshot()
    baseline = hostile.Contents()
    counts = hostile.write_counts()
    with transaction.atomic():
        # no history row either: QuerySet.update() bypasses simple-history
        Organization.objects.filter(pk=edited.pk).update(name="Otro nombre")
        rows = Organization.objects.count()
        assert hostile.changed(before, hostile.snapshot()) == {"actors.organization": (rows, rows)}
        difference = baseline.changed_since(counts)
        assert difference == {"actors.organization": (rows, rows)}
        assert baseline.written(difference) == {"actors.organization": [str(edited.pk)]}
        assert baseline.written_records(difference) == [edited]
        transaction.set_rollback(True)
    assert hostile.snapshot() == before


def test_a_save_is_found_through_its_history(organizations):
    edited = organizations[0]
    baseline = hostile.Contents()
    counts = hostile.write_counts()
    with transaction.atomic():
        edited.acronym = "NUEVO"
        edited.save()
        difference = baseline.changed_since(counts)
        assert set(difference) == {"actors.organization", "actors.historicalorganization"}
        old, new = difference["actors.historicalorganization"]
        assert new == old + 1
        records = baseline.written_records(difference)
        assert records == [edited, edited]  # the row, and the record its history row is of
        transaction.set_rollback(True)


def test_a_write_that_leaves_the_contents_as_they_were_is_no_change(organizations):
    baseline = hostile.Contents()
    counts = hostile.write_counts()
    with transaction.atomic():
        Organization.objects.update(name=F("name"))
        assert hostile.write_counts()["actors.organization"] > counts["actors.organization"]
        assert baseline.changed_since(counts) == {}
        transaction.set_rollback(True)


def test_the_tables_left_out_are_the_logs_and_sessions():
    compared = {model._meta.label_lower for model in hostile.compared_models()}
    assert "actors.accessevent" not in compared
    assert not any(label.startswith(("sessions.", "axes.")) for label in compared)
    assert {"actors.organization", "actors.historicalorganization"} <= compared
