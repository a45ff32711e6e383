"""Changes to professional accounts: sessions, password, second factor, recovery codes."""

from datetime import datetime, timedelta

import segno
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldpunt.core.queueing import enqueue_on_commit

from .models import UserSession

User = get_user_model()
RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"


def record_session(user: User, *, session_key: str) -> None:
    """Remember that this session belongs to this user (called on every sign-in)."""
    UserSession.objects.update_or_create(session_id=session_key, defaults={"user": user})


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session of the user now, but `keep` (a session key): their next request there is
    anonymous. Returns how many sessions were ended."""
    sessions = Session.objects.filter(usersession__user=user)
    if keep is not None:
        sessions = sessions.exclude(session_key=keep)
    _deleted, per_model = sessions.delete()
    return per_model.get(Session._meta.label, 0)


@transaction.atomic
def change_password(user: User, *, new_password: str, keep_session_key: str) -> int:
    """Give the user a new password and end all their sessions except `keep_session_key`.

    Whoever else is signed in (perhaps with the old password) is out at their next request. The
    caller keeps its own session valid with `update_session_auth_hash`. Returns how many other
    sessions were ended.
    """
    from .tasks import mail_password_changed

    user.set_password(new_password)
    user.save(update_fields=["password"])
    enqueue_on_commit(mail_password_changed, user.pk)
    return end_sessions(user, keep=keep_session_key)


def mail_password_changed(user_id: int) -> None:
    """Tell the user their password was changed (ASVS 2.2.3): if it was not them, they know at
    once and can ask their organisation's admin to block the account. No link in the mail, so
    that it cannot be imitated to phish."""
    user = User.objects.get(pk=user_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "changed_at": timezone.localtime()}
        send_mail(
            _("Your Meldpunt password was changed"),
            render_to_string("accounts/password_changed_email.txt", context),
            None,
            [user.email],
        )


def pending_totp_device(user: User) -> TOTPDevice:
    """The authenticator being set up; kept across page reloads so the QR code stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth URI as a QR code (data: URI), drawn here: no outside service sees the secret."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, *, token: str) -> list[str] | None:
    """Confirm the authenticator if `token` is its current code; returns fresh recovery codes."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return replace_recovery_codes(device.user)


def replace_recovery_codes(user: User) -> list[str]:
    """Ten new one-time recovery codes; earlier codes stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(user: User, *, token: str) -> Device | None:
    """The device that accepts `token`: a TOTP code, or a recovery code (used up on success)."""
    return match_token(user, token.replace(" ", "").replace("-", "").lower())


def clear_expired_sessions() -> int:
    """Delete every expired session (abandoned public-form drafts too), with its `UserSession`.

    Django only skips expired sessions when reading; without this they stay in the table for
    ever. Run hourly by beat (`accounts.tasks.clear_expired_sessions`). Returns how many went.
    """
    _deleted, per_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return per_model.get(Session._meta.label, 0)


def purge_login_records(*, now: datetime | None = None) -> int:
    """Delete django-axes' records of sign-in attempts older than LOGIN_RECORDS_KEPT_DAYS.

    Each holds an e-mail address, an IP address and a user agent. Successful sign-ins are not
    recorded at all (AXES_DISABLE_ACCESS_LOG); failures count for the lock-out for 30 minutes
    and are kept a little longer to see an attack afterwards, then go. Run daily by beat
    (`accounts.tasks.purge_login_records`). Returns how many records went.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.LOGIN_RECORDS_KEPT_DAYS)
    removed = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        _deleted, per_model = model.objects.filter(attempt_time__lt=cutoff).delete()
        removed += per_model.get(model._meta.label, 0)
    return removed
