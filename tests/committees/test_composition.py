"""The body's gender composition draws its bars with the design system's width classes: a
share that has no class would leave the bar empty (9 women and 7 men drew two empty bars)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from committees.models import Body, Member
from tests.committees.conftest import seat
from tests.factories import UserFactory


def test_every_composition_bar_has_a_width_the_stylesheet_draws(client_as, db):
    body = Body.objects.create(name="H. Ayuntamiento", key="CAB", kind=Body.Kind.CABILDO)
    for gender, count in (("F", 9), ("M", 7)):
        for _ in range(count):
            seat(body, Member.Role.ALDERMAN, user=UserFactory(gender=gender))
    page = client_as("planner").get(reverse("committees:body_detail", args=[body.key])).text
    widths = re.findall(r"bars__fill (w-\d+)", page)
    css = (Path(settings.BASE_DIR) / "static/css/pmot.css").read_text()
    assert widths == ["w-55", "w-45"]
    for width in widths:
        assert f".{width} {{" in css
