"""The program: its data, its status that only moves forward, and the Cabildo's agreements that
start and approve it (through committees' approval hook)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committees.models import Agreement, Body
from pmot.planning import hooks
from pmot.planning.models import Program
from pmot.planning.services import program as services
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS

EDITORS = {"admin", "planner"}


@pytest.fixture
def planning_alone(monkeypatch):
    """Planning's own rules, without what higher apps require of the approval (phases: every
    public consultation closed and answered; tests/phases/test_domain_rules.py)."""
    monkeypatch.setattr(hooks, "_approval_checks", [])


def test_the_first_approved_council_agreement_starts_the_program_and_the_next_approves_it(
    program, council_vote, planning_alone
):
    rejected = council_vote(subject=program, favour=3)
    program.refresh_from_db()
    assert rejected.status == Agreement.Status.REJECTED
    assert program.start_agreement is None

    started = council_vote(subject=program)
    program.refresh_from_db()
    assert program.start_agreement == started
    assert program.status == Program.Status.DRAFTING

    # The vote that approves it opens only after the public consultation (tests/phases); the
    # reaction to its result is the same whichever vote decided it.
    approved = council_vote()
    services.program_decided(subject=program, agreement=approved)
    program.refresh_from_db()
    assert program.approval_agreement == approved
    assert program.status == Program.Status.APPROVED
    assert program.history.count() == 3


def test_only_the_cabildo_starts_the_program(program, council_vote):
    agreement = council_vote()
    Body.objects.filter(pk=agreement.body_id).update(kind=Body.Kind.COMMITTEE)
    agreement.refresh_from_db()
    with pytest.raises(ValidationError, match="Cabildo"):
        services.program_update(program=program, start_agreement=agreement)


def test_a_rejected_agreement_cannot_approve_the_program(program, council_vote):
    rejected = council_vote(favour=2)
    with pytest.raises(ValidationError, match="no fue aprobado"):
        services.program_update(
            program=program, approval_agreement=rejected, status=Program.Status.APPROVED
        )
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFTING


def test_approval_needs_its_agreement_and_force_needs_the_gazette(
    program, council_vote, planning_alone
):
    with pytest.raises(ValidationError, match="aprobó el programa"):
        services.program_update(program=program, status=Program.Status.APPROVED)
    approved = council_vote()
    services.program_update(
        program=program, approval_agreement=approved, status=Program.Status.APPROVED
    )
    approved_on = timezone.localdate(approved.decided_at)
    services.program_update(
        program=program,
        opinion_requested_on=approved_on - datetime.timedelta(days=30),
        opinion_received_on=approved_on,
        opinion=Program.Opinion.FAVOURABLE,
    )
    with pytest.raises(ValidationError, match="Periódico Oficial"):
        services.program_update(program=program, status=Program.Status.IN_FORCE)
    services.program_update(
        program=program, status=Program.Status.IN_FORCE, gazette_published_on=approved_on
    )
    program.refresh_from_db()
    assert program.status == Program.Status.IN_FORCE


def test_a_check_registered_by_a_higher_app_holds_the_approval(program, council_vote, monkeypatch):
    def consultation_pending(*, program):
        raise ValidationError("La consulta sigue abierta.")

    monkeypatch.setattr(hooks, "_approval_checks", [])
    hooks.register_approval_check(consultation_pending)
    with pytest.raises(ValidationError, match="La consulta sigue abierta"):
        services.program_update(
            program=program, approval_agreement=council_vote(), status=Program.Status.APPROVED
        )
    program.refresh_from_db()
    assert (program.status, program.approval_agreement) == (Program.Status.DRAFTING, None)


def test_the_status_never_goes_back(program):
    services.program_update(program=program, status=Program.Status.CONSULTATION)
    with pytest.raises(ValidationError, match="no puede regresar"):
        services.program_update(program=program, status=Program.Status.DRAFTING)


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_program_page_by_persona(client_as, program, persona_name):
    expected = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 403, "anonymous": 302}
    response = client_as(persona_name).get(reverse("planning:program_detail"))
    assert response.status_code == expected[persona_name]
    if response.status_code == 200:
        assert "PMOT de Aguascalientes" in response.text
        assert ("Editar" in response.text) == (persona_name in EDITORS)


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_editing_the_program_by_persona(client_as, program, persona_name):
    client = client_as(persona_name)
    url = reverse("planning:program_edit")
    data = {"name": "PMOT 2045", "horizon_year": 2045, "version": "1.1", "status": "drafting"}
    response = client.post(url, data)
    program.refresh_from_db()
    if persona_name in EDITORS:
        assert response.status_code == 302
        assert program.version == "1.1"
    else:
        assert response.status_code == (302 if persona_name == "anonymous" else 403)
        assert program.version == "1.0"


def test_a_refused_change_of_the_program_is_explained_and_saves_nothing(client_as, program):
    response = client_as("planner").post(
        reverse("planning:program_edit"),
        {"name": "PMOT", "horizon_year": 2045, "version": "2.0", "status": "in_force"},
    )
    assert response.status_code == 200
    assert "acuerdo del Cabildo que aprobó el programa" in response.text
    program.refresh_from_db()
    assert (program.version, program.status) == ("1.0", Program.Status.DRAFTING)


def test_a_horizon_out_of_range_is_refused(client_as, program):
    response = client_as("planner").post(
        reverse("planning:program_edit"),
        {"name": "PMOT", "horizon_year": 3000, "version": "1.0", "status": "drafting"},
    )
    assert "entre 2000 y 2100" in response.text
    program.refresh_from_db()
    assert program.horizon_year == 2045
