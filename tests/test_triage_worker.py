"""Triage through the real parts: PostgreSQL, Redis and a Celery worker process, with faults."""

import os
import signal as unix_signal
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from devstack.worker import wait_for
from intake.services import receive_signal
from organisations.models import Organisation
from regions.models import Municipality, Region
from regions.selectors import national_desk
from signals.models import Signal, SignalEvent
from tests.factories import RegionFactory, SignalFactory
from triage import services as triage_services
from triage.models import FailedTriage, Notification
from triage.tasks import triage_signal

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _receive(**fields) -> Signal:
    return receive_signal(
        source=Signal.Source.PUBLIC,
        language="en",
        description="People are picked up from the house at five every morning.",
        **fields,
    )


def _triaged(signal: Signal, timeout: float = 30) -> Signal:
    def done():
        signal.refresh_from_db()
        return signal.status == Signal.Status.TRIAGED

    wait_for(done, timeout=timeout)
    return signal


def _triage_events(signal: Signal) -> int:
    return signal.events.filter(kind=SignalEvent.Kind.TRIAGED).count()


def _region_grants(signal: Signal) -> int:
    from access.models import SignalGroupObjectPermission
    from access.permissions import VIEW, codename

    return SignalGroupObjectPermission.objects.filter(
        content_object=signal, permission__codename=codename(VIEW)
    ).count()


def test_every_region_receives_its_signals_and_the_desk_the_rest(coordinators, celery_worker):
    expected = {}
    for region in Region.objects.filter(kind=Region.Kind.REGIONAL):
        municipality = region.municipalities.order_by("code").first()
        signal = _receive(location_kind=Signal.LocationKind.MUNICIPALITY, municipality=municipality)
        expected[signal.pk] = region.code
    for kind in [
        Signal.LocationKind.ABROAD,
        Signal.LocationKind.ONLINE,
        Signal.LocationKind.UNKNOWN,
    ]:
        expected[_receive(location_kind=kind).pk] = national_desk().code

    assert len(expected) == 20 + 3, "one signal per coordinator area, three for the desk"
    for signal in Signal.objects.filter(pk__in=expected):
        _triaged(signal)
        assert signal.region.code == expected[signal.pk]
        assert _triage_events(signal) == 1
        assert signal.deadline > signal.created_at


def test_a_signal_sent_while_redis_is_down_is_kept_and_routed_by_the_sweeper(
    coordinators, celery_worker, services
):
    amsterdam = Municipality.objects.get(code="GM0363")
    services.redis.stop()
    try:
        signal = _receive(location_kind=Signal.LocationKind.MUNICIPALITY, municipality=amsterdam)
    finally:
        services.redis.start()
    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEW

    assert triage_services.requeue_unfinished_work(now=timezone.now() + timedelta(minutes=10)) == (
        1,
        0,
    )
    _triaged(signal, timeout=60)
    assert signal.region == amsterdam.region
    assert _triage_events(signal) == 1


def _waits_for_a_lock(application_name: str) -> bool:
    # Not on the blocking connection: inside its transaction PostgreSQL keeps showing the
    # activity snapshot taken at its first look.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
            " AND wait_event_type = 'Lock'",
            [application_name],
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_in_the_middle_of_triage_ends_in_the_same_state(
    coordinators, celery_worker
):
    signal = SignalFactory(location_kind=Signal.LocationKind.ONLINE)
    # Hold the signal's row lock from another connection: the task waits on it mid-triage.
    dsn = connection.settings_dict
    with psycopg.connect(
        host=dsn["HOST"], port=dsn["PORT"], user=dsn["USER"], dbname=dsn["NAME"]
    ) as blocker:
        blocker.execute("SELECT 1 FROM signals_signal WHERE id = %s FOR UPDATE", [signal.pk])
        log_start = len(celery_worker.log.read_bytes())
        triage_signal.delay(signal.pk)
        wait_for(lambda: _waits_for_a_lock(celery_worker.APPLICATION_NAME))
        for pid in celery_worker.pool_pids():
            os.kill(pid, unix_signal.SIGKILL)
        wait_for(lambda: b"WorkerLostError" in celery_worker.log.read_bytes()[log_start:])
        blocker.rollback()

    _triaged(signal)
    assert signal.region == national_desk()
    assert _triage_events(signal) == 1
    assert _region_grants(signal) == 1
    assert Notification.objects.filter(signal=signal).count() == 1


def test_the_same_task_delivered_twice_grants_once_and_mails_once(coordinators, celery_worker):
    for path in celery_worker.mail_dir.iterdir():
        path.unlink()
    rotterdam = Municipality.objects.get(code="GM0599")
    signal = SignalFactory(location_kind=Signal.LocationKind.MUNICIPALITY, municipality=rotterdam)
    triage_signal.delay(signal.pk)
    triage_signal.delay(signal.pk)

    _triaged(signal)
    notification = wait_for(
        lambda: Notification.objects.filter(signal=signal, sent_at__isnull=False).first()
    )
    # Give a second delivery time to do harm, then count.
    wait_for(lambda: celery_worker.log.read_bytes().count(b"triage_signal[") >= 4)
    assert _triage_events(signal) == 1
    assert _region_grants(signal) == 1
    mails = celery_worker.mails()
    assert len(mails) == 1
    assert f"/pro/queue/{signal.public_id}/" in mails[0]
    assert signal.description not in mails[0]
    assert notification.region == rotterdam.region


def test_a_triage_that_cannot_succeed_lands_on_the_dead_letter_list(coordinators, celery_worker):
    desk = national_desk()
    Organisation.objects.filter(regions=desk).delete()
    desk.delete()
    signal = _receive(location_kind=Signal.LocationKind.ABROAD)

    wait_for(lambda: FailedTriage.objects.filter(pk=signal.pk, triage_failed_at__isnull=False))
    failed = FailedTriage.objects.get(pk=signal.pk)
    assert "DoesNotExist" in failed.triage_error
    assert failed.status == Signal.Status.NEW

    RegionFactory(code="LD", name="Landelijke desk", kind=Region.Kind.NATIONAL_DESK)
    assert triage_services.retry_failed_triage([signal.pk]) == 1
    _triaged(signal)
    assert signal.region.code == "LD"
