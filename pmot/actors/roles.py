"""The roles of DOMAIN.md §8 and what each may do.

A role is held through a membership in an organization. Each role is a Django group whose model
permissions are listed in ROLE_PERMISSIONS: the one table of who may do what, app by app. Later
apps add their rows here and call `sync_role_groups` from a data migration of their own.

Organization-bound roles (liaisons, private-sector representatives) also receive object
permissions on their own organization (ORGANIZATION_OBJECT_PERMISSIONS); the membership
services grant and revoke them, nothing else does.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal government")
    STATE = "state", _("State government")
    FEDERAL = "federal", _("Federal government")
    PRIVATE = "private", _("Private sector")
    SOCIAL = "social", _("Social sector / citizens")
    ACADEMIA = "academia", _("Academia")


class Role(models.TextChoices):
    IMPLAN_ADMIN = "implan_admin", _("IMPLAN administrator")
    IMPLAN_PLANNER = "implan_planner", _("IMPLAN planner")
    TREASURY = "treasury", _("Municipal treasury")
    COUNCIL_SECRETARY = "council_secretary", _("Council secretary")
    COUNCIL_MEMBER = "council_member", _("Council member")
    BODY_MEMBER = "body_member", _("Coordinating-body member")
    MUNICIPAL_LIAISON = "municipal_liaison", _("Municipal liaison")
    STATE_LIAISON = "state_liaison", _("State liaison")
    FEDERAL_LIAISON = "federal_liaison", _("Federal liaison")
    PRIVATE_REPRESENTATIVE = "private_representative", _("Private-sector representative")
    CITIZEN_REPRESENTATIVE = "citizen_representative", _("Citizen representative")

    @property
    def sectors(self) -> frozenset[str]:
        """The sectors of the organizations through which this role may be held."""
        return ROLE_SECTORS[self]

    @property
    def is_organization_bound(self) -> bool:
        """Changes only what belongs to its own organization."""
        return self in ORGANIZATION_BOUND_ROLES


ROLE_SECTORS = {
    Role.IMPLAN_ADMIN: frozenset({Sector.MUNICIPAL}),
    Role.IMPLAN_PLANNER: frozenset({Sector.MUNICIPAL}),
    Role.TREASURY: frozenset({Sector.MUNICIPAL}),
    Role.COUNCIL_SECRETARY: frozenset({Sector.MUNICIPAL}),
    Role.COUNCIL_MEMBER: frozenset({Sector.MUNICIPAL}),
    Role.BODY_MEMBER: frozenset(Sector),
    Role.MUNICIPAL_LIAISON: frozenset({Sector.MUNICIPAL}),
    Role.STATE_LIAISON: frozenset({Sector.STATE}),
    Role.FEDERAL_LIAISON: frozenset({Sector.FEDERAL}),
    Role.PRIVATE_REPRESENTATIVE: frozenset({Sector.PRIVATE}),
    Role.CITIZEN_REPRESENTATIVE: frozenset({Sector.SOCIAL, Sector.ACADEMIA}),
}

ORGANIZATION_BOUND_ROLES = frozenset(
    {
        Role.MUNICIPAL_LIAISON,
        Role.STATE_LIAISON,
        Role.FEDERAL_LIAISON,
        Role.PRIVATE_REPRESENTATIVE,
    }
)

# What an organization-bound role may do to its own organization's records.
ORGANIZATION_OBJECT_PERMISSIONS = ("change_organization", "report_for_organization")

# Every role reads the internal records, organization-bound ones included (DOMAIN.md §8); `*`
# is every permission of every app.
_READ_INTERNAL = [
    "actors.view_organization",
    "actors.view_membership",
    "actors.view_administration",
    "actors.view_municipality",
    "actors.view_user",
    # committees: bodies, sessions, votes and agreements are internal records too
    "committees.view_body",
    "committees.view_member",
    "committees.view_designation",
    "committees.view_session",
    "committees.view_agendaitem",
    "committees.view_itemdocument",
    "committees.view_attendance",
    "committees.view_vote",
    "committees.view_ballot",
    "committees.view_agreementtype",
    "committees.view_agreement",
    "committees.view_agreementversion",
    "committees.view_followup",
    "committees.view_minutes",
    # planning: plans and their alignment are read by every role
    "planning.view_program",
    "planning.view_plan",
    "planning.view_planelement",
    "planning.view_alignment",
    # information: territorial units and the documents of the information base
    "information.view_territorialunit",
    "information.view_document",
    "information.view_documentfile",
    # phases: the five phases, their deliverables, activities and the public consultation
    "phases.view_phase",
    "phases.view_deliverabletype",
    "phases.view_deliverable",
    "phases.view_deliverableversion",
    "phases.view_review",
    "phases.view_activity",
    "phases.view_consultation",
    "phases.view_hearing",
    "phases.view_comment",
    # budgeting: the POA, its actions, money and progress
    "budgeting.view_poa",
    "budgeting.view_modification",
    "budgeting.view_requestedchange",
    "budgeting.view_actionchange",
    "budgeting.view_portfolioproject",
    "budgeting.view_action",
    "budgeting.view_progressreport",
    "budgeting.view_budgetline",
    "budgeting.view_movement",
    "budgeting.view_fundingsource",
    "budgeting.view_expenseitem",
    "budgeting.view_functionalclass",
    "budgeting.view_programmodality",
    # evaluation: every indicator with its targets, measurements and evidence, the evaluation
    # program, evaluations and their recommendations. Organization-bound roles read them all
    # too (DOMAIN.md §8: they change only their organization's records and read the rest).
    "evaluation.view_indicator",
    "evaluation.view_target",
    "evaluation.view_measurement",
    "evaluation.view_evidence",
    "evaluation.view_evaluationprogram",
    "evaluation.view_evaluation",
    "evaluation.view_recommendation",
    "evaluation.view_followup",
]

# The secretary of the Ayuntamiento conducts every body; a technical secretary conducts only
# their own (object permission `conduct_body`, granted with the seat).
_CONDUCT_SESSIONS = [
    "committees.conduct_body",
    "committees.add_body",
    "committees.change_body",
    "committees.add_member",
    "committees.change_member",
    "committees.add_session",
    "committees.change_session",
    "committees.add_agendaitem",
    "committees.change_agendaitem",
    "committees.add_itemdocument",
    "committees.add_attendance",
    "committees.add_vote",
    "committees.change_vote",
    "committees.change_agreement",
    "committees.add_agreementversion",
    "committees.add_followup",
    "committees.add_minutes",
    "committees.change_minutes",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.IMPLAN_ADMIN: ["*"],
    Role.IMPLAN_PLANNER: [
        *_READ_INTERNAL,
        "actors.add_organization",
        "actors.change_organization",
        "planning.change_program",
        "planning.add_plan",
        "planning.change_plan",
        "planning.add_planelement",
        "planning.change_planelement",
        "planning.add_alignment",
        "planning.delete_alignment",
        "information.add_territorialunit",
        "information.change_territorialunit",
        "information.import_territorialunit",
        "information.add_document",
        "information.change_document",
        "information.add_documentfile",
        "phases.change_phase",
        "phases.add_deliverable",
        "phases.change_deliverable",
        "phases.add_deliverableversion",
        "phases.review_deliverable",
        "phases.add_activity",
        "phases.change_activity",
        "phases.add_consultation",
        "phases.change_consultation",
        "phases.add_hearing",
        "phases.change_hearing",
        "phases.add_comment",
        "phases.change_comment",
        "budgeting.add_poa",
        "budgeting.change_poa",
        "budgeting.add_modification",
        "budgeting.authorize_modification",
        "budgeting.add_portfolioproject",
        "budgeting.change_portfolioproject",
        "budgeting.add_action",
        "budgeting.change_action",
        "budgeting.add_progressreport",
        "budgeting.validate_progressreport",
        "budgeting.add_budgetline",
        "budgeting.change_budgetline",
        "budgeting.add_movement",
        "evaluation.add_indicator",
        "evaluation.change_indicator",
        "evaluation.add_target",
        "evaluation.change_target",
        "evaluation.add_measurement",
        "evaluation.validate_measurement",
        "evaluation.add_evidence",
        "evaluation.add_evaluationprogram",
        "evaluation.change_evaluationprogram",
        "evaluation.add_evaluation",
        "evaluation.change_evaluation",
        "evaluation.add_recommendation",
        "evaluation.change_recommendation",
        "evaluation.add_followup",
    ],
    # The office that holds the budget beside IMPLAN (DOMAIN.md §5): it authorizes or rejects
    # the modifications of the POA within its power, and reads the rest.
    Role.TREASURY: [*_READ_INTERNAL, "budgeting.authorize_modification"],
    Role.COUNCIL_SECRETARY: [*_READ_INTERNAL, *_CONDUCT_SESSIONS],
    Role.COUNCIL_MEMBER: _READ_INTERNAL,
    Role.BODY_MEMBER: _READ_INTERNAL,
    # Organization-bound: read every internal record; write only their organization's,
    # through the object permissions of ORGANIZATION_OBJECT_PERMISSIONS.
    Role.MUNICIPAL_LIAISON: _READ_INTERNAL,
    Role.STATE_LIAISON: _READ_INTERNAL,
    Role.FEDERAL_LIAISON: _READ_INTERNAL,
    Role.PRIVATE_REPRESENTATIVE: _READ_INTERNAL,
    Role.CITIZEN_REPRESENTATIVE: _READ_INTERNAL,
}


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create one group per role and give it exactly the permissions of ROLE_PERMISSIONS.

    Runs from data migrations (with the historical `apps`) and from `manage.py sync_roles`.
    Permissions are created first, since Django makes them only after all migrations ran.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs carry no models module, and create_permissions skips those.
        stub = getattr(app_config, "models_module", None) is None
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if stub:
            app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    every = permission_model.objects.all()
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role.value)
        if names == ["*"]:
            group.permissions.set(every)
            continue
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.extend(every.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
