"""Forms of the public consultation: the staff's (consultation, hearing, minutes, a comment on
paper, a ruling) and the citizen's comment form with its honeypot."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from committees.models import Agreement, Body
from phases.models import Comment, Hearing, Ruling
from phases.services.consultation import IN_FAVOUR
from pmot.core.uploads import FILE_TYPES, check_upload
from pmot.information.models import Document, TerritorialUnit


def _units():
    return TerritorialUnit.objects.order_by("kind", "key")


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.key} · {obj.name}"


def _attachment_help():
    return _("Optional. Accepted: %(types)s; up to %(mb)s MB.") % {
        "types": ", ".join(sorted(FILE_TYPES)),
        "mb": settings.PMOT_MAX_UPLOAD_MB,
    }


class _CommentFields(forms.Form):
    """What every comment carries, online or on paper."""

    name = forms.CharField(label=_("Name"), max_length=120)
    contact = forms.CharField(
        label=_("E-mail or phone (optional)"),
        max_length=120,
        required=False,
        help_text=_("Only the institute sees it, to reach you about your comment."),
    )
    topic = forms.CharField(label=_("Topic"), max_length=150)
    unit = _UnitChoice(
        label=_("Territorial unit (optional)"),
        queryset=TerritorialUnit.objects.none(),
        required=False,
        empty_label=_("— The whole municipality —"),
    )
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.PMOT_COMMENT_MAX_CHARS
        text = self.fields["text"]
        text.max_length = limit
        text.validators.append(MaxLengthValidator(limit))
        text.widget.attrs["maxlength"] = str(limit)
        text.help_text = _("Up to %(limit)s characters.") % {"limit": limit}
        self.fields["unit"].queryset = _units()
        self.fields["attachment"].help_text = _attachment_help()

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload)
        return upload or None


class PublicCommentForm(_CommentFields):
    """A citizen's comment. `website` is a honeypot: hidden from people (CSS, aria-hidden,
    out of the tab order), filled in only by robots that fill every field."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = ["name", "contact", "topic", "unit", "text", "attachment"]

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class RecordForm(_CommentFields):
    """A comment received on paper or at a hearing, typed in by staff."""

    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[
            (Comment.Channel.PAPER, Comment.Channel.PAPER.label),
            (Comment.Channel.HEARING, Comment.Channel.HEARING.label),
        ],
    )
    hearing = forms.ModelChoiceField(
        label=_("Hearing"),
        queryset=Hearing.objects.none(),
        required=False,
        help_text=_("For a comment received at a hearing."),
    )
    received_on = forms.DateField(
        label=_("Day received"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For a comment on paper; one at a hearing takes the hearing's day."),
    )

    field_order = [
        "channel",
        "hearing",
        "received_on",
        "name",
        "contact",
        "topic",
        "unit",
        "text",
        "attachment",
    ]

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = consultation.hearings.all()

    def clean(self):
        data = super().clean()
        if data.get("channel") == Comment.Channel.HEARING and not data.get("hearing"):
            self.add_error("hearing", _("Choose the hearing."))
        if data.get("channel") == Comment.Channel.PAPER and not data.get("received_on"):
            self.add_error("received_on", _("Give the day the comment was received."))
        return data


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    agreement = forms.ModelChoiceField(
        label=_("Agreement of the Cabildo that authorizes it"), queryset=Agreement.objects.none()
    )
    opens_on = forms.DateField(
        label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    days = forms.IntegerField(label=_("Days open"), min_value=1, max_value=365)
    business_days = forms.BooleanField(
        label=_("Count business days"),
        required=False,
        help_text=_("Otherwise calendar days. Weekends and official rest days are not counted."),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Draft documents"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("Published documents only: citizens download them from the public page."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "days": settings.PMOT_CONSULTATION_DAYS,
                "business_days": settings.PMOT_CONSULTATION_BUSINESS_DAYS,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(
            body__kind=Body.Kind.CABILDO, status__in=IN_FAVOUR
        ).order_by("-decided_at")
        self.fields["documents"].queryset = Document.objects.published().order_by("title")


class HearingForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=250)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}))


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(label=_("Ruling"), choices=[("", "—"), *Ruling.choices])
    answer = forms.CharField(
        label=_("Reasoned answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required for every ruling other than “upheld”. It is published."),
    )

    def clean(self):
        data = super().clean()
        if data.get("ruling") in Ruling.needing_answer() and not data.get("answer", "").strip():
            self.add_error("answer", ValidationError(_("Write the reasons of this ruling.")))
        return data


class FollowForm(forms.Form):
    folio = forms.CharField(
        label=_("Folio"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "CP-2026-00001"}),
    )
    codigo = forms.CharField(
        label=_("Follow-up code"),
        max_length=20,
        help_text=_("It is on your receipt, beside the folio."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "ABCDE-FGHJK"}),
    )

    def clean_folio(self):
        return self.cleaned_data["folio"].strip().upper()

    def clean_codigo(self):
        """As printed (`ABCDE-FGHJK`) or typed without the hyphen, spaces or in lower case."""
        return "".join(self.cleaned_data["codigo"].split()).replace("-", "").upper()
