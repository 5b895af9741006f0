"""Forms of the POA pages: they read input; the rules live in budgeting/services."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from budgeting.models import (
    MONTHS,
    QUARTERS,
    Action,
    ActionKind,
    ExpenseItem,
    FismdfCategory,
    FunctionalClass,
    FundingSource,
    Modification,
    Movement,
    Poa,
    PortfolioProject,
    ProgramModality,
)
from budgeting.selectors import SORTS
from pmot.actors.models import Organization
from pmot.information.models import TerritorialUnit
from pmot.planning.forms import DateInput
from pmot.planning.models import Plan, PlanElement

AMOUNT = {"max_digits": 16, "decimal_places": 2}


def _organizations():
    return Organization.objects.filter(is_active=True).order_by("name")


class ModificationChoice(forms.ModelChoiceField):
    """The recorded modification a change of an approved POA belongs to."""

    def __init__(self, poa: Poa, **kwargs):
        super().__init__(
            label=_("Modification"),
            queryset=Modification.objects.filter(poa=poa, status=Modification.Status.OPEN).order_by(
                "-number"
            ),
            required=False,
            # The latest modification comes first and is chosen unless another is.
            empty_label=None,
            help_text=_("The POA is approved: every change belongs to an open modification."),
            **kwargs,
        )

    def label_from_instance(self, obj):
        return f"M{obj.number} · {obj.reason[:80]}"


def _add_modification(form: forms.Form, poa: Poa) -> None:
    if poa.is_approved:
        form.fields["modification"] = ModificationChoice(poa)


# --- The POA -----------------------------------------------------------------------------------


class PoaForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Empty: the POA of the whole municipality."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _organizations()


class ModificationForm(forms.Form):
    """Opening a modification: its reason. How it is decided follows from what it requests
    (budgeting.services.modifications); no field here names an agreement."""

    reason = forms.CharField(
        label=_("Reason"), max_length=400, widget=forms.Textarea(attrs={"rows": 3})
    )


class RejectForm(forms.Form):
    """Rejecting a modification: the office that holds the budget says why."""

    reason = forms.CharField(
        label=_("Why it is rejected"), max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )


class TableFilters(forms.Form):
    """The GET form of the POA table, with Spanish names for the address."""

    q = forms.CharField(label=_("Key or name"), required=False, max_length=100)
    tipo = forms.ChoiceField(label=_("Kind"), required=False)
    responsable = forms.ModelChoiceField(
        label=_("Responsible"), queryset=Organization.objects.none(), required=False
    )
    fuente = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.all(), required=False
    )
    unidad = forms.ModelChoiceField(
        label=_("Territorial unit"), queryset=TerritorialUnit.objects.none(), required=False
    )
    estado = forms.ChoiceField(label=_("Status"), required=False)
    orden = forms.ChoiceField(label=_("Sort by"), required=False)

    SORT_LABELS = {
        "clave": _("Key"),
        "nombre": _("Name"),
        "tipo": _("Kind"),
        "responsable": _("Responsible"),
        "modificado": _("Modified"),
        "ejercido": _("Exercised"),
    }

    def __init__(self, *args, poa: Poa, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["tipo"].choices = anything + list(ActionKind.choices)
        self.fields["estado"].choices = anything + list(Action.Status.choices)
        self.fields["orden"].choices = [(key, self.SORT_LABELS[key]) for key in SORTS]
        self.fields["responsable"].queryset = Organization.objects.filter(
            poa_actions__poa=poa
        ).distinct()
        self.fields["unidad"].queryset = TerritorialUnit.objects.filter(
            poa_actions__poa=poa
        ).distinct()
        for name in ("responsable", "fuente", "unidad"):
            self.fields[name].empty_label = _("All")


# --- Actions -----------------------------------------------------------------------------------


class ActionForm(forms.Form):
    key = forms.CharField(label=_("Key"), max_length=30)
    name = forms.CharField(
        label=_("Name"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    responsible = forms.ModelChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.none()
    )
    modality = forms.ModelChoiceField(
        label=_("Program modality"), queryset=ProgramModality.objects.all()
    )
    unit = forms.ModelChoiceField(
        label=_("Territorial unit"), queryset=TerritorialUnit.objects.all(), required=False
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        help_text=_("Optional point location, in decimal degrees (WGS84)."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    target = forms.DecimalField(
        label=_("Physical target"), max_digits=14, decimal_places=2, min_value=0
    )
    target_unit = forms.CharField(
        label=_("Unit of measure"),
        max_length=60,
        help_text=_("Metres of pipe, dwellings, procedures…"),
    )
    calendar_kind = forms.ChoiceField(
        label=_("Calendar"),
        choices=Action.Calendar.choices,
        help_text=_("Fill in the periods of the calendar you choose, below."),
    )
    project = forms.ModelChoiceField(
        label=_("Portfolio project"), queryset=PortfolioProject.objects.all(), required=False
    )

    def __init__(self, *args, poa: Poa, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _organizations()
        _add_modification(self, poa)
        if adding:
            # A new action of an approved POA is aligned as it is added (DOMAIN.md §5).
            self.fields["alignments"] = AlignmentsField(required=poa.status != Poa.Status.DRAFT)

    @classmethod
    def initial_for(cls, action: Action) -> dict:
        return {name: getattr(action, name) for name in cls.base_fields}


class AlignmentsField(forms.ModelMultipleChoiceField):
    """The PMOT and PDM elements a new action carries out."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Aligned to"),
            queryset=PlanElement.objects.filter(
                plan__order__in=[Plan.Order.PMOT, Plan.Order.MUNICIPAL]
            )
            .select_related("plan")
            .order_by("plan__order", "plan__key", "position", "pk"),
            help_text=_(
                "The elements of the PMOT or the PDM the action carries out (one at least in "
                "an approved POA). More can be added on its page."
            ),
            **kwargs,
        )

    def label_from_instance(self, obj):
        return f"{obj.plan.name} · {obj.key} · {obj.name[:90]}"


