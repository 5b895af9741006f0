"""The public home page: the PMOT in one screen, each block linking to its detail."""

from collections import Counter

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from committees import selectors as committee_selectors
from committees.models import AgreementVersion, Member
from evaluation import charts
from evaluation.lights import Colour
from evaluation.selectors import chain
from phases.selectors import program_phases
from pmot.actors.roles import Sector
from pmot.core.history import last_changed
from pmot.core.public_cache import public_page
from pmot.portal.selectors import indicators as selectors_indicators
from pmot.portal.selectors import poa as selectors_poa
from pmot.portal.selectors import published

LATEST_AGREEMENTS = 5
# The text of an agreement as last corrected (AgreementVersion), else as voted.
_latest_version = (
    AgreementVersion.objects.filter(agreement=OuterRef("pk")).order_by("-number").values("text")[:1]
)


@require_safe
@login_not_required
@public_page
def home(request: HttpRequest) -> HttpResponse:
    """What anyone, without an account, first reads."""
    program = published.program()
    year = selectors_poa.current_year()
    phases = program_phases(program) if program else []
    in_charge = committee_selectors.body_in_charge()
    agreements = list(
        published.agreements()
        .select_related("body")
        .annotate(latest_text=Coalesce(Subquery(_latest_version), F("text")))[:LATEST_AGREEMENTS]
    )
    return render(
        request,
        "portal/home.html",
        {
            "program": program,
            "phases": phases,
            "current_phase": chain.current_phase(phases),
            "in_charge": in_charge,
            "sectors": _sectors(in_charge),
            "agreements": agreements,
            "budget": selectors_poa.year_summary(year) if year else None,
            "action_map": selectors_poa.action_map(year) if year else None,
            "colours": indicators_by_colour(),
            "updated": last_changed(
                published.phases(),
                published.agreements(),
                published.poas(),
                published.budget_lines(),
                published.indicators(),
                published.measurements(),
            ),
        },
    )


def _sectors(in_charge) -> list[dict]:
    """How many members of the body in charge come from each sector (one query)."""
    if in_charge is None:
        return []
    counts = (
        Member.objects.current()
        .filter(body=in_charge.body)
        .values_list("sector")
        .annotate(n=Count("pk"))
        .order_by("-n", "sector")
    )
    return [{"label": Sector(sector).label, "count": n} for sector, n in counts]


def indicators_by_colour() -> list[dict]:
    """How many published indicators show each colour now (two queries)."""
    indicators = list(published.indicators().only("pk", "frequency", "first_year"))
    found = selectors_indicators.current_lights(indicators, timezone.localdate())
    counts = Counter(selectors_indicators.colour_of(light) for light in found.values())
    return [
        {"colour": colour, "label": Colour(colour).label, "count": counts[colour]}
        for colour in charts.COLOURS
        if counts[colour]
    ]
