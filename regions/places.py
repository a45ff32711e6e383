"""Finding a place as people name it: the one lookup of the public funnel, the professional form
and the API.

A reporter types "Den Haag", "naaldwijk", "Sudwest Fryslan", "Гаага" or "2671"; this module finds
the municipality (gemeente) behind it, or the few it could be when the name is shared ("Hengelo",
"Bergen"), so that the form can ask which one is meant. The names are data (`regions.Place`,
`regions.Postcode`, loaded from `regions/data/` by `manage.py load_regions`); this module only
normalises and matches.

Matching ignores case, accents and punctuation (`place_key`). It also ignores what CBS and the BAG
add to tell places apart, such as "(NH.)", " L" or "gem Hoogeveen" (`bare_key`), unless the
reporter typed such an addition: "Bergen" asks which Bergen, "Bergen (NH)" does not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from django.utils.translation import gettext as _

from .models import Municipality, Place, Postcode

# What the BAG and CBS add after a place name to tell it apart from a namesake elsewhere.
_DISAMBIGUATING_TOKENS = frozenset({"l", "nb", "gld", "nh", "gn", "ut", "zh", "o", "z", "ac", "ca"})
_ARTICLES = frozenset({"s", "t"})
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
_MUNICIPALITY_SUFFIX = re.compile(r"\bgem\b.*$")
POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*(?:[a-zA-Z]{2})?\s*$")


def place_key(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: "'s-Hertogenbosch" and
    "s hertogenbosch" get the same key, as do "Súdwest-Fryslân" and "sudwest fryslan"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    words = re.sub(r"[\W_]+", " ", plain).split()
    # "St. Annaparochie" and "Sint Annaparochie" are the same place.
    return " ".join("sint" if word == "st" else word for word in words)


def bare_key(text: str) -> str:
    """The key without the additions that tell namesakes apart and without a leading article:
    "Bergen (NH.)", "Bergen L" and "Bergen" all give "bergen"; "'t Harde" gives "harde"."""
    key = place_key(_PARENTHESIS.sub("", text))
    key = _MUNICIPALITY_SUFFIX.sub("", key).strip()
    words = key.split()
    if len(words) > 1 and words[-1] in _DISAMBIGUATING_TOKENS:
        words = words[:-1]
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


class Outcome(Enum):
    EMPTY = "empty"
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Candidate:
    """A municipality a name may mean, with the name as it matched."""

    municipality: Municipality
    place: str

    @property
    def label(self) -> str:
        """How a choice reads: "Hengelo, municipality of Bronckhorst (Gelderland)"."""
        municipality = display_name(self.municipality)
        province = self.municipality.province.name if self.municipality.province_id else ""
        if bare_key(self.place) == bare_key(municipality) and province:
            return _("%(municipality)s (%(province)s)") % {
                "municipality": municipality,
                "province": province,
            }
        if province:
            return _("%(place)s, municipality of %(municipality)s (%(province)s)") % {
                "place": self.place,
                "municipality": municipality,
                "province": province,
            }
        return _("%(place)s, municipality of %(municipality)s") % {
            "place": self.place,
            "municipality": municipality,
        }


@dataclass(frozen=True)
class Lookup:
    outcome: Outcome
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def municipality(self) -> Municipality | None:
        return self.candidates[0].municipality if self.outcome is Outcome.FOUND else None

    def choice(self, code: str) -> Municipality | None:
        """The candidate with CBS code `code`, when the reporter picked one of an ambiguous name."""
        return next((c.municipality for c in self.candidates if c.municipality.code == code), None)


def display_name(municipality: Municipality) -> str:
    """The municipality's name without CBS's province suffix: "Bergen (NH.)" reads "Bergen"."""
    return _PARENTHESIS.sub("", municipality.name)


def lookup(text: str) -> Lookup:
    """The municipality a typed place name, municipality name or four-digit postcode means.

    Names of municipalities, BAG places (woonplaatsen), common names and large districts are
    tried first; other hamlets and the big cities' names in other languages only when nothing
    else matches, so that a foreign name never competes with a Dutch place.
    """
    text = (text or "").strip()
    if not text:
        return Lookup(Outcome.EMPTY)
    postcode = POSTCODE.match(text)
    if postcode:
        rows = Postcode.objects.filter(postcode=postcode.group(1)).select_related(
            "municipality__region", "municipality__province"
        )
        return _outcome([Candidate(row.municipality, row.postcode) for row in rows])
    key, bare = place_key(text), bare_key(text)
    if not key:
        return Lookup(Outcome.UNKNOWN)
    places = Place.objects.select_related("municipality__province", "municipality__region")
    for rank in (Place.Rank.PRIMARY, Place.Rank.SECONDARY):
        ranked = places.filter(rank=rank)
        exact = list(ranked.filter(key=key))
        if bare != key and exact:
            # The reporter typed what tells namesakes apart ("Bergen (NH)"): take their word.
            return _outcome(_candidates(exact))
        matches = exact + list(ranked.filter(bare_key=bare).exclude(key=key))
        if matches:
            return _outcome(_candidates(matches))
    return Lookup(Outcome.UNKNOWN)


def _candidates(places: list[Place]) -> list[Candidate]:
    """One candidate per municipality, named as the place that matched best (its own name when
    the municipality itself matched)."""
    by_municipality: dict[str, Candidate] = {}
    for place in sorted(places, key=lambda p: (p.kind != Place.Kind.MUNICIPALITY, p.name)):
        by_municipality.setdefault(
            place.municipality.code, Candidate(place.municipality, place.name)
        )
    return sorted(by_municipality.values(), key=lambda c: (c.label.casefold(), c.municipality.code))


def _outcome(candidates: list[Candidate]) -> Lookup:
    if not candidates:
        return Lookup(Outcome.UNKNOWN)
    outcome = Outcome.FOUND if len(candidates) == 1 else Outcome.AMBIGUOUS
    return Lookup(outcome, tuple(candidates))


def find_municipality(text: str, *, choice: str = "") -> Municipality | None:
    """The one municipality `text` means (with `choice`, a CBS code, for an ambiguous name)."""
    result = lookup(text)
    if result.outcome is Outcome.AMBIGUOUS and choice:
        return result.choice(choice)
    return result.municipality


def suggestions() -> list[str]:
    """The names offered while typing (an HTML datalist): municipalities and BAG places."""
    return list(
        Place.objects.filter(rank=Place.Rank.PRIMARY)
        .exclude(kind=Place.Kind.DISTRICT)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
