"""The public consultation of the draft PMOT (LGAHOTDU art. 30): its period, hearings, and the
citizens' comments, each with a folio, a ruling and a reasoned answer."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pmot.core.uploads import stored_name


class Consultation(models.Model):
    """A consultation authorized by an agreement, open for a period of business or calendar
    days. It closes only when every comment has its ruling and every rejection its answer."""

    class Stage(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        OPEN = "open", _("Open for comments")
        ENDED = "ended", _("Period over: answering comments")
        CLOSED = "closed", pgettext_lazy("consultation", "Closed")

    program = models.ForeignKey(
        "planning.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField(_("title"), max_length=250)
    agreement = models.ForeignKey(
        "committees.Agreement",
        verbose_name=_("agreement that authorized it"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_on = models.DateField(_("opens on"))
    days = models.PositiveSmallIntegerField(_("days open"))
    business_days = models.BooleanField(
        _("business days"), help_text=_("Count business days (as state law sets) or calendar days.")
    )
    closes_on = models.DateField(_("closes on"))
    documents = models.ManyToManyField(
        "information.Document",
        verbose_name=_("draft documents"),
        blank=True,
        related_name="+",
    )
    answers_published_at = models.DateTimeField(_("answers published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="consultation_lasts_a_day"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="consultation_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(answers_published_at__isnull=True) | Q(closed_at__isnull=False),
                name="consultation_answers_published_once_closed",
            ),
        ]

    def __str__(self):
        return self.title

    def stage(self, today: datetime.date | None = None) -> "Consultation.Stage":
        """Where the consultation stands: its period comes from its dates, its end from the
        staff closing it once every comment is answered."""
        today = today or timezone.localdate()
        if self.closed_at is not None:
            return self.Stage.CLOSED
        if today < self.opens_on:
            return self.Stage.ANNOUNCED
        if today <= self.closes_on:
            return self.Stage.OPEN
        return self.Stage.ENDED

    def receives_comments(self, today: datetime.date | None = None) -> bool:
        return self.stage(today) == self.Stage.OPEN


class Hearing(models.Model):
    """A public hearing of the consultation, with its place, date and minutes."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="hearings",
    )
    place = models.CharField(_("place"), max_length=250)
    starts_at = models.DateTimeField(_("date and time"))
    minutes = models.TextField(_("minutes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public hearing")
        verbose_name_plural = _("public hearings")
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.place} · {self.starts_at:%Y-%m-%d}"


class Ruling(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly", _("Partly upheld")
    REJECTED = "rejected", _("Not upheld")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the municipality's competence")

    @classmethod
    def needing_answer(cls) -> list[str]:
        """Every ruling that is not a plain yes is answered with its reasons."""
        return [cls.PARTLY_UPHELD, cls.REJECTED, cls.OUT_OF_SCOPE]


def _attachment_name(instance, filename: str) -> str:
    return stored_name("consultation", filename)


# Letters and digits that are not read one for another (no 0/O, 1/I): 32 symbols, 5 bits each.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECEIPT_CODE_LENGTH = 10


def new_receipt_code() -> str:
    """Fifty random bits: the folio says which comment, this code proves it is one's own."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_CODE_LENGTH))


class Comment(models.Model):
    """A comment on the draft, received online, on paper or at a hearing. The name is public
    with the answer; the contact and the sender's address never are."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper")
        HEARING = "hearing", _("At a public hearing")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    folio = models.CharField(_("folio"), max_length=20, unique=True)
    # Folios are sequential, so guessable: following a comment publicly takes this code too.
    receipt_code = models.CharField(
        _("follow-up code"), max_length=RECEIPT_CODE_LENGTH, default=new_receipt_code
    )
    channel = models.CharField(_("received"), max_length=8, choices=Channel.choices)
    hearing = models.ForeignKey(
        Hearing,
        verbose_name=_("hearing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    name = models.CharField(_("name"), max_length=120)
    contact = models.CharField(_("contact (e-mail or phone)"), max_length=120, blank=True)
    topic = models.CharField(_("topic"), max_length=150)
    unit = models.ForeignKey(
        "information.TerritorialUnit",
        verbose_name=_("territorial unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    attachment = models.FileField(
        _("attachment"), upload_to=_attachment_name, max_length=200, blank=True
    )
    attachment_name = models.CharField(_("attachment's name"), max_length=255, blank=True)
    attachment_type = models.CharField(_("attachment's type"), max_length=120, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    sender = models.CharField(
        _("sender's fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("A keyed hash of the address, to limit the rate; never the address itself."),
    )
    ruling = models.CharField(_("ruling"), max_length=12, choices=Ruling.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ruled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ruled_at = models.DateTimeField(_("ruled"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["sender", "receipt_code"])

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["consultation", "received_at", "pk"]
        indexes = [models.Index(fields=["sender", "received_at"], name="comment_sender_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ruling="") | Q(ruling="upheld") | ~Q(answer=""),
                name="comment_rejection_is_answered",
                violation_error_message=_("Every ruling other than “upheld” needs its answer."),
            ),
            models.CheckConstraint(
                condition=~Q(channel="hearing") | Q(hearing__isnull=False),
                name="comment_at_a_hearing_names_it",
            ),
        ]

    def __str__(self):
        return self.folio

    @property
    def receipt_code_display(self) -> str:
        """`ABCDE-FGHJK`: two halves are easier to copy."""
        half = RECEIPT_CODE_LENGTH // 2
        return f"{self.receipt_code[:half]}-{self.receipt_code[half:]}"

    @property
    def is_answered(self) -> bool:
        return bool(self.ruling) and (
            self.ruling not in Ruling.needing_answer() or bool(self.answer.strip())
        )
