from django.urls import path

from . import registration_views

app_name = "registrations"

urlpatterns = [
    path("registrations/", registration_views.registration_list, name="list"),
    path("registrations/export/", registration_views.registration_export, name="export"),
]
