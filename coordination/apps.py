from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """Zorgcoördinatie: the regional queue and the handling of a signal to its end."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "coordination"
    verbose_name = _("Care coordination")
