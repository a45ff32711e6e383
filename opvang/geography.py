"""How far apart two places are, for ranking shelter offers by distance.

Positions are data: each municipality's point (`regions.Municipality.latitude/longitude`, loaded
from `regions/data/`), never a table of region centres in code. An offer is as far away as its
municipality; a signal is where its municipality is, or, without one, at the middle of its area's
municipalities. Moving a municipality to another area therefore changes no distance. Only a place
without a known position is "infinitely far": its offers still show, after the others.
"""

import math

EARTH_RADIUS_KM = 6371.0
Position = tuple[float, float]


def distance_km(origin: Position | None, destination: Position | None) -> float:
    """Straight-line distance in km; infinite when either position is unknown.

    An equirectangular projection: exact enough at the scale of the Netherlands, and only used to
    say which offer is nearer, never for travel times.
    """
    if origin is None or destination is None:
        return math.inf
    (lat1, lon1), (lat2, lon2) = origin, destination
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_KM * math.hypot(x, y)
