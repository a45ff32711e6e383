"""Celery tasks for the intake: thin wrappers."""

from celery import shared_task

from . import uploads
from .public import services as public_services


@shared_task
def purge_abandoned_uploads() -> int:
    """Files of public forms that were never sent; run by beat (see CELERY_BEAT_SCHEDULE)."""
    return uploads.purge_abandoned_uploads()


@shared_task
def send_news_notices() -> int:
    """Beat: the content-free e-mails to reporters who asked to hear that there is news."""
    return public_services.send_news_notices()
