"""The indicator pages for every persona: every role reads every indicator (an organization's
people report only their own), who writes the sheet and the targets, who reports and who
validates; the services' refusals shown in Spanish with nothing saved; a list whose queries
do not grow."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Evidence, Indicator, Measurement, Target
from evaluation.services import indicators as services

# The POA fixtures are imported, then named as arguments.
# ruff: noqa: F811
from tests.budgeting.conftest import catalogue, draft_poa, make_action  # noqa: F401
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.evaluation.conftest import TODAY
from tests.factories import UserFactory
from tests.uploads import HOSTILE, pdf_bytes

PLANNERS = {"admin", "planner"}
# Every role reads every indicator (DOMAIN.md §8): an organization-bound one changes only its
# organization's records and reads the rest. Obras Públicas' indicator and the state agency's
# are seen alike.
READERS = set(ROLE_PERSONAS)
SEE_WORKS = SEE_STATE = READERS
REPORT_WORKS = PLANNERS | {"municipal_liaison"}
PDF = pdf_bytes("evidencia")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def on_today(monkeypatch):
    """The pages read the date from timezone.localdate(): it is TODAY (2026-08-20), when the
    first two quarters of 2026 have closed and the second is overdue."""
    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


@pytest.fixture
def planner(persona):
    return persona("planner")


@pytest.fixture
def state_indicator(make_indicator, orgs):
    return make_indicator("E-1", name="Hectáreas reforestadas", reporter=orgs["state_agency"])


def set_target(indicator, number, value, year=2026, by=None):
    return services.target_set(
        indicator=indicator,
        year=year,
        number=number,
        value=value,
        by=by or UserFactory(),
        today=indicator.period(year, 1).start,
    )


def report(indicator, by, number=2, a="45", b="100"):
    return services.measurement_report(
        indicator=indicator, year=2026, number=number, a=a, b=b, by=by, today=TODAY
    )


def expected(persona_name, seers, doers, done=302):
    if persona_name == "anonymous":
        return 302
    if persona_name not in seers:
        return 404
    return done if persona_name in doers else 403


def shown(persona_name, status):
    """What a GET of the form answers to whom the POST answered `status`: the login page, the
    form itself where the POST went through, or the same refusal."""
    if persona_name == "anonymous":
        return 302
    return 200 if status == 302 else status


def sheet(orgs, strategy, **extra):
    return {
        "key": "I-9",
        "name": "Kilómetros de ciclovía",
        "definition": "Kilómetros de ciclovía construidos.",
        "method": "Suma de kilómetros.",
        "variable_a": "Kilómetros construidos",
        "variable_b": "",
        "factor": "1",
        "unit": "km",
        "dimension": "efficacy",
        "kind": "management",
        "mir_level": "",
        "frequency": "yearly",
        "direction": "ascending",
        "baseline_value": "",
        "baseline_year": "",
        "first_year": "2026",
        "source": "Obras Públicas",
        "verification": "Actas de entrega",
        "reporter": orgs["works"].pk,
        "element": strategy.pk,
        "action": "",
        "unit_measured": "",
    } | extra


# --- Who sees what -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_list_shows_each_persona_the_indicators_it_may_see(
    client_as, indicator, state_indicator, persona_name
):
    response = client_as(persona_name).get(reverse("evaluation:indicator_list"))
    if persona_name == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    rows = response.context["page"].object_list
    keys = {indicator.key for indicator, _light in rows}
    assert ("I-1" in keys) == (persona_name in SEE_WORKS)
    assert ("E-1" in keys) == (persona_name in SEE_STATE)
    assert ("Nuevo indicador" in response.text) == (persona_name in PLANNERS)


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_technical_sheet_by_persona(client_as, indicator, state_indicator, persona_name):
    client = client_as(persona_name)
    works = client.get(reverse("evaluation:indicator_detail", args=[indicator.pk]))
    state = client.get(reverse("evaluation:indicator_detail", args=[state_indicator.pk]))
    assert works.status_code == expected(persona_name, SEE_WORKS, SEE_WORKS, 200)
    assert state.status_code == expected(persona_name, SEE_STATE, SEE_STATE, 200)
    if works.status_code == 200:
        assert "Padrón de usuarios del organismo operador" in works.text
        assert ("Editar" in works.text) == (persona_name in PLANNERS)


def test_a_municipal_liaison_reports_its_indicator_and_only_reads_the_state_agencys(
    client_as, indicator, state_indicator
):
    client = client_as("municipal_liaison")
    listing = client.get(reverse("evaluation:indicator_list"))
    assert "Viviendas con agua entubada" in listing.text
    assert "Hectáreas reforestadas" in listing.text
    url = reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2])
    assert client.get(url).status_code == 200
    other = reverse("evaluation:measurement_report", args=[state_indicator.pk, 2026, 2])
    assert client.get(other).status_code == 403
    assert client.post(other, {"a": "1"}).status_code == 403
    assert not Measurement.objects.filter(indicator=state_indicator).exists()


def test_a_state_liaison_reads_every_indicator_and_reports_only_the_state_agencys(
    client_as, indicator, state_indicator
):
    client = client_as("state_liaison")
    listing = client.get(reverse("evaluation:indicator_list"))
    assert [i.key for i, _light in listing.context["page"]] == ["E-1", "I-1"]
    assert client.get(reverse("evaluation:indicator_detail", args=[indicator.pk])).status_code == (
        200
    )
    own = reverse("evaluation:measurement_report", args=[state_indicator.pk, 2026, 2])
    other = reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2])
    assert (client.get(own).status_code, client.get(other).status_code) == (200, 403)


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_each_light_as_text_and_filters_by_colour_organization_and_text(
    client_as, indicator, state_indicator, planner
):
    set_target(indicator, 2, "50")
    report(indicator, planner, a="25")  # 25 % against 50 %: red
    client = client_as("planner")
    url = reverse("evaluation:indicator_list")
    page = client.get(url)
    assert "Rojo" in page.text
    assert "Sin reporte" in page.text  # the state agency's 2026-T2 is overdue

    def keys(**query):
        return [i.key for i, _light in client.get(url, query).context["page"]]

    assert keys(color="red") == ["I-1"]
    assert keys(color="no_report") == ["E-1"]
    assert keys(reporta=indicator.reporter_id) == ["I-1"]
    assert keys(q="reforest") == ["E-1"]
    assert keys(q="zzz") == []


def test_the_list_runs_the_same_queries_for_3_and_30_indicators(client_as, make_indicator, planner):
    client = client_as("planner")
    url = reverse("evaluation:indicator_list")

    def queries_with(total):
        for n in range(Indicator.objects.count(), total):
            made = make_indicator(f"Q-{n:02d}")
            set_target(made, 2, "50")
            report(made, planner)
        client.get(url)  # sessions and permission caches warm
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == total
        return len(context)

    assert queries_with(3) == queries_with(30)


def test_the_list_is_paginated_keeping_its_filters(client_as, make_indicator):
    for n in range(55):
        make_indicator(f"P-{n:02d}")
    response = client_as("planner").get(reverse("evaluation:indicator_list"), {"q": "P-"})
    assert len(response.context["page"].object_list) == 50
    assert "?q=P-&amp;pagina=2" in response.text


# --- To report ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_periods_to_report_by_persona(client_as, indicator, state_indicator, persona_name):
    response = client_as(persona_name).get(reverse("evaluation:indicator_to_report"))
    if persona_name == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    keys = {item.indicator.key for item in response.context["due"]}
    assert keys == (
        {"I-1"}
        if persona_name == "municipal_liaison"
        else {"E-1"}
        if persona_name == "state_liaison"
        else set()
    )


def test_the_periods_to_report_are_the_missing_and_returned_ones_newest_first(
    client_as, indicator, planner
):
    set_target(indicator, 1, "50")
    services.measurement_validate(measurement=report(indicator, planner, number=1), by=planner)
    returned = report(indicator, planner, number=2)
    services.measurement_return(
        measurement=returned, observations="Falta el padrón de usuarios.", by=planner
    )
    response = client_as("municipal_liaison").get(reverse("evaluation:indicator_to_report"))
    periods = [item.light.period.label for item in response.context["due"]]
    # 2025's four quarters were never reported; 2026-T1 is validated; 2026-T2 came back.
    assert periods == ["2026-T2", "2025-T4", "2025-T3", "2025-T2", "2025-T1"]
    assert "Falta el padrón de usuarios." in response.text
    assert reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2]) in response.text


# --- Writing the technical sheet ---------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_creating_an_indicator_by_persona(client_as, orgs, pmot_strategy, persona_name):
    client = client_as(persona_name)
    url = reverse("evaluation:indicator_create")
    response = client.post(url, sheet(orgs, pmot_strategy))
    created = Indicator.objects.filter(key="I-9").first()
    if persona_name in PLANNERS:
        assert client.get(url).status_code == 200
        assert response.status_code == 302
        assert created.element == pmot_strategy
        assert created.frequency == "yearly"
    else:
        assert response.status_code == (302 if persona_name == "anonymous" else 403)
        assert created is None


def test_an_indicator_measuring_two_things_is_refused_with_the_service_message(
    client_as,
    orgs,
    pmot_strategy,
    draft_poa,
    make_action,
):
    action = make_action(draft_poa)
    response = client_as("planner").post(
        reverse("evaluation:indicator_create"), sheet(orgs, pmot_strategy, action=action.pk)
    )
    assert response.status_code == 400
    assert "Un indicador mide una sola cosa" in response.text
    response = client_as("planner").post(
        reverse("evaluation:indicator_create"), sheet(orgs, pmot_strategy, element="")
    )
    assert "Un indicador mide una sola cosa" in response.text
    assert not Indicator.objects.filter(key="I-9").exists()


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_editing_an_indicator_by_persona(client_as, orgs, indicator, pmot_strategy, persona_name):
    client = client_as(persona_name)
    url = reverse("evaluation:indicator_edit", args=[indicator.pk])
    fields = sheet(orgs, pmot_strategy, key="I-1", name="Nuevo nombre", frequency="quarterly")
    response = client.post(url, fields | {"first_year": "2025"})
    indicator.refresh_from_db()
    status = expected(persona_name, SEE_WORKS, PLANNERS)
    assert response.status_code == status
    assert client.get(url).status_code == shown(persona_name, status)
    assert (indicator.name == "Nuevo nombre") == (persona_name in PLANNERS)


# --- Targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_setting_targets_by_persona(client_as, indicator, persona_name):
    client = client_as(persona_name)
    url = reverse("evaluation:target_edit", args=[indicator.pk])
    response = client.post(url, {"v-2026-4": "80", "v-2027-1": "85"})
    status = expected(persona_name, SEE_WORKS, PLANNERS)
    assert response.status_code == status
    assert client.get(url).status_code == shown(persona_name, status)
    targets = dict(Target.objects.values_list("number", "value").filter(indicator=indicator))
    assert targets == ({4: Decimal(80), 1: Decimal(85)} if persona_name in PLANNERS else {})


def test_the_target_form_shows_closed_periods_read_only(client_as, indicator, planner):
    set_target(indicator, 1, "40", by=planner)
    response = client_as("planner").get(reverse("evaluation:target_edit", args=[indicator.pk]))
    assert 'name="v-2026-1"' not in response.text  # closed on 31 March
    assert 'name="v-2026-3"' in response.text  # ends 30 September
    assert 'name="v-2027-4"' in response.text
    assert "Periodo cerrado" in response.text


def test_a_retroactive_target_change_is_refused_and_nothing_is_saved(client_as, indicator, planner):
    set_target(indicator, 1, "40", by=planner)
    response = client_as("planner").post(
        reverse("evaluation:target_edit", args=[indicator.pk]),
        {"v-2026-1": "30", "r-2026-1": "Se ajustó", "v-2026-4": "80"},
    )
    assert response.status_code == 400
    # (the month in lower case, as Spanish writes it, whatever the service's date format)
    assert "el periodo 2026-t1 cerró el 31 de marzo de 2026" in response.text.lower()
    assert "no hay metas retroactivas" in response.text
    assert Target.objects.get(indicator=indicator, number=1).value == Decimal(40)
    assert not Target.objects.filter(indicator=indicator, number=4).exists()


def test_a_changed_target_needs_a_reason_and_its_history_shows_on_the_sheet(
    client_as, indicator, planner
):
    client = client_as("planner")
    url = reverse("evaluation:target_edit", args=[indicator.pk])
    client.post(url, {"v-2026-4": "80"})
    refused = client.post(url, {"v-2026-4": "90"})
    assert refused.status_code == 400
    assert "2026-T4" in refused.text
    assert Target.objects.get(indicator=indicator, number=4).value == Decimal(80)
    client.post(url, {"v-2026-4": "90", "r-2026-4": "Nuevo convenio con el estado"})
    sheet_page = client.get(reverse("evaluation:indicator_detail", args=[indicator.pk]))
    changes = [(c.label, c.old, c.new, c.reason) for c in sheet_page.context["changes"]]
    assert changes == [
        ("2026-T4", Decimal(80), Decimal(90), "Nuevo convenio con el estado"),
        ("2026-T4", None, Decimal(80), ""),
    ]
    assert "Nuevo convenio con el estado" in sheet_page.text


def test_a_set_target_cannot_be_emptied(client_as, indicator, planner):
    set_target(indicator, 4, "80", by=planner)
    response = client_as("planner").post(
        reverse("evaluation:target_edit", args=[indicator.pk]), {"v-2026-4": ""}
    )
    assert response.status_code == 400
    assert Target.objects.get(indicator=indicator, number=4).value == Decimal(80)


# --- Measurements ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_reporting_a_measurement_by_persona(client_as, indicator, persona_name):
    client = client_as(persona_name)
    url = reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2])
    response = client.post(url, {"a": "45", "b": "100"})
    status = expected(persona_name, SEE_WORKS, REPORT_WORKS)
    assert response.status_code == status
    assert client.get(url).status_code == shown(persona_name, status)
    assert Measurement.objects.filter(indicator=indicator).exists() == (
        persona_name in REPORT_WORKS
    )


def test_the_report_page_names_the_variables_and_shows_the_target_and_the_value(
    client_as, indicator, planner
):
    set_target(indicator, 2, "50")
    client = client_as("municipal_liaison")
    url = reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2])
    page = client.get(url)
    assert "Viviendas con agua entubada" in page.text
    assert "Viviendas habitadas" in page.text
    assert "Meta del periodo: 50 %" in page.text
    upload = SimpleUploadedFile("informe T2.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url, {"a": "45", "b": "100", "note": "Cifras del padrón", "evidence": upload}
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=indicator, year=2026, number=2)
    assert measurement.value == Decimal(45)
    assert measurement.colour == "green"  # 90 %
    assert measurement.evidence.get().name == "informe T2.pdf"
    after = client.get(url)
    assert "90.0 %" in after.text
    assert "Verde" in after.text
    assert "En espera de validación" in after.text


def test_a_refused_evidence_file_saves_neither_the_file_nor_the_figures(client_as, indicator):
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/x-msdownload")
    response = client_as("municipal_liaison").post(
        reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2]),
        {"a": "45", "b": "100", "evidence": upload},
    )
    assert response.status_code == 400
    assert "Se rechazó el archivo virus.exe: no se aceptan archivos de tipo" in response.text
    assert not Measurement.objects.exists()
    assert not Evidence.objects.exists()


def test_a_period_that_has_not_ended_is_not_reported(client_as, indicator):
    client = client_as("municipal_liaison")
    url = reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 3])
    assert "El periodo aún no termina" in client.get(url).text
    response = client.post(url, {"a": "45", "b": "100"})
    assert response.status_code == 400
    assert "2026-T3" in response.text
    assert not Measurement.objects.exists()


def test_a_period_the_indicator_does_not_have_is_404(client_as, indicator):
    client = client_as("planner")
    assert (
        client.get(
            reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 5])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("evaluation:measurement_report", args=[indicator.pk, 2024, 1])
        ).status_code
        == 404
    )


def test_a_returned_measurement_shows_its_observations_to_the_reporter(
    client_as, indicator, planner
):
    services.measurement_return(
        measurement=report(indicator, planner),
        observations="El padrón no cuadra con el INEGI.",
        by=planner,
    )
    client = client_as("municipal_liaison")
    for url in (
        reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2]),
        reverse("evaluation:indicator_detail", args=[indicator.pk]),
        reverse("evaluation:indicator_to_report"),
    ):
        page = client.get(url)
        assert "El padrón no cuadra con el INEGI." in page.text
        assert "Devuelta con observaciones" in page.text


def test_a_validated_measurement_offers_no_form_and_refuses_a_new_report(
    client_as, indicator, planner
):
    services.measurement_validate(measurement=report(indicator, planner), by=planner)
    client = client_as("municipal_liaison")
    url = reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2])
    assert 'name="a"' not in client.get(url).text
    response = client.post(url, {"a": "1", "b": "100"})
    assert "La medición de 2026-T2 está validada" in response.text
    assert Measurement.objects.get().a == Decimal(45)


# --- Review ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_validating_a_measurement_by_persona(client_as, indicator, planner, persona_name):
    measurement = report(indicator, planner)
    client = client_as(persona_name)
    url = reverse("evaluation:measurement_review", args=[measurement.pk])
    response = client.post(url, {"decision": "validate"})
    status = expected(persona_name, SEE_WORKS, PLANNERS)
    assert response.status_code == status
    assert client.get(url).status_code == shown(persona_name, status)
    measurement.refresh_from_db()
    assert (measurement.status == "validated") == (persona_name in PLANNERS)


def test_returning_needs_observations(client_as, indicator, planner):
    measurement = report(indicator, planner)
    client = client_as("planner")
    url = reverse("evaluation:measurement_review", args=[measurement.pk])
    response = client.post(url, {"decision": "return", "observations": "  "}, follow=True)
    assert "Indique qué debe corregir quien reporta." in response.text
    measurement.refresh_from_db()
    assert measurement.status == "submitted"
    client.post(url, {"decision": "return", "observations": "Adjunte el acta."})
    measurement.refresh_from_db()
    assert (measurement.status, measurement.observations) == ("returned", "Adjunte el acta.")


def test_reviewing_reads_only_posts(client_as, indicator, planner):
    measurement = report(indicator, planner)
    url = reverse("evaluation:measurement_review", args=[measurement.pk])
    client_as("planner").get(url, {"decision": "validate"})
    measurement.refresh_from_db()
    assert measurement.status == "submitted"


# --- Evidence ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_downloading_evidence_by_persona(client_as, indicator, planner, persona_name):
    measurement = report(indicator, planner)
    upload = SimpleUploadedFile("informe.pdf", PDF, content_type="application/pdf")
    evidence = services.evidence_add(measurement=measurement, upload=upload, by=planner)
    evidence.name = "C:\\Users\\enlace/../informe.pdf"  # as some browsers send it
    evidence.save()
    response = client_as(persona_name).get(
        reverse("evaluation:evidence_download", args=[evidence.pk])
    )
    assert response.status_code == expected(persona_name, SEE_WORKS, SEE_WORKS, 200)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="informe.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


# --- The sheet's series ------------------------------------------------------------------------


def test_the_sheet_links_the_strategys_traceability_chain_and_draws_its_series(
    client_as, indicator, pmot_strategy, planner
):
    set_target(indicator, 1, "50")
    report(indicator, planner, number=1, a="48")
    page = client_as("council_member").get(
        reverse("evaluation:indicator_detail", args=[indicator.pk])
    )
    assert reverse("evaluation:chain", args=[pmot_strategy.pk]) in page.text
    assert "<svg" in page.text
    assert "96.0 %" in page.text  # 48 against 50
    assert "Verde" in page.text


def test_the_sheet_runs_the_same_queries_whatever_the_length_of_its_series(
    client_as, make_indicator, planner
):
    client = client_as("planner")

    def queries_for(indicator, measured):
        for number in range(1, measured + 1):
            set_target(indicator, number, "50", year=2025)
            report_2025 = services.measurement_report(
                indicator=indicator,
                year=2025,
                number=number,
                a="45",
                b="100",
                by=planner,
                today=TODAY,
            )
            services.evidence_add(
                measurement=report_2025,
                upload=SimpleUploadedFile(f"t{number}.pdf", PDF, content_type="application/pdf"),
                by=planner,
            )
        url = reverse("evaluation:indicator_detail", args=[indicator.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    assert queries_for(make_indicator("S-1"), 1) == queries_for(make_indicator("S-2"), 4)


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_evidence_file_is_refused_naming_it(client_as, indicator, name):
    response = client_as("municipal_liaison").post(
        reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2]),
        {"a": "45", "b": "100", "evidence": SimpleUploadedFile(name, HOSTILE[name])},
    )
    assert response.status_code == 400
    assert name in response.text
    assert "rechaz" in response.text
    assert not Measurement.objects.filter(indicator=indicator, year=2026, number=2).exists()
