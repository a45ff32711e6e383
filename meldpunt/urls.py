from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path
from django.views.generic import TemplateView

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("beheer/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", TemplateView.as_view(template_name="public/home.html"), name="home"),
)
