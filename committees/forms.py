from django import forms
from django.utils.translation import gettext_lazy as _

from committees import hooks
from committees.models import (
    AgendaItem,
    Agreement,
    AgreementType,
    Body,
    ItemDocument,
    Session,
    Vote,
)
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
    """An agenda item and what it decides: a general agreement, or one of the subjects the apps
    register with `committees.hooks` (minutes, a body to designate, a phase to close, the
    program, a POA...). Only subjects ready to be voted are offered; the others are listed with
    the reason."""

    # A CharField with a select: the value is checked against the registry in clean_subject,
    # which says why a subject is refused rather than "not one of the choices".
    subject = forms.CharField(
        label=_("What the item decides"),
        required=False,
        widget=forms.Select,
        help_text=_(
            "Approving the item changes its subject: the minutes are approved, the phase closed, "
            "the POA approved…"
        ),
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "draft_text", "agreement_type"]
        widgets = {"draft_text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["agreement_type"].queryset = AgreementType.objects.all()
        kinds = hooks.subject_kinds(body)
        self.fields["subject"].widget.choices = [("", _("A general agreement (no subject)"))] + [
            (str(kind.label), [(c.value, c.label) for c in found if c.ready])
            for kind, found in kinds
            if any(c.ready for c in found)
        ]
        self.not_ready = [(kind.label, c) for kind, found in kinds for c in found if not c.ready]

    def clean_subject(self):
        value = self.cleaned_data["subject"]
        if not value:
            return None
        candidate = hooks.subject_candidate(self.body, value)
        if candidate is None:
            raise forms.ValidationError(_("Choose what the item decides from the list."))
        if not candidate.ready:
            raise forms.ValidationError(candidate.reason)
        return candidate.subject

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("subject") is not None and cleaned.get("agreement_type") is None:
            self.add_error(
                "agreement_type",
                _("An item that decides a subject is put to a vote: choose its type."),
            )
        return cleaned


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    presiding = forms.ModelChoiceField(
        label=_("Presides in the President's absence"),
        queryset=None,
        required=False,
        help_text=_(
            "Only when the President is absent: the present member with a vote whom the law "
            "designates. Their casting vote breaks ties; with nobody, a tie defers the item."
        ),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members
        self.fields["presiding"].queryset = members.filter(has_vote=True)


class WithdrawalForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


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

    def __init__(self, *args, presiding=None, **kwargs):
        super().__init__(*args, **kwargs)
        if presiding is None:  # nobody holds the casting vote: a tie defers the item
            del self.fields["casting_vote"]
        else:
            name = presiding.user.get_full_name() or str(presiding.user)
            self.fields["casting_vote"].label = _("Casting vote of %(name)s, who presides") % {
                "name": name
            }


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the minutes"), widget=forms.Textarea(attrs={"rows": 20})
    )


class AgreementFollowUpForm(forms.ModelForm):
    """Who carries the agreement out, by when, and where it was published."""

    class Meta:
        model = Agreement
        fields = ["responsible", "deadline", "published_in", "published_on"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("published_in") and not cleaned.get("published_on"):
            self.add_error("published_on", _("Say when it was published."))
        return cleaned


class FollowUpForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False)


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Corrected text"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = ItemDocument
        fields = ["title", "file"]


# No body has this many seats; counts are kept in small integer columns.
MAX_SEATS = 500


class PostponeForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("New date and time"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AttendanceChangeForm(forms.Form):
    """A late arrival or a departure, at the time the secretary notes (now by default)."""

    ARRIVE, LEAVE = "arrive", "leave"
    member = forms.ModelChoiceField(label=_("Member"), queryset=None)
    change = forms.ChoiceField(
        label=_("Change"), choices=[(ARRIVE, _("Arrives")), (LEAVE, _("Leaves"))]
    )
    at = forms.DateTimeField(
        label=_("Time"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class RollCallForm(forms.Form):
    """The room's votes said aloud, one field per member still to vote; a member left blank has
    not answered yet."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.user.get_full_name() or str(member.user),
                choices=[("", "—"), *Choice.choices],
                required=False,
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict:
        return {
            member: self.cleaned_data[f"member_{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"member_{member.pk}")
        }

    def rows(self):
        return [(member, self[f"member_{member.pk}"]) for member in self.members]


class HandsForm(forms.Form):
    """A show of hands: the count for, and by name those against and abstaining."""

    votes_for = forms.IntegerField(label=_("Hands for"), min_value=0, max_value=MAX_SEATS)
    against = forms.ModelMultipleChoiceField(
        label=_("Against"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    abstaining = forms.ModelMultipleChoiceField(
        label=_("Abstaining"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["against"].queryset = members
        self.fields["abstaining"].queryset = members


class PaperForm(forms.Form):
    """The counted papers of a secret ballot cast in the room."""

    votes_for = forms.IntegerField(label=_("For"), min_value=0, max_value=MAX_SEATS)
    against = forms.IntegerField(label=_("Against"), min_value=0, max_value=MAX_SEATS)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=MAX_SEATS)


class ExcusalForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member who excuses himself"), queryset=None)
    reason = forms.CharField(label=_("Reason (conflict of interest)"), max_length=300)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class LeaveForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Titular member"), queryset=None)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
