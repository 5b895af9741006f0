"""Forms of the evaluation program, evaluations and recommendations: they read input; the rules
live in evaluation/services/evaluations.py."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from budgeting.models import Action, FundingSource
from budgeting.services.poa import ALIGNABLE_ORDERS
from evaluation.models import Evaluation, EvaluationProgram, Recommendation
from pmot.actors.models import Organization
from pmot.planning.forms import DateInput
from pmot.planning.models import PlanElement

AMOUNT = {"max_digits": 16, "decimal_places": 2}
Status = Recommendation.Status


def _organizations():
    return Organization.objects.filter(is_active=True).order_by("name")


class ProgramForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    document = forms.FileField(
        label=_("Program document (PDF)"),
        required=False,
        help_text=_("Leave empty to keep the current document."),
    )
    published = forms.BooleanField(label=_("Published on the public portal"), required=False)

    @staticmethod
    def initial_for(program: EvaluationProgram) -> dict:
        return {"year": program.year, "title": program.title, "published": program.published}


class ElementChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.name} · {obj.key} {obj.name[:100]}"


class ActionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"POA {obj.poa.fiscal_year} · {obj.key} {obj.name[:100]}"


class EvaluationForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Evaluation program"), queryset=EvaluationProgram.objects.all()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=Evaluation.Kind.choices)
    evaluator = forms.CharField(
        label=_("Evaluator"), max_length=200, help_text=_("The external evaluator or firm.")
    )
    cost = forms.DecimalField(label=_("Cost (MXN)"), **AMOUNT)
    source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.all(), required=False
    )
    start = forms.DateField(label=_("Start"), widget=DateInput())
    end = forms.DateField(label=_("End"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Evaluation.Status.choices)
    elements = ElementChoice(
        label=_("Plan elements evaluated"),
        queryset=PlanElement.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    actions = ActionChoice(
        label=capfirst(_("POA actions evaluated")),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    report = forms.FileField(
        label=_("Report (PDF)"),
        required=False,
        help_text=_(
            "Required once the evaluation is finished. Leave empty to keep the current one."
        ),
    )
    summary = forms.CharField(
        label=_("Summary of findings"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    published = forms.BooleanField(label=_("Published on the public portal"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost"].widget.attrs["step"] = "0.01"
        self.fields["elements"].queryset = (
            PlanElement.objects.filter(plan__order__in=ALIGNABLE_ORDERS)
            .select_related("plan")
            .order_by("plan__order", "plan__name", "key")
        )
        self.fields["actions"].queryset = Action.objects.select_related("poa").order_by(
            "-poa__fiscal_year", "key"
        )

    @staticmethod
    def initial_for(evaluation: Evaluation) -> dict:
        fields = ("program", "title", "kind", "evaluator", "cost", "source", "start", "end")
        initial = {name: getattr(evaluation, name) for name in fields}
        return initial | {
            "status": evaluation.status,
            "elements": list(evaluation.elements.all()),
            "actions": list(evaluation.actions.all()),
            "summary": evaluation.summary,
            "published": evaluation.published,
        }


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible = forms.ModelChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.none()
    )
    due = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="rec", **kwargs)
        self.fields["responsible"].queryset = _organizations()


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status after this follow-up"),
        choices=[
            (s.value, s.label) for s in (Status.IN_PROGRESS, Status.ATTENDED, Status.NOT_ACCEPTED)
        ],
    )
    note = forms.CharField(
        label=_("What was done"),
        help_text=_("If the recommendation is not accepted, the reason."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Required to mark it attended."),
    )


class RecommendationFilters(forms.Form):
    """The GET form of the recommendations list, with Spanish names for the address."""

    estado = forms.ChoiceField(label=_("Status"), required=False)
    responsable = forms.ModelChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.none(), required=False
    )
    vencidas = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estado"].choices = [("", _("All")), *Status.choices]
        self.fields["responsable"].queryset = (
            Organization.objects.filter(recommendations__isnull=False).distinct().order_by("name")
        )
