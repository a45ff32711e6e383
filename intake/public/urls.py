"""Public report form and follow-up, mounted under the language prefix (/pl/report/...)."""

from django.urls import path

from . import views

app_name = "report"

urlpatterns = [
    path("", views.report, name="form"),
    path("receipt/", views.receipt, name="receipt"),
    path("follow-up/", views.follow_up, name="follow_up"),
]
