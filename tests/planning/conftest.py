import pytest

from committees import services as committees
from committees.models import Body, Vote
from committees.rules import Choice
from pmot.planning.models import Plan, Program
from pmot.planning.services import plans as services

# The Cabildo and its sessions, as the committees tests build them.
from tests.committees.conftest import agreement_type, cabildo, open_session  # noqa: F401


@pytest.fixture
def council_vote(cabildo, open_session):  # noqa: F811
    """council_vote(subject=…, favour=10) -> the agreement of a Cabildo vote on `subject`."""
    _, members, _ = cabildo

    def vote(subject=None, favour=10):
        _, item = open_session(subject=subject)
        ballot = committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
        for n, member in enumerate(members):
            choice = Choice.FOR if n < favour else Choice.AGAINST
            committees.vote_cast(vote=ballot, user=member.user, choice=choice)
        return committees.vote_close(vote=ballot)

    return vote


@pytest.fixture
def program(db):
    return Program.objects.create(name="PMOT de Aguascalientes", horizon_year=2045)


@pytest.fixture
def pmot_and_pdm(program):
    """A PMOT (axis → objective → strategy) and a PDM (axis → objective → line of action)."""
    pmot = Plan.objects.create(
        key="pmot",
        name="PMOT",
        order=Plan.Order.PMOT,
        level_names=["Eje", "Objetivo", "Estrategia"],
        program=program,
    )
    pdm = Plan.objects.create(
        key="pdm",
        name="Plan de Desarrollo Municipal",
        order=Plan.Order.MUNICIPAL,
        level_names=["Eje", "Objetivo", "Línea de acción"],
    )
    tree = {}
    for plan, prefix in ((pmot, "T"), (pdm, "M")):
        axis = services.element_add(plan=plan, key=f"{prefix}1", name=f"Eje {prefix}")
        objective = services.element_add(
            plan=plan, key=f"{prefix}1.1", name=f"Objetivo {prefix}", parent=axis
        )
        for n in (1, 2):
            tree[f"{prefix}1.1.{n}"] = services.element_add(
                plan=plan, key=f"{prefix}1.1.{n}", name=f"Tercer nivel {n}", parent=objective
            )
        tree[f"{prefix}1"], tree[f"{prefix}1.1"] = axis, objective
    return pmot, pdm, tree


def council_body():
    return Body.objects.get(kind=Body.Kind.CABILDO)
