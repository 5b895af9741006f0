from django import forms
from django.utils.translation import gettext_lazy as _

from phases.models import Activity, Deliverable, DeliverableType, Phase
from phases.services.work import STEPS
from pmot.actors.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PhasePlanForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["planned_start", "planned_end", "notice_published_on", "notice_medium"]
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "notice_published_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.number != 1:
            del self.fields["notice_published_on"]
            del self.fields["notice_medium"]


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = ["kind", "title", "responsible", "author", "author_name", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, phase: Phase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = DeliverableType.objects.filter(phase_number=phase.number)
        self.fields["responsible"].queryset = Organization.objects.active().order_by("name")


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class ReviewForm(forms.Form):
    step = forms.ChoiceField(choices=[(step, step) for step in STEPS], widget=forms.HiddenInput)
    """A reviewer's step. There is no agreement to pick: *Validado por el órgano* comes only
    from the coordinating body's vote on the deliverable (committees' hook)."""

    observations = forms.CharField(
        label=_("Observations"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["name", "responsible", "planned_start", "planned_end", "depends_on"]
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "depends_on": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, phase: Phase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organization.objects.active().order_by("name")
        self.fields["depends_on"].queryset = Activity.objects.filter(
            phase__program=phase.program_id
        ).order_by("planned_start")
        self.fields["depends_on"].required = False


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
