"""Every signal reaches a coordinator who can act on it: the real coordinator areas, the fallback
where an area has none, alerts where nobody is left, and contacts where people look."""

import math

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation

from access.selectors import can
from coordination.selectors import connections_for, coordinator_queue
from inbox.models import UnreadMark
from inbox.services import handlers_of, mark_unread
from opvang.geography import distance_km
from opvang.selectors import offer_facts, signal_position
from organisations.models import Membership, Organisation
from regions.models import AreaContact, Division, Municipality, Region
from regions.services import load_regions
from signals.models import Signal, SignalEvent
from tests.factories import SignalFactory
from tests.helpers import english_client, member_of, signed_in
from triage import rules, selectors, services
from triage.models import Notification, RoutingAlert

pytestmark = pytest.mark.django_db

AMSTERDAM, NAALDWIJK_WESTLAND, ALMERE = "GM0363", "GM1783", "GM0034"
VIEW, TRIAGE = "signals.view_signal", "signals.triage_signal"


def _coordination(name: str, *area_codes: str, **fields) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, kind=Organisation.Kind.COORDINATOR, **fields
    )
    organisation.regions.add(*Region.objects.filter(code__in=area_codes))
    return organisation


def _signal_in(code: str) -> Signal:
    return SignalFactory(
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code=code),
    )


def _triaged(signal: Signal) -> Signal:
    services.triage_signal(signal.pk)
    signal.refresh_from_db()
    return signal


def _reasons(signal: Signal) -> list[str]:
    detail = signal.events.get(kind=SignalEvent.Kind.TRIAGED).detail
    with translation.override("en"):
        return [rules.Reason(r["message"], r["params"]).__str__() for r in detail["reasons"]]


@pytest.fixture
def comensha(reference_data):
    organisation = _coordination("CoMensha", coordinates_uncovered_areas=True)
    return organisation, member_of(organisation, Membership.Role.COORDINATOR)


# The areas as data


def test_the_default_areas_are_the_published_zorgcoordinator_areas(reference_data):
    areas = Region.objects.filter(kind=Region.Kind.REGIONAL)
    assert areas.count() == 20
    assert Region.objects.get(code="DHHM").name == "Politieregio Den Haag en Hollands Midden"
    assert Region.objects.get(code="ZWB").name == "Provincie Zeeland en West-Brabant"
    assert Region.objects.get(code="EHV").name == "Gemeente Eindhoven en de regio"
    assert all(area.municipalities.exists() for area in areas)
    westland = Municipality.objects.get(code=NAALDWIJK_WESTLAND)
    assert (westland.region.code, westland.safety_region.code) == ("DHHM", "VR15")
    assert westland.province.name == "Zuid-Holland"
    assert westland.police_unit.name == "Den Haag"
    assert Municipality.objects.filter(latitude__isnull=True).count() == 0
    assert Division.objects.filter(kind=Division.Kind.SAFETY_REGION).count() == 25
    # Published contacts: phones as published; no e-mail that no public source states.
    shop = AreaContact.objects.get(region__code="DHHM")
    assert (shop.organisation, shop.phone, shop.email) == ("SHOP", "070 361 47 47", "")
    assert AreaContact.objects.get(region=None).email == "info@comensha.nl"


def test_reloading_changes_nothing_and_the_admins_contact_edit_stays(reference_data):
    contact = AreaContact.objects.get(region__code="DHHM")
    contact.email = "zorgcoordinatie@example.nl"
    contact.save()
    report = load_regions()
    assert not report.changed
    contact.refresh_from_db()
    assert contact.email == "zorgcoordinatie@example.nl"


# Routing never ends at nobody


def test_an_area_without_a_coordinator_organisation_goes_to_comensha_with_the_reason(comensha):
    _organisation, coordinator = comensha
    signal = _triaged(_signal_in(ALMERE))  # Flevoland: no coordinator in the overview

    assert signal.region.code == "FL"
    assert can(coordinator, TRIAGE, signal)
    assert "Flevoland has no coordinator organisation → CoMensha coordinates it remotely" in (
        _reasons(signal)
    )
    assert signal.events.get(kind=SignalEvent.Kind.TRIAGED).detail["fallback"] is True
    assert signal in coordinator_queue(coordinator), "in the fallback's queue"
    assert str(signal.public_id)[:8] in signed_in(coordinator).get("/pro/queue/").content.decode()


