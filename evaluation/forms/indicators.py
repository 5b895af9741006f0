"""Forms of the indicator pages: they read input; the rules (one measured thing, thresholds
in order, no retroactive targets, a period that ended) live in evaluation/services and are
shown as their Spanish messages."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from budgeting.models import Action
from evaluation import lights
from evaluation.models import Indicator, Measurement, Target
from pmot.actors.models import Organization
from pmot.information.forms import MultipleFileField
from pmot.information.models import TerritorialUnit
from pmot.planning.models import PlanElement

VALUE = {"max_digits": 18, "decimal_places": 4}
FILE_HELP = _(
    "PDF, Word (.docx), Excel (.xlsx), CSV, text, GeoJSON/JSON, PNG, JPEG or ZIP; "
    "each file is checked by its content."
)


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored figure without trailing zeros, never in exponent form (100, not 1E+2)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _organizations():
    return Organization.objects.filter(is_active=True).order_by("name")


# --- The list --------------------------------------------------------------------------------


class IndicatorFilters(forms.Form):
    """The GET form of the indicator list, with Spanish names for the address."""

    q = forms.CharField(label=_("Key or name"), required=False, max_length=100)
    reporta = forms.ModelChoiceField(
        label=_("Reporting organization"), queryset=Organization.objects.none(), required=False
    )
    color = forms.ChoiceField(
        label=_("Traffic light"),
        required=False,
        choices=[("", _("Any")), *lights.Colour.choices],
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporta"].queryset = organizations


# --- The technical sheet ---------------------------------------------------------------------


class IndicatorForm(forms.ModelForm):
    """The technical sheet. The measured thing is one of three optional choices: the service
    refuses none or several, and the thresholds out of order, saying why in Spanish."""

    class Meta:
        model = Indicator
        fields = [
            "key",
            "name",
            "definition",
            "method",
            "variable_a",
            "variable_b",
            "factor",
            "unit",
            "dimension",
            "kind",
            "mir_level",
            "frequency",
            "direction",
            "baseline_value",
            "baseline_year",
            "first_year",
            "source",
            "verification",
            "reporter",
            "element",
            "action",
            "unit_measured",
            "green_low",
            "green_high",
            "yellow_low",
            "yellow_high",
            "published",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter"].queryset = _organizations()
        element = self.fields["element"]
        element.queryset = PlanElement.objects.select_related("plan").order_by(
            "plan__order", "plan__name", "position", "key"
        )
        element.label_from_instance = lambda e: f"{e.plan.name} · {e.key} {e.name[:100]}"
        action = self.fields["action"]
        action.queryset = Action.objects.select_related("poa").order_by("-poa__fiscal_year", "key")
        action.label_from_instance = lambda a: f"POA {a.poa.fiscal_year} · {a.key} {a.name[:100]}"
        unit = self.fields["unit_measured"]
        unit.queryset = TerritorialUnit.objects.order_by("key")
        unit.label_from_instance = lambda u: f"{u.key} {u.name}"
        if self.instance.pk is not None and self.instance.has_periods_recorded():
            # Its periods are history (targets, measurements): a posted frequency is ignored,
            # and the service refuses a change that reaches it another way.
            frequency = self.fields["frequency"]
            frequency.disabled = True
            frequency.help_text = _(
                "It has targets or measurements by period: its frequency no longer changes. "
                "Record a new indicator to replace it."
            )

    # (legend, help, fields)
    FIELDSETS = [
        (_("The indicator"), "", ["key", "name", "definition", "method"]),
        (_("Formula"), "", ["variable_a", "variable_b", "factor", "unit"]),
        (_("Classification"), "", ["dimension", "kind", "mir_level", "frequency", "direction"]),
        (_("Baseline"), "", ["baseline_value", "baseline_year", "first_year"]),
        (_("Source and reporting"), "", ["source", "verification", "reporter"]),
        (
            _("What it measures"),
            _("Choose exactly one: a plan element, a POA action or a territorial unit."),
            ["element", "action", "unit_measured"],
        ),
        (
            _("Thresholds of the traffic light"),
            _("In per cent of compliance; all four, or none to use the defaults."),
            ["green_low", "green_high", "yellow_low", "yellow_high"],
        ),
        (_("Publication"), "", ["published"]),
    ]

    def fieldsets(self):
        return [
            (legend, help_text, [self[name] for name in names])
            for legend, help_text, names in self.FIELDSETS
        ]

    def _post_clean(self):
        # The model's constraints (one measured thing, thresholds in order) would only name
        # themselves; indicator_save checks the same rules and says why in Spanish.
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
            self.instance.full_clean(
                exclude=self._get_validation_exclusions(),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self._update_errors(error)
        self.validate_unique()


# --- Targets ---------------------------------------------------------------------------------


@dataclass
class TargetRow:
    """A period of the target form: its current target and, while open, its two inputs."""

    period: lights.Period
    target: Target | None
    closed: bool
    value: forms.BoundField
    reason: forms.BoundField


class TargetForm(forms.Form):
    """The targets of the current and next year, a value and a reason per period. A closed
    period is shown read-only; a value posted for it anyway (a page opened before it closed)
    reaches the service, which refuses it."""

    def __init__(self, *args, indicator: Indicator, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator, self.today = indicator, today
        self.targets = {(t.year, t.number): t for t in indicator.targets.all()}
        first = max(today.year, indicator.first_year)
        self.periods = lights.periods_between(
            indicator.frequency, datetime.date(first, 1, 1), datetime.date(today.year + 1, 12, 31)
        )
        for period in self.periods:
            target = self.targets.get((period.year, period.number))
            self.fields[self._name("v", period)] = forms.DecimalField(
                label=_("Target of %(period)s") % {"period": period.label},
                required=False,
                **VALUE,
                initial=_plain(target.value) if target else None,
            )
            self.fields[self._name("r", period)] = forms.CharField(
                label=_("Reason for the change in %(period)s") % {"period": period.label},
                required=False,
                max_length=300,
            )

    @staticmethod
    def _name(prefix: str, period: lights.Period) -> str:
        return f"{prefix}-{period.year}-{period.number}"

    def rows(self) -> list[TargetRow]:
        return [
            TargetRow(
                period,
                self.targets.get((period.year, period.number)),
                period.closed(self.today),
                self[self._name("v", period)],
                self[self._name("r", period)],
            )
            for period in self.periods
        ]

    def clean(self):
        data = super().clean()
        for period in self.periods:
            target = self.targets.get((period.year, period.number))
            emptied = target is not None and data.get(self._name("v", period)) is None
            # A closed period has no input to send: its absence is no change.
            if emptied and not period.closed(self.today):
                self.add_error(
                    self._name("v", period),
                    _("A target once set is changed, not removed."),
                )
        return data

    def changes(self) -> list[tuple[lights.Period, Decimal, str]]:
        """The periods whose posted target differs from the one recorded."""
        changed = []
        for period in self.periods:
            value = self.cleaned_data.get(self._name("v", period))
            target = self.targets.get((period.year, period.number))
            if value is None or (target is not None and target.value == value):
                continue
            changed.append((period, value, self.cleaned_data.get(self._name("r", period), "")))
        return changed


# --- Measurements ----------------------------------------------------------------------------


class MeasurementForm(forms.Form):
    """A period's variables, labelled as the technical sheet names them, and its evidence."""

    a = forms.DecimalField(**VALUE)
    b = forms.DecimalField(**VALUE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(label=_("Evidence"), required=False, help_text=FILE_HELP)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].label = indicator.variable_a
        if indicator.variable_b:
            self.fields["b"].label = indicator.variable_b
        else:
            del self.fields["b"]

    @classmethod
    def initial_for(cls, measurement: Measurement | None) -> dict:
        if measurement is None:
            return {}
        return {"a": _plain(measurement.a), "b": _plain(measurement.b), "note": measurement.note}


class ReturnForm(forms.Form):
    observations = forms.CharField(
        label=_("Observations"),
        required=False,  # the service says what is missing
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the reporting organization must correct."),
    )
