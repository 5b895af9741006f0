from django.contrib import admin

from pmot.core.models import Job


class ReadOnlyAdminMixin:
    """For records that only services write: the admin shows them and their history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Background work: jobs are written by the apps and closed by the workers."""

    list_display = [
        "pk",
        "task_name",
        "status",
        "attempts",
        "requested_by",
        "created_at",
        "done_at",
    ]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "key"]
    date_hierarchy = "created_at"
