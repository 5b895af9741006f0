from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("pmot administration")
admin.site.site_title = _("pmot administration")
admin.site.index_title = _("Records and settings")

urlpatterns = [
    path(
        "acceso/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
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
