from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import AgendaItem, AgreementType, Body, Minutes, Session, Vote
from committees.rules import Choice


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["kind", "starts_at", "place", "in_chamber", "venue_agreement"]
        widgets = {"starts_at": DateTimeInput()}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue_agreement"].queryset = body.agreements.approved()
        self.fields["venue_agreement"].required = False


class ItemForm(forms.ModelForm):
    minutes = forms.ModelChoiceField(
        label=_("Minutes to approve"),
        queryset=Minutes.objects.none(),
        required=False,
        help_text=_("For the item that approves the minutes of an earlier session."),
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "draft_text", "agreement_type"]
        widgets = {"draft_text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement_type"].queryset = AgreementType.objects.all()
        self.fields["minutes"].queryset = Minutes.objects.filter(
            session__body=body, status=Minutes.Status.DRAFT
        ).select_related("session__body")


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class VoteOpenForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=Vote.Method.choices)


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Choice.choices)


class VoteCloseForm(forms.Form):
    casting_vote = forms.ChoiceField(
        label=_("Casting vote of the presiding member"),
        choices=[("", "—"), (Choice.FOR, Choice.FOR.label), (Choice.AGAINST, Choice.AGAINST.label)],
        required=False,
        help_text=_("Only for a tie under simple majority."),
    )


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the minutes"), widget=forms.Textarea(attrs={"rows": 20})
    )