def test_an_area_whose_organisation_has_no_active_coordinator_falls_back_too(comensha):
    _organisation, fallback_coordinator = comensha
    empty = _coordination("Zorgcoördinatie zonder mensen", "AMS")
    left = member_of(empty, Membership.Role.COORDINATOR)
    left.is_active = False
    left.save()
    member_of(empty, Membership.Role.PROFESSIONAL)  # not a coordinator: does not count

    signal = _triaged(_signal_in(AMSTERDAM))

    assert signal.region.code == "AMS", "the area stays the area, for figures and help"
    assert can(fallback_coordinator, TRIAGE, signal)
    assert not can(left, VIEW, signal)
    assert (
        "Politieregio Amsterdam has no coordinator organisation with an active coordinator → "
        "CoMensha coordinates it remotely"
    ) in _reasons(signal)


def test_an_area_with_an_active_coordinator_keeps_its_signals(comensha):
    _organisation, fallback_coordinator = comensha
    own = _coordination("HVO Querido / ACM", "AMS")
    coordinator = member_of(own, Membership.Role.COORDINATOR)
    signal = _triaged(_signal_in(AMSTERDAM))
    assert can(coordinator, TRIAGE, signal)
    assert not can(fallback_coordinator, VIEW, signal)
    assert "Politieregio Amsterdam is coordinated by HVO Querido / ACM" in _reasons(signal)


@override_settings(ROUTING_FALLBACK="national_desk")
def test_the_setting_sends_uncovered_areas_to_the_national_desk(comensha):
    desk = Organisation.objects.create(name="Landelijke desk", kind=Organisation.Kind.NATIONAL_DESK)
    desk.regions.add(Region.objects.get(kind=Region.Kind.NATIONAL_DESK))
    desk_coordinator = member_of(desk, Membership.Role.COORDINATOR)
    _organisation, comensha_coordinator = comensha

    signal = _triaged(_signal_in(ALMERE))
    assert can(desk_coordinator, TRIAGE, signal)
    assert not can(comensha_coordinator, VIEW, signal)
    assert (
        "Flevoland has no coordinator organisation → Landelijke desk coordinates it remotely"
        in (_reasons(signal))
    )


def test_rerouting_to_an_area_without_a_coordinator_hands_it_to_the_fallback(comensha):
    _organisation, fallback_coordinator = comensha
    own = _coordination("HVO Querido / ACM", "AMS")
    coordinator = member_of(own, Membership.Role.COORDINATOR)
    signal = _triaged(_signal_in(AMSTERDAM))

    services.reroute_signal(
        signal, region=Region.objects.get(code="FL"), by=coordinator, reason="moved"
    )
    assert not can(coordinator, VIEW, signal)
    assert can(fallback_coordinator, TRIAGE, signal)
    assert signal.events.get(kind=SignalEvent.Kind.REROUTED).detail["fallback"] is True
    # The transfer is news for the fallback's coordinators, whose inbox shows it.
    assert UnreadMark.objects.filter(signal=signal, user=fallback_coordinator).exists()


def test_news_on_a_fallback_signal_reaches_the_fallbacks_coordinators(comensha):
    _organisation, fallback_coordinator = comensha
    signal = _triaged(_signal_in(ALMERE))
    assert handlers_of(signal) == [fallback_coordinator]
    mark_unread(signal, event=UnreadMark.Event.REPORTER_REPLY)
    assert UnreadMark.objects.filter(signal=signal, user=fallback_coordinator).exists()


