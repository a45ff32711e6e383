from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("beheer/", admin.site.urls),
    # Professional pages are not language-prefixed.
    path("pro/organisation/", include("organisations.urls")),
    path("pro/", include("accounts.urls")),
]

urlpatterns += i18n_patterns(
    path("", TemplateView.as_view(template_name="public/home.html"), name="home"),
)
