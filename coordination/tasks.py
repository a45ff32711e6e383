"""Celery tasks for coordination: thin wrappers around coordination.services."""

from celery import shared_task

from triage.tasks import TRANSIENT_DATABASE_ERRORS

from . import services


@shared_task(
    autoretry_for=TRANSIENT_DATABASE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=10,
)
def link_signal(signal_id: int) -> int:
    return services.link_signal(signal_id)


@shared_task
def link_unlinked_signals() -> int:
    """Beat: a signal whose linking was never queued or never finished is linked after all."""
    return services.link_unlinked_signals()
