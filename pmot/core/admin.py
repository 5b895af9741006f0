from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pmot.core.models import Job
from pmot.core.outbox import jobs_retry


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
        "runs",
        "requested_by",
        "created_at",
        "done_at",
    ]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "key"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]

    @admin.action(description=_("Try the selected failed jobs again"))
    def retry_failed(self, request, queryset):
        with transaction.atomic():
            retried = jobs_retry(jobs=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed job will run again.",
                "%(count)d failed jobs will run again.",
                retried,
            )
            % {"count": retried},
        )
