from django.urls import reverse


def test_the_search_box_gets_only_the_matching_results(client_as, orgs):
    response = client_as("planner").get(
        reverse("actors:organization_list"), {"q": "SEDATU"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="results"' in response.text
    assert "SEDATU" in response.text
    assert "Universidad" not in response.text
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client_as, orgs):
    response = client_as("planner").get(
        reverse("actors:organization_list"),
        {"q": "SEDATU"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text


def test_filtering_by_sector_lists_only_that_sector(client_as, orgs):
    response = client_as("planner").get(reverse("actors:organization_list"), {"sector": "state"})
    assert list(response.context["page"].object_list) == [orgs["state_agency"]]
