from django.urls import path

from pmot.actors import views

app_name = "actors"

urlpatterns = [
    path("organizaciones/", views.organization_list, name="organization_list"),
    path("organizaciones/nueva/", views.organization_create, name="organization_create"),
    path("organizaciones/<int:pk>/", views.organization_detail, name="organization_detail"),
    path(
        "organizaciones/<int:pk>/historial/",
        views.organization_history,
        name="organization_history",
    ),
    path("organizaciones/<int:pk>/editar/", views.organization_update, name="organization_update"),
    path(
        "organizaciones/<int:pk>/integrantes/nuevo/",
        views.membership_create,
        name="membership_create",
    ),
    path("membresias/<int:pk>/terminar/", views.membership_end, name="membership_end"),
    path("personas/", views.people_list, name="people_list"),
    path("personas/aplicar-vigencias/", views.memberships_sync_now, name="memberships_sync_now"),
    path("administraciones/", views.administration_list, name="administration_list"),
    path("administraciones/nueva/", views.administration_create, name="administration_create"),
    path("municipio/", views.municipality_detail, name="municipality_detail"),
    path("municipio/editar/", views.municipality_update, name="municipality_update"),
]
