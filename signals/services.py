"""Changes to signals. Triage lives in the `triage` app."""

import uuid

from django.db import IntegrityError, transaction

from meldpunt.queueing import enqueue_on_commit
from regions.models import Municipality

from .models import Signal, SignalEvent


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
) -> Signal:
    """Store a new signal and queue its triage once it is committed.

    Sending the same form twice (same `submission_key`) returns the signal of the first time.
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
            )
            SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.RECEIVED)
    except IntegrityError:
        if submission_key is None:
            raise
        # A concurrent request with the same key won the race.
        return Signal.objects.get(submission_key=submission_key)
    from triage.tasks import triage_signal

    enqueue_on_commit(triage_signal, signal.pk)
    return signal
