from django.urls import path

from pmot.actors.views import municipality, organizations

app_name = "actors"

urlpatterns = [
    path("organizaciones/", organizations.organization_list, name="organization_list"),
    path("organizaciones/nueva/", organizations.organization_create, name="organization_create"),
    path("organizaciones/<int:pk>/", organizations.organization_detail, name="organization_detail"),
    path(
        "organizaciones/<int:pk>/historial/",
        organizations.organization_history,
        name="organization_history",
    ),
    path(
        "organizaciones/<int:pk>/editar/",
        organizations.organization_update,
        name="organization_update",
    ),
    path(
        "organizaciones/<int:pk>/integrantes/nuevo/",
        organizations.membership_create,
        name="membership_create",
    ),
    path("membresias/<int:pk>/terminar/", organizations.membership_end, name="membership_end"),
    path("personas/", organizations.people_list, name="people_list"),
    path(
        "personas/aplicar-vigencias/",
        organizations.memberships_sync_now,
        name="memberships_sync_now",
    ),
    path("administraciones/", municipality.administration_list, name="administration_list"),
    path(
        "administraciones/nueva/", municipality.administration_create, name="administration_create"
    ),
    path("municipio/", municipality.municipality_detail, name="municipality_detail"),
    path("municipio/editar/", municipality.municipality_update, name="municipality_update"),
]
