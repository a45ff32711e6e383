from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """How signals come in: the public funnel (`intake.public`) and the professional intake
    (`intake.professional`), which end in one receiving step (`intake.services`)."""

    name = "intake"
    verbose_name = _("Intake")
