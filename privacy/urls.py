from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("destruction-list/", views.destruction_list, name="destruction_list"),
]
