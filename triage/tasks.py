"""Celery tasks for triage: thin wrappers around triage.services."""

from smtplib import SMTPException

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services

TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


class TriageTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Retries are exhausted (or the error is not transient): the signal goes on the
        # dead-letter list, visible in the admin, instead of silently staying untriaged.
        services.record_triage_failure(args[0], error=f"{type(exc).__name__}: {exc}")


class NotificationTask(Task):
    def on_retry(self, exc, task_id, args, kwargs, einfo):
        services.record_notification_failure(args[0], error=f"{type(exc).__name__}: {exc}")

    on_failure = on_retry


@shared_task(
    base=TriageTask,
    autoretry_for=TRANSIENT_DATABASE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=settings.TRIAGE_MAX_RETRIES,
)
def triage_signal(signal_id: int) -> bool:
    return services.triage_signal(signal_id)


@shared_task(
    base=NotificationTask,
    autoretry_for=(SMTPException, OSError, *TRANSIENT_DATABASE_ERRORS),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=12,
)
def send_notification(notification_id: int) -> bool:
    return services.send_notification(notification_id)


@shared_task
def requeue_unfinished_work() -> tuple[int, int]:
    return services.requeue_unfinished_work()


@shared_task
def mark_overdue_signals() -> int:
    return services.mark_overdue_signals()


@shared_task
def check_for_flood() -> bool:
    return services.check_for_flood() is not None


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=12)
def send_flood_digests() -> int:
    return services.send_flood_digests()
