from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pmot.core.admin import ReadOnlyAdminMixin
from pmot.planning.models import Alignment, Plan, PlanElement, PlanImport, Program


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["name", "horizon_year", "version", "status"]
    list_filter = ["status"]
    search_fields = ["name"]
    # The Cabildo's agreements on the program reach it only through the vote on an agenda item
    # whose subject it is (committees' hook, services.program_decided).
    readonly_fields = ["start_agreement", "approval_agreement"]


def _aligned_from_elsewhere(elements) -> bool:
    """Whether records of other apps (POA actions...) are aligned to any of `elements`: deleting
    the elements would silently take those alignments away. Read from the relations declared
    to PlanElement, so planning names none of the apps above it."""
    for relation in PlanElement._meta.related_objects:
        if relation.many_to_many and relation.related_model._meta.app_label != "planning":
            field = relation.field.name
            if relation.related_model.objects.filter(**{f"{field}__in": elements}).exists():
                return True
    return False


class KeepsAlignmentsAdmin(SimpleHistoryAdmin):
    """No deletion that would take alignments away from other apps' records, and no bulk
    deletion that would skip that check."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _aligned_from_elsewhere(self.elements_of(obj)):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Plan)
class PlanAdmin(KeepsAlignmentsAdmin):
    list_display = ["name", "key", "order", "sector", "valid_from", "valid_until"]
    list_filter = ["order", "sector"]
    search_fields = ["name", "key"]

    def elements_of(self, plan):
        return list(PlanElement.objects.filter(plan=plan).values_list("pk", flat=True))


@admin.register(PlanElement)
class PlanElementAdmin(KeepsAlignmentsAdmin):
    list_display = ["key", "name", "plan", "level"]
    list_filter = ["plan", "level"]
    search_fields = ["key", "name"]
    list_select_related = ["plan"]
    raw_id_fields = ["parent"]

    def elements_of(self, element):
        """The element and everything under it, which goes with it."""
        found, level = [element.pk], [element.pk]
        while level:
            level = list(PlanElement.objects.filter(parent__in=level).values_list("pk", flat=True))
            found += level
        return found


@admin.register(Alignment)
class AlignmentAdmin(SimpleHistoryAdmin):
    list_display = ["source", "target", "note"]
    search_fields = ["source__key", "target__key", "source__name", "target__name"]
    list_select_related = ["source", "target"]
    raw_id_fields = ["source", "target"]


@admin.register(PlanImport)
class PlanImportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """The record of plan imports, read-only: the import page and its job write them."""

    list_display = ["pk", "plan", "original_name", "status", "created", "updated", "created_at"]
    list_filter = ["status"]
    list_select_related = ["plan"]
