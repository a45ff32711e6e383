from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpvangConfig(AppConfig):
    """Shelter and care (opvang): offers, free places and placement requests."""

    name = "opvang"
    verbose_name = _("Shelter and care")
