from django.urls import path

from committees.views import agreements, bodies, documents, minutes, public, screen, sessions, votes

app_name = "committees"

urlpatterns = [
    path("organos/", bodies.body_list, name="body_list"),
    path("organos/<slug:key>/", bodies.body_detail, name="body_detail"),
    path("organos/<slug:key>/sesiones/nueva/", sessions.session_create, name="session_create"),
    path("organos/<slug:key>/licencias/nueva/", bodies.leave_create, name="leave_create"),
    path("sesiones/", sessions.session_list, name="session_list"),
    path("sesiones/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sesiones/<int:pk>/puntos/", sessions.item_create, name="item_create"),
    path("sesiones/<int:pk>/convocar/", sessions.session_convene, name="session_convene"),
    path("sesiones/<int:pk>/asistencia/", sessions.session_attendance, name="session_attendance"),
    path("sesiones/<int:pk>/editar/", sessions.session_edit, name="session_edit"),
    path("sesiones/<int:pk>/aplazar/", sessions.session_postpone, name="session_postpone"),
    path("sesiones/<int:pk>/cancelar/", sessions.session_cancel, name="session_cancel"),
    path(
        "sesiones/<int:pk>/asistencia/cambio/",
        sessions.attendance_change,
        name="attendance_change",
    ),
    path("sesiones/<int:pk>/clausurar/", sessions.session_close, name="session_close"),
    path("sesiones/<int:pk>/convocatoria.pdf", documents.notice_pdf, name="notice_pdf"),
    path("sesiones/<int:pk>/orden-del-dia.pdf", documents.agenda_pdf, name="agenda_pdf"),
    path("puntos/<int:pk>/votacion/", votes.vote_open, name="vote_open"),
    path("puntos/<int:pk>/retirar/", sessions.item_withdraw, name="item_withdraw"),
    path("puntos/<int:pk>/documentos/", sessions.document_create, name="document_create"),
    path("documentos/<int:pk>/", sessions.document_download, name="document_download"),
    path("votaciones/<int:pk>/", votes.vote_detail, name="vote_detail"),
    path("votaciones/<int:pk>/votar/", votes.vote_cast, name="vote_cast"),
    path("votaciones/<int:pk>/sala/", votes.vote_room, name="vote_room"),
    path("votaciones/<int:pk>/excusa/", votes.vote_excuse, name="vote_excuse"),
    path("votaciones/<int:pk>/cerrar/", votes.vote_close, name="vote_close"),
    path("votaciones/<int:pk>/pantalla/", screen.vote_screen, name="vote_screen"),
    path("sesiones/<int:pk>/acta/", minutes.minutes_create, name="minutes_create"),
    path("actas/<int:pk>/", minutes.minutes_detail, name="minutes_detail"),
    path("actas/<int:pk>/pdf/", minutes.minutes_pdf, name="minutes_pdf"),
    path(
        "acuerdos/<int:pk>/certificacion/",
        agreements.certificate_request,
        name="certificate_request",
    ),
    path(
        "acuerdos/<int:pk>/certificacion/estado/",
        agreements.certificate_status,
        name="certificate_status",
    ),
    path("acuerdos/<int:pk>/certificacion.pdf", agreements.certificate_pdf, name="certificate_pdf"),
    path("acuerdos/<int:pk>/cumplimiento/", agreements.agreement_manage, name="agreement_manage"),
    path("acuerdos/<int:pk>/seguimiento/", agreements.follow_up_create, name="follow_up_create"),
    path("acuerdos/<int:pk>/correccion/", agreements.agreement_correct, name="agreement_correct"),
    path(
        "seguimientos/<int:pk>/evidencia/", agreements.follow_up_evidence, name="follow_up_evidence"
    ),
    path(
        "acuerdos/<int:pk>/documento-firmado/",
        agreements.agreement_document,
        name="agreement_document",
    ),
    path("acuerdos/", agreements.agreement_list, name="agreement_list"),
    path("acuerdos/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("publico/acuerdos/", public.public_agreements, name="public_agreements"),
    path("publico/acuerdos/<int:pk>/", public.public_agreement, name="public_agreement"),
    path(
        "publico/acuerdos/<int:pk>/documento-firmado/",
        public.public_agreement_document,
        name="public_agreement_document",
    ),
    path("publico/organo-coordinador/", public.public_body, name="public_body"),
    path("publico/sesiones/", public.public_sessions, name="public_sessions"),
    path("publico/sesiones/<int:pk>/", public.public_session, name="public_session"),
    path("publico/actas/<int:pk>.pdf", public.public_minutes_pdf, name="public_minutes_pdf"),
]
