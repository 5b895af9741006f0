"""The admin of budgeting: only the record of POA imports, read-only (the import page and its
job write them)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budgeting.models import PoaImport
from pmot.core.admin import ReadOnlyAdminMixin


@admin.register(PoaImport)
class PoaImportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "pk",
        "poa",
        "original_name",
        "status",
        "created_actions",
        "created_lines",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status"]
    list_select_related = ["poa__unit", "requested_by"]
    search_fields = ["original_name"]
