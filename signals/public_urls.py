"""Public report form and follow-up, mounted under the language prefix (/pl/report/...)."""

from django.urls import path

from . import public_views

app_name = "report"

urlpatterns = [
    path("", public_views.report, name="form"),
    path("follow-up/", public_views.follow_up, name="follow_up"),
]
