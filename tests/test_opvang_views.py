"""Opvang pages as users meet them: providers keep free places, coordinators find a place, and
the confidential address stays with coordinators and the provider itself."""

from dataclasses import dataclass

import pytest

from access.services import grant_region_access
from accounts.models import User
from opvang.models import Offer, PlacementRequest
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from signals.models import ExploitationForm, Signal, SignalEvent
from tests.factories import (
    CoordinationFactory,
    ExploitationFormFactory,
    MunicipalityFactory,
    OfferFactory,
    OrganisationFactory,
    RegionFactory,
    ShelterFactory,
    SignalFactory,
)
from tests.helpers import english_client, login_professional, member_of

pytestmark = pytest.mark.django_db
Role = Membership.Role
ADDRESS = "Geheimstraat 1"


@pytest.fixture
def client():
    return english_client()


@dataclass
class World:
    """Amsterdam, Haarlem and Maastricht with offers of two shelters, and a signal in Amsterdam
    that its coordinator looks for a place for."""

    offers: dict[str, Offer]  # of shelter A by town, its labour offer, and "other" of shelter B
    signal: Signal
    sexual: ExploitationForm
    amsterdam: Region
    towns: dict[str, Municipality]
    provider: User  # of shelter A
    other_provider: User  # of shelter B
    police: User
    coordinator: User  # of Amsterdam
    desk: User  # of the national desk


@pytest.fixture
def world(no_reference_data) -> World:
    amsterdam = RegionFactory(code="VR13", name="Amsterdam-Amstelland")
    haarlem = RegionFactory(code="VR12", name="Kennemerland")
    maastricht = RegionFactory(code="VR24", name="Zuid-Limburg")
    RegionFactory(code="LD", name="National desk", kind=Region.Kind.NATIONAL_DESK)
    # Distances come from the municipalities' positions (regions/data/municipalities_2025.csv).
    towns = {
        "amsterdam": MunicipalityFactory(
            code="GM0363", name="Amsterdam", region=amsterdam, latitude=52.37, longitude=4.89
        ),
        "haarlem": MunicipalityFactory(
            code="GM0392", name="Haarlem", region=haarlem, latitude=52.38, longitude=4.64
        ),
        "maastricht": MunicipalityFactory(
            code="GM0935", name="Maastricht", region=maastricht, latitude=50.85, longitude=5.69
        ),
    }
    sexual = ExploitationFormFactory(code="sexual", name="Sexual exploitation", order=1)
    labour = ExploitationFormFactory(code="labour", name="Labour exploitation", order=2)
    shelter = ShelterFactory(name="Shelter A")
    other_shelter = ShelterFactory(name="Shelter B")
    police = OrganisationFactory(name="Politie AVIM", kind=Organisation.Kind.POLICE)
    coordination = CoordinationFactory(name="Zorgcoördinatie Amsterdam", region=amsterdam)
    desk = OrganisationFactory(name="Landelijke desk", kind=Organisation.Kind.NATIONAL_DESK)

    def offer(name, town, provider=shelter, free=2, address=ADDRESS, forms=(sexual,)):
        return OfferFactory(
            provider=provider,
            name=name,
            municipality=towns[town],
            address=address,
            total_places=5,
            free_places=free,
            forms=forms,
        )

    offers = {
        "maastricht": offer("Maastricht house", "maastricht", free=3),
        "amsterdam": offer("Amsterdam house", "amsterdam", free=1),
        "haarlem": offer("Haarlem house", "haarlem", address="Andere straat 9"),
        "other": offer("Shelter B house", "haarlem", provider=other_shelter, address="B-laan 3"),
        "labour": offer("Labour house", "amsterdam", forms=(labour,), free=4),
    }
    signal = SignalFactory(region=amsterdam, description="Vrouw in een kelder")
    coordinator = member_of(coordination, Role.COORDINATOR, email="coordinator@zc.test")
    grant_region_access(signal, region=amsterdam)
    return World(
        offers=offers,
        signal=signal,
        sexual=sexual,
        amsterdam=amsterdam,
        towns=towns,
        provider=member_of(shelter, Role.PROFESSIONAL, email="worker@shelter-a.test"),
        other_provider=member_of(other_shelter, Role.PROFESSIONAL, email="worker@shelter-b.test"),
        police=member_of(police, Role.PROFESSIONAL, email="agent@politie.test"),
        coordinator=coordinator,
        desk=member_of(desk, Role.PROFESSIONAL, email="desk@ld.test"),
    )


def signed_in(client, user):
    login_professional(client, user)
    return client


def detail_url(offer):
    return f"/pro/opvang/offers/{offer.public_id}/"


