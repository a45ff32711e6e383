"""How near two coordinator regions are, for ranking offers outside the person's own region.

Regions are data, but their rough position is not kept in the database, so this module holds an
approximate centre (latitude, longitude, one or two decimals) for each of the 25 veiligheidsregio's
that `regions/data/regions.csv` loads (VR01-VR25). The centres were read off a general map of the
Netherlands (the main towns of each region); they are only good for "which region is nearer",
never for travel times. A region not in this table (the national desk, or one the functional
admin added later) is treated as farthest away, so its offers still show, after the others.
"""

import math

REGION_CENTRES: dict[str, tuple[float, float]] = {
    "VR01": (53.25, 6.70),  # Groningen
    "VR02": (53.10, 5.80),  # Fryslân
    "VR03": (52.85, 6.60),  # Drenthe
    "VR04": (52.50, 6.20),  # IJsselland
    "VR05": (52.30, 6.75),  # Twente
    "VR06": (52.15, 6.20),  # Noord- en Oost-Gelderland
    "VR07": (52.00, 5.80),  # Gelderland-Midden
    "VR08": (51.85, 5.60),  # Gelderland-Zuid
    "VR09": (52.08, 5.15),  # Utrecht
    "VR10": (52.75, 4.85),  # Noord-Holland Noord
    "VR11": (52.50, 4.90),  # Zaanstreek-Waterland
    "VR12": (52.38, 4.60),  # Kennemerland
    "VR13": (52.33, 4.88),  # Amsterdam-Amstelland
    "VR14": (52.25, 5.15),  # Gooi en Vechtstreek
    "VR15": (52.05, 4.30),  # Haaglanden
    "VR16": (52.10, 4.60),  # Hollands Midden
    "VR17": (51.90, 4.30),  # Rotterdam-Rijnmond
    "VR18": (51.80, 4.75),  # Zuid-Holland Zuid
    "VR19": (51.45, 3.80),  # Zeeland
    "VR20": (51.60, 4.75),  # Midden- en West-Brabant
    "VR21": (51.70, 5.40),  # Brabant-Noord
    "VR22": (51.45, 5.50),  # Brabant-Zuidoost
    "VR23": (51.35, 6.05),  # Limburg-Noord
    "VR24": (50.90, 5.85),  # Zuid-Limburg
    "VR25": (52.50, 5.50),  # Flevoland
}
EARTH_RADIUS_KM = 6371.0


def region_distance(from_code: str | None, to_code: str) -> float:
    """Straight-line distance in km between two regions' centres; 0 for the same region.

    Unknown regions are infinitely far, so they sort last but are not dropped.
    """
    if from_code == to_code:
        return 0.0
    if from_code not in REGION_CENTRES or to_code not in REGION_CENTRES:
        return math.inf
    (lat1, lon1), (lat2, lon2) = REGION_CENTRES[from_code], REGION_CENTRES[to_code]
    # Equirectangular projection: exact enough at the scale of the Netherlands.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_KM * math.hypot(x, y)
