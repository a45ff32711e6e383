"""Guards for professional pages: signed in with password *and* a verified second factor."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


def is_fully_signed_in(user) -> bool:
    """True once the user gave a password and then a TOTP or recovery code (django-otp)."""
    return bool(user.is_authenticated and user.is_active and user.is_verified())


def verified_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send anyone who is not fully signed in to /pro/login/?next=<this page> (302)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_fully_signed_in(request.user):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapped


class VerifiedLoginRequiredMixin(AccessMixin):
    """Class-based counterpart of `verified_login_required`: always a redirect, never a 403."""

    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not is_fully_signed_in(request.user):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return super().dispatch(request, *args, **kwargs)


def sign_out_if_session_ended(request: HttpRequest) -> bool:
    """After a change that may have ended the user's own sessions (a role of their own taken
    away): if this request's session went, sign out cleanly instead of saving a session that no
    longer exists. True when signed out."""
    if request.session.session_key and not request.session.exists(request.session.session_key):
        logout(request)
        return True
    return False
