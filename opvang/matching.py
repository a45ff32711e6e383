"""Which offers fit a person's needs, best first. A pure function: no database, no clock.

Order of the result (and why):
1. availability: free places confirmed within 24 hours, then free but stale (probably a place,
   call first), then full. A full offer nearby helps less than a free one an area further.
2. within each: offers in the person's own area first (its coordinator arranges the care there),
   then the nearest, by the distance from where it happened to the offer's municipality (see
   `opvang.geography`: positions are data, so remapping an area changes no distance);
3. then more free places first, then by name, so the order is stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .geography import Position, distance_km

FRESH, STALE, FULL = 0, 1, 2


@dataclass(frozen=True)
class Needs:
    """What the person needs (behoeften). None or empty means "no requirement"."""

    gender: str = ""
    is_minor: bool | None = None
    language: str = ""
    form: str = ""
    kind: str = ""
    with_children: bool = False
    wheelchair: bool = False
    secure_address: bool = False


@dataclass(frozen=True)
class OfferFacts:
    """What the matching needs to know about one offer; `offer` carries the model along."""

    name: str
    kind: str
    region_code: str
    genders: frozenset[str]
    accepts_adults: bool
    accepts_minors: bool
    forms: frozenset[str]
    languages: frozenset[str]
    accepts_children: bool
    wheelchair_access: bool
    secure_address: bool
    free_places: int
    is_stale: bool
    position: Position | None = None
    offer: Any = field(default=None, compare=False)

    @property
    def availability(self) -> int:
        if self.free_places <= 0:
            return FULL
        return STALE if self.is_stale else FRESH


def fits(needs: Needs, offer: OfferFacts) -> bool:
    """True when the offer meets every need that was given."""
    age_fits = needs.is_minor is None or (
        offer.accepts_minors if needs.is_minor else offer.accepts_adults
    )
    checks = [
        not needs.gender or needs.gender in offer.genders,
        age_fits,
        not needs.language or needs.language in offer.languages,
        not needs.form or needs.form in offer.forms,
        not needs.kind or needs.kind == offer.kind,
        not needs.with_children or offer.accepts_children,
        not needs.wheelchair or offer.wheelchair_access,
        not needs.secure_address or offer.secure_address,
    ]
    return all(checks)


def rank_offers(
    needs: Needs,
    offers: Iterable[OfferFacts],
    home_region: str | None,
    home_position: Position | None,
) -> list[OfferFacts]:
    """The offers that fit `needs`, ranked (see the module docstring)."""
    fitting = [offer for offer in offers if fits(needs, offer)]
    return sorted(
        fitting,
        key=lambda offer: (
            offer.availability,
            offer.region_code != home_region,
            distance_km(home_position, offer.position),
            -offer.free_places,
            offer.name,
        ),
    )
