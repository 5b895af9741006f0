from django.urls import include, path

from phases import views

app_name = "phases"

urlpatterns = [
    path("fases/", views.phase_list, name="phase_list"),
    # The public consultation of the draft PMOT (its own module: staff and public pages).
    path("", include("phases.consultation_urls")),
]
