"""Opvang services: acceptance and decline, the last free place under concurrency, staleness,
reminders. Against the real PostgreSQL of the test run."""

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone, translation

from accounts.models import User
from opvang import selectors, services
from opvang.matching import Needs
from opvang.models import Offer, PlacementRequest
from organisations.models import Membership, Organisation
from privacy.services import anonymise_signal
from signals.models import Signal, SignalEvent
from tests.factories import (
    CoordinationFactory,
    ExploitationFormFactory,
    MunicipalityFactory,
    OfferFactory,
    RegionFactory,
    ShelterFactory,
    SignalFactory,
)
from tests.helpers import member_of

Role = Membership.Role


@dataclass
class World:
    """Two regions, a shelter with one offer, and two coordinators who both want a place."""

    offer: Offer  # in Amsterdam, for sexual exploitation: one of four places free
    provider_user: User  # the shelter's
    coordination: Organisation  # Amsterdam's
    coordinators: list[User]
    signals: list[Signal]  # one for each coordinator


@pytest.fixture
def world(no_reference_data) -> World:
    amsterdam = RegionFactory(code="VR13", name="Amsterdam-Amstelland")
    RegionFactory(code="VR12", name="Kennemerland")
    municipality = MunicipalityFactory(code="GM0363", name="Amsterdam", region=amsterdam)
    sexual = ExploitationFormFactory(code="sexual", name="Sexual exploitation")
    shelter = ShelterFactory(name="Shelter A", email="intake@shelter-a.test")
    provider_user = member_of(shelter, Role.PROFESSIONAL, email="worker@shelter-a.test")
    coordination = CoordinationFactory(name="Zorgcoördinatie Amsterdam", region=amsterdam)
    coordinators = [
        member_of(coordination, Role.COORDINATOR, email=f"coordinator{number}@zc.test")
        for number in (1, 2)
    ]
    offer = OfferFactory(
        provider=shelter,
        name="Safe house A",
        municipality=municipality,
        address="Geheimstraat 1, Amsterdam",
        forms=[sexual],
    )
    signals = [
        SignalFactory(region=amsterdam, description="Vrouw van 24, naam Anna, in een kelder")
        for _ in range(2)
    ]
    return World(
        offer=offer,
        provider_user=provider_user,
        coordination=coordination,
        coordinators=coordinators,
        signals=signals,
    )


def request_for(world: World, index=0) -> PlacementRequest:
    return services.request_placement(
        world.signals[index],
        offer=world.offer,
        needs=Needs(gender="female", is_minor=False, form="sexual"),
        by=world.coordinators[index],
        organisation=world.coordination,
    )


def placement_history(signal: Signal) -> list[str]:
    events = SignalEvent.objects.filter(signal=signal, kind=SignalEvent.Kind.PLACEMENT)
    return [event.detail["status"] for event in events]


def test_accept_takes_one_free_place_and_shows_in_the_signal_history(world):
    offer = world.offer
    Offer.objects.filter(pk=offer.pk).update(updated_at=timezone.now() - timedelta(hours=30))
    request = request_for(world)

    services.accept_request(request, by=world.provider_user)

    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.free_places == 0
    assert not offer.is_stale, "accepting is an update by the provider: the offer is fresh"
    assert request.status == PlacementRequest.Status.ACCEPTED
    assert request.answered_by == world.provider_user
    assert placement_history(world.signals[0]) == ["requested", "accepted"]
    accepted = SignalEvent.objects.filter(kind=SignalEvent.Kind.PLACEMENT).last()
    assert accepted.detail["offer_name"] == "Safe house A"
    assert "Geheimstraat" not in str(accepted.detail), "the history never holds the address"


def test_decline_keeps_the_places_and_records_the_reason(world):
    request = request_for(world)

    services.decline_request(request, by=world.provider_user, reason="No room for a dog")

    world.offer.refresh_from_db()
    request.refresh_from_db()
    assert world.offer.free_places == 1
    assert (request.status, request.reason) == ("declined", "No room for a dog")
    assert placement_history(world.signals[0]) == ["requested", "declined"]
    with pytest.raises(services.AlreadyAnswered):
        services.accept_request(request, by=world.provider_user)
    # Free text, so encrypted at rest; and gone when the signal's retention period has passed.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM opvang_placementrequest WHERE id = %s", [request.pk])
        assert "dog" not in cursor.fetchone()[0]
    anonymise_signal(world.signals[0], reason="test")
    request.refresh_from_db()
    assert request.reason == "" and request.status == "declined"


def test_the_second_acceptance_of_the_last_place_gets_a_clear_message(world):
    first, second = request_for(world, 0), request_for(world, 1)
    services.accept_request(first, by=world.provider_user)

    with (
        pytest.raises(services.NoFreePlace, match="no free place left"),
        translation.override("en"),
    ):
        services.accept_request(second, by=world.provider_user)

    world.offer.refresh_from_db()
    second.refresh_from_db()
    assert world.offer.free_places == 0
    assert second.status == PlacementRequest.Status.REQUESTED, "still open: decline or add a place"


