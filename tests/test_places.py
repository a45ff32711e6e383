"""Places as people name them: one lookup (regions.places) for the public form, the professional
form and the API, on the data of regions/data/ as `manage.py load_regions` loads it."""

import re

import pytest
from django.test import Client

from organisations.models import Membership, Organisation
from regions import places
from regions.models import Municipality, Place
from signals.models import Signal
from tests.helpers import address_of_its_own, description_only_intake, member_of, signed_in
from triage.services import triage_signal

pytestmark = pytest.mark.django_db

REPORT = "/en/report/"
STEPS = ["when", "who", "kind", "signs", "danger", "photos", "contact"]
CODE_PATTERN = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}\b")

DEN_HAAG, DEN_BOSCH, MIDDELBURG = "GM0518", "GM0796", "GM0687"
SUDWEST_FRYSLAN, WESTLAND = "GM1900", "GM1783"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Den Haag", DEN_HAAG),
        ("den  haag", DEN_HAAG),
        ("'s-Gravenhage", DEN_HAAG),
        ("Scheveningen", DEN_HAAG),
        ("Den Bosch", DEN_BOSCH),
        ("'s-Hertogenbosch", DEN_BOSCH),
        ("s Hertogenbosch", DEN_BOSCH),
        ("Middelburg", MIDDELBURG),
        ("Middelburg (Z.)", MIDDELBURG),
        ("Súdwest-Fryslân", SUDWEST_FRYSLAN),
        ("Sudwest Fryslan", SUDWEST_FRYSLAN),
        ("SUDWEST-FRYSLAN", SUDWEST_FRYSLAN),
        ("Naaldwijk", WESTLAND),
        ("naaldwijk ", WESTLAND),
        ("Hengelo (Gld)", "GM1876"),
        ("Bergen (NH)", "GM0373"),
        ("Sint Annaparochie", "GM1949"),
        ("2671", WESTLAND),
        ("2671 AB", WESTLAND),
    ],
)
def test_common_names_and_spellings_find_their_municipality(reference_data, typed, code):
    result = places.lookup(typed)
    assert result.outcome is places.Outcome.FOUND, [c.label for c in result.candidates]
    assert result.municipality.code == code


@pytest.mark.parametrize(
    "typed", ["The Hague", "La Haye", "La Haya", "Haga", "Hága", "Lahey", "Гаага", "لاهاي", "海牙"]
)
def test_the_largest_cities_are_found_by_their_names_in_other_languages(reference_data, typed):
    assert places.find_municipality(typed).code == DEN_HAAG


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("Bergen", {"GM0373", "GM0893"}),  # Noord-Holland, Limburg
        ("Hengelo", {"GM0164", "GM1876"}),  # Hengelo (O.), Hengelo in Bronckhorst
        ("Rijswijk", {"GM0603", "GM0214", "GM1959"}),  # Zuid-Holland, Buren, Altena
        ("Laren", {"GM0417", "GM0262"}),  # Laren (NH.), Laren in Lochem
        ("Beek", {"GM0888", "GM1945", "GM1955"}),
        ("Stein", {"GM0971", "GM1931"}),  # Stein (L.), Stein in Krimpenerwaard
    ],
)
def test_a_shared_name_asks_which_one_is_meant(reference_data, typed, codes):
    result = places.lookup(typed)
    assert result.outcome is places.Outcome.AMBIGUOUS
    found = {candidate.municipality.code for candidate in result.candidates}
    assert codes <= found
    assert result.municipality is None
    assert all(candidate.label for candidate in result.candidates)
    picked = sorted(codes)[0]
    assert places.find_municipality(typed, choice=picked).code == picked
    assert places.find_municipality(typed, choice="GM0363") is None


