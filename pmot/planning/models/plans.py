"""Plans of every order as trees, and the alignment links between their elements (DOMAIN.md
§4)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Plan(models.Model):
    """A plan of some order, a tree whose level names are its own (Eje → Objetivo → …)."""

    class Order(models.TextChoices):
        NATIONAL = "national", _("National development plan")
        STATE = "state", _("State development plan")
        STATE_LONG_TERM = "state_long_term", _("State long-term plan")
        MUNICIPAL = "municipal", _("Municipal development plan (PDM)")
        SECTORAL = "sectoral", _("Sectoral program")
        PMOT = "pmot", _("Municipal territorial ordering program (PMOT)")
        SDG = "sdg", _("2030 Agenda (SDGs)")

    class Sector(models.TextChoices):
        URBAN = "urban", _("Urban")
        SOCIAL = "social", _("Social")
        ECONOMIC = "economic", _("Economic")
        ENVIRONMENT = "environment", _("Environment")

    key = models.SlugField(_("key"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=250)
    order = models.CharField(_("order"), max_length=16, choices=Order.choices)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices, blank=True)
    level_names = models.JSONField(
        _("level names"),
        help_text=_("From the top: e.g. Eje, Objetivo, Estrategia, Línea de acción."),
    )
    responsible = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("responsible organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    program = models.ForeignKey(
        "planning.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order="sectoral") | Q(sector=""),
                name="plan_only_sectoral_programs_have_a_sector",
            ),
        ]

    def __str__(self):
        return self.name

    def level_name(self, level: int) -> str:
        return self.level_names[level] if level < len(self.level_names) else ""


class PlanElement(models.Model):
    """An axis, objective, strategy or line of action of a plan; an SDG or one of its targets."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="elements"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent element"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    key = models.CharField(_("key"), max_length=30)
    name = models.TextField(_("name"))
    level = models.PositiveSmallIntegerField(_("level"))
    position = models.PositiveIntegerField(_("position"), default=0)
    responsible = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("responsible organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_elements",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan element")
        verbose_name_plural = _("plan elements")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plan_element_key_per_plan"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, level=0) | Q(parent__isnull=False, level__gt=0),
                name="plan_element_roots_are_level_zero",
            ),
        ]

    def __str__(self):
        return f"{self.key} {self.name[:80]}"

    @property
    def level_name(self) -> str:
        return self.plan.level_name(self.level)


class Alignment(models.Model):
    """An element of one plan contributes to an element of another (PMOT strategy → PDM line
    → SDG target). Stored once; shown from both sides."""

    source = models.ForeignKey(
        PlanElement, verbose_name=_("element"), on_delete=models.CASCADE, related_name="aligned_to"
    )
    target = models.ForeignKey(
        PlanElement,
        verbose_name=_("aligned to"),
        on_delete=models.CASCADE,
        related_name="aligned_from",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="alignment_once"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="alignment_not_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.source.key} → {self.target.key}"