def test_a_full_offer_takes_no_request_and_one_open_request_per_offer(world):
    request_for(world)
    with pytest.raises(services.AlreadyRequested):
        request_for(world)
    Offer.objects.filter(pk=world.offer.pk).update(free_places=0)
    world.offer.refresh_from_db()
    with pytest.raises(services.NoFreePlace):
        request_for(world, 1)


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_of_the_last_place_on_two_connections(world):
    """Two providers' staff accept two coordinators' requests for the last place at once."""
    first, second = request_for(world, 0), request_for(world, 1)
    provider_user = world.provider_user
    first_done_but_uncommitted = threading.Event()
    release_first = threading.Event()
    outcomes = {}

    def accept_first():
        try:
            with transaction.atomic():
                services.accept_request(first, by=provider_user)
                first_done_but_uncommitted.set()
                release_first.wait(20)
            outcomes["first"] = "accepted"
        except services.NoFreePlace as error:
            outcomes["first"] = str(error)
        finally:
            connections.close_all()

    def accept_second():
        try:
            with translation.override("en"):
                services.accept_request(second, by=provider_user)
            outcomes["second"] = "accepted"
        except services.NoFreePlace as error:
            outcomes["second"] = str(error)
        finally:
            connections.close_all()

    thread_one = threading.Thread(target=accept_first)
    thread_one.start()
    assert first_done_but_uncommitted.wait(20)
    thread_two = threading.Thread(target=accept_second)
    thread_two.start()
    # The second connection must really wait on the first one's row lock before we let go.
    deadline = time.monotonic() + 20
    while _lock_waiters() == 0:
        assert time.monotonic() < deadline, "the second acceptance never waited for the first"
        time.sleep(0.05)
    release_first.set()
    thread_one.join(20)
    thread_two.join(20)

    assert outcomes["first"] == "accepted"
    assert "no free place left" in outcomes["second"]
    offer = Offer.objects.get(pk=world.offer.pk)
    assert offer.free_places == 0
    statuses = sorted(PlacementRequest.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "requested"]


def test_offers_not_updated_for_24_hours_are_stale(world, settings):
    offer = world.offer
    now = timezone.now()
    Offer.objects.filter(pk=offer.pk).update(updated_at=now - timedelta(hours=23))
    assert [o.stale for o in selectors.overview_offers()] == [False]
    Offer.objects.filter(pk=offer.pk).update(updated_at=now - timedelta(hours=25))
    offer.refresh_from_db()
    assert offer.is_stale
    assert [o.stale for o in selectors.overview_offers()] == [True]
    services.confirm_free_places(offer)
    offer.refresh_from_db()
    assert not offer.is_stale


def test_free_places_stay_between_zero_and_total(world):
    offer = world.offer
    assert services.adjust_free_places(offer, delta=-1)
    assert not services.adjust_free_places(offer, delta=-1)
    assert not services.set_free_places(offer, free_places=5)
    assert services.set_free_places(offer, free_places=4)
    assert not services.adjust_free_places(offer, delta=+1)
    offer.refresh_from_db()
    assert offer.free_places == 4


def test_unanswered_requests_remind_the_provider_once_without_personal_data(world, settings):
    settings.OPVANG_PLACEMENT_REMINDER_HOURS = 4
    settings.OPVANG_PLACEMENT_EXPIRY_HOURS = 72
    fresh, late = request_for(world, 0), request_for(world, 1)
    now = timezone.now()
    PlacementRequest.objects.filter(pk=late.pk).update(created_at=now - timedelta(hours=5))
    mail.outbox.clear()

    assert services.remind_unanswered_requests(now=now) == (1, 0)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.bcc) == ["intake@shelter-a.test", "worker@shelter-a.test"]
    body = message.subject + message.body
    assert "/pro/opvang/requests/" in body
    for personal in ("Anna", "kelder", "Geheimstraat", str(late.signal.public_id)):
        assert personal not in body
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.reminded_at is not None and fresh.reminded_at is None
    top = selectors.requests_by_coordinator(world.coordinators[0]).first()
    assert top == late, "the coordinator sees the reminded request on top"

    assert services.remind_unanswered_requests(now=now) == (0, 0)
    assert len(mail.outbox) == 1

    PlacementRequest.objects.filter(pk=late.pk).update(created_at=now - timedelta(hours=73))
    assert services.remind_unanswered_requests(now=now) == (0, 1)
    late.refresh_from_db()
    assert late.status == PlacementRequest.Status.EXPIRED


def test_national_overview_shows_free_places_and_regions_without_an_offer(world):
    tables = selectors.national_overview()
    [table] = tables
    rows = {row["region"].code: row for row in table["rows"]}
    assert rows["VR13"]["free"] == 1 and rows["VR13"]["offers"] == 1
    cosm_column = list(Offer.Kind).index(Offer.Kind.COSM)
    assert rows["VR13"]["cells"][cosm_column] == 1
    assert rows["VR12"]["offers"] == 0, "Kennemerland has no offer for sexual exploitation"


def test_beat_runs_the_reminder_task(world, settings):
    from opvang.tasks import remind_unanswered_placements

    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "opvang.tasks.remind_unanswered_placements" in schedule
    late = request_for(world)
    PlacementRequest.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.OPVANG_PLACEMENT_REMINDER_HOURS + 1)
    )
    assert tuple(remind_unanswered_placements.apply().get()) == (1, 0)
    late.refresh_from_db()
    assert late.reminded_at is not None
