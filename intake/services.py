"""Receiving a signal: the step every channel (public form, professional form, API) ends in.

A signal is committed before anything else happens to it. Only after the commit does
`queue_processing` send its triage and linking to the broker; if the broker is down the user
still gets their answer and the sweepers send the work later (triage.tasks, coordination.tasks).
"""

import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction

from coordination.tasks import link_signal
from coordination.translation import translation_tasks
from meldpunt.core.queueing import enqueue_all_on_commit
from regions.models import Municipality
from signals.models import Signal, SignalEvent
from triage.tasks import triage_signal


def queue_processing(signal: Signal) -> None:
    """After the commit of a received signal: route it (triage), look up its connections and,
    when machine translation is on, translate its words (last: it is the one that may wait).

    The tasks are idempotent, so a sweeper sending them again changes nothing.
    """
    enqueue_all_on_commit(
        [
            (triage_signal, (signal.pk,)),
            (link_signal, (signal.pk,)),
            *translation_tasks(signal),
        ]
    )


def receive_signal(
    *,
    source: str,
    language: str,
    description: str,
    location_kind: str = Signal.LocationKind.UNKNOWN,
    municipality: Municipality | None = None,
    is_urgent: bool = False,
    involves_minor: bool | None = None,
    submission_key: uuid.UUID | None = None,
    details: dict | None = None,
    with_signal: Callable[[Signal], None] | None = None,
) -> Signal:
    """Store a new signal and queue its triage once it is committed.

    Sending the same form twice (same `submission_key`) returns the signal of the first time.
    `details` are further field values of the signal; `with_signal` stores its related rows
    (forms, indicators, files) in the same transaction, so triage never sees half a signal.
    """
    if submission_key is not None:
        existing = Signal.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            signal = Signal.objects.create(
                source=source,
                language=language,
                description=description,
                location_kind=location_kind,
                municipality=municipality,
                is_urgent=is_urgent,
                involves_minor=involves_minor,
                submission_key=submission_key,
                **(details or {}),
            )
            if with_signal is not None:
                with_signal(signal)
            SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.RECEIVED)
    except IntegrityError:
        if submission_key is None:
            raise
        # A concurrent request with the same key won the race.
        return Signal.objects.get(submission_key=submission_key)
    queue_processing(signal)
    return signal