def find_url(signal):
    return f"/pro/opvang/find/{signal.public_id}/"


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    for url in [
        "/pro/opvang/",
        "/pro/opvang/offers/",
        detail_url(world.offers["amsterdam"]),
        find_url(world.signal),
        "/pro/opvang/national/",
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/pro/login/?next=")
        assert ADDRESS not in response.content.decode()


def test_provider_changes_free_places_with_one_tap(client, world):
    offer = world.offers["amsterdam"]
    signed_in(client, world.provider)
    page = client.get("/pro/opvang/offers/").content.decode()
    assert "Amsterdam house" in page and "Shelter B house" not in page

    response = client.post(f"{detail_url(offer)}places/", {"action": "plus"}, follow=True)
    assert "Amsterdam house: 2 of 5 places free." in response.content.decode()
    client.post(f"{detail_url(offer)}places/", {"action": "minus"})
    client.post(f"{detail_url(offer)}places/", {"action": "minus"})
    offer.refresh_from_db()
    assert offer.free_places == 0

    prefix = str(offer.public_id)
    client.post(f"{detail_url(offer)}places/", {"action": "set", f"{prefix}-free_places": "4"})
    offer.refresh_from_db()
    assert offer.free_places == 4


def test_too_many_free_places_is_refused_next_to_the_field(client, world):
    offer = world.offers["amsterdam"]
    signed_in(client, world.provider)
    prefix = str(offer.public_id)
    response = client.post(
        f"{detail_url(offer)}places/", {"action": "set", f"{prefix}-free_places": "9"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This offer has 5 places in total; free places cannot be more." in page
    assert 'value="9"' in page, "the typed number is kept"
    offer.refresh_from_db()
    assert offer.free_places == 1


def test_another_provider_cannot_change_or_edit_an_offer(client, world):
    offer = world.offers["amsterdam"]
    signed_in(client, world.other_provider)
    assert client.post(f"{detail_url(offer)}places/", {"action": "minus"}).status_code == 404
    assert client.get(f"{detail_url(offer)}edit/").status_code == 404
    offer.refresh_from_db()
    assert offer.free_places == 1


def test_provider_adds_an_offer_whose_region_follows_the_municipality(client, world):
    signed_in(client, world.provider)
    shelter = Organisation.objects.get(name="Shelter A")
    data = {
        "provider": shelter.pk,
        "name": "Crisis bed Haarlem",
        "kind": Offer.Kind.CRISIS,
        "municipality": world.towns["haarlem"].pk,
        "genders": ["female", "male"],
        "accepts_adults": "on",
        "forms": [world.sexual.pk],
        "languages": ["nl", "pl"],
        "address": "Nieuw adres 5",
        "total_places": "2",
        "free_places": "3",
        "is_active": "on",
    }
    response = client.post("/pro/opvang/offers/new/", data)
    assert response.status_code == 400
    assert "Free places cannot be more than the total places." in response.content.decode()

    data["free_places"] = "2"
    response = client.post("/pro/opvang/offers/new/", data)
    offer = Offer.objects.get(name="Crisis bed Haarlem")
    assert response["Location"] == detail_url(offer)
    assert offer.region.code == "VR12" and offer.languages == ["nl", "pl"]


@pytest.mark.parametrize("who", ["police", "other_provider"])
def test_police_and_other_providers_never_see_a_confidential_address(client, world, who):
    signed_in(client, getattr(world, who))
    overview = client.get("/pro/opvang/").content.decode()
    assert "Amsterdam house" in overview, "the overview itself is for every professional"
    assert ADDRESS not in overview
    detail = client.get(detail_url(world.offers["amsterdam"])).content.decode()
    assert "Amsterdam house" in detail and ADDRESS not in detail
    assert client.get(find_url(world.signal)).status_code == 404


def test_provider_sees_its_own_address_but_not_another_providers(client, world):
    signed_in(client, world.other_provider)
    assert "B-laan 3" in client.get(detail_url(world.offers["other"])).content.decode()
    overview = client.get("/pro/opvang/").content.decode()
    assert "B-laan 3" in overview and ADDRESS not in overview


def test_coordinator_overview_filters_and_shows_addresses(client, world):
    signed_in(client, world.coordinator)
    page = client.get("/pro/opvang/", {"form": world.sexual.pk}).content.decode()
    assert ADDRESS in page
    assert "Amsterdam house" in page and "Labour house" not in page
    page = client.get("/pro/opvang/", {"region": world.amsterdam.pk}).content.decode()
    assert "Labour house" in page and "Haarlem house" not in page


def test_coordinator_finds_a_place_and_the_provider_accepts(client, world):
    signed_in(client, world.coordinator)
    signal = world.signal
    signal.forms.add(world.sexual)
    start = client.get(find_url(signal)).content.decode()
    assert '<option value="sexual" selected>' in start, "the needs start from the signal"
    needs = {"gender": "female", "age": "adult", "form": "sexual"}
    page = client.get(find_url(signal), needs).content.decode()
    ranked = ["Amsterdam house", "Haarlem house", "Shelter B house", "Maastricht house"]
    positions = [page.index(name) for name in ranked]
    assert positions == sorted(positions), "own area first, then the nearest offers"
    assert "Labour house" not in page

    offer = world.offers["amsterdam"]
    response = client.post(
        f"{find_url(signal)}request/", {**needs, "offer": str(offer.public_id)}, follow=True
    )
    assert "The request was sent to Shelter A." in response.content.decode()
    request = PlacementRequest.objects.get()
    assert request.needs == {"gender": "female", "is_minor": False, "form": "sexual"}

    provider = english_client()
    signed_in(provider, world.provider)
    page = provider.get("/pro/opvang/requests/").content.decode()
    assert "Zorgcoördinatie Amsterdam" in page and "Sexual exploitation" in page
    assert "kelder" not in page, "the provider never reads the signal's description"
    response = provider.post(f"/pro/opvang/requests/{request.public_id}/accept/", follow=True)
    assert "Accepted. One free place fewer in Amsterdam house." in response.content.decode()
    offer.refresh_from_db()
    assert offer.free_places == 0
    assert SignalEvent.objects.filter(signal=signal, kind="placement").count() == 2

    page = client.get(find_url(signal), needs).content.decode()
    assert "Accepted" in page, "the placement shows for the signal"


def test_accepting_when_the_last_place_is_gone_gives_a_clear_message(client, world):
    signed_in(client, world.coordinator)
    offer = world.offers["amsterdam"]
    other_signal = SignalFactory(region=world.amsterdam)
    grant_region_access(other_signal, region=world.amsterdam)
    for signal in (world.signal, other_signal):
        client.post(f"{find_url(signal)}request/", {"offer": str(offer.public_id)})
    first, second = PlacementRequest.objects.order_by("pk")
    provider = english_client()
    signed_in(provider, world.provider)
    provider.post(f"/pro/opvang/requests/{first.public_id}/accept/")
    response = provider.post(f"/pro/opvang/requests/{second.public_id}/accept/", follow=True)
    assert "no free place left in this offer: the last place was just taken" in (
        response.content.decode()
    )
    offer.refresh_from_db()
    assert offer.free_places == 0


def test_decline_needs_a_reason_and_the_coordinator_sees_it(client, world):
    signed_in(client, world.coordinator)
    offer = world.offers["amsterdam"]
    client.post(f"{find_url(world.signal)}request/", {"offer": str(offer.public_id)})
    request = PlacementRequest.objects.get()
    provider = english_client()
    signed_in(provider, world.provider)
    url = f"/pro/opvang/requests/{request.public_id}/decline/"
    response = provider.post(url, {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    provider.post(url, {"reason": "No place for a child"})
    page = client.get("/pro/opvang/placements/").content.decode()
    assert "Declined" in page and "No place for a child" in page


def test_other_provider_cannot_answer_a_request(client, world):
    signed_in(client, world.coordinator)
    offer = world.offers["amsterdam"]
    client.post(f"{find_url(world.signal)}request/", {"offer": str(offer.public_id)})
    request = PlacementRequest.objects.get()
    signed_in(client, world.other_provider)
    assert client.post(f"/pro/opvang/requests/{request.public_id}/accept/").status_code == 404
    assert "Amsterdam house" not in client.get("/pro/opvang/requests/").content.decode()


def test_coordinator_of_another_region_cannot_find_a_place_for_the_signal(client, world):
    elsewhere = CoordinationFactory(name="Zorgcoördinatie Limburg")
    signed_in(client, member_of(elsewhere, Role.COORDINATOR, email="coordinator@limburg.test"))
    assert client.get(find_url(world.signal)).status_code == 404


def test_national_overview_for_the_national_desk_only(client, world):
    signed_in(client, world.police)
    assert client.get("/pro/opvang/national/").status_code == 404
    signed_in(client, world.desk)
    page = client.get("/pro/opvang/national/").content.decode()
    assert "Sexual exploitation" in page and "Labour exploitation" in page
    assert "No offer" in page, "Zuid-Limburg has no offer for labour exploitation"
    assert ADDRESS not in page
