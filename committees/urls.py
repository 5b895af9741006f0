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
    path("votaciones/<int:pk>/", views.vote_detail, name="vote_detail"),
    path("votaciones/<int:pk>/votar/", views.vote_cast, name="vote_cast"),
    path("votaciones/<int:pk>/cerrar/", views.vote_close, name="vote_close"),
    path("acuerdos/", views.agreement_list, name="agreement_list"),
    path("acuerdos/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("publico/acuerdos/", views.public_agreements, name="public_agreements"),
    path("publico/acuerdos/<int:pk>/", views.public_agreement, name="public_agreement"),
    path("publico/organo-coordinador/", views.public_body, name="public_body"),
]
