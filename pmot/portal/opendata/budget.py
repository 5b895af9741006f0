"""Open data of the programming-budget subsystem, one file per fiscal year: actions, their
money and their physical progress."""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from budgeting.models import Action, ActionKind, FismdfCategory, GovernmentOrder
from budgeting.selectors import sum_per_action
from pmot.portal.opendata.schema import (
    DATETIME,
    INTEGER,
    NUMBER,
    RESPONSIBLE,
    STRING,
    URL,
    Dataset,
    Field,
    Link,
    joined,
)
from pmot.portal.selectors import published


def _point_or_area(action: Action) -> dict | None:
    if action.latitude is not None and action.longitude is not None:
        return {"type": "Point", "coordinates": [float(action.longitude), float(action.latitude)]}
    return action.unit.geometry if action.unit_id else None


def _percent(achieved, target):
    return round(achieved / target * 100, 2) if target else None


YEAR = Field("fiscal_year", INTEGER, _("Fiscal year."), "poa.fiscal_year")
ACTION_KEY = Field("action_key", STRING, _("Key of the action in its POA."), "action.key")
ACTION = Field("action", STRING, _("Name of the action."), "action.name")
# --- Programming-budget (yearly) ----------------------------------------------------------------


def _yearly(records, path: str):
    """The records of one fiscal year, or of every public year when none is given."""
    return lambda year=None: records() if year is None else records().filter(**{path: year})


def _actions_rows(records):
    lines, reports = published.budget_lines(), published.progress_reports()
    return (
        records.select_related("poa__unit", "responsible", "modality", "unit")
        .prefetch_related(
            Prefetch("alignments", queryset=published.elements().select_related("plan"))
        )
        .annotate(
            achieved=sum_per_action(reports, "achieved"),
            approved=sum_per_action(lines, "approved"),
            modified=sum_per_action(lines, "modified"),
            paid=sum_per_action(lines, "paid"),
        )
        .order_by("poa__unit__name", "key", "pk")
    )


ACTIONS = Dataset(
    name="actions",
    title=_("POA actions"),
    description=_(
        "Works, social works, services and procedures of the annual operating program (POA) "
        "the council approved: where, their target, progress and money. In GeoJSON, each action "
        "is its point on the map or, without one, the area of its territorial unit; actions "
        "with neither are left out of that format."
    ),
    records=_yearly(published.actions, "poa__fiscal_year"),
    prepare=_actions_rows,
    yearly=True,
    geometry=_point_or_area,
    fields=(
        YEAR,
        Field(
            "poa_unit",
            STRING,
            _("Unit whose POA it is; empty: the municipality's."),
            "poa.unit.name",
        ),
        Field("key", STRING, _("Key of the action in its POA.")),
        Field("name", STRING, _("Name.")),
        Field("kind", STRING, _("Kind of action."), choices=ActionKind.choices),
        Field("responsible", STRING, RESPONSIBLE, "responsible.name"),
        Field(
            "program_modality", STRING, _("Program modality (CONAC): its letter."), "modality.key"
        ),
        Field("territorial_unit", STRING, _("Key of its territorial unit."), "unit.key"),
        Field("latitude", NUMBER, _("Latitude (WGS84).")),
        Field("longitude", NUMBER, _("Longitude (WGS84).")),
        Field("target", NUMBER, _("Physical target of the year.")),
        Field("target_unit", STRING, _("Unit of measure of the target.")),
        Field("achieved", NUMBER, _("Physical progress reported so far, in that unit.")),
        Field(
            "progress_percent",
            NUMBER,
            _("Progress as a percentage of the target."),
            lambda a: _percent(a.achieved, a.target),
        ),
        Field("approved_amount", NUMBER, _("Budget approved, in pesos."), "approved"),
        Field("modified_amount", NUMBER, _("Budget after modifications, in pesos."), "modified"),
        Field("paid_amount", NUMBER, _("Amount paid, in pesos."), "paid"),
        Field(
            "aligned_to",
            STRING,
            _("Plan elements it carries out, as plan:key, separated by semicolons."),
            lambda a: joined(f"{e.plan.key}:{e.key}" for e in a.alignments.all()),
        ),
        Field("url", STRING, URL, Link("portal:action", ("poa.fiscal_year", "pk"))),
    ),
)

