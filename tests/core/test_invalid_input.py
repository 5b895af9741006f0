"""Issue 19, finding 8: a NUL character in a query string or a path answers 400 with a page in
Spanish, never a server error, and changes nothing."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "url",
    [
        "/personas/?q=%00",
        "/organizaciones/?q=%00",
        "/territorio/%00/",
        "/personas/?q=a%00b&page=1",
    ],
)
def test_a_nul_character_in_the_address_answers_400_not_500(client_as, url):
    response = client_as("admin").get(url)
    assert response.status_code == 400
    assert "caracteres que no se pueden leer" in response.text


def test_an_ordinary_search_still_works(client_as):
    response = client_as("admin").get(reverse("actors:people_list") + "?q=ana")
    assert response.status_code == 200
