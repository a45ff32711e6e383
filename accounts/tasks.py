"""Celery tasks for accounts: thin wrappers."""

from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task
def clear_expired_sessions() -> int:
    """Expired sessions are deleted; run by beat (see CELERY_BEAT_SCHEDULE)."""
    return services.clear_expired_sessions()


@shared_task
def purge_login_records() -> int:
    """Old records of sign-in attempts are deleted; run by beat (see CELERY_BEAT_SCHEDULE)."""
    return services.purge_login_records()


@shared_task(
    autoretry_for=(SMTPException, OSError, OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def mail_password_changed(user_id: int) -> None:
    services.mail_password_changed(user_id)
