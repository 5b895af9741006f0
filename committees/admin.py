"""The admin of committees. Bodies and the majority table are kept here; seats go through
the member services; sessions, votes and agreements are written only by the services (their
pages) and shown here with their history."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from committees import services
from committees.models import (
    AgendaItem,
    Agreement,
    AgreementType,
    AgreementVersion,
    Attendance,
    Ballot,
    Body,
    Designation,
    FollowUp,
    ItemDocument,
    Member,
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
