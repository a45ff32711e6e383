"""Celery tasks for accounts: thin wrappers."""

from celery import shared_task

from . import services


@shared_task
def clear_expired_sessions() -> int:
    """Expired sessions are deleted; run by beat (see CELERY_BEAT_SCHEDULE)."""
    return services.clear_expired_sessions()
