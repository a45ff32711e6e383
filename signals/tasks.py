"""Celery tasks for signals: thin wrappers around the services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def triage_signal(signal_id: int) -> bool:
    return services.triage_signal(signal_id)


@shared_task
def requeue_untriaged_signals() -> int:
    return services.requeue_untriaged_signals()
