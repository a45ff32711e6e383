from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    """Routing signals to the right regional coordinator (triage), reliably, through Celery."""

    name = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        from meldpunt.core.health import register_detail

        from .selectors import coverage_detail

        register_detail("coverage", coverage_detail)
