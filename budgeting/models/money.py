"""Money of an action: budget lines by funding source and CONAC classifier, and the budget
stages (*momentos contables del egreso*, LGCG art. 38) recorded as movements, never overwritten.

A line keeps the running totals of its movements so the invariants of DOMAIN.md §5 are checked
by the database too:
    modified = approved + increases − reductions
    committed ≤ modified, accrued ≤ committed, exercised ≤ accrued, paid ≤ exercised
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmot.core.uploads import stored_name

MONEY = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal("0.00")


class FismdfCategory(models.TextChoices):
    """What FISMDF money may fund (LCF art. 33), and the two capped uses."""

    WATER = "water", _("Drinking water")
    SEWERAGE = "sewerage", _("Sewerage")
    DRAINAGE = "drainage", _("Drainage and latrines")
    URBANIZATION = "urbanization", _("Urbanization")
    ELECTRIFICATION = "electrification", _("Rural and poor-neighbourhood electrification")
    HEALTH = "health", _("Basic health infrastructure")
    EDUCATION = "education", _("Basic education infrastructure")
    HOUSING = "housing", _("Housing improvement")
    MAINTENANCE = "maintenance", _("Maintenance of infrastructure")
    INSTITUTIONAL = "institutional", _("Institutional development (at most 2 %)")
    INDIRECT = "indirect", _("Indirect costs (at most 3 %)")


class BudgetStage(models.TextChoices):
    """The budget stages (*momentos contables del egreso*, LGCG art. 38) in their order, each a
    running total of BudgetLine: the one list every page, export and chart follows."""

    APPROVED = "approved", _("Approved")
    MODIFIED = "modified", _("Modified")
    COMMITTED = "committed", _("Committed")
    ACCRUED = "accrued", _("Accrued")
    EXERCISED = "exercised", _("Exercised")
    PAID = "paid", _("Paid")


STAGES = tuple(BudgetStage.values)


# The capped uses of FISMDF and their share of the year's FISMDF money (LCF art. 33).
FISMDF_CAPS = {
    FismdfCategory.INSTITUTIONAL: Decimal("0.02"),
    FismdfCategory.INDIRECT: Decimal("0.03"),
}


class BudgetLine(models.Model):
    """An amount of an action by funding source and classifier, with the running totals of
    its movements."""

    action = models.ForeignKey(
        "budgeting.Action",
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    source = models.ForeignKey(
        "budgeting.FundingSource",
        verbose_name=_("funding source"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    expense_item = models.ForeignKey(
        "budgeting.ExpenseItem",
        verbose_name=_("object of expense"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    functional = models.ForeignKey(
        "budgeting.FunctionalClass",
        verbose_name=_("functional classification"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cofinancer = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("co-financing organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cofinanced_lines",
        help_text=_("The state or federal agency, company or group that puts in this money."),
    )
    fismdf_category = models.CharField(
        _("FISMDF category"), max_length=16, choices=FismdfCategory.choices, blank=True
    )
    approved = models.DecimalField(_("approved"), default=ZERO, **MONEY)
    increases = models.DecimalField(_("increases"), default=ZERO, **MONEY)
    reductions = models.DecimalField(_("reductions"), default=ZERO, **MONEY)
    modified = models.DecimalField(_("modified"), default=ZERO, **MONEY)
    committed = models.DecimalField(_("committed"), default=ZERO, **MONEY)
    accrued = models.DecimalField(_("accrued"), default=ZERO, **MONEY)
    exercised = models.DecimalField(_("exercised"), default=ZERO, **MONEY)
    paid = models.DecimalField(_("paid"), default=ZERO, **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["action", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved__gte=0, increases__gte=0, reductions__gte=0),
                name="line_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(modified=F("approved") + F("increases") - F("reductions")),
                name="line_modified_is_approved_plus_changes",
            ),
            models.CheckConstraint(
                condition=Q(modified__gte=F("committed")), name="line_committed_within_modified"
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=F("accrued")), name="line_accrued_within_committed"
            ),
            models.CheckConstraint(
                condition=Q(accrued__gte=F("exercised")), name="line_exercised_within_accrued"
            ),
            models.CheckConstraint(
                condition=Q(exercised__gte=F("paid")), name="line_paid_within_exercised"
            ),
            models.CheckConstraint(condition=Q(paid__gte=0), name="line_paid_not_negative"),
        ]

    def __str__(self):
        return f"{self.action.key} · {self.source}"

    @property
    def underspent(self) -> Decimal:
        """*Subejercicio*: modified − accrued."""
        return self.modified - self.accrued


def _document_name(instance, filename: str) -> str:
    return stored_name("budgeting", filename)


class Movement(models.Model):
    """One budget movement: a stage reached by an amount, on a date, with its supporting
    document and who recorded it. Append-only."""

    class Stage(models.TextChoices):
        APPROVED = "approved", _("Approved")
        INCREASE = "increase", _("Increase")
        REDUCTION = "reduction", _("Reduction")
        COMMITTED = "committed", _("Committed")
        ACCRUED = "accrued", _("Accrued")
        EXERCISED = "exercised", _("Exercised")
        PAID = "paid", _("Paid")

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="movements",
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    date = models.DateField(_("date"))
    document = models.FileField(
        _("supporting document"), upload_to=_document_name, max_length=200, blank=True
    )
    document_name = models.CharField(_("document's name"), max_length=255, blank=True)
    reference = models.CharField(
        _("reference"), max_length=120, blank=True, help_text=_("Contract, invoice, policy…")
    )
    modification = models.ForeignKey(
        "budgeting.Modification",
        verbose_name=_("modification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget movement")
        verbose_name_plural = _("budget movements")
        ordering = ["line", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="movement_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.amount}"


class RequestedChange(models.Model):
    """An increase or a reduction of a budget line requested within a modification of an
    approved POA. It moves nothing while its modification is open: applying the modification
    records it as a movement; a rejected modification's requests never become one."""

    class Kind(models.TextChoices):
        INCREASE = "increase", _("Increase")
        REDUCTION = "reduction", _("Reduction")

    modification = models.ForeignKey(
        "budgeting.Modification",
        verbose_name=_("modification"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="requested_changes",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    date = models.DateField(_("date"))
    document = models.FileField(
        _("supporting document"), upload_to=_document_name, max_length=200, blank=True
    )
    document_name = models.CharField(_("document's name"), max_length=255, blank=True)
    reference = models.CharField(
        _("reference"), max_length=120, blank=True, help_text=_("Contract, invoice, policy…")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    movement = models.OneToOneField(
        Movement,
        verbose_name=_("movement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request",
        help_text=_("The movement it became when its modification was applied."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requested change")
        verbose_name_plural = _("requested changes")
        ordering = ["modification", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="requested_change_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def signed_amount(self) -> Decimal:
        """What it does to the POA's total: + for an increase, − for a reduction."""
        return self.amount if self.kind == self.Kind.INCREASE else -self.amount
