"""The permission matrix (issue 9): every internal URL of `pmot.urls`, filled with ids of real
demo records, asked by every demo persona (and the anonymous public) with GET and POST, and
compared with the explicit table EXPECTED below, written from pmot/actors/roles.py
(ROLE_PERMISSIONS) and the rules modules (budgeting/rules.py, evaluation/rules.py,
pmot/information/rules.py), not recorded from the server's answers.

- GET: the anonymous public is sent to the login page; a persona in the URL's allowed set is
  served (200, or a redirect elsewhere than the login page); every other persona gets 403 or 404;
  nobody ever gets a 500.
- POST (an empty form): every persona outside the URL's POST set gets 403, 404 or 405, and no
  row of the database changes.
- Across organizations: an organization-bound persona (obras, estatal, federal, privado) is
  refused the edit and report pages of another organization's action, indicator, document and
  recommendation, and served those of its own.

The matrix stays complete: a URL name of `pmot.urls` that is neither in EXPECTED nor in SKIPPED
fails the test.
"""

from collections.abc import Callable

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from budgeting.models import Action, BudgetLine
from committees.models import (
    AgendaItem,
    Agreement,
    Body,
    Minutes,
    Session,
    Vote,
)
from evaluation.models import (
    Evaluation,
    EvaluationProgram,
    Evidence,
    Indicator,
    Measurement,
    Recommendation,
)
from evaluation.models import FollowUp as RecommendationFollowUp
from phases.models import Activity, Comment, Consultation, Deliverable, DeliverableVersion, Hearing
from pmot.actors.models import Administration, Membership, Organization, User
from pmot.information.models import Document, DocumentFile, TerritorialUnit
from pmot.planning.models import Alignment, Plan, PlanElement

pytestmark = pytest.mark.django_db

LOGIN = "/acceso/"

# Files a visitor may download when their record is public (login not required): the matrix
# fills them with a record that is not, so the anonymous public gets 404, not the login page.
PUBLIC_WHEN_PUBLISHED = {"information:file_download", "phases:version_download"}
# Views that validate the empty form before asking who posts it: they answer an outsider's
# empty POST with a redirect and an error message. The row counts show nothing changed.
FORM_FIRST = {"committees:vote_cast", "phases:deliverable_review"}

# The demo personas (pmot/actors/demo.py) and the acronym of the organization of each
# organization-bound one.
PERSONAS = [
    "admin",
    "planeacion",
    "secretaria",
    "regidora",
    "comite",
    "obras",
    "estatal",
    "federal",
    "privado",
    "ciudadana",
]
OWN_ORGANIZATION = {"obras": "SOP", "estatal": "SSMAA", "federal": "SEDATU", "privado": "CIC"}

ALL = frozenset(PERSONAS)
ADMIN = frozenset({"admin"})
IMPLAN = frozenset({"admin", "planeacion"})  # IMPLAN administrator and planner
CONDUCT = frozenset({"admin", "secretaria"})  # committees.conduct_body on every body
# evaluation.view_indicator: organization-bound roles read only their own indicators.
READ_INDICATORS = frozenset(
    {"admin", "planeacion", "secretaria", "regidora", "comite", "ciudadana"}
)
# information/rules.can_add_document: IMPLAN, or report_for_organization on some organization.
FILE_DOCUMENTS = IMPLAN | frozenset(OWN_ORGANIZATION)
# portal/handover.can_request: planning.change_program or committees.conduct_body.
HANDOVER = IMPLAN | frozenset({"secretaria"})
NOBODY = frozenset()
GET_ONLY = None  # the URL answers no POST
POST_ONLY = None  # the URL answers no GET


def foreign(queryset, field: str):
    """Rows not bound to the organization of any demo persona, so that the organization-bound
    personas are strangers to them."""
    return queryset.exclude(**{f"{field}__acronym__in": list(OWN_ORGANIZATION.values())})


def first(queryset) -> object:
    obj = queryset.order_by("pk").first()
    assert obj is not None, f"the demo data holds no {queryset.model.__name__} to fill a URL with"
    return obj


def pk(queryset) -> Callable[[], dict]:
    return lambda: {"pk": first(queryset).pk}


def measurement_kwargs() -> dict:
    measurement = first(foreign(Measurement.objects, "indicator__reporter"))
    return {"pk": measurement.indicator_id, "year": measurement.year, "number": measurement.number}


def element_kwargs() -> dict:
    element = first(PlanElement.objects.exclude(plan__key=""))
    return {"key": element.plan.key, "pk": element.pk}


