from django.urls import path

from . import views

app_name = "monitor"

urlpatterns = [
    path("", views.monitor, name="monitor"),
    path("export/<int:index>.csv", views.export, name="export"),
    path("area/", views.area_monitor, name="area"),
    path("area/export/<int:index>.csv", views.area_export, name="area_export"),
]
