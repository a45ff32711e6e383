"""Queueing Celery tasks after the data they need is committed."""

import logging

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args) -> None:
    """Queue `task` once the current transaction commits.

    When the broker is down the work is not lost: the data is committed and the periodic sweeper
    that belongs to the task finds it and queues it again. The user's request still succeeds.
    """

    def send() -> None:
        try:
            task.apply_async(args=args)
        except OperationalError:
            logger.warning("broker unavailable, %s%r left for the sweeper", task.name, args)

    transaction.on_commit(send)
