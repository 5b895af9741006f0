"""The permission matrix (issue 9): every internal URL of `pmot.urls`, filled with ids of real
demo records, asked by every demo persona (and the anonymous public) with GET and POST, and
compared with the explicit table EXPECTED below, written from pmot/actors/roles.py
(ROLE_PERMISSIONS) and the rules modules (budgeting/permissions.py, evaluation/permissions.py,
pmot/information/permissions.py), not recorded from the server's answers.

- GET: the anonymous public is sent to the login page; a persona in the URL's allowed set is
  served (200, or a redirect elsewhere than the login page); every other persona gets 403 or 404;
  nobody ever gets a 500.
- POST to a page that only reads: 405 to everyone (the anonymous public of a staff page is
  sent to the login page first), and no row of the database changes (contents compared).
- POST to the other pages (test_every_post_does_what_it_should): a POST valid for the form,
  with the record in the state it needs (tests/security/posts.py, one per URL name), from
  everyone: every persona outside the URL's POST set gets 403 or 404 and the contents of every
  table stay as they were; each persona in it is served (200, or a redirect that is not the
  login page, the second step, nor back with an error message) and the rows the POST should
  create, update or delete did change, with the values posted.
- Across organizations: an organization-bound persona (obras, estatal, federal, privado) is
  refused every page that changes another organization's action, budget line, indicator,
  measurement, document, recommendation, deliverable, activity and the organization itself, by
  GET and POST, and served the pages of its own; it reads the rest (DOMAIN.md §8): another
  organization's indicator sheet and evidence are served to it.
- The public pages answer GET and HEAD, and 405 to a POST by anyone, which never reaches their
  cache.

Which pages only read is not listed by hand: every view declares the methods it answers
(`require_safe`, `require_POST`, `require_http_methods`, or a class-based view's handlers), and
a view that declares only GET and HEAD reads only. A new view that declares nothing fails
`test_every_view_declares_the_methods_it_answers`; the table's GET_ONLY marks must match the
declarations.

The matrix stays complete: a URL name of `pmot.urls` that is neither in EXPECTED nor in SKIPPED
fails the test, and so does a public URL missing from PUBLIC.
"""

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.core import signing
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from budgeting.models import (
    Action,
    BudgetLine,
    Movement,
    PoaImport,
    ProgressReport,
    RequestedChange,
)
from committees.models import (
    AgendaItem,
    Agreement,
    Body,
    ItemDocument,
    Minutes,
    Session,
    Vote,
)
from committees.models import FollowUp as AgreementFollowUp
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
from phases.views.consultation import RECEIPT_SALT
from pmot.actors.demo import DEMO_PASSWORD
from pmot.actors.models import Administration, Membership, Organization, User
from pmot.information.models import (
    Document,
    DocumentFile,
    DocumentRevision,
    TerritorialUnit,
    UnitImport,
)
from pmot.planning.models import Alignment, Plan, PlanElement, PlanImport
from pmot.portal.selectors import published
from tests.security.effects import (
    LOGIN,
    SECOND_STEP,
    Post,
    accepted,
    check,
    contents,
    contents_changed,
    form_errors,
    refused_by_message,
)
from tests.security.posts import POSTS, UNCHECKED
from tests.uploads import pdf_bytes

pytestmark = pytest.mark.django_db


# Files a visitor may download when their record is public (login not required): the matrix
# fills them with a record that is not, so the anonymous public gets 404, not the login page.
PUBLIC_WHEN_PUBLISHED = {"information:file_download", "phases:version_download"}

