from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Membership
        from .services import membership_deleted, membership_saved

        # Whatever saves or deletes a membership (the services, the Django admin, a shell, a
        # cascade), the member's groups and sessions follow: see Membership's docstring.
        post_save.connect(
            lambda sender, instance, **kwargs: membership_saved(instance),
            sender=Membership,
            weak=False,
            dispatch_uid="organisations.membership_saved",
        )
        post_delete.connect(
            lambda sender, instance, **kwargs: membership_deleted(instance),
            sender=Membership,
            weak=False,
            dispatch_uid="organisations.membership_deleted",
        )
