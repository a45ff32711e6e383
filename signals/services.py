"""Changes to signals: receiving them and applying the triage decision."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from meldpunt.queueing import enqueue_on_commit
from regions.models import Municipality
from regions.selectors import national_desk

from . import triage
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
    from .tasks import triage_signal

    enqueue_on_commit(triage_signal, signal.pk)
    return signal


def triage_signal(signal_id: int) -> bool:
    """Route a new signal to its region. Returns False when there was nothing to do.

    Idempotent: a signal that was triaged already is left as it is, so a task delivered twice
    changes nothing the second time. The row is locked (waiting, not failing) while it changes.
    """
    with transaction.atomic():
        signal = (
            Signal.objects.select_for_update(of=("self",))
            .select_related("municipality__region")
            .get(pk=signal_id)
        )
        if signal.status != Signal.Status.NEW:
            return False
        decision = triage.decide(signal, national_desk())
        signal.region = decision.region
        signal.status = Signal.Status.TRIAGED
        signal.triaged_at = timezone.now()
        signal.save(update_fields=["region", "status", "triaged_at", "updated_at"])
        SignalEvent.objects.create(
            signal=signal,
            kind=SignalEvent.Kind.TRIAGED,
            detail={"region": decision.region.code, "reasons": decision.reasons},
        )
    return True


def requeue_untriaged_signals() -> int:
    """Queue triage again for signals left untriaged too long (the broker was down, say)."""
    from django.conf import settings

    from .selectors import untriaged_signal_ids
    from .tasks import triage_signal

    ids = untriaged_signal_ids(older_than=timezone.now() - settings.SIGNAL_REQUEUE_AFTER)
    for signal_id in ids:
        triage_signal.delay(signal_id)
    return len(ids)
