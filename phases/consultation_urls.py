"""Pages of the public consultation; included by phases/urls.py in the `phases` namespace."""

from django.urls import path

from phases import consultation_views as views

urlpatterns = [
    # Staff
    path("consulta/", views.consultation_list, name="consultation_list"),
    path("consulta/nueva/", views.consultation_create, name="consultation_create"),
    path("consulta/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path(
        "consulta/<int:pk>/historial/",
        views.consultation_history,
        name="consultation_history",
    ),
    path("consulta/<int:pk>/audiencias/", views.hearing_add, name="consultation_hearing_add"),
    path("consulta/<int:pk>/comentarios/", views.comment_record, name="consultation_record"),
    path("consulta/<int:pk>/cerrar/", views.consultation_close, name="consultation_close"),
    path("consulta/<int:pk>/publicar/", views.answers_publish, name="consultation_publish"),
    path(
        "consulta/audiencias/<int:pk>/acta/",
        views.hearing_minutes,
        name="consultation_hearing_minutes",
    ),
    path("consulta/comentarios/<int:pk>/", views.comment_detail, name="consultation_comment"),
    path(
        "consulta/comentarios/<int:pk>/anexo/",
        views.comment_attachment,
        name="consultation_attachment",
    ),
    # Public (no account)
    path("publico/consulta/", views.public_consultation, name="consultation_public"),
    path(
        "publico/consulta/<int:pk>/comentar/",
        views.public_comment,
        name="consultation_public_comment",
    ),
    path(
        "publico/consulta/acuse/<str:token>/",
        views.public_receipt,
        name="consultation_public_receipt",
    ),
    path("publico/consulta/seguimiento/", views.public_follow, name="consultation_public_follow"),
    path(
        "publico/consulta/<int:pk>/respuestas/",
        views.public_answers,
        name="consultation_public_answers",
    ),
]
