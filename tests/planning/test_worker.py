"""A plan's tree imported by a real Celery worker on Redis: the request only bounds and stores
the file and answers at once; after commit the outbox sends the job; the worker reads the file
and writes the tree; the import's page then shows the outcome."""

import pytest
from django.conf import settings
from django.urls import reverse

from pmot.celery import app
from pmot.planning.models import PlanImport
from pmot.planning.tasks import import_plan_elements
from tests.budgeting.test_worker import wait_for, worker  # noqa: F401 (a fixture)
from tests.planning.test_import import GOOD_ROWS, pdm, xlsx_file  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: run through `make test`"),
    pytest.mark.django_db(transaction=True),
]


def test_a_real_worker_imports_the_tree_and_the_page_shows_how_many(client_as, pdm, worker):  # noqa: F811
    planner = client_as("planner")
    response = planner.post(
        reverse("planning:plan_import", args=[pdm.key]), {"file": xlsx_file(GOOD_ROWS)}
    )
    assert response.status_code == 302
    wait_for(import_plan_elements)

    page = planner.get(response["Location"])
    assert "hx-trigger" not in page.text
    assert "5 elementos agregados, 0 actualizados" in page.text
    assert PlanImport.objects.get().status == PlanImport.Status.DONE
    assert pdm.elements.count() == 5


@pytest.fixture
def inline():
    """As in the embedded `make run`, with no Redis: the job runs in the request, after commit."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_without_a_worker_the_job_runs_inline_and_the_page_shows_the_outcome(
    client_as,
    pdm,  # noqa: F811
    inline,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    planner = client_as("planner")
    response = planner.post(
        reverse("planning:plan_import", args=[pdm.key]), {"file": xlsx_file(GOOD_ROWS)}
    )
    assert response.status_code == 302
    page = planner.get(response["Location"])
    assert "hx-trigger" not in page.text
    assert "5 elementos agregados, 0 actualizados" in page.text