def action_unalign_kwargs() -> dict:
    action = first(foreign(Action.objects.filter(alignments__isnull=False), "responsible"))
    return {"pk": action.pk, "element": action.alignments.order_by("pk").first().pk}


NONE = lambda: {}  # noqa: E731
PLAN = lambda: {"key": first(Plan.objects.exclude(key="")).key}  # noqa: E731
PHASE = lambda: {"number": 1}  # noqa: E731
ACTION = pk(foreign(Action.objects, "responsible"))
INDICATOR = pk(foreign(Indicator.objects, "reporter"))
DOCUMENT = pk(foreign(Document.objects, "author_organization"))
RECOMMENDATION = pk(foreign(Recommendation.objects, "responsible"))
POA = pk(apps.get_model("budgeting", "Poa").objects)
SESSION = pk(Session.objects)
ITEM = pk(AgendaItem.objects)
VOTE = pk(Vote.objects)
AGREEMENT = pk(Agreement.objects)
CONSULTATION = pk(Consultation.objects)
EVALUATION = pk(Evaluation.objects)

# URL name -> (how to fill its path, who is served on GET, who may POST).
# Read pages: every role reads the internal records (_READ_INTERNAL); indicators only
# _READ_INDICATORS. Write pages: the permission named in the comment, from ROLE_PERMISSIONS.
EXPECTED: dict[str, tuple[Callable[[], dict], frozenset | None, frozenset | None]] = {
    # actors
    "actors:organization_list": (NONE, ALL, GET_ONLY),
    "actors:organization_create": (NONE, IMPLAN, IMPLAN),  # add_organization
    "actors:organization_detail": (pk(Organization.objects), ALL, GET_ONLY),
    "actors:organization_update": (
        pk(foreign(Organization.objects, "parent").exclude(acronym__in=OWN_ORGANIZATION.values())),
        IMPLAN,
        IMPLAN,
    ),  # change_organization
    "actors:membership_create": (pk(Organization.objects), ADMIN, ADMIN),  # add_membership
    "actors:membership_end": (pk(Membership.objects), ADMIN, ADMIN),  # change_membership
    "actors:people_list": (NONE, ALL, GET_ONLY),
    "actors:memberships_sync_now": (NONE, POST_ONLY, ADMIN),
    "actors:administration_list": (NONE, ALL, GET_ONLY),
    "actors:administration_create": (NONE, ADMIN, ADMIN),  # add_administration
    "actors:municipality_detail": (NONE, ALL, GET_ONLY),
    "actors:municipality_update": (NONE, ADMIN, ADMIN),  # change_municipality
    # committees
    "committees:body_list": (NONE, ALL, GET_ONLY),
    "committees:body_detail": (lambda: {"key": first(Body.objects).key}, ALL, GET_ONLY),
    "committees:session_create": (lambda: {"key": first(Body.objects).key}, CONDUCT, CONDUCT),
    "committees:session_list": (NONE, ALL, GET_ONLY),
    "committees:session_detail": (SESSION, ALL, GET_ONLY),
    "committees:item_create": (SESSION, POST_ONLY, CONDUCT),
    "committees:session_convene": (SESSION, POST_ONLY, CONDUCT),
    "committees:session_attendance": (SESSION, CONDUCT, CONDUCT),
    "committees:session_close": (SESSION, POST_ONLY, CONDUCT),
    "committees:vote_open": (ITEM, POST_ONLY, CONDUCT),
    "committees:document_create": (ITEM, POST_ONLY, CONDUCT),
    "committees:vote_detail": (VOTE, ALL, GET_ONLY),
    "committees:vote_cast": (VOTE, POST_ONLY, NOBODY),  # members of the body only
    "committees:vote_close": (VOTE, POST_ONLY, CONDUCT),
    "committees:minutes_create": (SESSION, POST_ONLY, CONDUCT),
    "committees:minutes_detail": (pk(Minutes.objects), ALL, CONDUCT),
    "committees:certificate_request": (AGREEMENT, POST_ONLY, CONDUCT),
    "committees:certificate_status": (AGREEMENT, ALL, GET_ONLY),
    "committees:agreement_manage": (AGREEMENT, POST_ONLY, CONDUCT),
    "committees:follow_up_create": (AGREEMENT, POST_ONLY, CONDUCT),
    "committees:agreement_correct": (AGREEMENT, POST_ONLY, CONDUCT),
    "committees:agreement_list": (NONE, ALL, GET_ONLY),
    "committees:agreement_detail": (AGREEMENT, ALL, GET_ONLY),
    # information
    "information:unit_map": (NONE, ALL, GET_ONLY),
    "information:unit_import": (NONE, IMPLAN, IMPLAN),  # import_territorialunit
    "information:unit_create": (NONE, IMPLAN, IMPLAN),  # add_territorialunit
    "information:unit_detail": (lambda: {"key": first(TerritorialUnit.objects).key}, ALL, GET_ONLY),
    "information:unit_update": (
        lambda: {"key": first(TerritorialUnit.objects).key},
        IMPLAN,
        IMPLAN,
    ),  # change_territorialunit
    "information:document_list": (NONE, ALL, GET_ONLY),
    "information:document_create": (NONE, FILE_DOCUMENTS, FILE_DOCUMENTS),
    "information:document_detail": (DOCUMENT, ALL, GET_ONLY),
    "information:document_update": (DOCUMENT, IMPLAN, IMPLAN),  # can_change_document
    "information:file_add": (DOCUMENT, POST_ONLY, IMPLAN),
    "information:file_download": (
        pk(DocumentFile.objects.filter(document__is_published=False)),
        ALL,
        GET_ONLY,
    ),
    # planning
    "planning:program_detail": (NONE, ALL, GET_ONLY),
    "planning:program_edit": (NONE, IMPLAN, IMPLAN),  # change_program
    "planning:plan_list": (NONE, ALL, GET_ONLY),
    "planning:plan_create": (NONE, IMPLAN, IMPLAN),  # add_plan
    "planning:plan_detail": (PLAN, ALL, GET_ONLY),
    "planning:plan_edit": (PLAN, IMPLAN, IMPLAN),  # change_plan
    "planning:plan_export": (lambda: {**PLAN(), "fmt": "csv"}, ALL, GET_ONLY),
    "planning:plan_import": (PLAN, IMPLAN, IMPLAN),  # add_planelement
    "planning:alignment_matrix": (PLAN, ALL, GET_ONLY),
    "planning:matrix_export": (lambda: {**PLAN(), "fmt": "csv"}, ALL, GET_ONLY),
    "planning:element_create": (PLAN, IMPLAN, IMPLAN),  # add_planelement
    "planning:element_detail": (element_kwargs, ALL, GET_ONLY),
    "planning:element_edit": (element_kwargs, IMPLAN, IMPLAN),  # change_planelement
    "planning:alignment_create": (element_kwargs, POST_ONLY, IMPLAN),  # add_alignment
    "planning:alignment_delete": (pk(Alignment.objects), POST_ONLY, IMPLAN),  # delete_alignment
    # phases
    "phases:phase_list": (NONE, ALL, GET_ONLY),
    "phases:phases_prepare": (NONE, POST_ONLY, IMPLAN),  # change_phase
    "phases:phase_detail": (PHASE, ALL, GET_ONLY),
    "phases:phase_plan": (PHASE, IMPLAN, IMPLAN),
    "phases:phase_open": (PHASE, POST_ONLY, IMPLAN),
    "phases:phase_close": (PHASE, POST_ONLY, IMPLAN),
    "phases:deliverable_create": (PHASE, IMPLAN, IMPLAN),  # add_deliverable
    "phases:activity_create": (PHASE, IMPLAN, IMPLAN),  # add_activity
    "phases:deliverable_detail": (pk(Deliverable.objects), ALL, GET_ONLY),
    "phases:version_add": (pk(Deliverable.objects), POST_ONLY, IMPLAN),  # add_deliverableversion
    "phases:deliverable_review": (pk(Deliverable.objects), POST_ONLY, IMPLAN),  # review_deliverable
    "phases:deliverable_publish": (pk(Deliverable.objects), POST_ONLY, IMPLAN),
    "phases:version_download": (pk(DeliverableVersion.objects), ALL, GET_ONLY),
    "phases:activity_progress": (pk(Activity.objects), POST_ONLY, IMPLAN),  # change_activity
    "phases:consultation_list": (NONE, ALL, GET_ONLY),
    "phases:consultation_create": (NONE, IMPLAN, IMPLAN),  # add_consultation
    "phases:consultation_detail": (CONSULTATION, ALL, GET_ONLY),
    "phases:consultation_hearing_add": (CONSULTATION, IMPLAN, IMPLAN),  # add_hearing
    "phases:consultation_record": (CONSULTATION, IMPLAN, IMPLAN),  # add_comment
    "phases:consultation_close": (CONSULTATION, POST_ONLY, IMPLAN),  # change_consultation
    "phases:consultation_publish": (CONSULTATION, POST_ONLY, IMPLAN),
    "phases:consultation_hearing_minutes": (pk(Hearing.objects), IMPLAN, IMPLAN),
    "phases:consultation_comment": (pk(Comment.objects), ALL, IMPLAN),  # change_comment
    # budgeting
    "budgeting:poa_list": (NONE, ALL, GET_ONLY),
    "budgeting:poa_create": (NONE, POST_ONLY, IMPLAN),  # add_poa
    "budgeting:poa_detail": (POA, ALL, GET_ONLY),
    "budgeting:poa_submit": (POA, POST_ONLY, IMPLAN),  # change_poa
    "budgeting:poa_return": (POA, POST_ONLY, IMPLAN),
    "budgeting:modification_open": (POA, POST_ONLY, IMPLAN),  # add_modification
    "budgeting:poa_close": (POA, POST_ONLY, IMPLAN),
    "budgeting:action_create": (POA, IMPLAN, IMPLAN),  # add_action
    "budgeting:action_detail": (ACTION, ALL, GET_ONLY),
    "budgeting:action_edit": (ACTION, IMPLAN, IMPLAN),  # can_edit_action
    "budgeting:action_submit": (ACTION, POST_ONLY, IMPLAN),
    "budgeting:action_align": (ACTION, POST_ONLY, IMPLAN),
    "budgeting:action_unalign": (action_unalign_kwargs, POST_ONLY, IMPLAN),
    "budgeting:line_add": (ACTION, POST_ONLY, IMPLAN),  # can_edit_action
    "budgeting:progress_report": (ACTION, POST_ONLY, IMPLAN),  # can_report_progress
    "budgeting:movement_record": (
        pk(foreign(foreign(BudgetLine.objects, "action__responsible"), "cofinancer")),
        POST_ONLY,
        IMPLAN,
    ),  # can_record_movement
    "budgeting:poa_table_export": (lambda: {**POA(), "fmt": "csv"}, ALL, GET_ONLY),
    "budgeting:poa_table_pdf": (POA, POST_ONLY, ALL),
    "budgeting:poa_import": (POA, IMPLAN, IMPLAN),
    "budgeting:poa_import_template": (lambda: {"fmt": "csv"}, IMPLAN, GET_ONLY),
    "budgeting:charts": (POA, ALL, GET_ONLY),
    "budgeting:coverage": (POA, ALL, GET_ONLY),
    # evaluation
    "evaluation:indicator_list": (NONE, ALL, GET_ONLY),  # each sees the indicators it may
    "evaluation:indicator_to_report": (NONE, ALL, GET_ONLY),
    "evaluation:indicator_create": (NONE, IMPLAN, IMPLAN),  # add_indicator
    "evaluation:indicator_detail": (INDICATOR, READ_INDICATORS, GET_ONLY),
    "evaluation:indicator_edit": (INDICATOR, IMPLAN, IMPLAN),  # change_indicator
    "evaluation:target_edit": (INDICATOR, IMPLAN, IMPLAN),  # change_target
    "evaluation:measurement_report": (measurement_kwargs, IMPLAN, IMPLAN),  # can_report
    "evaluation:measurement_review": (
        pk(foreign(Measurement.objects, "indicator__reporter")),
        IMPLAN,
        IMPLAN,
    ),  # validate_measurement
    "evaluation:evidence_download": (
        pk(foreign(Evidence.objects, "measurement__indicator__reporter")),
        READ_INDICATORS,
        GET_ONLY,
    ),
    "evaluation:dashboard": (NONE, ALL, GET_ONLY),
    "evaluation:evaluation_list": (NONE, ALL, GET_ONLY),
    "evaluation:program_create": (NONE, IMPLAN, IMPLAN),  # add_evaluationprogram
    "evaluation:program_edit": (pk(EvaluationProgram.objects), IMPLAN, IMPLAN),
    "evaluation:program_document": (
        pk(EvaluationProgram.objects.exclude(document="")),
        ALL,
        GET_ONLY,
    ),
    "evaluation:evaluation_create": (NONE, IMPLAN, IMPLAN),  # add_evaluation
    "evaluation:evaluation_detail": (EVALUATION, ALL, GET_ONLY),
    "evaluation:evaluation_edit": (EVALUATION, IMPLAN, IMPLAN),  # change_evaluation
    "evaluation:evaluation_report": (pk(Evaluation.objects.exclude(report="")), ALL, GET_ONLY),
    "evaluation:recommendation_add": (EVALUATION, POST_ONLY, IMPLAN),  # add_recommendation
    "evaluation:recommendation_list": (NONE, ALL, GET_ONLY),
    "evaluation:recommendation_detail": (RECOMMENDATION, ALL, GET_ONLY),
    "evaluation:recommendation_follow_up": (RECOMMENDATION, POST_ONLY, IMPLAN),  # can_follow_up
    "evaluation:followup_evidence": (
        pk(RecommendationFollowUp.objects.exclude(evidence="")),
        ALL,
        GET_ONLY,
    ),
    "evaluation:chain_index": (NONE, ALL, GET_ONLY),
    "evaluation:chain": (
        pk(PlanElement.objects.filter(plan__order=Plan.Order.PMOT)),
        ALL,
        GET_ONLY,
    ),
    "evaluation:indicator_sheet_pdf": (INDICATOR, POST_ONLY, READ_INDICATORS),
    "evaluation:quarterly_report": (NONE, READ_INDICATORS, GET_ONLY),
    "evaluation:quarterly_report_pdf": (
        lambda: {"year": first(Measurement.objects).year, "quarter": 1},
        READ_INDICATORS,
        READ_INDICATORS,
    ),
    # portal (internal pages)
    "portal:dashboard": (NONE, ALL, GET_ONLY),
    "portal:handover": (NONE, HANDOVER, GET_ONLY),
    "portal:handover_administration": (pk(Administration.objects), HANDOVER, HANDOVER),
}

