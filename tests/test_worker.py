"""A signal committed by the web process is triaged by a real Celery worker through real Redis."""

import pytest

from regions.models import Municipality
from regions.selectors import national_desk
from signals.models import Signal, SignalEvent
from signals.services import receive_signal
from tests.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _triaged(signal: Signal) -> Signal | None:
    signal.refresh_from_db()
    return signal if signal.status == Signal.Status.TRIAGED else None


def test_worker_routes_a_signal_to_its_municipalitys_region(reference_data, celery_worker):
    utrecht = Municipality.objects.get(code="GM0344")
    signal = receive_signal(
        source=Signal.Source.PUBLIC,
        language="pl",
        description="Workers sleep in the warehouse.",
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=utrecht,
    )
    wait_for(lambda: _triaged(signal))
    assert signal.region == utrecht.region
    assert signal.events.filter(kind=SignalEvent.Kind.TRIAGED).count() == 1


def test_worker_sends_a_signal_without_dutch_location_to_the_national_desk(
    reference_data, celery_worker
):
    signal = receive_signal(
        source=Signal.Source.PUBLIC,
        language="en",
        description="An advert online offers work with housing included.",
        location_kind=Signal.LocationKind.ONLINE,
    )
    wait_for(lambda: _triaged(signal))
    assert signal.region == national_desk()