BUDGET = Dataset(
    name="budget",
    title=_("Budget of the POA"),
    description=_(
        "The money of each action by funding source and classifier (CONAC), through the stages "
        "of spending: approved, modified, committed, accrued, exercised and paid, in pesos."
    ),
    records=_yearly(published.budget_lines, "action__poa__fiscal_year"),
    prepare=lambda records: records.select_related(
        "action__poa", "source", "expense_item", "functional", "cofinancer"
    ).order_by("action__poa__unit__name", "action__key", "pk"),
    yearly=True,
    fields=(
        Field("fiscal_year", INTEGER, _("Fiscal year."), "action.poa.fiscal_year"),
        ACTION_KEY,
        ACTION,
        Field("source_key", STRING, _("Key of the funding source."), "source.key"),
        Field("source", STRING, _("Funding source."), "source.name"),
        Field(
            "source_order",
            STRING,
            _("Order of government of the source."),
            "source.order",
            GovernmentOrder.choices,
        ),
        Field(
            "expense_item",
            STRING,
            _("Object of expense (CONAC): generic item."),
            "expense_item.key",
        ),
        Field(
            "expense_item_name", STRING, _("Name of the object of expense."), "expense_item.name"
        ),
        Field("functional", STRING, _("Functional classification (CONAC)."), "functional.key"),
        Field(
            "functional_name",
            STRING,
            _("Name of the functional classification."),
            "functional.name",
        ),
        Field("cofinancer", STRING, _("Organization that co-finances it."), "cofinancer.name"),
        Field(
            "fismdf_category",
            STRING,
            _("Use of FISMDF money (LCF art. 33)."),
            choices=FismdfCategory.choices,
        ),
        Field("approved", NUMBER, _("Approved.")),
        Field("increases", NUMBER, _("Increases.")),
        Field("reductions", NUMBER, _("Reductions.")),
        Field("modified", NUMBER, _("Modified: approved plus increases minus reductions.")),
        Field("committed", NUMBER, _("Committed.")),
        Field("accrued", NUMBER, _("Accrued.")),
        Field("exercised", NUMBER, _("Exercised.")),
        Field("paid", NUMBER, _("Paid.")),
    ),
)


def _programmed(report) -> Decimal | None:
    """The target the action's calendar set for the period (stored as text)."""
    calendar = report.action.calendar or []
    return Decimal(str(calendar[report.period - 1])) if report.period <= len(calendar) else None


PROGRESS = Dataset(
    name="progress",
    title=_("Physical progress of the POA"),
    description=_(
        "What each action achieved in each month or quarter, next to what it programmed: one "
        "row per organization that reports its share, once IMPLAN validated it."
    ),
    records=_yearly(published.progress_reports, "action__poa__fiscal_year"),
    prepare=lambda records: records.select_related("action__poa", "organization").order_by(
        "action__poa__unit__name", "action__key", "period", "organization__name"
    ),
    yearly=True,
    fields=(
        Field("fiscal_year", INTEGER, _("Fiscal year."), "action.poa.fiscal_year"),
        ACTION_KEY,
        ACTION,
        Field(
            "calendar",
            STRING,
            _("Whether periods are months or quarters."),
            "action.calendar_kind",
            Action.Calendar.choices,
        ),
        Field("period", INTEGER, _("Month (1–12) or quarter (1–4).")),
        Field("programmed", NUMBER, _("Target programmed for the period."), _programmed),
        Field(
            "organization",
            STRING,
            _("Organization that reported this share of the period."),
            "organization.name",
        ),
        Field("achieved", NUMBER, _("Achieved in the period by that organization.")),
        Field("unit_of_measure", STRING, _("Unit of measure."), "action.target_unit"),
        Field("reported_at", DATETIME, _("When it was reported."), "at"),
    ),
)