class CalendarForm(forms.Form):
    """The programmed target by period: four quarters or twelve months (the chosen one is
    read; the other is ignored)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cal", **kwargs)
        for number, label in enumerate(QUARTERS, start=1):
            self.fields[f"q{number}"] = self._period(label)
        for number, label in enumerate(MONTHS, start=1):
            self.fields[f"m{number}"] = self._period(label)

    @staticmethod
    def _period(label) -> forms.DecimalField:
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=0,
            max_digits=14,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.01", "class": "input--period"}),
        )

    @classmethod
    def initial_for(cls, action: Action) -> dict:
        letter = "m" if action.calendar_kind == Action.Calendar.MONTHLY else "q"
        return {f"{letter}{n}": value for n, value in enumerate(action.calendar, start=1)}

    def quarters(self):
        return [self[f"q{n}"] for n in range(1, 5)]

    def months(self):
        return [self[f"m{n}"] for n in range(1, 13)]

    def calendar(self, kind: str) -> list:
        letter, periods = ("m", 12) if kind == Action.Calendar.MONTHLY else ("q", 4)
        return [self.cleaned_data.get(f"{letter}{n}") or 0 for n in range(1, periods + 1)]


class PlanChoiceForm(forms.Form):
    """Step one of aligning an action: the plan (PMOT or PDM) whose elements to list."""

    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none())

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].to_field_name = "key"


class AlignForm(forms.Form):
    element = forms.ModelChoiceField(label=_("Element"), queryset=PlanElement.objects.none())

    def __init__(self, *args, plan: Plan, poa: Poa, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].queryset = plan.elements.select_related("plan").order_by(
            "position", "pk"
        )
        self.fields["element"].label_from_instance = lambda element: (
            f"{element.key} · {element.name[:90]}"
        )
        _add_modification(self, poa)


class UnalignForm(forms.Form):
    """Removing an alignment: only the modification, when the POA is approved."""

    def __init__(self, *args, poa: Poa, **kwargs):
        super().__init__(*args, **kwargs)
        _add_modification(self, poa)


# --- Money -------------------------------------------------------------------------------------


class LineForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Funding source"), queryset=FundingSource.objects.all())
    expense_item = forms.ModelChoiceField(
        label=_("Object of expense"), queryset=ExpenseItem.objects.all()
    )
    functional = forms.ModelChoiceField(
        label=_("Functional classification"), queryset=FunctionalClass.objects.all()
    )
    cofinancer = forms.ModelChoiceField(
        label=_("Co-financing organization"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The state or federal agency, company or group that puts in this money."),
    )
    fismdf_category = forms.ChoiceField(
        label=capfirst(_("FISMDF category")),
        required=False,
        help_text=_("Only for FISMDF money: what it funds (LCF art. 33)."),
    )

    def __init__(self, *args, poa: Poa, **kwargs):
        super().__init__(*args, prefix="linea", **kwargs)
        self.fields["cofinancer"].queryset = _organizations()
        self.fields["fismdf_category"].choices = [("", "—"), *FismdfCategory.choices]
        _add_modification(self, poa)


class MovementForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Movement.Stage.choices)
    amount = forms.DecimalField(label=_("Amount (MXN)"), min_value=0, **AMOUNT)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    reference = forms.CharField(
        label=_("Reference"),
        max_length=120,
        required=False,
        help_text=_("Contract, invoice, policy…"),
    )
    document = forms.FileField(label=_("Supporting document"), required=False)

    def __init__(self, *args, line, poa: Poa, **kwargs):
        super().__init__(*args, prefix=f"mov{line.pk}", **kwargs)
        self.fields["amount"].widget.attrs["step"] = "0.01"
        _add_modification(self, poa)
        if "modification" in self.fields:
            self.fields["modification"].help_text = _(
                "For an increase or a reduction of an approved POA: requested within the "
                "modification, it moves the modified amount once the modification is applied."
            )


class ProgressForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Period"), coerce=int)
    achieved = forms.DecimalField(
        label=_("Achieved in the period"), min_value=0, max_digits=14, decimal_places=2
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)
    note = forms.CharField(label=_("Note"), max_length=400, required=False)

    organization = forms.ModelChoiceField(
        label=_("Reported for"),
        queryset=Organization.objects.none(),
        empty_label=None,
        required=False,  # not given: the first the person reports for (the responsible one)
        help_text=_("Each organization reports its own share of the action's progress."),
    )
    field_order = ["organization", "period", "achieved", "evidence", "note"]

    def __init__(self, *args, action: Action, organizations: list, **kwargs):
        """`organizations`: those whose share the person reports (budgeting.permissions); with only
        one, the form does not ask."""
        super().__init__(*args, prefix="avance", **kwargs)
        self.fields["period"].choices = list(enumerate(action.period_labels, start=1))
        self.fields["achieved"].widget.attrs["step"] = "0.01"
        self.default = organizations[0] if organizations else None
        if len(organizations) > 1:
            self.fields["organization"].queryset = Organization.objects.filter(
                pk__in=[o.pk for o in organizations]
            ).order_by("name")
            self.fields["organization"].initial = self.default.pk
        else:
            del self.fields["organization"]

    def clean(self):
        data = super().clean()
        data["organization"] = data.get("organization") or self.default
        return data


class ProgressReturnForm(forms.Form):
    observations = forms.CharField(
        label=_("Observations"),
        required=False,  # the service says what is missing
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the reporting organization must correct."),
    )
