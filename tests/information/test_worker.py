"""Territorial units imported by a real Celery worker on Redis: the request only bounds and
stores the file and answers at once; after commit the outbox sends the job; the worker reads the
file, checks every feature and saves the units; the import's page then shows the outcome."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pmot.information.models import TerritorialUnit, UnitImport
from pmot.information.tasks import import_units
from tests.budgeting.test_worker import wait_for, worker  # noqa: F401 (a fixture)
from tests.information.conftest import feature, geojson_bytes

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: run through `make test`"),
    pytest.mark.django_db(transaction=True),
]


def test_a_real_worker_imports_the_units_and_the_page_shows_how_many(client_as, orgs, worker):  # noqa: F811
    planner = client_as("planner")
    content = geojson_bytes(feature("UGAT-01"), feature("UGAT-02"))
    response = planner.post(
        reverse("information:unit_import"),
        {"file": SimpleUploadedFile("unidades.geojson", content)},
    )
    assert response.status_code == 302
    wait_for(import_units)

    page = planner.get(response["Location"])
    assert "hx-trigger" not in page.text
    assert "2 unidades creadas, 0 actualizadas" in page.text
    assert UnitImport.objects.get().status == UnitImport.Status.DONE
    assert set(TerritorialUnit.objects.values_list("key", flat=True)) == {"UGAT-01", "UGAT-02"}
