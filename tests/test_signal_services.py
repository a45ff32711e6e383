import uuid

import pytest

from intake.services import receive_signal
from signals.models import Signal

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


def test_a_signal_is_stored_even_when_the_broker_is_down(
    reference_data, services, django_capture_on_commit_callbacks
):
    services.redis.stop()
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            signal = _receive()
    finally:
        services.redis.start()
    # Triage and linking were tried after the commit, in one step that gives up at the first
    # broker failure (a request waits for the broker once), and the signal was not lost.
    assert len(callbacks) == 1
    assert Signal.objects.filter(pk=signal.pk, status=Signal.Status.NEW).exists()
