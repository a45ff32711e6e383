"""Celery tasks for opvang: thin wrappers around opvang.services."""

from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    autoretry_for=(SMTPException, OSError, OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def mail_new_request(request_id: int) -> bool:
    return services.mail_new_request(request_id)


@shared_task(
    autoretry_for=(SMTPException, OSError, OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def mail_placed_by_comensha(request_id: int) -> bool:
    return services.mail_placed_by_comensha(request_id)


@shared_task
def remind_unanswered_placements() -> tuple[int, int]:
    return services.remind_unanswered_requests()
