from django.urls import path

from phases.views import consultation, work

app_name = "phases"

urlpatterns = [
    path("fases/", work.phase_list, name="phase_list"),
    path("fases/preparar/", work.phases_prepare, name="phases_prepare"),
    path("fases/<int:number>/", work.phase_detail, name="phase_detail"),
    path("fases/<int:number>/historial/", work.phase_history, name="phase_history"),
    path("fases/<int:number>/plan/", work.phase_plan, name="phase_plan"),
    path("fases/<int:number>/abrir/", work.phase_open, name="phase_open"),
    path(
        "fases/<int:number>/entregables/nuevo/",
        work.deliverable_create,
        name="deliverable_create",
    ),
    path("fases/<int:number>/actividades/nueva/", work.activity_create, name="activity_create"),
    path("entregables/<int:pk>/", work.deliverable_detail, name="deliverable_detail"),
    path(
        "entregables/<int:pk>/historial/",
        work.deliverable_history,
        name="deliverable_history",
    ),
    path("entregables/<int:pk>/version/", work.version_add, name="version_add"),
    path("entregables/<int:pk>/revision/", work.deliverable_review, name="deliverable_review"),
    path("entregables/<int:pk>/publicar/", work.deliverable_publish, name="deliverable_publish"),
    path("entregables/versiones/<int:pk>/", work.version_download, name="version_download"),
    path("actividades/<int:pk>/avance/", work.activity_progress, name="activity_progress"),
    # The public consultation of the draft PMOT: staff pages
    path("consulta/", consultation.consultation_list, name="consultation_list"),
    path("consulta/nueva/", consultation.consultation_create, name="consultation_create"),
    path("consulta/<int:pk>/", consultation.consultation_detail, name="consultation_detail"),
    path(
        "consulta/<int:pk>/historial/",
        consultation.consultation_history,
        name="consultation_history",
    ),
    path(
        "consulta/<int:pk>/audiencias/", consultation.hearing_add, name="consultation_hearing_add"
    ),
    path("consulta/<int:pk>/comentarios/", consultation.comment_record, name="consultation_record"),
    path("consulta/<int:pk>/cerrar/", consultation.consultation_close, name="consultation_close"),
    path("consulta/<int:pk>/publicar/", consultation.answers_publish, name="consultation_publish"),
    path(
        "consulta/audiencias/<int:pk>/acta/",
        consultation.hearing_minutes,
        name="consultation_hearing_minutes",
    ),
    path(
        "consulta/comentarios/<int:pk>/", consultation.comment_detail, name="consultation_comment"
    ),
    path(
        "consulta/comentarios/<int:pk>/anexo/",
        consultation.comment_attachment,
        name="consultation_attachment",
    ),
    # Public (no account)
    path("publico/consulta/", consultation.public_consultation, name="consultation_public"),
    path(
        "publico/consulta/<int:pk>/comentar/",
        consultation.public_comment,
        name="consultation_public_comment",
    ),
    path(
        "publico/consulta/acuse/<str:token>/",
        consultation.public_receipt,
        name="consultation_public_receipt",
    ),
    path(
        "publico/consulta/seguimiento/",
        consultation.public_follow,
        name="consultation_public_follow",
    ),
    path(
        "publico/consulta/<int:pk>/respuestas/",
        consultation.public_answers,
        name="consultation_public_answers",
    ),
]
