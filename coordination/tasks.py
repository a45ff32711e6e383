"""Celery tasks for coordination: thin wrappers around coordination.services and
coordination.translation."""

from celery import shared_task

from triage.tasks import TRANSIENT_DATABASE_ERRORS

from . import procedure_services, services, translation


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


@shared_task(
    autoretry_for=TRANSIENT_DATABASE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def translate_texts(signal_id: int) -> int:
    """Machine-translate the signal's new texts. An engine that is down is not retried here:
    the failure is recorded and beat's retry_machine_translations tries again later."""
    return translation.translate_texts(signal_id)


@shared_task
def retry_machine_translations() -> int:
    """Beat: translations that failed are tried again once their pause is over."""
    return translation.retry_failed_translations()


@shared_task
def remind_reflection_periods() -> int:
    """Beat: mail those handling a case once, when its reflection period nears its end."""
    return procedure_services.send_reflection_reminders()
