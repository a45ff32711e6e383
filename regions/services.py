"""Changes to regions and municipalities."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA_DIR / "regions.csv"
MUNICIPALITIES_FILE = DATA_DIR / "municipalities_2025.csv"
NATIONAL_DESK_CODE = "LD"
NATIONAL_DESK_NAME = _("National desk")


@dataclass
class LoadReport:
    regions_created: int = 0
    regions_updated: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    municipalities_moved: int = 0

    @property
    def changed(self) -> bool:
        return any(vars(self).values())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_regions(
    regions_file: Path = REGIONS_FILE,
    municipalities_file: Path = MUNICIPALITIES_FILE,
    *,
    reset_mapping: bool = False,
) -> LoadReport:
    """Load the regions, the national desk and the municipalities from the data files.

    Idempotent: a second run changes nothing. Names follow the file. A municipality that already
    exists keeps the region the functional admin gave it, unless `reset_mapping` is set.
    """
    report = LoadReport()
    rows = [*_read(regions_file), {"code": NATIONAL_DESK_CODE, "name": str(NATIONAL_DESK_NAME)}]
    regions: dict[str, Region] = {}
    for row in rows:
        kind = (
            Region.Kind.NATIONAL_DESK if row["code"] == NATIONAL_DESK_CODE else Region.Kind.REGIONAL
        )
        region, created = Region.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "kind": kind}
        )
        if created:
            report.regions_created += 1
        elif region.name != row["name"]:
            region.name = row["name"]
            region.save(update_fields=["name"])
            report.regions_updated += 1
        regions[region.code] = region

    existing = {m.code: m for m in Municipality.objects.all()}
    new = []
    for row in _read(municipalities_file):
        region = regions[row["region_code"]]
        municipality = existing.get(row["code"])
        if municipality is None:
            new.append(Municipality(code=row["code"], name=row["name"], region=region))
            continue
        fields = []
        if municipality.name != row["name"]:
            municipality.name = row["name"]
            fields.append("name")
            report.municipalities_updated += 1
        if reset_mapping and municipality.region_id != region.pk:
            municipality.region = region
            fields.append("region")
            report.municipalities_moved += 1
        if fields:
            municipality.save(update_fields=fields)
    Municipality.objects.bulk_create(new)
    report.municipalities_created = len(new)
    return report
