from django.urls import path

from committees import views

app_name = "committees"

urlpatterns = [
    path("organos/", views.body_list, name="body_list"),
    path("organos/<slug:key>/", views.body_detail, name="body_detail"),
    path("organos/<slug:key>/sesiones/nueva/", views.session_create, name="session_create"),
    path("sesiones/", views.session_list, name="session_list"),
    path("sesiones/<int:pk>/", views.session_detail, name="session_detail"),
    path("sesiones/<int:pk>/puntos/", views.item_create, name="item_create"),
    path("sesiones/<int:pk>/convocar/", views.session_convene, name="session_convene"),
    path("sesiones/<int:pk>/asistencia/", views.session_attendance, name="session_attendance"),
    path("sesiones/<int:pk>/clausurar/", views.session_close, name="session_close"),
    path("puntos/<int:pk>/votacion/", views.vote_open, name="vote_open"),
    path("puntos/<int:pk>/retirar/", views.item_withdraw, name="item_withdraw"),
    path("puntos/<int:pk>/documentos/", views.document_create, name="document_create"),
    path("documentos/<int:pk>/", views.document_download, name="document_download"),
    path("votaciones/<int:pk>/", views.vote_detail, name="vote_detail"),
    path("votaciones/<int:pk>/votar/", views.vote_cast, name="vote_cast"),
    path("votaciones/<int:pk>/cerrar/", views.vote_close, name="vote_close"),
    path("sesiones/<int:pk>/acta/", views.minutes_create, name="minutes_create"),
    path("actas/<int:pk>/", views.minutes_detail, name="minutes_detail"),
    path("actas/<int:pk>/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("acuerdos/<int:pk>/certificacion/", views.certificate_request, name="certificate_request"),
    path(
        "acuerdos/<int:pk>/certificacion/estado/",
        views.certificate_status,
        name="certificate_status",
    ),
    path("acuerdos/<int:pk>/certificacion.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("acuerdos/<int:pk>/cumplimiento/", views.agreement_manage, name="agreement_manage"),
    path("acuerdos/<int:pk>/seguimiento/", views.follow_up_create, name="follow_up_create"),
    path("acuerdos/<int:pk>/correccion/", views.agreement_correct, name="agreement_correct"),
    path("seguimientos/<int:pk>/evidencia/", views.follow_up_evidence, name="follow_up_evidence"),
    path("acuerdos/", views.agreement_list, name="agreement_list"),
    path("acuerdos/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("publico/acuerdos/", views.public_agreements, name="public_agreements"),
    path("publico/acuerdos/<int:pk>/", views.public_agreement, name="public_agreement"),
    path("publico/organo-coordinador/", views.public_body, name="public_body"),
    path("publico/sesiones/", views.public_sessions, name="public_sessions"),
    path("publico/actas/<int:pk>.pdf", views.public_minutes_pdf, name="public_minutes_pdf"),
]
