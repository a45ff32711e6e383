"""Queries on coordinator areas, municipalities and their published contacts.

Finding a municipality from what someone typed is `regions.places`.
"""

from django.db.models import Q, QuerySet

from .models import AreaContact, Municipality, Region


def national_desk() -> Region:
    return Region.objects.get(kind=Region.Kind.NATIONAL_DESK)


def coordinator_areas() -> QuerySet[Region]:
    """The active coordinator areas, without the national desk."""
    return Region.objects.filter(is_active=True, kind=Region.Kind.REGIONAL).order_by("name")


def municipality_by_code(code: str) -> Municipality | None:
    return Municipality.objects.filter(code=code).select_related("region", "province").first()


def area_contacts(region: Region | None) -> QuerySet[AreaContact]:
    """What the overview of zorgcoördinatoren publishes for `region`; without a region, the
    national coordination (CoMensha) that covers areas without a coordinator."""
    return AreaContact.objects.filter(region=region).order_by("order", "organisation")


def published_contacts(region: Region) -> tuple[list[AreaContact], bool]:
    """The contacts to show for an area, and whether they are the remote coordination's: an area
    without a published coordinator of its own shows CoMensha's (the contact without an area).
    The national desk publishes none."""
    own = list(area_contacts(region))
    if own or region.is_national_desk:
        return own, False
    return list(area_contacts(None)), True


def area_contacts_by_region(regions: list[Region]) -> dict[int | None, list[AreaContact]]:
    """`area_contacts` of several regions in one query, by region id; under None the remote
    coordination's (CoMensha), for the areas without a contact of their own."""
    contacts: dict[int | None, list[AreaContact]] = {}
    rows = AreaContact.objects.filter(Q(region__in=regions) | Q(region=None)).order_by(
        "order", "organisation"
    )
    for contact in rows:
        contacts.setdefault(contact.region_id, []).append(contact)
    return contacts


def area_position(region: Region) -> tuple[float, float] | None:
    """The middle of an area's municipalities, for distances from a signal that has an area but
    no municipality (the national desk and areas without municipalities have none)."""
    points = list(
        region.municipalities.exclude(latitude=None)
        .exclude(longitude=None)
        .values_list("latitude", "longitude")
    )
    if not points:
        return None
    return (
        sum(lat for lat, _lon in points) / len(points),
        sum(lon for _lat, lon in points) / len(points),
    )
