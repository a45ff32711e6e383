from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Who may see and change which signal: the one place that decides and grants access."""

    name = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .selectors import _permission_id

        # A flushed test database gets its permission rows anew, with new ids.
        post_migrate.connect(lambda **kwargs: _permission_id.cache_clear(), weak=False)
