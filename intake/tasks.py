"""Celery tasks for signals: thin wrappers."""

from celery import shared_task

from . import uploads


@shared_task
def purge_abandoned_uploads() -> int:
    """Files of public forms that were never sent; run by beat (see CELERY_BEAT_SCHEDULE)."""
    return uploads.purge_abandoned_uploads()
