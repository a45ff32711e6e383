from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .services import record_session

        def remember_session(sender, request, user, **kwargs) -> None:
            # A sign-in over another user's session flushes it, which leaves no key until the
            # session is saved: save it now, so that there is a key to remember.
            if request.session.session_key is None:
                request.session.save()
            record_session(user, session_key=request.session.session_key)

        user_logged_in.connect(remember_session, weak=False, dispatch_uid="accounts.record_session")
