"""The demo data: real boundary and localities, example policies, loaded once."""

import pytest

from pmot.actors import demo as actors_demo
from pmot.information import demo
from pmot.information.models import Document, DocumentFile, TerritorialUnit, UnitKind


@pytest.fixture
def loaded(db, media):
    actors_demo.load()
    demo.load()


def test_about_twenty_units_with_every_policy(loaded):
    units = TerritorialUnit.objects.all()
    assert 18 <= units.count() <= 24
    ugats = units.filter(kind=UnitKind.MANAGEMENT_UNIT)
    assert {u.environmental_policy for u in ugats} == {
        "sustainable_use",
        "conservation",
        "protection",
        "restoration",
    }
    assert all("ejemplo" in u.name for u in ugats)
    assert units.get(key="LOC-010011025").name == "Pocitos"
    assert all(u.surface_ha > 1000 for u in ugats)


def test_some_documents_are_published_and_some_are_not(loaded):
    assert Document.objects.filter(is_published=True).count() == 3
    assert Document.objects.filter(is_published=False).count() == 2
    assert DocumentFile.objects.count() == 5


def test_loading_twice_changes_nothing(loaded):
    def snapshot():
        return (
            list(TerritorialUnit.objects.values_list("key", "surface_ha", "geometry")),
            TerritorialUnit.history.count(),
            list(Document.objects.values_list("title", "updated_at")),
            list(DocumentFile.objects.values_list("file", flat=True)),
            Document.history.count(),
        )

    before = snapshot()
    demo.load()
    assert snapshot() == before
