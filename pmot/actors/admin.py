from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from pmot.actors import two_factor
from pmot.actors.forms import MunicipalityForm
from pmot.actors.models import (
    AccessEvent,
    Administration,
    LoginThrottle,
    Membership,
    Municipality,
    Organization,
    OrganizationUserObjectPermission,
    User,
)
from pmot.actors.services import memberships as services
from pmot.core.admin import ReadOnlyAdminMixin


@admin.register(User)
class PersonAdmin(SimpleHistoryAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups", "gender"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Profile"), {"fields": ["gender", "phone"]}),
    ]
    # Roles come from memberships (services), never from ticking groups by hand.
    readonly_fields = ["groups", "user_permissions", "is_staff", "is_superuser", "last_login"]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor login of the selected people"))
    def reset_two_factor(self, request, queryset):
        """For a lost phone: authenticators and backup codes go, their sessions end; next
        login, they set up a new authenticator."""
        people = list(queryset)
        for person in people:
            two_factor.two_factor_reset(user=person, request=request)
        self.message_user(
            request,
            ngettext(
                "Two-factor login reset for %(count)d person.",
                "Two-factor login reset for %(count)d people.",
                len(people),
            )
            % {"count": len(people)},
        )


# Authenticator secrets and backup codes are nobody's to read, administrators included: the
# admin resets them (the action above), never shows them.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    """The one profile, checked against INEGI's catalogue as on the profile page."""

    form = MunicipalityForm
    list_display = ["name", "state", "inegi_key", "population"]
    search_fields = ["name", "inegi_key"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Municipality.objects.exists()


@admin.register(Administration)
class AdministrationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "start_date", "end_date"]
    search_fields = ["notes"]
    date_hierarchy = "start_date"


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "sector", "parent", "is_active"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["parent"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organization", "role", "position", "start_date", "end_date"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            services.membership_validate(
                user=cleaned["user"],
                organization=cleaned["organization"],
                role=cleaned["role"],
                start_date=cleaned["start_date"],
                end_date=cleaned.get("end_date"),
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    """New memberships and their end go through the services, which grant and revoke roles."""

    list_display = ["user", "organization", "role", "position", "start_date", "end_date", "status"]
    list_filter = ["role", "status", "organization__sector"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    actions = ["end_memberships"]
    form = MembershipAdminForm

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status"]
        return ["user", "organization", "role", "start_date", "end_date", "status"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["position"])
            return
        created = services.membership_start(
            user=obj.user,
            organization=obj.organization,
            role=obj.role,
            position=obj.position,
            start_date=obj.start_date,
            end_date=obj.end_date,
        )
        obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        # Deleting would keep the role it gave; memberships end, and their history stays.
        return False

    @admin.action(description=_("End the selected memberships today"))
    def end_memberships(self, request, queryset):
        """Active ones end today; those not started yet are cancelled."""
        ended = 0
        for membership in queryset.open():
            if membership.status == Membership.Status.SCHEDULED:
                services.membership_cancel(membership=membership)
            else:
                services.membership_end(membership=membership)
            ended += 1
        self.message_user(
            request,
            ngettext("%(count)d membership ended.", "%(count)d memberships ended.", ended)
            % {"count": ended},
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdminMixin, GroupAdmin):
    """Each role's permissions come from pmot/actors/roles.py (`sync_roles`)."""


@admin.register(OrganizationUserObjectPermission)
class OrganizationPermissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who may change which organization; only membership services grant it."""

    list_display = ["user", "permission", "content_object"]
    list_filter = ["permission"]
    search_fields = ["user__username", "user__last_name", "content_object__name"]
    list_select_related = ["user", "permission", "content_object"]


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The security log, for administrators only (the role with `actors.view_accessevent`):
    nobody adds, changes or deletes an entry, here or anywhere."""

    list_display = [
        "at",
        "kind",
        "username",
        "user",
        "ip_address",
        "remote_addr",
        "forwarded_for",
        "method",
        "path",
    ]
    list_filter = ["kind", "at", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "ip_address", "remote_addr", "forwarded_for"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    show_full_result_count = False


@admin.register(LoginThrottle)
class LoginThrottleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Failed logins per account name and per address (pmot.actors.lockout). An administrator
    unlocks by deleting the row; nobody writes one by hand."""

    list_display = ["scope", "key", "failures", "lockouts", "last_failure_at", "locked_until"]
    list_filter = ["scope"]
    search_fields = ["key"]

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("actors.delete_loginthrottle")