# URL names left out of the matrix, with the reason.
PDF_TOKEN = "needs the token of a PDF render requested in the same session"
NO_DEMO_RECORD = "the demo data holds no record (with a file) to fill it with"
SKIPPED = {
    "committees:document_download": NO_DEMO_RECORD,
    "committees:minutes_pdf": NO_DEMO_RECORD,
    "committees:certificate_pdf": NO_DEMO_RECORD,
    "committees:follow_up_evidence": NO_DEMO_RECORD,
    "phases:consultation_attachment": NO_DEMO_RECORD,
    "budgeting:movement_document": NO_DEMO_RECORD,
    "budgeting:progress_evidence": NO_DEMO_RECORD,
    "budgeting:poa_import_status": NO_DEMO_RECORD,
    "login": "the login page",
    "logout": "logging out",
    "password_change": "a person's own password",
    "password_change_done": "a person's own password",
    "portal:home": "public",
    "portal:health": "public health check for the load balancer",
    "budgeting:poa_table_pdf_status": PDF_TOKEN,
    "budgeting:poa_table_pdf_download": PDF_TOKEN,
    "evaluation:indicator_sheet_pdf_status": PDF_TOKEN,
    "evaluation:indicator_sheet_pdf_download": PDF_TOKEN,
    "evaluation:quarterly_report_pdf_status": PDF_TOKEN,
    "evaluation:quarterly_report_pdf_download": PDF_TOKEN,
    "portal:handover_status": PDF_TOKEN,
    "portal:handover_download": PDF_TOKEN,
}
# Prefixes of the public site and of Django's own admin: not part of the internal matrix.
SKIPPED_PREFIXES = ("admin/", "publico/", "datos/", "^datos/")


