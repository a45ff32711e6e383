"""Loading the coordinator areas, divisions, municipalities and place names from `regions/data/`.

The files and where their contents come from are described in `regions/data/SOURCE.md`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop
from modeltranslation.utils import build_localized_fieldname

from .models import AreaContact, Division, Municipality, Place, Postcode, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_DESK_CODE = "LD"
# The national desk's name in each language comes from the translation catalogues.
NATIONAL_DESK_NAME = gettext_noop("National desk")


@dataclass
class LoadReport:
    regions_created: int = 0
    regions_updated: int = 0
    divisions_created: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    municipalities_moved: int = 0
    contacts_created: int = 0
    places_created: int = 0
    postcodes_created: int = 0

    @property
    def changed(self) -> bool:
        return any(vars(self).values())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_regions(*, data_dir: Path = DATA_DIR, reset_mapping: bool = False) -> LoadReport:
    """Load areas, the national desk, divisions, municipalities, contacts, places and postcodes.

    Idempotent: a second run changes nothing. Area and municipality names follow the files;
    what the functional admin edited stays: the area a municipality belongs to (unless
    `reset_mapping`), a municipality's position and divisions once set, published contacts, and
    place names or postcodes added in the admin (nothing is deleted).
    """
    report = LoadReport()
    regions = _load_areas(data_dir, report)
    divisions = _load_divisions(data_dir, report)
    municipalities = _load_municipalities(data_dir, regions, divisions, report, reset_mapping)
    _load_contacts(data_dir, regions, report)
    _load_places(data_dir, municipalities, report)
    _load_postcodes(data_dir, municipalities, report)
    return report


def _load_areas(data_dir: Path, report: LoadReport) -> dict[str, Region]:
    rows = [
        (row["code"], {"nl": row["name"], "en": row["name_en"]})
        for row in _read(data_dir / "areas.csv")
    ]
    rows.append((NATIONAL_DESK_CODE, _national_desk_names()))
    regions = {}
    for code, by_language in rows:
        # Only the languages the file names: a translation the admin added stays.
        names = {
            build_localized_fieldname("name", language): by_language[language]
            for language, _name in settings.LANGUAGES
            if by_language.get(language)
        }
        kind = Region.Kind.NATIONAL_DESK if code == NATIONAL_DESK_CODE else Region.Kind.REGIONAL
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = Region(code=code, kind=kind, **names)
            region.save()
            report.regions_created += 1
        else:
            changed = [field for field, value in names.items() if getattr(region, field) != value]
            if changed:
                for field in changed:
                    setattr(region, field, names[field])
                region.save(update_fields=changed)
                report.regions_updated += 1
        regions[region.code] = region
    return regions


def _national_desk_names() -> dict[str, str]:
    """The name in every language its catalogue translates; the others fall back to Dutch."""
    names = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            name = translation.gettext(NATIONAL_DESK_NAME)
        if name != NATIONAL_DESK_NAME or language == "en":
            names[language] = name
    return names


def _load_divisions(data_dir: Path, report: LoadReport) -> dict[tuple[str, str], Division]:
    divisions = {}
    for row in _read(data_dir / "divisions.csv"):
        division, created = Division.objects.get_or_create(
            kind=row["kind"], code=row["code"], defaults={"name": row["name"]}
        )
        report.divisions_created += created
        divisions[division.kind, division.code] = division
    return divisions


def _load_municipalities(
    data_dir: Path,
    regions: dict[str, Region],
    divisions: dict[tuple[str, str], Division],
    report: LoadReport,
    reset_mapping: bool,
) -> dict[str, Municipality]:
    existing = {m.code: m for m in Municipality.objects.all()}
    new = []
    for row in _read(data_dir / "municipalities_2025.csv"):
        region = regions[row["area"]]
        facts = {
            "safety_region": divisions[Division.Kind.SAFETY_REGION, row["safety_region"]],
            "province": divisions[Division.Kind.PROVINCE, row["province"]],
            "police_unit": divisions[Division.Kind.POLICE_UNIT, row["police_unit"]],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
        }
        municipality = existing.get(row["code"])
        if municipality is None:
            municipality = Municipality(code=row["code"], name=row["name"], region=region, **facts)
            new.append(municipality)
            existing[municipality.code] = municipality
            continue
        fields = []
        if municipality.name != row["name"]:
            municipality.name = row["name"]
            fields.append("name")
            report.municipalities_updated += 1
        for field, value in facts.items():
            # Filled where empty (an older database, or a new column); the admin's values stay.
            if getattr(municipality, field) is None:
                setattr(municipality, field, value)
                fields.append(field)
        if reset_mapping and municipality.region_id != region.pk:
            municipality.region = region
            fields.append("region")
            report.municipalities_moved += 1
        if fields:
            municipality.save(update_fields=fields)
    Municipality.objects.bulk_create(new)
    report.municipalities_created = len(new)
    return existing


def _load_contacts(data_dir: Path, regions: dict[str, Region], report: LoadReport) -> None:
    existing = set(AreaContact.objects.values_list("region__code", "organisation"))
    for row in _read(data_dir / "area_contacts.csv"):
        code = row["area"] or None
        if (code, row["organisation"]) in existing:
            continue
        AreaContact.objects.create(
            region=regions[code] if code else None,
            organisation=row["organisation"],
            phone=row["phone"],
            phone_alt=row["phone_alt"],
            email=row["email"],
            audience=row["audience"],
            order=int(row["order"]),
        )
        report.contacts_created += 1


def _load_places(
    data_dir: Path, municipalities: dict[str, Municipality], report: LoadReport
) -> None:
    existing = set(Place.objects.values_list("name", "municipality__code", "kind"))
    new = []
    for row in _read(data_dir / "places.csv"):
        if (row["name"], row["municipality"], row["kind"]) in existing:
            continue
        place = Place(
            name=row["name"],
            municipality=municipalities[row["municipality"]],
            kind=row["kind"],
            rank=int(row["rank"]),
        )
        place.fill_keys()  # bulk_create does not call save()
        new.append(place)
    Place.objects.bulk_create(new, batch_size=2000)
    report.places_created = len(new)


def _load_postcodes(
    data_dir: Path, municipalities: dict[str, Municipality], report: LoadReport
) -> None:
    existing = set(Postcode.objects.values_list("postcode", "municipality__code"))
    new = [
        Postcode(postcode=row["postcode"], municipality=municipalities[row["municipality"]])
        for row in _read(data_dir / "postcodes.csv")
        if (row["postcode"], row["municipality"]) not in existing
    ]
    Postcode.objects.bulk_create(new, batch_size=2000)
    report.postcodes_created = len(new)
