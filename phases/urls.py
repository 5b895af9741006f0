from django.urls import include, path

from phases import views

app_name = "phases"

urlpatterns = [
    path("fases/", views.phase_list, name="phase_list"),
    path("fases/preparar/", views.phases_prepare, name="phases_prepare"),
    path("fases/<int:number>/", views.phase_detail, name="phase_detail"),
    path("fases/<int:number>/historial/", views.phase_history, name="phase_history"),
    path("fases/<int:number>/plan/", views.phase_plan, name="phase_plan"),
    path("fases/<int:number>/abrir/", views.phase_open, name="phase_open"),
    path(
        "fases/<int:number>/entregables/nuevo/",
        views.deliverable_create,
        name="deliverable_create",
    ),
    path("fases/<int:number>/actividades/nueva/", views.activity_create, name="activity_create"),
    path("entregables/<int:pk>/", views.deliverable_detail, name="deliverable_detail"),
    path(
        "entregables/<int:pk>/historial/",
        views.deliverable_history,
        name="deliverable_history",
    ),
    path("entregables/<int:pk>/version/", views.version_add, name="version_add"),
    path("entregables/<int:pk>/revision/", views.deliverable_review, name="deliverable_review"),
    path("entregables/<int:pk>/publicar/", views.deliverable_publish, name="deliverable_publish"),
    path("entregables/versiones/<int:pk>/", views.version_download, name="version_download"),
    path("actividades/<int:pk>/avance/", views.activity_progress, name="activity_progress"),
    # The public consultation of the draft PMOT (its own module: staff and public pages).
    path("", include("phases.consultation_urls")),
]
