"""The admin of phases. The consultation's records are written only by its services (their
pages keep the rules: the period, the folios, the answers); the admin shows them and their
history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from phases.models import (
    Activity,
    Comment,
    Consultation,
    Deliverable,
    DeliverableType,
    Hearing,
    Phase,
    Review,
)
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


# --- Phases, deliverables, activities ------------------------------------------------------------
# The catalogue of deliverables is the administrators' to edit (issue 5); phases, deliverables
# and activities change through their pages, which keep the gate's and the review's rules.


@admin.register(DeliverableType)
class DeliverableTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phase_number", "required", "position"]
    list_filter = ["phase_number", "required"]
    list_editable = ["required", "position"]
    search_fields = ["name"]


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "program", "status", "planned_start", "planned_end", "actual_end"]
    list_filter = ["status"]
    list_select_related = ["program"]


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "phase", "responsible", "status", "due_date", "is_published"]
    list_filter = ["status", "phase__number", "is_published"]
    list_select_related = ["phase", "kind", "responsible"]
    search_fields = ["title", "kind__name"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["deliverable", "from_status", "to_status", "by", "at"]
    list_select_related = ["deliverable__kind", "by"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "phase", "responsible", "planned_start", "planned_end", "progress"]
    list_filter = ["phase__number"]
    list_select_related = ["phase", "responsible"]
    search_fields = ["name"]
