from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from pmot.actors.two_factor import second_step_not_required
from pmot.actors.views import two_factor as two_factor_views
from pmot.actors.views.login import LoginView

admin.site.site_header = _("pmot administration")
admin.site.site_title = _("pmot administration")
admin.site.index_title = _("Records and settings")

urlpatterns = [
    path("acceso/", LoginView.as_view(), name="login"),
    path("salir/", second_step_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("cuenta/verificacion/", two_factor_views.second_step, name="second_step"),
    path(
        "cuenta/verificacion/configurar/",
        two_factor_views.second_step_enroll,
        name="second_step_enroll",
    ),
    path("cuenta/seguridad/", two_factor_views.account_security, name="account_security"),
    path(
        "cuenta/seguridad/codigos/",
        two_factor_views.backup_codes_new,
        name="backup_codes_new",
    ),
    path("cuenta/contrasena/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "cuenta/contrasena/lista/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("", include("pmot.actors.urls")),
    path("", include("committees.urls")),
    path("", include("pmot.information.urls")),
    path("", include("pmot.planning.urls")),
    path("", include("phases.urls")),
    path("", include("budgeting.urls")),
    path("", include("evaluation.urls")),
    path("", include("pmot.portal.urls")),
]
