"""The catalogues money is classified by: funding sources and CONAC's classifiers (object of
expense, functional classification, program modality). Written by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class GovernmentOrder(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    STATE = "state", _("State")
    MUNICIPAL = "municipal", _("Municipal")
    PRIVATE = "private", _("Private")
    SOCIAL = "social", _("Social / beneficiaries")


class FundingSource(models.Model):
    """Where money comes from: a federal fund (FISMDF, FORTAMUNDF, Ramo 28, a convenio), the
    state, the municipality's own resources, private or beneficiaries' contributions."""

    key = models.SlugField(_("key"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.CharField(_("order"), max_length=10, choices=GovernmentOrder.choices)
    is_fismdf = models.BooleanField(
        _("FISMDF"),
        default=False,
        help_text=_("Ramo 33 fund for social infrastructure: its legal categories and caps apply."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ExpenseItem(models.Model):
    """A generic item of CONAC's object-of-expense classifier (chapter → concept → item)."""

    key = models.CharField(_("item"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=250)
    chapter = models.CharField(_("chapter"), max_length=4)
    chapter_name = models.CharField(_("chapter's name"), max_length=200)
    concept = models.CharField(_("concept"), max_length=4)
    concept_name = models.CharField(_("concept's name"), max_length=250)

    class Meta:
        verbose_name = _("object of expense")
        verbose_name_plural = _("objects of expense (CONAC)")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} {self.name}"


class FunctionalClass(models.Model):
    """A purpose, function or sub-function of CONAC's functional classification (2.2.1)."""

    key = models.CharField(_("key"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=250)
    level = models.CharField(_("level"), max_length=12)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("functional classification")
        verbose_name_plural = _("functional classification (CONAC)")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} {self.name}"


class ProgramModality(models.Model):
    """A program modality of CONAC's programmatic classification (E, K, P, S…)."""

    key = models.CharField(_("modality"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=250)
    group = models.CharField(_("group"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("program modality")
        verbose_name_plural = _("program modalities (CONAC)")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} {self.name}"
