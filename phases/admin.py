"""The admin of phases. The consultation's records are written only by its services (their
pages keep the rules: the period, the folios, the answers); the admin shows them and their
history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from phases.models import Comment, Consultation, Hearing
from pmot.core.admin import ReadOnlyAdminMixin


class HearingInline(admin.TabularInline):
    model = Hearing
    fields = ["place", "starts_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "program",
        "opens_on",
        "closes_on",
        "closed_at",
        "answers_published_at",
    ]
    list_select_related = ["program"]
    date_hierarchy = "opens_on"
    inlines = [HearingInline]


@admin.register(Hearing)
class HearingAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["consultation", "place", "starts_at"]
    list_select_related = ["consultation"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["folio", "consultation", "channel", "topic", "ruling", "received_at"]
    list_filter = ["consultation", "channel", "ruling"]
    list_select_related = ["consultation"]
    search_fields = ["folio", "topic"]
    # The sender's fingerprint is for the rate limit only.
    exclude = ["sender"]
