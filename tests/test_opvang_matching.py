"""The matching of a person's needs to offers: a pure function, tested with plain objects."""

import math

import pytest

from opvang.geography import distance_km
from opvang.matching import Needs, OfferFacts, fits, rank_offers

# Municipality positions as regions/data/municipalities_2025.csv gives them (rounded).
AMSTERDAM, HAARLEM, MAASTRICHT = (52.37, 4.89), (52.38, 4.64), (50.85, 5.69)
GRONINGEN, UTRECHT, ROTTERDAM = (53.22, 6.56), (52.09, 5.12), (51.92, 4.48)
HOMES = {"AMS": AMSTERDAM, "LZ": MAASTRICHT, "MNL": UTRECHT, None: None}


def offer(name, region="AMS", position=AMSTERDAM, **overrides) -> OfferFacts:
    facts = {
        "name": name,
        "kind": "cosm",
        "region_code": region,
        "position": position,
        "genders": frozenset({"female"}),
        "accepts_adults": True,
        "accepts_minors": False,
        "forms": frozenset({"sexual"}),
        "languages": frozenset({"nl", "en"}),
        "accepts_children": False,
        "wheelchair_access": False,
        "secure_address": False,
        "free_places": 2,
        "is_stale": False,
    }
    facts.update(overrides)
    return OfferFacts(**facts)


AMSTERDAM_WOMEN = offer("Amsterdam women")
AMSTERDAM_FULL = offer("Amsterdam full", free_places=0)
AMSTERDAM_STALE = offer("Amsterdam stale", is_stale=True)
HAARLEM_WOMEN = offer("Haarlem women", region="NH", position=HAARLEM)
MAASTRICHT_WOMEN = offer("Maastricht women", region="LZ", position=MAASTRICHT)
GRONINGEN_SECURE = offer(
    "Groningen secure",
    region="GRO",
    position=GRONINGEN,
    secure_address=True,
    accepts_children=True,
)
UTRECHT_MEN_LABOUR = offer(
    "Utrecht men labour",
    region="MNL",
    position=UTRECHT,
    genders=frozenset({"male"}),
    forms=frozenset({"labour"}),
    languages=frozenset({"pl", "ro"}),
    wheelchair_access=True,
)
ROTTERDAM_YOUTH = offer(
    "Rotterdam youth",
    region="RTM",
    position=ROTTERDAM,
    kind="youth_care",
    accepts_adults=False,
    accepts_minors=True,
    genders=frozenset({"female", "male"}),
    forms=frozenset({"sexual", "criminal"}),
)
NATIONAL_ELSEWHERE = offer("Unmapped region", region="XX99", position=None)

ALL = [
    MAASTRICHT_WOMEN,
    AMSTERDAM_FULL,
    NATIONAL_ELSEWHERE,
    HAARLEM_WOMEN,
    AMSTERDAM_STALE,
    GRONINGEN_SECURE,
    UTRECHT_MEN_LABOUR,
    ROTTERDAM_YOUTH,
    AMSTERDAM_WOMEN,
]


@pytest.mark.parametrize(
    ("needs", "home", "expected"),
    [
        pytest.param(
            Needs(gender="female", is_minor=False, form="sexual"),
            "AMS",
            [
                "Amsterdam women",  # own area, free and fresh
                "Haarlem women",  # nearest
                "Groningen secure",
                "Maastricht women",  # farthest
                "Unmapped region",  # unknown position: last of the fresh ones
                "Amsterdam stale",  # free but not confirmed in 24 hours
                "Amsterdam full",  # full: last, although in the own area
            ],
            id="woman-sexual-exploitation-in-amsterdam",
        ),
        pytest.param(
            Needs(gender="female", is_minor=False, form="sexual"),
            "LZ",
            [
                "Maastricht women",
                "Amsterdam women",
                "Haarlem women",
                "Groningen secure",
                "Unmapped region",
                "Amsterdam stale",
                "Amsterdam full",
            ],
            id="same-needs-from-zuid-limburg",
        ),
        pytest.param(
            Needs(gender="female", secure_address=True, with_children=True),
            "AMS",
            ["Groningen secure"],
            id="secure-address-with-children",
        ),
        pytest.param(
            Needs(gender="male", form="labour", language="pl", wheelchair=True),
            "AMS",
            ["Utrecht men labour"],
            id="polish-man-labour-wheelchair",
        ),
        pytest.param(
            Needs(gender="male", form="labour", language="bg"),
            "MNL",
            [],
            id="no-offer-speaks-the-language",
        ),
        pytest.param(
            Needs(is_minor=True, form="criminal"),
            "AMS",
            ["Rotterdam youth"],
            id="minor-criminal-exploitation",
        ),
        pytest.param(
            Needs(is_minor=True, kind="cosm"),
            "AMS",
            [],
            id="adults-only-offers-never-fit-a-minor",
        ),
        pytest.param(
            Needs(gender="female", is_minor=False, form="sexual", language="en"),
            None,
            [
                "Amsterdam women",
                "Groningen secure",
                "Haarlem women",
                "Maastricht women",
                "Unmapped region",
                "Amsterdam stale",
                "Amsterdam full",
            ],
            id="no-home-area-by-free-places-then-name",
        ),
    ],
)
def test_needs_and_offers_give_the_ranked_list(needs, home, expected):
    ranked = rank_offers(needs, ALL, home, HOMES[home])
    assert [match.name for match in ranked] == expected


def test_more_free_places_first_between_equally_near_offers():
    small = offer("Small", free_places=1)
    large = offer("Large", free_places=5)
    ranked = rank_offers(Needs(), [small, large], "AMS", AMSTERDAM)
    assert [match.name for match in ranked] == ["Large", "Small"]


def test_an_offer_in_another_area_keeps_its_distance():
    """Distances follow positions, not area codes: an offer whose area code nobody knows (an
    area renamed or remapped) is as near as before, never infinitely far."""
    remapped = offer("Haarlem women", region="SOMEWHERE-NEW", position=HAARLEM)
    ranked = rank_offers(Needs(), [MAASTRICHT_WOMEN, remapped], "AMS", AMSTERDAM)
    assert [match.name for match in ranked] == ["Haarlem women", "Maastricht women"]


def test_every_empty_need_fits_every_offer():
    assert all(fits(Needs(), candidate) for candidate in ALL)


def test_distance_km():
    assert distance_km(AMSTERDAM, AMSTERDAM) == 0
    assert distance_km(AMSTERDAM, HAARLEM) < distance_km(AMSTERDAM, MAASTRICHT)
    assert 150 < distance_km(AMSTERDAM, MAASTRICHT) < 250
    assert distance_km(None, AMSTERDAM) == math.inf
    assert distance_km(AMSTERDAM, None) == math.inf
