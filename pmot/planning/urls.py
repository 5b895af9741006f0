from django.urls import path

from pmot.planning import views

app_name = "planning"

urlpatterns = [
    path("planes/", views.plan_list, name="plan_list"),
    path("planes/<slug:key>/", views.plan_detail, name="plan_detail"),
]
