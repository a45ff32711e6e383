from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Who may see and change which signal: the one place that decides and grants access."""

    name = "access"
    verbose_name = _("Access")
