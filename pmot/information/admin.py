from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pmot.core.admin import ReadOnlyAdminMixin
from pmot.information.models import Document, DocumentFile, TerritorialUnit, UnitImport


@admin.register(TerritorialUnit)
class TerritorialUnitAdmin(SimpleHistoryAdmin):
    list_display = ["key", "name", "kind", "environmental_policy", "urban_action", "surface_ha"]
    list_filter = ["kind", "environmental_policy", "urban_action", "zone_class"]
    search_fields = ["key", "name"]


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_at", "uploaded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Files go through the document page, where their content is checked.
        return False


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "author_organization", "date", "phase", "is_published"]
    list_filter = ["kind", "phase", "is_published"]
    search_fields = ["title", "source"]
    list_select_related = ["author_organization"]
    autocomplete_fields = ["units"]
    inlines = [DocumentFileInline]


@admin.register(UnitImport)
class UnitImportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """The record of territorial units imports, read-only: the import page and its job write
    them."""

    list_display = ["pk", "original_name", "status", "created", "updated", "created_at"]
    list_filter = ["status"]