def test_nobody_left_raises_an_alert_and_the_notification_is_not_marked_sent(reference_data):
    signal = _triaged(_signal_in(ALMERE))  # no CoMensha, no national desk in this database
    assert "an alert for the national desk and the functional admin" in _reasons(signal)[-1]
    notification = Notification.objects.get(signal=signal)

    assert services.send_notification(notification.pk) is False
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.last_error == "no recipients"
    assert mail.outbox == []
    alert = RoutingAlert.objects.get()
    assert (alert.signal, alert.region.code, alert.resolved_at) == (signal, "FL", None)
    with translation.override("en"):
        assert "Nobody could be told" in alert.text and "Flevoland" in alert.text

    # Delivered again (the sweeper): still one alert.
    assert services.send_notification(notification.pk) is False
    assert RoutingAlert.objects.count() == 1


def test_the_national_desk_and_the_functional_admin_see_the_alert_until_someone_can_act(
    reference_data,
):
    signal = _triaged(_signal_in(ALMERE))
    notification = Notification.objects.get(signal=signal)
    services.send_notification(notification.pk)

    desk = Organisation.objects.create(name="Landelijke desk", kind=Organisation.Kind.NATIONAL_DESK)
    page = signed_in(member_of(desk, Membership.Role.COORDINATOR)).get("/pro/alerts/")
    assert page.status_code == 200
    assert "Nobody could be told" in page.content.decode()
    assert "Routing alerts" in page.content.decode(), "the menu links the page"
    police = Organisation.objects.create(name="Politie", kind=Organisation.Kind.POLICE)
    assert (
        signed_in(member_of(police, Membership.Role.PROFESSIONAL)).get("/pro/alerts/").status_code
        == 404
    )

    from django.contrib.auth.models import Permission

    from organisations.demo import FUNCTIONAL_ADMIN_MODELS
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True)
    admin.user_permissions.set(
        Permission.objects.filter(content_type__model__in=FUNCTIONAL_ADMIN_MODELS)
    )
    listing = signed_in(admin).get("/beheer/triage/routingalert/").content.decode()
    assert "Nobody could be told" in listing
    coverage = signed_in(admin).get("/beheer/triage/areacoverage/").content.decode()
    assert "Flevoland" in coverage and "Nobody: an alert is raised for every signal" in coverage

    # A coordinator for the area: the mail goes out, marked sent, and the alert is resolved.
    # (The signal's access was given at triage; here the area gets a covering organisation and
    # the signal is handed to it the way a transfer would.)
    own = _coordination("Zorgcoördinatie Flevoland", "FL", email="zc-flevoland@example.nl")
    member_of(own, Membership.Role.COORDINATOR)
    from access.services import grant_coordinator_access

    grant_coordinator_access(signal, organisation_ids=[own.pk])
    assert services.send_notification(notification.pk) is True
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert RoutingAlert.objects.get().resolved_at is not None
    assert "zc-flevoland@example.nl" in mail.outbox[0].bcc


def test_the_coverage_check_lists_areas_nobody_of_their_own_covers(comensha, client):
    own = _coordination("HVO Querido / ACM", "AMS")
    member_of(own, Membership.Role.COORDINATOR)
    rows = {row.region.code: row for row in selectors.coverage_check()}
    assert rows["AMS"].status == "covered"
    assert rows["FL"].status == "fallback"
    assert [c.name for c in rows["FL"].coordinators] == ["CoMensha"]

    detail = client.get("/healthz").json()["coverage"]
    assert "FL" in detail["covered_by_fallback"] and "AMS" not in detail["covered_by_fallback"]
    assert detail["covered_by_nobody"] == [] and detail["status"] == "ok"


def test_healthz_says_degraded_when_an_area_reaches_nobody(reference_data, client):
    detail = client.get("/healthz").json()["coverage"]
    assert detail["status"] == "degraded"
    assert "FL" in detail["covered_by_nobody"]


