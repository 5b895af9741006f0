"""Saving an import locks the POA (all rows or none, and no submission halfway); checking its
rows does not, so a file with a bad row is refused at once even while someone else is saving
the same POA. Committed transactions and a second connection: the lock is real."""

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from budgeting.models import Action
from budgeting.services import imports
from pmot.core.spreadsheets import read_table
from tests.budgeting.test_import import aligned, csv_file, pdm_line, row  # noqa: F401

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("aligned"),
]


@pytest.fixture
def someone_saving(draft_poa):
    """Another session holding the POA's row lock, as a service saving it does."""
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    other.execute("SELECT id FROM budgeting_poa WHERE id = %s FOR UPDATE", [draft_poa.pk])
    with connection.cursor() as cursor:  # wait two seconds for a lock, then fail
        cursor.execute("SET lock_timeout = '2s'")
    yield
    other.rollback()
    other.close()
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")


def rows_of(rows):
    return read_table(csv_file(rows), imports.COLUMNS, imports.OPTIONAL)


def test_a_file_with_a_bad_row_is_refused_without_waiting_for_the_lock(
    draft_poa, persona, someone_saving
):
    rows = rows_of([row("L-01"), row("L-02", responsable="XYZ")])
    with pytest.raises(ValidationError) as refused:
        imports.poa_import(poa=draft_poa, rows=rows, by=persona("planner"))
    assert refused.value.messages[0].startswith("Fila 3:")
    assert not Action.objects.exists()


def test_a_good_file_waits_for_the_lock_to_save(draft_poa, persona, someone_saving):
    rows = rows_of([row("L-01")])
    with pytest.raises(OperationalError, match="lock"):
        imports.poa_import(poa=draft_poa, rows=rows, by=persona("planner"))
    assert not Action.objects.exists()
