from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    """The national monitor: anonymised figures for the national desk, analysts and parliament."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "monitor"
    verbose_name = _("National monitor")