# Contacts where people look


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ar", "zh-hans"])
def test_the_help_page_of_an_area_shows_its_coordinator_in_every_language(reference_data, language):
    page = english_client().get(f"/{language}/help/DHHM/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "SHOP" in html and 'href="tel:0703614747"' in html

    remote = english_client().get(f"/{language}/help/FL/").content.decode()
    assert "CoMensha" in remote and 'href="mailto:info@comensha.nl"' in remote


def test_the_help_page_finds_the_area_from_a_place(reference_data):
    client = english_client()
    response = client.get("/en/help/", {"place": "Naaldwijk"})
    assert response.status_code == 302 and response["Location"] == "/en/help/DHHM/"
    shared = client.get("/en/help/", {"place": "Hengelo"}).content.decode()
    assert "/en/help/TW/" in shared and "/en/help/NOGA/" in shared


def test_the_coordinator_mail_names_the_area(reference_data):
    own = _coordination("SHOP", "DHHM", email="shop@example.nl")
    member_of(own, Membership.Role.COORDINATOR)
    signal = _triaged(_signal_in(NAALDWIJK_WESTLAND))
    services.send_notification(Notification.objects.get(signal=signal).pk)
    [message] = mail.outbox
    assert "Politieregio Den Haag en Hollands Midden" in message.subject
    assert "Politieregio Den Haag en Hollands Midden" in message.body


def test_the_connection_card_shows_the_other_areas_published_contact(reference_data):
    from coordination.models import Connection

    amsterdam_org = _coordination("HVO Querido / ACM", "AMS")
    viewer = member_of(amsterdam_org, Membership.Role.COORDINATOR)
    mine = _triaged(_signal_in(AMSTERDAM))
    theirs = _triaged(_signal_in(NAALDWIJK_WESTLAND))
    Connection.objects.create(signal=mine, other=theirs, kind="phone", value="x")
    [card] = connections_for(viewer, mine)
    assert card.signal is None, "the viewer may not open the other signal"
    assert card.region_name == "Politieregio Den Haag en Hollands Midden"
    assert (card.contact.name, card.contact.phone) == ("SHOP", "070 361 47 47")


# Distances from data


def test_remapping_a_municipality_keeps_opvang_distances_finite_and_correct(reference_data):
    from opvang.models import Offer

    shelter = Organisation.objects.create(name="Opvang", kind=Organisation.Kind.SHELTER)
    haarlem = Municipality.objects.get(code="GM0392")
    offer = Offer.objects.create(
        provider=shelter,
        name="Huis Haarlem",
        kind=Offer.Kind.COSM,
        region=haarlem.region,
        municipality=haarlem,
        genders=["female"],
        total_places=4,
        free_places=1,
    )
    signal = _signal_in(AMSTERDAM)
    signal.region = signal.municipality.region
    signal.save()
    before = distance_km(signal_position(signal), offer_facts(offer).position)

    # The functional admin moves Haarlem into a brand-new area and Amsterdam into another one.
    new_area = Region.objects.create(code="NEW", name="Nieuw gebied")
    Municipality.objects.filter(code__in=["GM0392", AMSTERDAM]).update(region=new_area)
    offer.refresh_from_db()
    signal.refresh_from_db()
    after = distance_km(signal_position(signal), offer_facts(offer).position)

    assert math.isfinite(after)
    assert after == pytest.approx(before)
    assert 10 < after < 30, "Amsterdam to Haarlem is about 20 km"


def test_a_signal_without_a_municipality_is_measured_from_its_areas_middle(reference_data):
    signal = SignalFactory(region=Region.objects.get(code="LZ"), municipality=None)
    position = signal_position(signal)
    assert position is not None and 50.7 < position[0] < 51.1  # Zuid-Limburg
    assert signal_position(SignalFactory(region=None, municipality=None)) is None


def test_alerts_are_raised_once_per_unsent_notification(reference_data):
    signal = _triaged(_signal_in(ALMERE))
    notification = Notification.objects.get(signal=signal)
    for _ in range(3):
        services.send_notification(notification.pk)
    assert RoutingAlert.objects.filter(resolved_at__isnull=True).count() == 1
    assert services.resolve_alert(RoutingAlert.objects.get()) is True
    assert services.resolve_alert(RoutingAlert.objects.get()) is False
    # Still unsent: the next attempt raises a new alert.
    services.send_notification(notification.pk)
    assert RoutingAlert.objects.filter(resolved_at__isnull=True).count() == 1
    assert RoutingAlert.objects.get(resolved_at__isnull=True).created_at <= timezone.now()
