"""The matching of a person's needs to offers: a pure function, tested with plain objects."""

import math

import pytest

from opvang.geography import region_distance
from opvang.matching import Needs, OfferFacts, fits, rank_offers


def offer(name, region="VR13", **overrides) -> OfferFacts:
    facts = {
        "name": name,
        "kind": "cosm",
        "region_code": region,
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
HAARLEM_WOMEN = offer("Haarlem women", region="VR12")
MAASTRICHT_WOMEN = offer("Maastricht women", region="VR24")
GRONINGEN_SECURE = offer(
    "Groningen secure", region="VR01", secure_address=True, accepts_children=True
)
UTRECHT_MEN_LABOUR = offer(
    "Utrecht men labour",
    region="VR09",
    genders=frozenset({"male"}),
    forms=frozenset({"labour"}),
    languages=frozenset({"pl", "ro"}),
    wheelchair_access=True,
)
ROTTERDAM_YOUTH = offer(
    "Rotterdam youth",
    region="VR17",
    kind="youth_care",
    accepts_adults=False,
    accepts_minors=True,
    genders=frozenset({"female", "male"}),
    forms=frozenset({"sexual", "criminal"}),
)
NATIONAL_ELSEWHERE = offer("Unmapped region", region="XX99")

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
            "VR13",
            [
                "Amsterdam women",  # own region, free and fresh
                "Haarlem women",  # nearest region
                "Groningen secure",
                "Maastricht women",  # farthest Dutch region
                "Unmapped region",  # unknown position: last of the fresh ones
                "Amsterdam stale",  # free but not confirmed in 24 hours
                "Amsterdam full",  # full: last, although in the own region
            ],
            id="woman-sexual-exploitation-in-amsterdam",
        ),
        pytest.param(
            Needs(gender="female", is_minor=False, form="sexual"),
            "VR24",
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
            "VR13",
            ["Groningen secure"],
            id="secure-address-with-children",
        ),
        pytest.param(
            Needs(gender="male", form="labour", language="pl", wheelchair=True),
            "VR13",
            ["Utrecht men labour"],
            id="polish-man-labour-wheelchair",
        ),
        pytest.param(
            Needs(gender="male", form="labour", language="bg"),
            "VR09",
            [],
            id="no-offer-speaks-the-language",
        ),
        pytest.param(
            Needs(is_minor=True, form="criminal"),
            "VR13",
            ["Rotterdam youth"],
            id="minor-criminal-exploitation",
        ),
        pytest.param(
            Needs(is_minor=True, kind="cosm"),
            "VR13",
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
            id="no-home-region-by-free-places-then-name",
        ),
    ],
)
def test_needs_and_offers_give_the_ranked_list(needs, home, expected):
    ranked = rank_offers(needs, ALL, home, region_distance)
    assert [match.name for match in ranked] == expected


def test_more_free_places_first_between_equally_near_offers():
    small = offer("Small", free_places=1)
    large = offer("Large", free_places=5)
    ranked = rank_offers(Needs(), [small, large], "VR13", region_distance)
    assert [match.name for match in ranked] == ["Large", "Small"]


def test_every_empty_need_fits_every_offer():
    assert all(fits(Needs(), candidate) for candidate in ALL)


def test_region_distance():
    assert region_distance("VR13", "VR13") == 0
    assert region_distance("VR13", "VR12") < region_distance("VR13", "VR24")
    assert 150 < region_distance("VR13", "VR24") < 250
    assert region_distance("LD", "VR13") == math.inf
    assert region_distance(None, "VR13") == math.inf