def test_unknown_and_empty_input(reference_data):
    assert places.lookup("Atlantis").outcome is places.Outcome.UNKNOWN
    assert places.lookup("1000").outcome is places.Outcome.UNKNOWN  # no such postcode
    assert places.lookup("   ").outcome is places.Outcome.EMPTY
    assert places.lookup("\x00'-.,").outcome is places.Outcome.UNKNOWN


def test_keys_ignore_case_accents_punctuation_and_what_tells_namesakes_apart():
    typographic = "\u2019s-Hertogenbosch"  # with a right single quotation mark
    assert places.place_key(typographic) == places.place_key("S HERTOGENBOSCH")
    assert places.place_key("Súdwest-Fryslân") == "sudwest fryslan"
    assert places.bare_key("Bergen (NH.)") == places.bare_key("Bergen L") == "bergen"
    assert places.bare_key("Alteveer gem Hoogeveen") == "alteveer"
    assert places.bare_key("'t Harde") == "harde"
    assert places.place_key("St.-Annaparochie") == "sint annaparochie"


def test_every_bag_woonplaats_maps_to_one_of_the_342_municipalities(reference_data):
    woonplaatsen = Place.objects.filter(kind=Place.Kind.WOONPLAATS)
    assert woonplaatsen.count() == 2501
    assert set(woonplaatsen.values_list("municipality", flat=True)) == set(
        Municipality.objects.values_list("pk", flat=True)
    )


def test_the_admins_place_name_is_found_and_kept_on_reload(reference_data):
    from regions.services import load_regions

    westland = Municipality.objects.get(code=WESTLAND)
    Place.objects.create(name="Het Westland", municipality=westland, kind=Place.Kind.COMMON)
    assert places.find_municipality("het westland") == westland
    load_regions()
    assert Place.objects.filter(name="Het Westland").exists()


# The public form, without JavaScript


@pytest.fixture
def reporter():
    return Client(REMOTE_ADDR=address_of_its_own())


def _post(client, step, action="next", **data):
    return client.post(REPORT, {"step": step, "action": action, **data})


def _finish(client) -> str:
    for step in STEPS:
        _post(client, step)
    page = client.get(REPORT).content.decode()
    token = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    response = _post(client, "check", action="send", receipt=token)
    return CODE_PATTERN.search(response.content.decode()).group(0)


def test_the_where_step_offers_places_and_asks_which_hengelo(reporter, reference_data):
    _post(reporter, "what", description="Workers sleep in the greenhouse")
    page = reporter.get(REPORT).content.decode()
    assert '<option value="Naaldwijk">' in page, (
        "the datalist offers places, not just municipalities"
    )

    response = _post(reporter, "where", place="municipality", municipality="Hengelo")
    page = response.content.decode()
    assert response.status_code == 200, "the step is shown again"
    assert "There is more than one “Hengelo”" in page
    assert 'value="Hengelo"' in page, "the typed name is kept"
    assert 'type="radio" name="which" value="GM1876"' in page
    assert 'type="radio" name="which" value="GM0164"' in page

    response = _post(
        reporter, "where", place="municipality", municipality="Hengelo", which="GM1876"
    )
    assert response.status_code == 302
    page = reporter.get(REPORT + "?step=where", follow=True).content.decode()
    assert 'value="Hengelo"' in page
    _post(reporter, "where", place="municipality", municipality="Hengelo", which="GM1876")
    _finish(reporter)
    signal = Signal.objects.get()
    assert signal.municipality.code == "GM1876"
    assert signal.location_kind == Signal.LocationKind.MUNICIPALITY


def test_a_choice_that_does_not_belong_to_the_name_is_refused(reporter, reference_data):
    _post(reporter, "what", description="Seen at the station")
    response = _post(reporter, "where", place="municipality", municipality="Laren", which="GM0363")
    assert response.status_code == 200
    assert "There is more than one “Laren”" in response.content.decode()


