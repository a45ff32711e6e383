"""Queueing Celery tasks after the data they need is committed."""

import logging

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args) -> None:
    """Queue `task` once the current transaction commits (see `enqueue_all_on_commit`)."""
    enqueue_all_on_commit([(task, args)])


def enqueue_all_on_commit(calls: list[tuple[Task, tuple]]) -> None:
    """Queue the tasks, in this order, once the current transaction commits.

    When the broker is down or does not answer (the transport's socket timeouts bound the wait
    to about a second, see CELERY_BROKER_TRANSPORT_OPTIONS) the work is not lost: the data is
    committed, and the periodic sweeper that belongs to each task finds it and queues it again.
    The first failure leaves the remaining tasks to their sweepers too, so that a request that
    queues several tasks waits for a broker that does not answer once, not once per task.
    """

    def send() -> None:
        for position, (task, args) in enumerate(calls):
            try:
                task.apply_async(args=args)
            except OperationalError:
                left = ", ".join(
                    f"{later.name}{later_args!r}" for later, later_args in calls[position:]
                )
                logger.warning("broker unavailable, left for the sweepers: %s", left)
                return

    transaction.on_commit(send)
