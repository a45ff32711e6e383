from django.urls import path

from . import views

app_name = "triage"

urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("<int:alert_id>/resolve/", views.resolve, name="resolve"),
]
