"""Open data of planning and the information base: the PMOT's tree, alignment between plans,
documents and the territory."""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from pmot.information.models import (
    DocumentKind,
    EnvironmentalPolicy,
    UnitKind,
    UrbanAction,
    ZoneClass,
)
from pmot.information.models import Phase as PmotPhase
from pmot.planning.models import Plan
from pmot.portal.opendata.schema import (
    DATE,
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

STRATEGIES = Dataset(
    name="strategies",
    title=_("Strategies of the PMOT"),
    description=_(
        "The tree of the PMOT: axes, objectives, strategies and lines of action. Empty, with the "
        "same columns, until the program reaches its public consultation."
    ),
    records=lambda: published.elements().filter(plan__order=Plan.Order.PMOT),
    prepare=lambda records: records.select_related("plan", "parent", "responsible").order_by(
        "plan", "level", "position", "pk"
    ),
    fields=(
        Field("key", STRING, _("Key of the element.")),
        Field("name", STRING, _("Text of the element.")),
        Field("level", INTEGER, _("Level in the tree: 0 at the top.")),
        Field(
            "level_name", STRING, _("Name of the level (axis, objective, strategy…)."), "level_name"
        ),
        Field("parent_key", STRING, _("Key of the element it belongs to."), "parent.key"),
        Field("responsible", STRING, RESPONSIBLE, "responsible.name"),
        Field("url", STRING, URL, Link("portal:strategy")),
    ),
)

ALIGNMENTS = Dataset(
    name="alignments",
    title=_("Alignment between plans"),
    description=_(
        "Which element of one plan contributes to which element of another: PMOT strategies to "
        "the municipal, state and national plans and to the 2030 Agenda."
    ),
    records=published.alignments,
    prepare=lambda records: records.select_related("source__plan", "target__plan").order_by(
        "source__plan__key", "source__key", "target__plan__key", "target__key"
    ),
    fields=(
        Field("source_plan_key", STRING, _("Key of the plan of the element."), "source.plan.key"),
        Field("source_plan", STRING, _("Plan of the element."), "source.plan.name"),
        Field("source_key", STRING, _("Key of the element."), "source.key"),
        Field("source_name", STRING, _("Text of the element."), "source.name"),
        Field(
            "target_plan_key", STRING, _("Key of the plan it contributes to."), "target.plan.key"
        ),
        Field("target_plan", STRING, _("Plan it contributes to."), "target.plan.name"),
        Field("target_key", STRING, _("Key of the element it contributes to."), "target.key"),
        Field("target_name", STRING, _("Text of the element it contributes to."), "target.name"),
    ),
)

DOCUMENTS = Dataset(
    name="documents",
    title=_("Documents and data sets"),
    description=_("Published documents, maps, studies and data sets of the information base."),
    records=published.documents,
    prepare=lambda records: (
        records.select_related("author_organization")
        .annotate(files_count=Count("files"))
        .prefetch_related(Prefetch("units", queryset=published.units().only("key")))
        .order_by("-date", "title")
    ),
    fields=(
        Field("title", STRING, _("Title.")),
        Field("kind", STRING, _("Kind."), choices=DocumentKind.choices),
        Field("author", STRING, _("Organization that wrote it."), "author_organization.name"),
        Field("date", DATE, _("Date of the document.")),
        Field("phase", INTEGER, _("Phase of the PMOT it belongs to."), choices=PmotPhase.choices),
        Field("source", STRING, _("Source.")),
        Field("license", STRING, _("License of the document itself.")),
        Field("description", STRING, _("Description.")),
        Field(
            "territorial_units",
            STRING,
            _("Keys of the territorial units it covers, separated by semicolons."),
            lambda d: joined(unit.key for unit in d.units.all()),
        ),
        Field("files", INTEGER, _("Number of files; download them from its page."), "files_count"),
        Field("url", STRING, URL, Link("information:public_document")),
    ),
)

# --- Territory ----------------------------------------------------------------------------------

TERRITORY = Dataset(
    name="territory",
    title=_("Territorial units"),
    description=_(
        "Management units (UGAT), primary zones and localities of the municipality. Their "
        "geometry is in the GeoJSON file (WGS84, longitude first)."
    ),
    records=published.units,
    prepare=lambda records: records.order_by("kind", "key"),
    geometry=lambda unit: unit.geometry,
    fields=(
        Field("key", STRING, _("Key of the unit.")),
        Field("name", STRING, _("Name.")),
        Field("kind", STRING, _("Kind of unit."), choices=UnitKind.choices),
        Field(
            "environmental_policy",
            STRING,
            _("Environmental policy (management units)."),
            choices=EnvironmentalPolicy.choices,
        ),
        Field(
            "urban_action",
            STRING,
            _("Urban action (management units)."),
            choices=UrbanAction.choices,
        ),
        Field("zone_class", STRING, _("Class of primary zone."), choices=ZoneClass.choices),
        Field("surface_ha", NUMBER, _("Surface, in hectares.")),
        Field("description", STRING, _("Description.")),
    ),
)