def test_naaldwijk_reaches_westlands_area_and_its_coordinator(reporter, reference_data):
    """The Polish seasonal worker's report: Naaldwijk, in Westland, routed to the coordinator of
    "Politieregio Den Haag en Hollands Midden"."""
    shop = Organisation.objects.create(name="SHOP", kind=Organisation.Kind.COORDINATOR)
    westland = Municipality.objects.get(code=WESTLAND)
    shop.regions.add(westland.region)
    coordinator = member_of(shop, Membership.Role.COORDINATOR)

    reporter.post("/pl/report/", {"step": "what", "description": "Pracujemy 16 godzin dziennie"})
    reporter.post(
        "/pl/report/", {"step": "where", "place": "municipality", "municipality": "Naaldwijk"}
    )
    for step in STEPS:
        reporter.post("/pl/report/", {"step": step})
    page = reporter.get("/pl/report/").content.decode()
    token = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    reporter.post("/pl/report/", {"step": "check", "action": "send", "receipt": token})

    signal = Signal.objects.get()
    assert signal.municipality == westland
    triage_signal(signal.pk)
    signal.refresh_from_db()
    assert signal.region.code == "DHHM"
    assert westland.region.name == "Politieregio Den Haag en Hollands Midden"
    assert signed_in(coordinator).get(f"/pro/queue/{signal.public_id}/").status_code == 200


# The professional form and the API use the same lookup


def _intake_with_location(organisation, municipality: str, **address) -> dict:
    data = description_only_intake(organisation, "Arbeiders slapen in de kas")
    data.update(
        {
            "locations-TOTAL_FORMS": "1",
            "locations-0-kind": "workplace",
            "locations-0-municipality": municipality,
            **{f"locations-0-{name}": value for name, value in address.items()},
        }
    )
    return data


def test_the_professional_form_finds_places_and_lists_a_shared_names_municipalities(
    reference_data,
):
    police = Organisation.objects.create(name="Politie", kind=Organisation.Kind.POLICE)
    client = signed_in(member_of(police, Membership.Role.PROFESSIONAL))

    response = client.post("/pro/signals/new/", _intake_with_location(police, "Bergen"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "“Bergen” is in more than one municipality" in page
    assert "Bergen (Noord-Holland)" in page and "Bergen (Limburg)" in page

    response = client.post("/pro/signals/new/", _intake_with_location(police, "Naaldwijk"))
    assert response.status_code == 302
    assert Signal.objects.get().locations.get().municipality.code == WESTLAND


def test_the_professional_form_takes_the_municipality_from_the_address(reference_data):
    police = Organisation.objects.create(name="Politie", kind=Organisation.Kind.POLICE)
    client = signed_in(member_of(police, Membership.Role.PROFESSIONAL))
    data = _intake_with_location(police, "", city="Den Haag", postcode="2591 AB")
    assert client.post("/pro/signals/new/", data).status_code == 302
    assert Signal.objects.get().municipality.code == DEN_HAAG


def test_the_api_looks_places_up_and_reports_with_a_place_name(reference_data):
    client = Client(REMOTE_ADDR=address_of_its_own())
    found = client.get("/api/v1/places/", {"q": "Den Bosch"}).json()
    assert found["outcome"] == "found"
    assert found["candidates"][0]["municipality"] == DEN_BOSCH
    assert found["candidates"][0]["region"] == "DBS"
    shared = client.get("/api/v1/places/", {"q": "Laren"}).json()
    assert shared["outcome"] == "ambiguous"
    assert {"GM0417", "GM0262"} <= {row["municipality"] for row in shared["candidates"]}

    report = {"description": "Mensen in een loods", "location_kind": "municipality"}
    response = client.post(
        "/api/v1/signals/public/", {**report, "place": "Laren"}, "application/json"
    )
    assert response.status_code == 400
    assert "GM0417" in str(response.json())
    response = client.post(
        "/api/v1/signals/public/", {**report, "place": "Naaldwijk"}, "application/json"
    )
    assert response.status_code == 201
    assert Signal.objects.get().municipality.code == WESTLAND
