"""Celery tasks for privacy: thin wrappers around privacy.services."""

from celery import shared_task

from . import services


@shared_task
def apply_retention() -> int:
    return services.apply_retention().anonymised


@shared_task
def send_retention_digests() -> int:
    return services.send_retention_digests()
