from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("info/<slug:slug>/", views.page, name="content_page"),
    path("help/", views.help_index, name="help"),
    path("help/<str:region_code>/", views.help_region, name="help_region"),
    path("privacy/", views.privacy, name="privacy"),
]
