import uuid

import pytest

from regions.models import Municipality
from signals.models import Signal, SignalEvent
from signals.services import receive_signal, triage_signal

pytestmark = pytest.mark.django_db


def _receive(**overrides) -> Signal:
    fields = {
        "source": Signal.Source.PUBLIC,
        "language": "nl",
        "description": "Een man neemt elke ochtend paspoorten in.",
    }
    return receive_signal(**(fields | overrides))


def test_sending_the_same_form_twice_creates_one_signal(reference_data):
    key = uuid.uuid4()
    first = _receive(submission_key=key)
    second = _receive(submission_key=key)
    assert first.pk == second.pk
    assert Signal.objects.count() == 1


def test_triage_applied_twice_records_one_decision(reference_data):
    rotterdam = Municipality.objects.get(code="GM0599")
    signal = _receive(location_kind=Signal.LocationKind.MUNICIPALITY, municipality=rotterdam)

    assert triage_signal(signal.pk) is True
    assert triage_signal(signal.pk) is False

    signal.refresh_from_db()
    assert signal.status == Signal.Status.TRIAGED
    assert signal.region == rotterdam.region
    assert list(signal.events.values_list("kind", flat=True)) == [
        SignalEvent.Kind.RECEIVED,
        SignalEvent.Kind.TRIAGED,
    ]


def test_a_signal_is_stored_even_when_the_broker_is_down(
    reference_data, services, django_capture_on_commit_callbacks
):
    services.redis.stop()
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            signal = _receive()
    finally:
        services.redis.start()
    assert len(callbacks) == 1
    assert Signal.objects.filter(pk=signal.pk, status=Signal.Status.NEW).exists()
