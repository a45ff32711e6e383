from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    """Reports of possible human trafficking (signalen). Not Django's signal dispatcher."""

    name = "signals"
    verbose_name = _("Signals")
