"""Reads about professional accounts."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def memberships_of(user):
    """The user's organisations and roles, for the dashboard."""
    return user.memberships.select_related("organisation").order_by("organisation__name")


def active_user_with_email(email: str) -> User | None:
    return User.objects.filter(email=email, is_active=True).first()
