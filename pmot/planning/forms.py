from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pmot.actors.models import Organization
from pmot.planning.models import Plan, PlanElement, Program


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgramForm(forms.ModelForm):
    """The program's data, the state's opinion and the publication. The Cabildo's agreements
    that start and approve it are not picked here: its vote on the program records them
    (committees' hook, `services.program_decided`)."""

    class Meta:
        model = Program
        fields = [
            "name",
            "horizon_year",
            "version",
            "status",
            "opinion_requested_on",
            "opinion_received_on",
            "opinion",
            "gazette_published_on",
        ]
        widgets = {
            "gazette_published_on": DateInput(),
            "opinion_requested_on": DateInput(),
            "opinion_received_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["horizon_year"].widget.attrs |= {"min": 2000, "max": 2100}

    def _get_validation_exclusions(self):
        """The fields the service rules on together (approval, the state's opinion, the
        publication) are left to it, so the page shows every reason at once rather than the
        first database constraint's; the constraints still hold on saving."""
        return super()._get_validation_exclusions() | {
            "status",
            "gazette_published_on",
            "opinion_requested_on",
            "opinion_received_on",
            "opinion",
        }

    def clean_horizon_year(self):
        year = self.cleaned_data["horizon_year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Give a horizon year between 2000 and 2100."))
        return year


class PlanForm(forms.ModelForm):
    level_names_text = forms.CharField(
        label=_("Level names"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, from the top: Eje, Objetivo, Estrategia, Línea de acción."),
    )

    class Meta:
        model = Plan
        fields = ["key", "name", "order", "sector", "responsible", "valid_from", "valid_until"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}
        help_texts = {"key": _("Short, for the address: letters, digits and hyphens.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organization.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["level_names_text"].initial = "\n".join(self.instance.level_names)
            del self.fields["key"]

    def clean_level_names_text(self):
        names = [line.strip() for line in self.cleaned_data["level_names_text"].splitlines()]
        names = [name for name in names if name]
        if not 1 <= len(names) <= 6:
            raise ValidationError(_("Give between one and six level names, one per line."))
        if self.instance.pk:
            deepest = self.instance.elements.order_by("-level").values_list("level", flat=True)
            if deepest and deepest[0] >= len(names):
                raise ValidationError(
                    _("The plan has elements down to level %(level)s: keep at least that many.")
                    % {"level": deepest[0] + 1}
                )
        return names

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("order") == Plan.Order.SECTORAL and not cleaned.get("sector"):
            self.add_error("sector", _("A sectoral program has a sector."))
        if cleaned.get("order") != Plan.Order.SECTORAL and cleaned.get("sector"):
            self.add_error("sector", _("Only sectoral programs have a sector."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end of validity comes after its start."))
        return cleaned

    def save(self, commit=True):
        self.instance.level_names = self.cleaned_data["level_names_text"]
        return super().save(commit)


class ElementForm(forms.Form):
    key = forms.CharField(label=_("Key"), max_length=30)
    name = forms.CharField(label=_("Name"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ModelChoiceField(
        label=_("Responsible organization"),
        queryset=Organization.objects.filter(is_active=True),
        required=False,
    )


class AlignmentForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Element"), queryset=PlanElement.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = plan.elements.order_by("position", "pk")
        self.fields["target"].label_from_instance = lambda element: (
            f"{element.key} · {element.name[:90]}"
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_(
            "Columns: clave, clave_superior (empty for the top level), nombre and, optionally, "
            "responsable (the organization's acronym). Export the plan to get a template."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