def url_names(patterns=None, prefix="", namespace="") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            names |= url_names(
                pattern.url_patterns,
                route,
                f"{namespace}:{inner}".strip(":") if inner else namespace,
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def row_counts() -> dict[str, int]:
    """Row counts of every model of the project (not sessions, logs or history)."""
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.startswith(("sessions.", "admin.", "axes.", "contenttypes.")):
            continue
        if label == "actors.accessevent":  # the security log records each refusal
            continue
        if model._meta.app_label == "auth" and model is not User:
            continue
        if label.split(".")[1].startswith("historical"):
            continue
        counts[label] = model.objects.count()
    return counts


def logged_in(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def refused_to_the_public(name: str, response) -> bool:
    if name in PUBLIC_WHEN_PUBLISHED:
        return response.status_code == 404
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def served(response) -> bool:
    if response.status_code == 200:
        return True
    return response.status_code == 302 and not response["Location"].startswith(LOGIN)


@pytest.fixture
def demo(db, settings):
    settings.PMOT_DEMO_DATA = True
    call_command("load_demo", verbosity=0)


def test_every_url_is_in_the_matrix():
    missing = url_names() - set(EXPECTED) - set(SKIPPED)
    assert not missing, f"new URLs: add them to EXPECTED or SKIPPED: {sorted(missing)}"
    stale = (set(EXPECTED) | set(SKIPPED)) - url_names()
    assert not stale, f"names no longer in pmot.urls: {sorted(stale)}"


def test_every_persona_gets_what_its_role_allows(demo):
    problems: list[str] = []
    urls = {}
    for name, (fill, _get, _post) in EXPECTED.items():
        try:
            urls[name] = reverse(name, kwargs=fill())
        except AssertionError as error:
            problems.append(f"{name}: cannot fill: {error}")
    clients = {username: logged_in(username) for username in PERSONAS}
    anonymous = Client(raise_request_exception=False)

    # GET
    for name, url in urls.items():
        _fill, get_allowed, _post = EXPECTED[name]
        response = anonymous.get(url)
        if not refused_to_the_public(name, response):
            problems.append(f"GET {url} ({name}) anonymous: {response.status_code}")
        for username, client in clients.items():
            status = client.get(url).status_code
            if status >= 500:
                problems.append(f"GET {url} ({name}) {username}: {status}")
            elif get_allowed is POST_ONLY:
                if status != 405:
                    problems.append(f"GET {url} ({name}) {username}: {status}, expected 405")
            elif username in get_allowed:
                if status != 200 and not served(client.get(url)):
                    problems.append(f"GET {url} ({name}) {username}: {status}, expected served")
            elif status not in (403, 404):
                problems.append(f"GET {url} ({name}) {username}: {status}, expected 403/404")

    # POST (an empty form) by everyone outside the URL's POST set; a read page (GET_ONLY) is
    # held to its GET set, since some answer a POST as a GET.
    before = row_counts()
    for name, url in urls.items():
        _fill, get_allowed, post_allowed = EXPECTED[name]
        allowed = get_allowed if post_allowed is GET_ONLY else post_allowed
        response = anonymous.post(url)
        if not refused_to_the_public(name, response):
            problems.append(f"POST {url} ({name}) anonymous: {response.status_code}")
        for username, client in clients.items():
            if username in allowed:
                continue
            status = client.post(url).status_code
            refused = (403, 404, 405, 302) if name in FORM_FIRST else (403, 404, 405)
            if status not in refused:
                problems.append(f"POST {url} ({name}) {username}: {status}, expected 403/404/405")
    after = row_counts()
    changed = {label: (before[label], n) for label, n in after.items() if before[label] != n}
    if changed:
        problems.append(f"refused POSTs changed rows: {changed}")

    # Across organizations
    crossed, own_served = 0, 0
    for username, acronym in OWN_ORGANIZATION.items():
        client = clients[username]
        own = Organization.objects.get(acronym=acronym)
        cases = [
            (Action.objects, "responsible", ["budgeting:action_edit", "budgeting:progress_report"]),
            (
                Indicator.objects,
                "reporter",
                ["evaluation:indicator_detail", "evaluation:indicator_edit"],
            ),
            (Document.objects, "author_organization", ["information:document_update"]),
            (Recommendation.objects, "responsible", ["evaluation:recommendation_follow_up"]),
        ]
        for queryset, field, names in cases:
            # preferably a record of another persona's organization, else of any other
            others = queryset.filter(~Q(**{field: own})).order_by("pk")
            other = (
                others.filter(**{f"{field}__acronym__in": OWN_ORGANIZATION.values()}).first()
                or others.first()
            )
            mine = queryset.filter(**{field: own}).order_by("pk").first()
            for name in names:
                if other is not None:
                    url = reverse(name, kwargs={"pk": other.pk})
                    crossed += 1
                    for method in (client.get, client.post):
                        status = method(url).status_code
                        if status not in (403, 404, 405):
                            problems.append(
                                f"{method.__name__.upper()} {url} ({name}) {username}, another "
                                f"organization's record: {status}"
                            )
                if mine is not None and name in OWN_PAGES:
                    url = reverse(name, kwargs={"pk": mine.pk})
                    status = client.get(url).status_code
                    own_served += 1
                    if status != 200:
                        problems.append(f"GET {url} ({name}) {username}, own record: {status}")
    assert crossed >= 4 * 5, f"only {crossed} records of other organizations were tried"
    assert own_served >= 4, f"only {own_served} pages of the personas' own records were tried"
    assert not problems, "\n".join(problems)


# The pages an organization-bound persona is served for its own organization's record.
OWN_PAGES = {"budgeting:action_edit", "evaluation:indicator_detail", "information:document_update"}
