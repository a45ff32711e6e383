"""Celery tasks for the inbox: thin wrappers around inbox.services."""

from celery import shared_task

from . import services


@shared_task
def send_inbox_digests() -> int:
    """Beat: mail the people whose unread cases waited long enough, one digest each."""
    return services.send_digests()
