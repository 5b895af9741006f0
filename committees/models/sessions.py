from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.rules import Choice
from pmot.core.uploads import stored_name


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
    # A postponed session keeps the date of its first notice and says why it moved; a
    # cancelled one says why. Both are shown on the public pages.
    original_starts_at = models.DateTimeField(_("first announced for"), null=True, blank=True)
    postponement_reason = models.CharField(_("reason for postponement"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # A session held before pmot, entered by an administrator only to hold the agreements it
    # took (historical agreements): no attendance, no votes.
    historical = models.BooleanField(_("historical record"), default=False, editable=False)
    cancellation_reason = models.CharField(_("reason for cancellation"), max_length=300, blank=True)

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

    @property
    def postponed(self) -> bool:
        return self.original_starts_at is not None


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


def _document_name(instance, filename: str) -> str:
    return stored_name("committees/items", filename)


class ItemDocument(models.Model):
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_name, max_length=200)

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
    # When the member took their seat (at installation, or a late arrival) and when they left;
    # a member who left counts as absent from then on.
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

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
    # Who could vote, fixed when the vote opened: the members then present who vote for a
    # seat. Quorum and the base over those present are taken at that moment.
    eligible = models.ManyToManyField(
        "committees.Member", verbose_name=_("members who may vote"), related_name="+", blank=True
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
    """One member's vote. In a secret ballot the choice is not kept: only that they voted.

    A member votes online from their own device, or the secretary records the vote given in
    the room; either way once."""

    class How(models.TextChoices):
        ONLINE = "online", _("Online, by the member")
        ROLL_CALL = "roll_call", _("In the room, by name")
        HANDS = "hands", _("In the room, show of hands")
        PAPER = "paper", _("In the room, secret ballot paper")

    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="ballots"
    )
    member = models.ForeignKey(
        "committees.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices, blank=True)
    cast_at = models.DateTimeField(_("cast"), auto_now_add=True)
    how = models.CharField(
        _("how it was cast"), max_length=10, choices=How.choices, default=How.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

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


class Excusal(models.Model):
    """A member excuses himself from an item (*excusa*, a conflict of interest): no ballot.
    A majority over those present counts without him; a majority over all members does not."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="excusals"
    )
    member = models.ForeignKey(
        "committees.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("excusal")
        verbose_name_plural = _("excusals")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="excusal_once_per_vote"),
        ]

    def __str__(self):
        return f"{self.member} · {self.vote}"
