"""Issue 19, finding 4: with only a password (the second step still owed), a person is an
anonymous visitor everywhere, files of public views included: `obras` downloaded unpublished
files because those views are public and check only the role."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.actors.test_two_factor import log_in
from tests.information.conftest import make_document, media  # noqa: F401

pytestmark = [pytest.mark.real_second_step, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _required(settings):
    settings.PMOT_TWO_FACTOR_REQUIRED = True


def test_a_password_alone_does_not_open_an_unpublished_file(persona, make_document):  # noqa: F811
    unpublished = make_document(published=False).files.get()
    published = make_document(published=True, title="Publicado").files.get()
    client = log_in(Client(), persona("municipal_liaison"))

    refused = client.get(reverse("information:file_download", args=[unpublished.pk]))
    assert refused.status_code == 404
    served = client.get(reverse("information:file_download", args=[published.pk]))
    assert served.status_code == 200  # what the public may read, it reads
    # Staff pages still lead to the second step.
    assert client.get(reverse("portal:dashboard")).status_code == 302