# The demo personas (pmot/actors/demo.py) and the acronym of the organization of each
# organization-bound one.
PERSONAS = [
    "admin",
    "planeacion",
    "tesoreria",
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
# evaluation.view_indicator: every role reads every indicator, organization-bound ones too
# (DOMAIN.md §8: they change only their organization's records and read the rest).
READ_INDICATORS = ALL
# information/permissions.can_add_document: IMPLAN, or report_for_organization on some organization.
FILE_DOCUMENTS = IMPLAN | frozenset(OWN_ORGANIZATION)
# portal/handover.can_request: planning.change_program or committees.conduct_body.
HANDOVER = IMPLAN | frozenset({"secretaria"})
# budgeting.authorize_modification: IMPLAN's planner and the treasury hold the budget.
BUDGET_HOLDERS = IMPLAN | frozenset({"tesoreria"})
# budgeting/permissions.can_request_modification: add_modification, or the organization that
# runs an action of the POA (Obras Públicas, in the demo's).
ASK_MODIFICATIONS = IMPLAN | frozenset({"obras"})


class Only:
    """A URL that answers one method: GET_ONLY in the POST column, POST_ONLY in the GET one."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return self.name


GET_ONLY = Only("GET_ONLY")  # the view reads only: a POST gets 405
POST_ONLY = Only("POST_ONLY")  # a GET gets 405


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


def plan_import_kwargs() -> dict:
    record = first(PlanImport.objects)
    return {"key": record.plan.key, "import_pk": record.pk}


def import_kwargs() -> dict:
    record = first(PoaImport.objects)
    return {"pk": record.poa_id, "import_pk": record.pk}


NONE = lambda: {}  # noqa: E731
PLAN = lambda: {"key": first(Plan.objects.exclude(key="")).key}  # noqa: E731
PHASE = lambda: {"number": 1}  # noqa: E731
ACTION = pk(foreign(Action.objects, "responsible"))
# An action no demo persona's organization answers for or co-finances: nobody reports its
# progress but IMPLAN (budgeting/permissions.progress_shares).
STRANGERS_ACTION = pk(foreign(foreign(Action.objects, "responsible"), "lines__cofinancer"))
AWAITING_PROGRESS = pk(ProgressReport.objects.filter(status="reported"))
INDICATOR = pk(foreign(Indicator.objects, "reporter"))
DOCUMENT = pk(foreign(Document.objects, "author_organization"))
RECOMMENDATION = pk(foreign(Recommendation.objects, "responsible"))
POA = pk(apps.get_model("budgeting", "Poa").objects)
MODIFICATION = pk(apps.get_model("budgeting", "Modification").objects)
SESSION = pk(Session.objects)
ITEM = pk(AgendaItem.objects)
VOTE = pk(Vote.objects.filter(item__session__body__kind=Body.Kind.CABILDO))
# Members with a vote of the Cabildo: the council member (not the secretary, who conducts).
CABILDO_VOTERS = frozenset({"regidora"})
AGREEMENT = pk(Agreement.objects)
CONSULTATION = pk(Consultation.objects)
EVALUATION = pk(Evaluation.objects)
DELIVERABLE = pk(foreign(Deliverable.objects, "responsible"))

# URL name -> (how to fill its path, who is served on GET, who may POST).
# Read pages: every role reads the internal records (_READ_INTERNAL), indicators included.
# Write pages: the permission named in the comment, from ROLE_PERMISSIONS.
EXPECTED: dict[str, tuple[Callable[[], dict], frozenset | Only, frozenset | Only]] = {
    # actors
    "actors:organization_list": (NONE, ALL, GET_ONLY),
    "actors:organization_create": (NONE, IMPLAN, IMPLAN),  # add_organization
    "actors:organization_detail": (pk(Organization.objects), ALL, GET_ONLY),
    "actors:organization_history": (pk(Organization.objects), ALL, GET_ONLY),
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
    "committees:body_history": (lambda: {"key": first(Body.objects).key}, ALL, GET_ONLY),
    "committees:session_create": (lambda: {"key": first(Body.objects).key}, CONDUCT, CONDUCT),
    "committees:session_list": (NONE, ALL, GET_ONLY),
    "committees:session_detail": (SESSION, ALL, GET_ONLY),
    "committees:session_history": (SESSION, ALL, GET_ONLY),
    "committees:notice_pdf": (SESSION, ALL, GET_ONLY),
    "committees:agenda_pdf": (SESSION, ALL, GET_ONLY),
    "committees:item_create": (SESSION, POST_ONLY, CONDUCT),
    "committees:session_convene": (SESSION, POST_ONLY, CONDUCT),
    "committees:session_attendance": (SESSION, CONDUCT, CONDUCT),
    "committees:session_close": (SESSION, CONDUCT, CONDUCT),
    "committees:session_edit": (SESSION, CONDUCT, CONDUCT),
    "committees:session_postpone": (SESSION, CONDUCT, CONDUCT),
    "committees:session_cancel": (SESSION, CONDUCT, CONDUCT),
    "committees:attendance_change": (SESSION, POST_ONLY, CONDUCT),
    "committees:leave_create": (lambda: {"key": first(Body.objects).key}, CONDUCT, CONDUCT),
    "committees:vote_open": (ITEM, POST_ONLY, CONDUCT),
    "committees:item_withdraw": (ITEM, CONDUCT, CONDUCT),
    "committees:document_create": (ITEM, POST_ONLY, CONDUCT),
    "committees:document_download": (pk(ItemDocument.objects), ALL, GET_ONLY),
    "committees:vote_detail": (VOTE, ALL, GET_ONLY),
    "committees:vote_cast": (VOTE, POST_ONLY, CABILDO_VOTERS),  # members of the body only
    "committees:vote_close": (VOTE, CONDUCT, CONDUCT),
    "committees:vote_room": (VOTE, POST_ONLY, CONDUCT),
    "committees:vote_excuse": (VOTE, POST_ONLY, CONDUCT),
    "committees:vote_screen": (VOTE, ALL, GET_ONLY),  # as vote_detail: the projector's page
    "committees:minutes_create": (SESSION, POST_ONLY, CONDUCT),
    "committees:minutes_detail": (pk(Minutes.objects), ALL, CONDUCT),
    "committees:minutes_history": (pk(Minutes.objects), ALL, GET_ONLY),
    "committees:minutes_pdf": (pk(Minutes.objects.exclude(pdf="")), ALL, GET_ONLY),
    "committees:certificate_request": (AGREEMENT, POST_ONLY, CONDUCT),
    "committees:certificate_status": (AGREEMENT, ALL, GET_ONLY),
    "committees:certificate_pdf": (pk(Agreement.objects.exclude(certificate="")), ALL, GET_ONLY),
    "committees:agreement_manage": (AGREEMENT, POST_ONLY, CONDUCT),
    "committees:follow_up_create": (AGREEMENT, POST_ONLY, CONDUCT),
    "committees:follow_up_evidence": (
        pk(AgreementFollowUp.objects.exclude(evidence="")),
        ALL,
        GET_ONLY,
    ),
    "committees:agreement_correct": (AGREEMENT, POST_ONLY, CONDUCT),
    "committees:agreement_list": (NONE, ALL, GET_ONLY),
    "committees:agreement_detail": (AGREEMENT, ALL, GET_ONLY),
    "committees:agreement_history": (AGREEMENT, ALL, GET_ONLY),
    "committees:agreement_document": (
        pk(Agreement.objects.exclude(scanned_document="")),
        ALL,
        GET_ONLY,
    ),
    # information
    "information:unit_map": (NONE, ALL, GET_ONLY),
    "information:unit_import": (NONE, IMPLAN, IMPLAN),  # import_territorialunit
    "information:unit_import_status": (pk(UnitImport.objects), IMPLAN, GET_ONLY),
    "information:unit_create": (NONE, IMPLAN, IMPLAN),  # add_territorialunit
    "information:unit_detail": (lambda: {"key": first(TerritorialUnit.objects).key}, ALL, GET_ONLY),
    "information:unit_history": (
        lambda: {"key": first(TerritorialUnit.objects).key},
        ALL,
        GET_ONLY,
    ),
    "information:unit_update": (
        lambda: {"key": first(TerritorialUnit.objects).key},
        IMPLAN,
        IMPLAN,
    ),  # change_territorialunit
    "information:document_list": (NONE, ALL, GET_ONLY),
    "information:document_create": (NONE, FILE_DOCUMENTS, FILE_DOCUMENTS),
    "information:document_detail": (DOCUMENT, ALL, GET_ONLY),
    "information:document_history": (DOCUMENT, ALL, GET_ONLY),
    "information:document_update": (DOCUMENT, IMPLAN, IMPLAN),  # can_change_document
    "information:file_add": (DOCUMENT, POST_ONLY, IMPLAN),
    # information/permissions.can_publish: IMPLAN reviews what it publishes.
    "information:revision_approve": (pk(DocumentRevision.objects), POST_ONLY, IMPLAN),
    "information:revision_reject": (pk(DocumentRevision.objects), POST_ONLY, IMPLAN),
    "information:file_download": (
        pk(DocumentFile.objects.filter(document__is_published=False)),
        ALL,
        GET_ONLY,
    ),
    # planning
    "planning:program_detail": (NONE, ALL, GET_ONLY),
    "planning:program_history": (NONE, ALL, GET_ONLY),
    "planning:program_edit": (NONE, IMPLAN, IMPLAN),  # change_program
    "planning:plan_list": (NONE, ALL, GET_ONLY),
    "planning:plan_create": (NONE, IMPLAN, IMPLAN),  # add_plan
    "planning:plan_detail": (PLAN, ALL, GET_ONLY),
    "planning:plan_history": (PLAN, ALL, GET_ONLY),
    "planning:plan_edit": (PLAN, IMPLAN, IMPLAN),  # change_plan
    "planning:plan_export": (lambda: {**PLAN(), "fmt": "csv"}, ALL, GET_ONLY),
    "planning:plan_import": (PLAN, IMPLAN, IMPLAN),  # add_planelement
    "planning:plan_import_status": (plan_import_kwargs, IMPLAN, GET_ONLY),
    "planning:alignment_matrix": (PLAN, ALL, GET_ONLY),
    "planning:matrix_export": (lambda: {**PLAN(), "fmt": "csv"}, ALL, GET_ONLY),
    "planning:element_create": (PLAN, IMPLAN, IMPLAN),  # add_planelement
    "planning:element_detail": (element_kwargs, ALL, GET_ONLY),
    "planning:element_history": (element_kwargs, ALL, GET_ONLY),
    "planning:element_edit": (element_kwargs, IMPLAN, IMPLAN),  # change_planelement
    "planning:alignment_create": (element_kwargs, POST_ONLY, IMPLAN),  # add_alignment
    "planning:alignment_delete": (pk(Alignment.objects), POST_ONLY, IMPLAN),  # delete_alignment
    # phases
    "phases:phase_list": (NONE, ALL, GET_ONLY),
    "phases:phases_prepare": (NONE, POST_ONLY, IMPLAN),  # change_phase
    "phases:phase_detail": (PHASE, ALL, GET_ONLY),
    "phases:phase_history": (PHASE, ALL, GET_ONLY),
    "phases:phase_plan": (PHASE, IMPLAN, IMPLAN),
    "phases:phase_open": (PHASE, POST_ONLY, IMPLAN),
    "phases:deliverable_create": (PHASE, IMPLAN, IMPLAN),  # add_deliverable
    "phases:activity_create": (PHASE, IMPLAN, IMPLAN),  # add_activity
    "phases:deliverable_detail": (DELIVERABLE, ALL, GET_ONLY),
    "phases:deliverable_history": (DELIVERABLE, ALL, GET_ONLY),
    "phases:version_add": (DELIVERABLE, POST_ONLY, IMPLAN),  # add_deliverableversion
    "phases:deliverable_review": (DELIVERABLE, POST_ONLY, IMPLAN),  # review_deliverable
    "phases:deliverable_publish": (DELIVERABLE, POST_ONLY, IMPLAN),
    "phases:version_download": (pk(DeliverableVersion.objects), ALL, GET_ONLY),
    "phases:activity_progress": (
        pk(foreign(Activity.objects, "responsible")),
        POST_ONLY,
        IMPLAN,
    ),  # change_activity
    "phases:consultation_list": (NONE, ALL, GET_ONLY),
    "phases:consultation_create": (NONE, IMPLAN, IMPLAN),  # add_consultation
    "phases:consultation_detail": (CONSULTATION, ALL, GET_ONLY),
    "phases:consultation_history": (CONSULTATION, ALL, GET_ONLY),
    "phases:consultation_hearing_add": (CONSULTATION, IMPLAN, IMPLAN),  # add_hearing
    "phases:consultation_record": (CONSULTATION, IMPLAN, IMPLAN),  # add_comment
    "phases:consultation_close": (CONSULTATION, POST_ONLY, IMPLAN),  # change_consultation
    "phases:consultation_publish": (CONSULTATION, POST_ONLY, IMPLAN),
    "phases:consultation_hearing_minutes": (pk(Hearing.objects), IMPLAN, IMPLAN),
    "phases:consultation_comment": (pk(Comment.objects), ALL, IMPLAN),  # change_comment
    "phases:consultation_attachment": (pk(Comment.objects.exclude(attachment="")), ALL, GET_ONLY),
    # budgeting
    "budgeting:poa_list": (NONE, ALL, GET_ONLY),
    "budgeting:poa_create": (NONE, POST_ONLY, IMPLAN),  # add_poa
    "budgeting:poa_detail": (POA, ALL, GET_ONLY),
    "budgeting:poa_history": (POA, ALL, GET_ONLY),
    "budgeting:poa_submit": (POA, POST_ONLY, IMPLAN),  # change_poa
    "budgeting:poa_return": (POA, POST_ONLY, IMPLAN),
    "budgeting:modification_open": (POA, POST_ONLY, ASK_MODIFICATIONS),
    "budgeting:modification_detail": (MODIFICATION, ALL, GET_ONLY),
    "budgeting:modification_history": (MODIFICATION, ALL, GET_ONLY),
    "budgeting:modification_authorize": (MODIFICATION, POST_ONLY, BUDGET_HOLDERS),
    "budgeting:modification_reject": (MODIFICATION, POST_ONLY, BUDGET_HOLDERS),
    "budgeting:request_document": (pk(RequestedChange.objects), ALL, GET_ONLY),
    "budgeting:poa_close": (POA, IMPLAN, IMPLAN),  # change_poa: a confirmation page, then POST
    "budgeting:action_create": (POA, IMPLAN, IMPLAN),  # add_action
    "budgeting:action_detail": (ACTION, ALL, GET_ONLY),
    "budgeting:action_history": (ACTION, ALL, GET_ONLY),
    "budgeting:action_edit": (ACTION, IMPLAN, IMPLAN),  # can_edit_action
    "budgeting:action_submit": (ACTION, POST_ONLY, IMPLAN),
    "budgeting:action_align": (ACTION, POST_ONLY, IMPLAN),
    "budgeting:action_unalign": (action_unalign_kwargs, POST_ONLY, IMPLAN),
    "budgeting:line_add": (ACTION, POST_ONLY, IMPLAN),  # can_edit_action
    "budgeting:progress_report": (STRANGERS_ACTION, POST_ONLY, IMPLAN),  # can_report_progress
    "budgeting:movement_record": (
        pk(foreign(foreign(BudgetLine.objects, "action__responsible"), "cofinancer")),
        POST_ONLY,
        IMPLAN,
    ),  # can_record_movement
    "budgeting:movement_document": (pk(Movement.objects.exclude(document="")), ALL, GET_ONLY),
    "budgeting:progress_evidence": (
        pk(ProgressReport.objects.exclude(evidence="")),
        ALL,
        GET_ONLY,
    ),
    "budgeting:progress_queue": (NONE, IMPLAN, GET_ONLY),  # validate_progressreport
    "budgeting:progress_validate": (AWAITING_PROGRESS, POST_ONLY, IMPLAN),
    "budgeting:progress_return": (AWAITING_PROGRESS, POST_ONLY, IMPLAN),
    "budgeting:poa_table_export": (lambda: {**POA(), "fmt": "csv"}, ALL, GET_ONLY),
    "budgeting:poa_table_pdf": (POA, POST_ONLY, ALL),
    "budgeting:poa_import": (POA, IMPLAN, IMPLAN),
    "budgeting:poa_import_status": (import_kwargs, IMPLAN, GET_ONLY),  # add_action
    "budgeting:poa_import_template": (lambda: {"fmt": "csv"}, IMPLAN, GET_ONLY),
    "budgeting:charts": (POA, ALL, GET_ONLY),
    "budgeting:coverage": (POA, ALL, GET_ONLY),
    # evaluation
    "evaluation:indicator_list": (NONE, ALL, GET_ONLY),  # each sees the indicators it may
    "evaluation:indicator_to_report": (NONE, ALL, GET_ONLY),
    "evaluation:indicator_create": (NONE, IMPLAN, IMPLAN),  # add_indicator
    "evaluation:indicator_detail": (INDICATOR, READ_INDICATORS, GET_ONLY),
    "evaluation:indicator_history": (INDICATOR, READ_INDICATORS, GET_ONLY),
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
    "evaluation:evaluation_history": (EVALUATION, ALL, GET_ONLY),
    "evaluation:evaluation_edit": (EVALUATION, IMPLAN, IMPLAN),  # change_evaluation
    "evaluation:evaluation_report": (pk(Evaluation.objects.exclude(report="")), ALL, GET_ONLY),
    "evaluation:recommendation_add": (EVALUATION, POST_ONLY, IMPLAN),  # add_recommendation
    "evaluation:recommendation_list": (NONE, ALL, GET_ONLY),
    "evaluation:recommendation_detail": (RECOMMENDATION, ALL, GET_ONLY),
    "evaluation:recommendation_history": (RECOMMENDATION, ALL, GET_ONLY),
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
OWN_SECOND_STEP = "a person's own second step of login (tests/actors/test_two_factor.py)"
SKIPPED = {
    "login": "the login page",
    "logout": "logging out",
    "password_change": "a person's own password",
    "password_change_done": "a person's own password",
    "second_step": OWN_SECOND_STEP,
    "second_step_enroll": OWN_SECOND_STEP,
    "account_security": OWN_SECOND_STEP,
    "backup_codes_new": OWN_SECOND_STEP,
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

# Views that declare no methods, with the reason (Django's admin is left out: its own views).
METHODS_UNDECLARED: dict[str, str] = {}


def published_poa():
    return first(published.poas())


def published_action() -> dict:
    action = first(published.actions().select_related("poa"))
    return {"year": action.poa.fiscal_year, "pk": action.pk}


def receipt_token() -> dict:
    return {"token": signing.dumps(first(Comment.objects).folio, salt=RECEIPT_SALT)}


# The public pages (login not required) and how to fill them with a published record: each
# answers GET and HEAD alike, and 405 to a POST by anyone.
PUBLIC: dict[str, Callable[[], dict]] = {
    "portal:home": NONE,
    "portal:health": NONE,
    "portal:phases": NONE,
    "portal:strategies": NONE,
    "portal:strategy": pk(published.elements().filter(plan__order=Plan.Order.PMOT)),
    "portal:poa": NONE,
    "portal:poa_year": lambda: {"year": published_poa().fiscal_year},
    "portal:poa_map": lambda: {"year": published_poa().fiscal_year},
    "portal:action": published_action,
    "portal:territory": NONE,
    "portal:territory_map": NONE,
    "portal:indicators": NONE,
    "portal:indicator": pk(published.indicators()),
    "portal:evaluations": NONE,
    "portal:evaluation": pk(published.evaluations()),
    "portal:evaluation_report": pk(published.evaluations().exclude(report="")),
    "portal:evaluation_program_document": lambda: {
        "year": first(published.evaluation_programs().exclude(document="")).year
    },
    "portal:open_data": NONE,
    "portal:dataset": lambda: {"name": "agreements", "fmt": "csv"},
    "portal:dataset_year": lambda: {
        "year": published_poa().fiscal_year,
        "name": "actions",
        "fmt": "csv",
    },
    "committees:public_agreements": NONE,
    "committees:public_agreement": pk(published.agreements()),
    "committees:public_session": pk(Session.objects.filter(status="closed", historical=False)),
    "committees:public_body": NONE,
    "committees:public_sessions": NONE,
    "committees:public_minutes_pdf": pk(published.minutes().exclude(pdf="")),
    "committees:public_agreement_document": pk(Agreement.objects.exclude(scanned_document="")),
    "information:public_documents": NONE,
    "information:public_document": pk(published.documents()),
    "phases:consultation_public": NONE,
    "phases:consultation_public_receipt": receipt_token,
    "phases:consultation_public_follow": NONE,
    "phases:consultation_public_answers": pk(
        Consultation.objects.filter(answers_published_at__isnull=False)
    ),
}
# Public URLs that are not read-only pages, or not pages of the public site.
PUBLIC_OTHER = {
    "login": "the login page",
    "phases:consultation_public_comment": "the citizens' comment form: GET and POST",
    **dict.fromkeys(PUBLIC_WHEN_PUBLISHED, "a staff file, public once published: in EXPECTED"),
}


def every_url(patterns=None, prefix="", namespace="") -> Iterator[tuple[str, str, Callable]]:
    """(route, name, view) of every named URL of pmot.urls."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from every_url(
                pattern.url_patterns,
                route,
                f"{namespace}:{inner}".strip(":") if inner else namespace,
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield route, name, pattern.callback


def url_names() -> set[str]:
    return {name for route, name, _view in every_url() if not route.startswith(SKIPPED_PREFIXES)}


# The check `require_http_methods` (and so `require_safe`, `require_GET`, `require_POST`) puts
# in front of a view: one code object, whose closure holds the methods it lets through.
_METHODS_CHECK = require_http_methods(["GET"])(lambda request: None).__code__
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def declared_methods(view) -> frozenset[str] | None:
    """The HTTP methods a view declares it answers, or None when it declares none."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:  # a class-based view answers the methods it has handlers for
        return frozenset(
            method.upper() for method in view_class.http_method_names if hasattr(view_class, method)
        )
    layer = view
    while layer is not None:
        if getattr(layer, "__code__", None) is _METHODS_CHECK:
            cells = dict(zip(layer.__code__.co_freevars, layer.__closure__, strict=True))
            return frozenset(cells["request_method_list"].cell_contents)
        layer = getattr(layer, "__wrapped__", None)
    return None


def reads_only(view) -> bool:
    methods = declared_methods(view)
    return methods is not None and methods <= READ_METHODS


def is_public(view) -> bool:
    return getattr(view, "login_required", True) is False


def logged_in(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def refused_to_the_public(name: str, response) -> bool:
    if name in PUBLIC_WHEN_PUBLISHED:
        return response.status_code == 404
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def served(response) -> bool:
    """200, or a redirect elsewhere than the login page or its second step."""
    if response.status_code == 200:
        return True
    return response.status_code == 302 and not response["Location"].startswith((LOGIN, SECOND_STEP))


PDF = pdf_bytes("pmot permission matrix")


def add_what_the_demo_leaves_out() -> None:
    """Records and files the demo data leaves out, so that every download URL joins the matrix:
    a document of an agenda item, the PDFs of minutes and of a certificate, the evidence of an
    agreement's follow-up, a citizen's attachment, a movement's supporting document, a progress
    report's evidence, an import of actions into a POA; and an earlier consultation, closed
    with its answers published, for the public page of answers."""
    ItemDocument.objects.create(
        item=first(AgendaItem.objects), title="Dictamen", file=ContentFile(PDF, name="d.pdf")
    )
    first(Minutes.objects).pdf.save("acta.pdf", ContentFile(PDF))
    first(published.minutes()).pdf.save("acta.pdf", ContentFile(PDF))
    first(Agreement.objects).certificate.save("certificacion.pdf", ContentFile(PDF))
    first(AgreementFollowUp.objects).evidence.save("evidencia.pdf", ContentFile(PDF))
    comment = first(Comment.objects)
    comment.attachment.save("anexo.pdf", ContentFile(PDF), save=False)
    comment.attachment_name, comment.attachment_type = "anexo.pdf", "application/pdf"
    comment.save()
    movement = first(foreign(Movement.objects, "line__action__responsible"))
    movement.document.save("factura.pdf", ContentFile(PDF), save=False)
    movement.document_name = "factura.pdf"
    movement.save()
    report = first(foreign(ProgressReport.objects, "action__responsible"))
    report.evidence.save("evidencia.pdf", ContentFile(PDF), save=False)
    report.evidence_name, report.evidence_type = "evidencia.pdf", "application/pdf"
    report.save()
    PoaImport.objects.create(
        poa=first(apps.get_model("budgeting", "Poa").objects),
        original_name="acciones.csv",
        requested_by=User.objects.get(username="planeacion"),
    )
    PlanImport.objects.create(
        plan=first(Plan.objects.exclude(key="")),
        original_name="plan.csv",
        requested_by=User.objects.get(username="planeacion"),
    )
    UnitImport.objects.create(
        original_name="unidades.geojson", requested_by=User.objects.get(username="planeacion")
    )
    current = first(Consultation.objects)
    Consultation.objects.create(
        program=current.program,
        title="Consulta anterior",
        agreement=current.agreement,
        opens_on=current.opens_on - datetime.timedelta(days=60),
        days=10,
        business_days=False,
        closes_on=current.opens_on - datetime.timedelta(days=50),
        closed_at=timezone.now() - datetime.timedelta(days=45),
        answers_published_at=timezone.now() - datetime.timedelta(days=40),
    )


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for the module (it takes a while) inside a transaction that is
    rolled back after the module's last test; each test runs in a savepoint of its own."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PMOT_DEMO_DATA=True, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0)
        add_what_the_demo_leaves_out()
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db, settings):
    settings.MEDIA_ROOT = demo_data


def test_every_url_is_in_the_matrix():
    missing = url_names() - set(EXPECTED) - set(SKIPPED)
    assert not missing, f"new URLs: add them to EXPECTED or SKIPPED: {sorted(missing)}"
    stale = (set(EXPECTED) | set(SKIPPED)) - url_names()
    assert not stale, f"names no longer in pmot.urls: {sorted(stale)}"
    public = {
        name
        for route, name, view in every_url()
        if is_public(view) and not route.startswith("admin/")
    }
    missing = public - set(PUBLIC) - set(PUBLIC_OTHER)
    assert not missing, f"new public URLs: add them to PUBLIC or PUBLIC_OTHER: {sorted(missing)}"
    stale = (set(PUBLIC) | set(PUBLIC_OTHER)) - public
    assert not stale, f"names no longer public URLs of pmot.urls: {sorted(stale)}"


def test_every_view_declares_the_methods_it_answers():
    """So that a page that only reads answers a POST with 405 and not as a GET: a new view that
    declares no methods fails here, and the table's GET_ONLY follows the declarations."""
    views = {name: view for route, name, view in every_url() if not route.startswith("admin/")}
    assert len(views) > 150
    undeclared = sorted(
        name
        for name, view in views.items()
        if declared_methods(view) is None and name not in METHODS_UNDECLARED
    )
    assert not undeclared, (
        "views that declare no methods: decorate them with require_safe (a page that only "
        "reads), require_POST or require_http_methods, or list them in METHODS_UNDECLARED with "
        f"the reason: {undeclared}"
    )
    assert not set(METHODS_UNDECLARED) - set(views), "stale names in METHODS_UNDECLARED"
    mismatched = sorted(
        name
        for name, (_fill, _get, post_allowed) in EXPECTED.items()
        if reads_only(views[name]) != (post_allowed is GET_ONLY)
    )
    assert not mismatched, f"GET_ONLY in EXPECTED but not a read-only view, or back: {mismatched}"
    not_read_only = sorted(name for name in PUBLIC if not reads_only(views[name]))
    assert not not_read_only, f"public pages that do not declare require_safe: {not_read_only}"


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
            response = client.get(url)
            status = response.status_code
            if status >= 500:
                problems.append(f"GET {url} ({name}) {username}: {status}")
            elif get_allowed is POST_ONLY:
                if status != 405:
                    problems.append(f"GET {url} ({name}) {username}: {status}, expected 405")
            elif username in get_allowed:
                if not served(response):
                    problems.append(f"GET {url} ({name}) {username}: {status}, expected served")
            elif status not in (403, 404):
                problems.append(f"GET {url} ({name}) {username}: {status}, expected 403/404")

    # POST to a page that only reads: 405 to everyone, even to those it serves, and no row
    # changed. (The pages that take a POST: test_every_post_does_what_it_should.)
    before = contents()
    read_only = 0
    for name, url in urls.items():
        view = resolve(url).func
        if not reads_only(view):
            continue
        read_only += 1
        response = anonymous.post(url)
        if is_public(view):
            if response.status_code != 405:
                problems.append(f"POST {url} ({name}) anonymous: {response.status_code}, not 405")
        elif not refused_to_the_public(name, response):
            problems.append(f"POST {url} ({name}) anonymous: {response.status_code}")
        for username, client in clients.items():
            status = client.post(url).status_code
            if status != 405:
                problems.append(f"POST {url} ({name}) {username}: {status}, expected 405")
    changed = contents_changed(before, contents())
    if changed:
        problems.append(f"POSTs to read-only pages changed rows: {changed}")
    assert read_only >= 60, f"only {read_only} read-only pages were posted to"
    assert not problems, "\n".join(problems)


def post_names() -> list[str]:
    return [name for name, (_fill, _get, post) in EXPECTED.items() if post is not GET_ONLY]


def test_every_url_that_takes_a_post_has_a_valid_one():
    """A new URL that takes a POST joins POSTS (tests/security/posts.py) with valid data and
    the rows it changes, or the matrix cannot show that those allowed get what they ask."""
    missing = sorted(set(post_names()) - set(POSTS) - set(UNCHECKED))
    assert not missing, f"add a valid POST and its effects to POSTS: {missing}"
    stale = sorted((set(POSTS) | set(UNCHECKED)) - set(post_names()))
    assert not stale, f"POSTS or UNCHECKED for URLs that take no POST: {stale}"
    assert not set(POSTS) & set(UNCHECKED), "a URL in both POSTS and UNCHECKED"


def test_every_post_does_what_it_should(demo):
    """Each URL that takes a POST gets the same valid POST from everyone: the anonymous public
    is sent to the login page, the personas outside its POST set get 403 or 404 and no row of
    any table changes (contents compared); each persona in it is served (not sent to the login
    page, the second step or back with an error) and the rows it should change did."""
    problems: list[str] = []
    clients = {username: logged_in(username) for username in PERSONAS}
    anonymous = Client(raise_request_exception=False)
    for name in post_names():
        fill, _get, allowed = EXPECTED[name]
        with transaction.atomic():
            if name in POSTS:
                post = POSTS[name](fill(), clients[min(allowed)])
            else:  # UNCHECKED, or missing (test_every_url_that_takes_a_post_has_a_valid_one)
                post = Post(fill(), {}, [])  # only the refusals are checked
            url = reverse(name, kwargs=post.kwargs)
            before = contents()
            response = anonymous.post(url, post.fresh_data())
            if not refused_to_the_public(name, response):
                problems.append(f"POST {url} ({name}) anonymous: {response.status_code}")
            for username, client in clients.items():
                if username in allowed:
                    continue
                status = client.post(url, post.fresh_data()).status_code
                if status not in (403, 404):
                    problems.append(f"POST {url} ({name}) {username}: {status}, not 403/404")
            changed = contents_changed(before, contents())
            if changed:
                problems.append(f"POST {url} ({name}) refused, yet rows changed: {changed}")
            for username in sorted(allowed if name in POSTS else ()):
                with transaction.atomic():
                    response, missing = check(
                        post, lambda data, c=clients[username], u=url: c.post(u, data), username
                    )
                    if not accepted(response):
                        problems.append(
                            f"POST {url} ({name}) {username}: {response.status_code} "
                            f"{response.get('Location', '')} {refused_by_message(response)} "
                            f"{form_errors(response)}"
                        )
                    elif missing:
                        problems.append(
                            f"POST {url} ({name}) {username}: {missing} {form_errors(response)}"
                        )
                    transaction.set_rollback(True)
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def by_pk(obj) -> dict:
    return {"pk": obj.pk}


def unalign_kwargs(action) -> dict | None:
    alignment = action.alignments.order_by("pk").first()
    return alignment and {"pk": action.pk, "element": alignment.pk}


def measurement_period(indicator) -> dict | None:
    measurement = indicator.measurements.order_by("pk").first()
    return measurement and {
        "pk": indicator.pk,
        "year": measurement.year,
        "number": measurement.number,
    }


# Every kind of URL that takes an organization-bound record: (the records, the fields that name
# their organizations, none for an organization itself, URL name -> how to fill it with one).
ORGANIZATION_BOUND = [
    (Organization.objects, (), {"actors:organization_update": by_pk}),
    (
        Action.objects,
        ("responsible",),
        {
            "budgeting:action_edit": by_pk,
            "budgeting:action_submit": by_pk,
            "budgeting:action_align": by_pk,
            "budgeting:action_unalign": unalign_kwargs,
            "budgeting:line_add": by_pk,
        },
    ),
    # The responsible organization and those co-financing a line report progress, each its
    # own share.
    (Action.objects, ("responsible", "lines__cofinancer"), {"budgeting:progress_report": by_pk}),
    (
        BudgetLine.objects,
        ("action__responsible", "cofinancer"),
        {"budgeting:movement_record": by_pk},
    ),
    (
        Indicator.objects,
        ("reporter",),
        {
            "evaluation:indicator_detail": by_pk,
            "evaluation:indicator_edit": by_pk,
            "evaluation:target_edit": by_pk,
            "evaluation:measurement_report": measurement_period,
        },
    ),
    (Measurement.objects, ("indicator__reporter",), {"evaluation:measurement_review": by_pk}),
    (
        Evidence.objects,
        ("measurement__indicator__reporter",),
        {"evaluation:evidence_download": by_pk},
    ),
    (
        Document.objects,
        ("author_organization",),
        {"information:document_update": by_pk, "information:file_add": by_pk},
    ),
    (Recommendation.objects, ("responsible",), {"evaluation:recommendation_follow_up": by_pk}),
    (
        Deliverable.objects,
        ("responsible",),
        {"phases:version_add": by_pk, "phases:deliverable_review": by_pk},
    ),
    (Activity.objects, ("responsible",), {"phases:activity_progress": by_pk}),
]
# The pages that only read an organization-bound record: served to every organization-bound
# persona whoever's the record (DOMAIN.md §8), a POST refused with 405. (The indicator sheet's
# PDF, asked by POST for any indicator: the EXPECTED matrix, filled with a foreign indicator.)
READ_ACROSS = {"evaluation:indicator_detail", "evaluation:evidence_download"}
# The pages an organization-bound persona is served for its own organization's record.
OWN_PAGES = {
    "actors:organization_update",  # change_organization on its own organization
    "budgeting:action_edit",  # budgeting/permissions.can_edit_action
    "evaluation:indicator_detail",  # evaluation/permissions.can_see_indicator
    "evaluation:measurement_report",  # evaluation/permissions.can_report
    "information:document_update",  # information/permissions.can_change_document
}


def any_of(fields: tuple[str, ...], value, lookup: str) -> Q:
    """Q(field__lookup=value) | … over `fields`; Q(lookup=value) on an organization itself."""
    q = Q()
    for field in fields or ("",):
        q |= Q(**{"__".join(filter(None, (field, lookup))): value})
    return q


def test_no_persona_reaches_another_organizations_records(demo):
    """An organization-bound persona asks for every organization-bound URL filled with another
    organization's record (preferably another persona's), by GET and POST: refused, never
    served, unless the page only reads (READ_ACROSS: served); the same URLs with its own records
    are served where its role allows."""
    problems: list[str] = []
    clients = {username: logged_in(username) for username in OWN_ORGANIZATION}  # before reading
    before = contents()
    crossed, own_served = set(), 0
    for username, acronym in OWN_ORGANIZATION.items():
        client = clients[username]
        own = Organization.objects.get(acronym=acronym)
        for queryset, fields, names in ORGANIZATION_BOUND:
            owned = any_of(fields, own.pk, "pk")
            others = queryset.filter(~owned).order_by("pk")
            theirs = any_of(fields, OWN_ORGANIZATION.values(), "acronym__in")
            candidates = [*others.filter(theirs)[:5], *others[:5]]
            mine = queryset.filter(owned).order_by("pk")[:5]
            for name, fill in names.items():
                kwargs = next((k for k in map(fill, candidates) if k is not None), None)
                if kwargs is None:
                    problems.append(f"{name}: no record of another organization to try")
                    continue
                url = reverse(name, kwargs=kwargs)
                crossed.add(name)
                if name in READ_ACROSS:
                    statuses = (client.get(url).status_code, client.post(url).status_code)
                    if statuses != (200, 405):
                        problems.append(
                            f"GET, POST {url} ({name}) {username}, another organization's "
                            f"record to read: {statuses}, expected (200, 405)"
                        )
                for method in (client.get, client.post) if name not in READ_ACROSS else ():
                    status = method(url).status_code
                    if status not in (403, 404, 405):
                        problems.append(
                            f"{method.__name__.upper()} {url} ({name}) {username}, another "
                            f"organization's record: {status}"
                        )
                own_kwargs = next((k for k in map(fill, mine) if k is not None), None)
                if name in OWN_PAGES and own_kwargs is not None:
                    url = reverse(name, kwargs=own_kwargs)
                    own_served += 1
                    status = client.get(url).status_code
                    if status != 200:
                        problems.append(f"GET {url} ({name}) {username}, own record: {status}")
    changed = contents_changed(before, contents())
    if changed:
        problems.append(f"refused POSTs changed rows: {changed}")
    every_name = {name for _qs, _fields, names in ORGANIZATION_BOUND for name in names}
    assert crossed == every_name, f"not tried: {sorted(every_name - crossed)}"
    assert own_served >= 2 * len(OWN_ORGANIZATION), f"only {own_served} own pages were tried"
    assert not problems, "\n".join(problems)


def test_public_pages_answer_get_and_head_and_refuse_post(demo):
    """Every public page, by the anonymous public and by each persona: a POST gets 405 before
    anything is rendered; the page is then served (from the cache on the second GET), so no
    405 was kept for the next visitor; HEAD gets the same answer as GET."""
    problems: list[str] = []
    clients = {username: logged_in(username) for username in PERSONAS}
    for name, fill in PUBLIC.items():
        try:
            url = reverse(name, kwargs=fill())
        except AssertionError as error:
            problems.append(f"{name}: cannot fill: {error}")
            continue
        visitor = Client(raise_request_exception=False)
        for who, client in [("anonymous", visitor), *clients.items()]:
            status = client.post(url).status_code
            if status != 405:
                problems.append(f"POST {url} ({name}) {who}: {status}, expected 405")
        first_get, cached_get = visitor.get(url), visitor.get(url)
        head = visitor.head(url)
        for label, response in (("GET", first_get), ("GET again", cached_get)):
            if not served(response):
                problems.append(f"{label} {url} ({name}) anonymous: {response.status_code}")
        if (head.status_code, head.get("Content-Type")) != (
            first_get.status_code,
            first_get.get("Content-Type"),
        ):
            problems.append(f"HEAD {url} ({name}): {head.status_code}, not as GET")
    assert not problems, "\n".join(problems)


def password_only(settings, username: str) -> Client:
    """The persona "password only, second step pending": a demo persona who typed the right
    password in the login form and not yet the code of their authenticator."""
    settings.PMOT_TWO_FACTOR_REQUIRED = True
    # The demo's passwords were hashed before the suite switched to a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    client = Client(raise_request_exception=False)
    login = client.post(LOGIN, {"username": username, "password": DEMO_PASSWORD})
    assert login.status_code == 302, "the password was refused"
    return client


@pytest.mark.real_second_step
@pytest.mark.parametrize("username", ["admin", "planeacion", "obras"])
def test_no_staff_url_is_served_before_the_second_step_of_login(demo, settings, username):
    """Someone who typed a right password but not yet the code of their authenticator: every
    internal URL sends them to the second step, GET or POST, and nothing changes; the admin
    too. (Who owes the second step, and the step itself: tests/actors/test_two_factor.py.)"""
    client = password_only(settings, username)
    urls = [
        reverse(name, kwargs=fill())
        for name, (fill, _get, _post) in EXPECTED.items()
        if name not in PUBLIC_WHEN_PUBLISHED  # a published file: served as to the public
    ]
    urls += [reverse("admin:index"), reverse("admin:actors_user_changelist")]
    before = contents()
    problems = []
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            location = response.get("Location", "") if response.status_code == 302 else ""
            if not location.startswith(SECOND_STEP):
                problems.append(f"{method.__name__.upper()} {url}: {response.status_code}")
    assert not problems, problems
    assert not contents_changed(before, contents())


@pytest.mark.real_second_step
@pytest.mark.parametrize("username", ["admin", "obras"])
def test_short_of_the_second_step_the_public_pages_answer_as_to_the_public(
    demo, settings, username
):
    """The same persona on every public page and every file that is public once published:
    the answer the anonymous public gets, with neither its name nor a way out of a session it
    does not have yet; the pages of the second step are the only others it reaches."""
    client = password_only(settings, username)
    # What a page shows to a session (base.html): the link to one's security and the way out.
    # (Not the person's name: a public page may list it, as a member of a body.)
    session_marks = (f'href="{reverse("account_security")}"', f'action="{reverse("logout")}"')
    visitor = Client(raise_request_exception=False)
    urls = [reverse(name, kwargs=fill()) for name, fill in PUBLIC.items()]
    urls += [reverse(name, kwargs=EXPECTED[name][0]()) for name in sorted(PUBLIC_WHEN_PUBLISHED)]
    problems = []
    for url in urls:
        mine, public = client.get(url), visitor.get(url)
        if (mine.status_code, mine.get("Location")) != (public.status_code, public.get("Location")):
            problems.append(f"GET {url}: {mine.status_code}, the public gets {public.status_code}")
        elif "text/html" in mine.get("Content-Type", "") and any(
            mark in mine.text for mark in session_marks
        ):
            problems.append(f"GET {url}: shows the session of {username}")
    step = client.get(SECOND_STEP, follow=True)
    assert step.status_code == 200
    assert step.redirect_chain == [] or step.redirect_chain[-1][0].startswith(SECOND_STEP)
    assert not problems, "\n".join(problems)
