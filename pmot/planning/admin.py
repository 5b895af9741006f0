from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pmot.planning.models import Alignment, Plan, PlanElement, Program


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["name", "horizon_year", "version", "status"]
    list_filter = ["status"]
    search_fields = ["name"]
    # The Cabildo's agreements on the program reach it only through the vote on an agenda item
    # whose subject it is (committees' hook, services.program_decided).
    readonly_fields = ["start_agreement", "approval_agreement"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "order", "sector", "valid_from", "valid_until"]
    list_filter = ["order", "sector"]
    search_fields = ["name", "key"]


@admin.register(PlanElement)
class PlanElementAdmin(SimpleHistoryAdmin):
    list_display = ["key", "name", "plan", "level"]
    list_filter = ["plan", "level"]
    search_fields = ["key", "name"]
    list_select_related = ["plan"]
    raw_id_fields = ["parent"]


@admin.register(Alignment)
class AlignmentAdmin(SimpleHistoryAdmin):
    list_display = ["source", "target", "note"]
    search_fields = ["source__key", "target__key", "source__name", "target__name"]
    list_select_related = ["source", "target"]
    raw_id_fields = ["source", "target"]
