from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    """Routing signals to the right regional coordinator (triage), reliably, through Celery."""

    name = "triage"
    verbose_name = _("Triage")
