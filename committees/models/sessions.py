from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.rules import Choice


class Session(models.Model):
    """A session of a body, numbered per body and year."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        OPEN_ORDINARY = "open_ordinary", _("Open ordinary")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")
        SOLEMN = "solemn", _("Solemn")

        @property
        def code(self) -> str:
            """As in agreement keys: CAB/2026/ORD-03/07."""
            return SESSION_CODES[self]

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CONVENED = "convened", _("Convened")
        INSTALLED = "installed", _("Installed")
        NO_QUORUM = "no_quorum", _("No quorum (deferred)")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey(
        "committees.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="sessions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    in_chamber = models.BooleanField(
        _("in the council chamber"),
        default=True,
        help_text=_("A session elsewhere needs a prior agreement declaring the venue."),
    )
    venue_agreement = models.ForeignKey(
        "committees.Agreement",
        verbose_name=_("agreement declaring the venue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notice_issued_at = models.DateTimeField(_("notice issued"), null=True, blank=True)
    presiding = models.ForeignKey(
        "committees.Member",
        verbose_name=_("presiding member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Recorded at installation: the President, or in their absence the member who "
            "presides. Their casting vote breaks a tie under simple majority."
        ),
    )
    installed_at = models.DateTimeField(_("installed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="session_number_per_body_and_year"
            ),
        ]

    def __str__(self):
        return f"{self.body.key} {self.code}/{self.year}"

    @property
    def day(self):
        """The date of the session in the municipality's time zone: every date rule uses it."""
        return timezone.localtime(self.starts_at).date()

    @property
    def code(self) -> str:
        return f"{self.Kind(self.kind).code}-{self.number:02d}"


SESSION_CODES = {
    Session.Kind.ORDINARY: "ORD",
    Session.Kind.OPEN_ORDINARY: "ORA",
    Session.Kind.EXTRAORDINARY: "EXT",
    Session.Kind.SOLEMN: "SOL",
}


class AgendaItem(models.Model):
    """A point of the agenda (*orden del día*); with an agreement type it is put to a vote."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    draft_text = models.TextField(_("draft agreement"), blank=True)
    agreement_type = models.ForeignKey(
        "committees.AgreementType",
        verbose_name=_("type of agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for an item that is only reported, not voted."),
    )
    # What the agreement decides on, in this or a higher app (a body to designate, a phase
    # to close, a POA to approve); see committees.hooks.
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="item_number_per_session"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ItemDocument(models.Model):
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="committees/items/%Y/")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document of an agenda item")
        verbose_name_plural = _("documents of agenda items")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """The attendance list, taken by the secretary when the session opens."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "committees.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    present = models.BooleanField(_("present"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once"),
        ]

    def __str__(self):
        return f"{self.member} · {self.session}"


class Vote(models.Model):
    """The vote on one agenda item. Counts are kept here, under a row lock, so a secret ballot
    keeps them without keeping anybody's choice."""

    class Method(models.TextChoices):
        ECONOMIC = "economic", _("Show of hands (económica)")
        NOMINAL = "nominal", _("By name (nominal)")
        SECRET = "secret", _("Secret ballot")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        # A tie under simple majority with nobody presiding who holds the casting vote: no
        # agreement; the item goes on the agenda of a later session.
        DEFERRED = "deferred", _("Tied, deferred")
        # Withdrawn from the agenda with its item: no result, no agreement.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    item = models.OneToOneField(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="vote"
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    against = models.PositiveSmallIntegerField(_("against"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    present = models.PositiveSmallIntegerField(_("members present with a vote"), default=0)
    members = models.PositiveSmallIntegerField(_("members with a vote"), default=0)
    approved = models.BooleanField(_("approved"), null=True, blank=True)
    casting_vote = models.CharField(
        _("casting vote"), max_length=8, choices=Choice.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "deferred", "withdrawn"])
                | Q(approved__isnull=False),
                name="vote_closed_decided",
            ),
        ]

    def __str__(self):
        return f"{self.item} ({self.get_status_display()})"


class Ballot(models.Model):
    """One member's vote. In a secret ballot the choice is not kept: only that they voted."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="ballots"
    )
    member = models.ForeignKey(
        "committees.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices, blank=True)
    cast_at = models.DateTimeField(_("cast"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="ballot_one_per_member"),
        ]

    def __str__(self):
        return f"{self.member} · {self.vote}"
