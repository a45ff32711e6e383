from django.urls import path

from . import views

app_name = "monitor"

urlpatterns = [
    path("", views.monitor, name="monitor"),
    path("export/<int:index>.csv", views.export, name="export"),
]
