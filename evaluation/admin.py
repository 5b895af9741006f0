"""The admin of evaluation: the record of measurement reminders, read-only (the periodic task
writes them). Indicators, targets, measurements and evaluations change only through their
pages, which apply the rules (no retroactive target, validation by IMPLAN)."""

from django.contrib import admin

from evaluation.models import Reminder
from pmot.core.admin import ReadOnlyAdminMixin


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "year", "number", "kind", "recipients", "sent_at"]
    list_filter = ["kind", "year"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__key", "indicator__name"]
