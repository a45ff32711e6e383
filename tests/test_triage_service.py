"""Triage services without a worker: re-routing, deadlines, rule preview, notifications."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from access.permissions import VIEW
from organisations.models import Membership
from regions.models import Municipality, Region
from signals.models import Signal, SignalEvent
from tests.factories import CoordinationFactory, MembershipFactory, SignalFactory
from triage import services
from triage.models import Notification, RoutingRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(reference_data):
    return Region.objects.get(code="AMS"), Region.objects.get(code="RTM")


def _coordinator_of(region: Region):
    organisation = CoordinationFactory(name=f"Coordinators {region.code}", region=region)
    membership = MembershipFactory(organisation=organisation, roles=[Membership.Role.COORDINATOR])
    return membership.user


def _signal_in(code: str) -> Signal:
    return SignalFactory(
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code=code),
    )


def test_triage_sets_region_priority_deadline_and_explains_itself(regions):
    signal = _signal_in("GM0363")
    signal.involves_minor = True
    signal.save()

    assert services.triage_signal(signal.pk) is True
    signal.refresh_from_db()
    assert (signal.region, signal.priority, signal.track) == (
        regions[0],
        Signal.Priority.HIGH,
        Signal.Track.MINORS,
    )
    event = signal.events.get(kind=SignalEvent.Kind.TRIAGED)
    messages = [reason["message"] for reason in event.detail["reasons"]]
    assert "minor involved → priority high" in messages
    assert services.triage_signal(signal.pk) is False
    assert signal.events.filter(kind=SignalEvent.Kind.TRIAGED).count() == 1


def test_only_the_routed_regions_coordinators_may_see_the_signal(regions):
    from access.selectors import can

    amsterdam, rotterdam = regions
    in_amsterdam, in_rotterdam = _coordinator_of(amsterdam), _coordinator_of(rotterdam)
    signal = _signal_in("GM0363")
    services.triage_signal(signal.pk)

    assert can(in_amsterdam, VIEW, signal)
    assert not can(in_rotterdam, VIEW, signal)


def test_rerouting_moves_access_and_records_both_regions(regions):
    from access.selectors import can

    amsterdam, rotterdam = regions
    in_amsterdam, in_rotterdam = _coordinator_of(amsterdam), _coordinator_of(rotterdam)
    signal = _signal_in("GM0363")
    services.triage_signal(signal.pk)

    assert services.reroute_signal(
        signal, region=rotterdam, by=in_amsterdam, reason="moved to Rotterdam"
    )
    signal.refresh_from_db()
    assert signal.region == rotterdam
    assert not can(in_amsterdam, VIEW, signal)
    assert can(in_rotterdam, VIEW, signal)
    event = signal.events.get(kind=SignalEvent.Kind.REROUTED)
    assert event.detail == {
        "from": "AMS",
        "to": "RTM",
        "reason": "moved to Rotterdam",
        "routing": {
            "message": "%(area)s is coordinated by %(coordinators)s",
            "params": {"area": "Gemeente Rotterdam", "coordinators": "Coordinators RTM"},
        },
        "fallback": False,
    }
    assert event.actor == in_amsterdam
    assert (
        services.reroute_signal(signal, region=rotterdam, by=in_amsterdam, reason="again") is False
    )


def test_overdue_signals_are_marked_once_and_their_region_told_once(regions):
    signal = _signal_in("GM0363")
    services.triage_signal(signal.pk)
    signal.refresh_from_db()

    assert services.mark_overdue_signals(now=signal.deadline - timedelta(minutes=1)) == 0
    assert services.mark_overdue_signals(now=signal.deadline + timedelta(minutes=1)) == 1
    assert services.mark_overdue_signals(now=signal.deadline + timedelta(hours=1)) == 0
    signal.refresh_from_db()
    assert signal.overdue_at is not None
    assert Notification.objects.filter(signal=signal, kind=Notification.Kind.OVERDUE).count() == 1


def test_a_notification_mail_names_no_one_and_is_sent_once(regions):
    coordinator = _coordinator_of(regions[0])
    _coordinator_of(regions[1])
    signal = _signal_in("GM0363")
    signal.description = "Anna from Gdańsk, phone 0612345678"
    signal.save()
    services.triage_signal(signal.pk)
    notification = Notification.objects.get(signal=signal)

    assert services.send_notification(notification.pk) is True
    assert services.send_notification(notification.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].bcc == [coordinator.email]
    assert "Anna" not in mail.outbox[0].body and "0612345678" not in mail.outbox[0].body
    assert str(signal.public_id) in mail.outbox[0].body


def test_the_sweeper_leaves_fresh_and_dead_lettered_signals_alone(regions, settings):
    fresh = _signal_in("GM0363")
    failed = _signal_in("GM0363")
    failed.triage_failed_at = timezone.now()
    failed.save()
    Signal.objects.filter(pk__in=[fresh.pk, failed.pk]).update(
        created_at=timezone.now() - timedelta(minutes=1)
    )
    assert services.requeue_unfinished_work() == (0, 0)


def test_trying_a_rule_shows_where_recent_signals_would_go_without_changing_them(regions):
    amsterdam, rotterdam = regions
    signal = _signal_in("GM0363")
    services.triage_signal(signal.pk)
    rule = RoutingRule.objects.create(name="everything to Rotterdam", target_region=rotterdam)

    rows = services.preview_rules([rule])
    assert [(row["current_region"], row["proposed_region"], row["changed"]) for row in rows] == [
        (amsterdam, rotterdam, True)
    ]
    assert services.preview_rules([])[0]["changed"] is False
    signal.refresh_from_db()
    assert signal.region == amsterdam
