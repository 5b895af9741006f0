"""Open data of the coordination system and the phases: agreements, sessions, phases and their
deliverables."""

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from committees.models import Agreement, Session, Vote
from phases.models import Deliverable, DeliverableStatus, Phase
from pmot.portal.opendata.schema import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    RESPONSIBLE,
    STRING,
    URL,
    Dataset,
    Field,
    Link,
)
from pmot.portal.selectors import published

# --- Coordination -------------------------------------------------------------------------------

AGREEMENTS = Dataset(
    name="agreements",
    title=_("Agreements"),
    description=_(
        "Every agreement the council (Cabildo) and the coordinating body decided: its text as "
        "voted, status, vote count and where it was published. Each member's vote is on the "
        "agreement's page."
    ),
    records=published.agreements,
    prepare=lambda records: records.select_related(
        "body", "agreement_type", "responsible", "item__session", "item__vote"
    ).order_by("decided_at", "pk"),
    fields=(
        Field("key", STRING, _("Key of the agreement: body/year/session/number.")),
        Field("body_key", STRING, _("Short code of the body that decided it."), "body.key"),
        Field("body", STRING, _("Body that decided it."), "body.name"),
        Field(
            "session",
            STRING,
            _("Session where it was voted: kind, number and year."),
            lambda a: f"{a.item.session.code}/{a.item.session.year}",
        ),
        Field("decided_at", DATETIME, _("When it was decided.")),
        Field(
            "type",
            STRING,
            _("Type of agreement (sets the majority it needed)."),
            "agreement_type.name",
        ),
        Field("status", STRING, _("Status."), choices=Agreement.Status.choices),
        Field("text", STRING, _("Text as voted (later corrections are on its page).")),
        Field("responsible", STRING, RESPONSIBLE, "responsible.name"),
        Field("deadline", DATE, _("Deadline to carry it out.")),
        Field(
            "vote_method", STRING, _("How it was voted."), "item.vote.method", Vote.Method.choices
        ),
        Field("votes_for", INTEGER, _("Votes for."), "item.vote.votes_for"),
        Field("votes_against", INTEGER, _("Votes against."), "item.vote.against"),
        Field("abstentions", INTEGER, _("Abstentions."), "item.vote.abstentions"),
        Field(
            "published_in", STRING, _("Where it was published."), choices=Agreement.Gazette.choices
        ),
        Field("published_on", DATE, _("Date of publication.")),
        Field("url", STRING, URL, Link("committees:public_agreement")),
    ),
)

SESSIONS = Dataset(
    name="sessions",
    title=_("Sessions"),
    description=_(
        "Sessions held by the council and the coordinating body, with how many members attended, "
        "how many agreements they took and their approved minutes."
    ),
    records=published.sessions,
    prepare=lambda records: (
        records.select_related("body")
        .annotate(
            present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
            agreements=Count("items__agreement", distinct=True),
            minutes_pk=Subquery(
                published.minutes().filter(session=OuterRef("pk")).exclude(pdf="").values("pk")[:1]
            ),
        )
        .order_by("starts_at", "pk")
    ),
    fields=(
        Field("body_key", STRING, _("Short code of the body."), "body.key"),
        Field("body", STRING, _("Body that met."), "body.name"),
        Field("year", INTEGER, _("Year of the session's numbering.")),
        Field("number", INTEGER, _("Number of the session in its year.")),
        Field("code", STRING, _("Code of the session: kind and number."), "code"),
        Field("kind", STRING, _("Kind of session."), choices=Session.Kind.choices),
        Field("status", STRING, _("How it ended."), choices=Session.Status.choices),
        Field("starts_at", DATETIME, _("Date and time it was called for.")),
        Field("place", STRING, _("Place.")),
        Field("members_present", INTEGER, _("Members present."), "present"),
        Field("agreements", INTEGER, _("Agreements voted in it.")),
        Field(
            "minutes_url",
            STRING,
            _("Address of its approved minutes (PDF); empty until approved."),
            Link("committees:public_minutes_pdf", ("minutes_pk",)),
        ),
    ),
)

PHASES = Dataset(
    name="phases",
    title=_("Phases of the PMOT"),
    description=_(
        "The five phases of the program, their dates and the agreement that closed each."
    ),
    records=published.phases,
    prepare=lambda records: records.select_related("close_agreement").order_by("program", "number"),
    fields=(
        Field("number", INTEGER, _("Number of the phase (1 to 5).")),
        Field("name", STRING, _("Name of the phase."), lambda p: str(p.get_number_display())),
        Field("status", STRING, _("Status."), choices=Phase.Status.choices),
        Field("planned_start", DATE, _("Planned start.")),
        Field("planned_end", DATE, _("Planned end.")),
        Field("actual_start", DATE, _("Actual start.")),
        Field("actual_end", DATE, _("Actual end.")),
        Field("notice_published_on", DATE, _("Date of the public notice that planning started.")),
        Field(
            "notice_medium",
            STRING,
            _("Where that notice was published."),
            choices=Phase.NoticeMedium.choices,
        ),
        Field(
            "close_agreement",
            STRING,
            _("Key of the agreement that closed it."),
            "close_agreement.key",
        ),
    ),
)

DELIVERABLES = Dataset(
    name="deliverables",
    title=_("Deliverables of the phases"),
    description=_("Deliverables of each phase that IMPLAN accepted and published."),
    records=published.deliverables,
    prepare=lambda records: (
        records.select_related("phase", "kind", "responsible")
        .annotate(
            accepted_at=Max("reviews__at", filter=Q(reviews__to_status=DeliverableStatus.ACCEPTED))
        )
        .order_by("phase__number", "kind__position", "pk")
    ),
    fields=(
        Field("phase", INTEGER, _("Number of its phase."), "phase.number"),
        Field(
            "type", STRING, _("Deliverable, as the catalogue of each phase names it."), "kind.name"
        ),
        Field("title", STRING, _("Title."), str),
        Field("responsible", STRING, RESPONSIBLE, "responsible.name"),
        Field("author", STRING, _("Who prepared it."), choices=Deliverable.Author.choices),
        Field("required", BOOLEAN, _("Required to close its phase.")),
        Field("due_date", DATE, _("Due date.")),
        Field("accepted_at", DATETIME, _("When it was accepted.")),
    ),
)
