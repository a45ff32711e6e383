"""Queries on regions and municipalities."""

from .models import Region


def national_desk() -> Region:
    return Region.objects.get(kind=Region.Kind.NATIONAL_DESK)
