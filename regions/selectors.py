"""Queries on regions and municipalities."""

from .models import Municipality, Region


def national_desk() -> Region:
    return Region.objects.get(kind=Region.Kind.NATIONAL_DESK)


def municipality_names() -> list[str]:
    return list(Municipality.objects.order_by("name").values_list("name", flat=True))


def municipality_named(name: str) -> Municipality | None:
    """The municipality with this name, ignoring case and surrounding spaces."""
    return Municipality.objects.filter(name__iexact=name.strip()).first()
