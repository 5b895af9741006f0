from django.urls import path

from pmot.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("inicio/", views.dashboard, name="dashboard"),
    path("salud/", views.health, name="health"),
]
