"""Open data of the evaluation subsystem: indicators, their validated measurements,
evaluations and their recommendations."""

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from evaluation.lights import Colour, Direction, Frequency
from evaluation.models import Evaluation, Indicator, Recommendation
from pmot.portal.opendata.schema import (
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    RESPONSIBLE,
    STRING,
    URL,
    Dataset,
    Field,
    Link,
)
from pmot.portal.selectors import published

# The colours a measurement can have (the others are of periods without one).
RESULTS = [(c.value, c.label) for c in (Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.NO_TARGET)]
MEASURED = (
    ("element", _("an element of a plan")),
    ("action", _("a POA action")),
    ("unit", _("a territorial unit")),
)


def _measured(indicator: Indicator) -> tuple[str, str]:
    """What a published indicator measures, by kind and key; a draft action or an element of
    a plan not public yet shows no key."""
    if indicator.element_id:
        key = f"{indicator.element.plan.key}:{indicator.element.key}"
        return "element", key if indicator.element_public else ""
    if indicator.action_id:
        key = f"{indicator.action.poa.fiscal_year}:{indicator.action.key}"
        return "action", key if indicator.action_public else ""
    return "unit", indicator.unit_measured.key


# --- Evaluation ---------------------------------------------------------------------------------

INDICATORS = Dataset(
    name="indicators",
    title=_("Indicators"),
    description=_("The technical sheet of every published indicator: what it measures and how."),
    records=published.indicators,
    prepare=lambda records: (
        records.select_related("reporter", "element__plan", "action__poa", "unit_measured")
        .annotate(
            element_public=Exists(published.elements().filter(pk=OuterRef("element_id"))),
            action_public=Exists(published.actions().filter(pk=OuterRef("action_id"))),
        )
        .order_by("key")
    ),
    fields=(
        Field("key", STRING, _("Key of the indicator.")),
        Field("name", STRING, _("Name.")),
        Field("definition", STRING, _("Definition.")),
        Field("method", STRING, _("Calculation method.")),
        Field("variable_a", STRING, _("Variable A: the numerator, or the measured value.")),
        Field("variable_b", STRING, _("Variable B: the denominator, if any.")),
        Field("factor", NUMBER, _("Factor: value = A ÷ B × factor, or A × factor.")),
        Field("unit", STRING, _("Unit of measure.")),
        Field("dimension", STRING, _("Dimension."), choices=Indicator.Dimension.choices),
        Field("kind", STRING, _("Type."), choices=Indicator.Kind.choices),
        Field("frequency", STRING, _("How often it is measured."), choices=Frequency.choices),
        Field("direction", STRING, _("Which way is better."), choices=Direction.choices),
        Field(
            "mir_level",
            STRING,
            _("Level in the results matrix (MIR)."),
            choices=Indicator.MirLevel.choices,
        ),
        Field("baseline_value", NUMBER, _("Baseline value.")),
        Field("baseline_year", INTEGER, _("Year of the baseline.")),
        Field("source", STRING, _("Source of information.")),
        Field("verification", STRING, _("Means of verification.")),
        Field("reporter", STRING, _("Organization that reports it."), "reporter.name"),
        Field("measures", STRING, _("What it measures."), lambda i: _measured(i)[0], MEASURED),
        Field(
            "measured_key",
            STRING,
            _("Key of what it measures: plan:key, year:key of a POA action, or a unit's key."),
            lambda i: _measured(i)[1],
        ),
        Field("first_year", INTEGER, _("First year measured.")),
        Field("url", STRING, URL, Link("portal:indicator")),
    ),
)

MEASUREMENTS = Dataset(
    name="measurements",
    title=_("Measurements of the indicators"),
    description=_(
        "Each period's value of the published indicators, once IMPLAN validated it, with the "
        "target it was judged by and its traffic light."
    ),
    records=published.measurements,
    prepare=lambda records: records.select_related("indicator").order_by(
        "indicator__key", "year", "number"
    ),
    fields=(
        Field("indicator_key", STRING, _("Key of the indicator."), "indicator.key"),
        Field("indicator", STRING, _("Name of the indicator."), "indicator.name"),
        Field("year", INTEGER, _("Year.")),
        Field(
            "period",
            INTEGER,
            _("Number of the period in its year, as the indicator's frequency."),
            "number",
        ),
        Field(
            "period_label",
            STRING,
            _("Period: 2026-03 (month), 2026-T2 (quarter), 2026-S1 (half), 2026."),
            "period.label",
        ),
        Field("variable_a", NUMBER, _("Value of variable A."), "a"),
        Field("variable_b", NUMBER, _("Value of variable B."), "b"),
        Field("value", NUMBER, _("Value of the indicator.")),
        Field("target", NUMBER, _("Target of the period.")),
        Field("compliance", NUMBER, _("Compliance with the target, in per cent.")),
        Field("light", STRING, _("Traffic light."), "colour", RESULTS),
        Field("validated_at", DATETIME, _("When IMPLAN validated it."), "reviewed_at"),
    ),
)

EVALUATIONS = Dataset(
    name="evaluations",
    title=_("Evaluations"),
    description=_("Published evaluations of the program: who evaluated, its cost and findings."),
    records=published.evaluations,
    prepare=lambda records: (
        records.select_related("program", "source")
        .annotate(recommendations_count=Count("recommendations"))
        .order_by("-start", "pk")
    ),
    fields=(
        Field("program_year", INTEGER, _("Year of its annual evaluation program."), "program.year"),
        Field("title", STRING, _("Title.")),
        Field("kind", STRING, _("Type of evaluation."), choices=Evaluation.Kind.choices),
        Field("evaluator", STRING, _("External evaluator or firm.")),
        Field("cost", NUMBER, _("Cost, in pesos.")),
        Field("funding_source", STRING, _("Funding source of the cost."), "source.name"),
        Field("start", DATE, _("Start.")),
        Field("end", DATE, _("End.")),
        Field("status", STRING, _("Status."), choices=Evaluation.Status.choices),
        Field("summary", STRING, _("Summary of findings.")),
        Field("recommendations", INTEGER, _("Number of recommendations."), "recommendations_count"),
        Field("url", STRING, URL, Link("portal:evaluation")),
    ),
)

RECOMMENDATIONS = Dataset(
    name="recommendations",
    title=_("Recommendations of the evaluations"),
    description=_(
        "Aspects open to improvement found by the published evaluations, who answers for each, "
        "by when, and how far they have been attended."
    ),
    records=published.recommendations,
    prepare=lambda records: records.select_related("evaluation", "responsible").order_by(
        "-evaluation__start", "evaluation", "number"
    ),
    fields=(
        Field("evaluation", STRING, _("Title of the evaluation."), "evaluation.title"),
        Field("number", INTEGER, _("Number of the recommendation in its evaluation.")),
        Field("text", STRING, _("Recommendation.")),
        Field("responsible", STRING, RESPONSIBLE, "responsible.name"),
        Field("due", DATE, _("Due date.")),
        Field("status", STRING, _("Status."), choices=Recommendation.Status.choices),
        Field("reason", STRING, _("Why it was not accepted, if so.")),
        Field("attended_on", DATE, _("When it was attended."), "closed_on"),
        Field("evaluation_url", STRING, URL, Link("portal:evaluation", ("evaluation_id",))),
    ),
)
