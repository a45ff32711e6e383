"""Queueing Celery tasks after the data they need is committed."""

import logging
import time

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# After a publish failed, this process does not try the broker again for this long: a request
# that would publish several tasks (triage and linking) waits for the broker once, not once per
# task, and the requests right after it do not wait at all. The sweepers send what was skipped.
BROKER_PAUSE_SECONDS = 10.0
_broker_paused_until = 0.0


def broker_failed() -> None:
    global _broker_paused_until
    _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS


def broker_paused() -> bool:
    return time.monotonic() < _broker_paused_until


def resume_broker() -> None:
    """Try the broker again at once (a test that brought the broker back)."""
    global _broker_paused_until
    _broker_paused_until = 0.0


def enqueue_on_commit(task: Task, *args) -> None:
    """Queue `task` once the current transaction commits.

    When the broker is down or does not answer (the transport's socket timeouts bound the wait,
    see CELERY_BROKER_TRANSPORT_OPTIONS) the work is not lost: the data is committed and the
    periodic sweeper that belongs to the task finds it and queues it again. The user's request
    still succeeds, after about a second at most.
    """

    def send() -> None:
        if broker_paused():
            logger.warning("broker paused, %s%r left for the sweeper", task.name, args)
            return
        try:
            task.apply_async(args=args)
        except (OperationalError, OSError):
            broker_failed()
            logger.warning("broker unavailable, %s%r left for the sweeper", task.name, args)

    transaction.on_commit(send)
