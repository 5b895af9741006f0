"""The admin of committees. Bodies and the majority table are kept here; seats go through
the member services; sessions, votes and agreements are written only by the services (their
pages) and shown here with their history."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from committees import hooks, services
from committees.models import (
    AgendaItem,
    Agreement,
    AgreementType,
    AgreementVersion,
    Attendance,
    Ballot,
    Body,
    Designation,
    Excusal,
    FollowUp,
    ItemDocument,
    Leave,
    Member,
    PastAgreement,
    Session,
    Vote,
)
from pmot.core.admin import ReadOnlyAdminMixin


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "kind", "organization", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "key"]


@admin.register(AgreementType)
class AgreementTypeAdmin(SimpleHistoryAdmin):
    """The majority each type of agreement needs (DOMAIN.md §2)."""

    list_display = ["name", "code", "majority", "base", "allows_secret_ballot", "legal_basis"]
    list_filter = ["majority", "base"]
    search_fields = ["name", "code", "legal_basis"]


class MemberAdminForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "body",
            "user",
            "role",
            "sector",
            "standing",
            "alternate_for",
            "has_vote",
            "start_date",
            "end_date",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            services.member_validate(
                body=cleaned["body"],
                role=cleaned["role"],
                has_vote=cleaned["has_vote"],
                standing=cleaned["standing"],
                alternate_for=cleaned.get("alternate_for"),
                start_date=cleaned["start_date"],
                end_date=cleaned.get("end_date"),
            )
        return cleaned


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    form = MemberAdminForm
    list_display = ["user", "body", "role", "sector", "standing", "has_vote", "start_date"]
    list_filter = ["body", "role", "sector", "standing", "has_vote"]
    search_fields = ["user__first_name", "user__last_name", "body__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "body"]

    def get_readonly_fields(self, request, obj=None):
        # A seat's role and body decide what it may do: end it and open another instead.
        return ["body", "user", "role", "has_vote", "standing", "alternate_for"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            if "end_date" in form.changed_data and obj.end_date:
                services.member_end(member=obj, end_date=obj.end_date)
            return
        obj.pk = services.member_add(
            body=obj.body,
            user=obj.user,
            role=obj.role,
            sector=obj.sector,
            standing=obj.standing,
            alternate_for=obj.alternate_for,
            has_vote=obj.has_vote,
            start_date=obj.start_date,
            end_date=obj.end_date,
        ).pk


class ServiceRecordAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(Designation)
class DesignationAdmin(ServiceRecordAdmin):
    list_display = ["body", "agreement", "start_date", "end_date", "in_charge"]
    list_filter = ["in_charge"]
    search_fields = ["body__name", "agreement__key"]


@admin.register(Session)
class SessionAdmin(ServiceRecordAdmin):
    list_display = ["__str__", "body", "kind", "status", "starts_at", "place"]
    list_filter = ["body", "kind", "status", "year"]
    search_fields = ["place", "body__name"]
    date_hierarchy = "starts_at"


@admin.register(AgendaItem)
class AgendaItemAdmin(ServiceRecordAdmin):
    list_display = ["__str__", "session", "agreement_type"]
    list_filter = ["agreement_type", "session__body"]
    search_fields = ["title", "draft_text"]


@admin.register(ItemDocument)
class ItemDocumentAdmin(ServiceRecordAdmin):
    list_display = ["title", "item"]
    search_fields = ["title", "item__title"]


@admin.register(Attendance)
class AttendanceAdmin(ServiceRecordAdmin):
    list_display = ["member", "session", "present"]
    list_filter = ["present", "session__body"]
    search_fields = ["member__user__last_name"]


COUNTS = ("votes_for", "against", "abstentions")


def _secret_and_open(vote) -> bool:
    return vote.method == Vote.Method.SECRET and vote.status == Vote.Status.OPEN


@admin.register(Vote)
class VoteAdmin(ServiceRecordAdmin):
    """A secret ballot shows no running count while it is open: only the totals, once closed."""

    list_display = ["item", "method", "status", "shown_for", "shown_against", "shown_abstentions"]
    list_filter = ["method", "status", "approved"]
    search_fields = ["item__title"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and _secret_and_open(obj):
            return [f for f in fields if f not in COUNTS]
        return fields

    def _count(self, vote, field):
        return "—" if _secret_and_open(vote) else getattr(vote, field)

    @admin.display(description=_("for"))
    def shown_for(self, vote):
        return self._count(vote, "votes_for")

    @admin.display(description=_("against"))
    def shown_against(self, vote):
        return self._count(vote, "against")

    @admin.display(description=_("abstentions"))
    def shown_abstentions(self, vote):
        return self._count(vote, "abstentions")


@admin.register(Ballot)
class BallotAdmin(ServiceRecordAdmin):
    """The ballots of an open secret vote are not listed: who voted when would trace its
    running count."""

    list_display = ["member", "vote", "choice", "cast_at"]
    list_filter = ["choice"]
    search_fields = ["member__user__last_name", "vote__item__title"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(vote__method=Vote.Method.SECRET, vote__status=Vote.Status.OPEN)
        )


@admin.register(Agreement)
class AgreementAdmin(ServiceRecordAdmin):
    list_display = ["key", "body", "status", "agreement_type", "responsible", "deadline"]
    list_filter = ["status", "body", "agreement_type", "year"]
    search_fields = ["key", "text"]
    date_hierarchy = "decided_at"


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ServiceRecordAdmin):
    list_display = ["agreement", "number", "reason", "created_by", "created_at"]
    search_fields = ["agreement__key", "text", "reason"]


@admin.register(FollowUp)
class FollowUpAdmin(ServiceRecordAdmin):
    list_display = ["agreement", "date", "progress", "recorded_by"]
    search_fields = ["agreement__key", "note"]
    date_hierarchy = "date"


@admin.register(Leave)
class LeaveAdmin(ServiceRecordAdmin):
    list_display = ["member", "starts_on", "ends_on", "status", "agreement"]
    list_filter = ["status"]


@admin.register(Excusal)
class ExcusalAdmin(ServiceRecordAdmin):
    list_display = ["member", "vote", "reason", "recorded_at"]


class PastAgreementForm(forms.ModelForm):
    """A decision taken before pmot existed, as its signed document records it."""

    session_kind = forms.ChoiceField(label=_("Kind of session"), choices=Session.Kind.choices)
    session_number = forms.IntegerField(label=_("Number of the session in its year"), min_value=1)
    title = forms.CharField(label=_("Title of the agenda item"), max_length=300)
    approved = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Approved")), ("0", _("Rejected"))],
        coerce=lambda value: value == "1",
    )
    subject = forms.ChoiceField(label=_("What it decided"), required=False)

    class Meta:
        model = PastAgreement
        fields = ["body", "key", "decided_at", "agreement_type", "text", "scanned_document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scanned_document"].required = True
        choices = [("", _("A general agreement (no subject)"))]
        cabildo = Body.objects.filter(kind=Body.Kind.CABILDO, is_active=True).first()
        for kind, candidates in hooks.subject_kinds(cabildo) if cabildo else []:
            choices.append((kind.label, [(c.value, c.label) for c in candidates]))
        self.fields["subject"].choices = choices

    def clean(self):
        cleaned = super().clean()
        body, value = cleaned.get("body"), cleaned.get("subject")
        cleaned["subject_object"] = None
        if body is not None and value:
            candidate = hooks.subject_candidate(body, value)
            if candidate is None:
                self.add_error("subject", _("This body does not decide that subject."))
            elif not candidate.ready:
                self.add_error("subject", candidate.reason)
            else:
                cleaned["subject_object"] = candidate.subject
        return cleaned


@admin.register(PastAgreement)
class PastAgreementAdmin(SimpleHistoryAdmin):
    """Entered once, through the service; read-only afterwards like every agreement."""

    form = PastAgreementForm
    list_display = ["key", "body", "status", "decided_at"]
    search_fields = ["key", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(item__session__historical=True)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            agreement = services.agreement_record_historical(
                body=data["body"],
                session_kind=data["session_kind"],
                session_number=data["session_number"],
                decided_at=data["decided_at"],
                key=data["key"],
                title=data["title"],
                text=data["text"],
                agreement_type=data["agreement_type"],
                approved=data["approved"],
                subject=data["subject_object"],
                scanned_document=data["scanned_document"],
            )
        except ValidationError as error:
            # Refused by a rule of its subject: nothing was written, the form comes back.
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return
        obj.pk = agreement.pk
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    def save_related(self, request, form, formsets, change):
        pass  # nothing related: the service wrote everything
