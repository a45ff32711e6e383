import re

import pytest

from regions.models import Municipality, Region
from regions.services import load_regions

pytestmark = pytest.mark.django_db


def test_every_dutch_municipality_of_2025_is_loaded_with_a_region(reference_data):
    municipalities = Municipality.objects.select_related("region")
    assert municipalities.count() == 342
    assert all(re.fullmatch(r"GM\d{4}", m.code) for m in municipalities)
    assert all(m.region.kind == Region.Kind.REGIONAL for m in municipalities)
    assert Municipality.objects.get(code="GM0363").name == "Amsterdam"
    assert Region.objects.filter(kind=Region.Kind.NATIONAL_DESK).count() == 1


def test_every_region_has_municipalities(reference_data):
    empty = Region.objects.filter(kind=Region.Kind.REGIONAL, municipalities__isnull=True)
    assert list(empty) == []


def test_reloading_changes_nothing(reference_data):
    before = list(Municipality.objects.values_list("code", "name", "region__code"))
    report = load_regions()
    assert not report.changed
    assert list(Municipality.objects.values_list("code", "name", "region__code")) == before


def test_reload_keeps_the_admins_mapping_unless_asked_to_reset(reference_data):
    amsterdam = Municipality.objects.get(code="GM0363")
    original_region = amsterdam.region
    other = Region.objects.filter(kind=Region.Kind.REGIONAL).exclude(pk=original_region.pk).first()
    amsterdam.region = other
    amsterdam.save()

    load_regions()
    amsterdam.refresh_from_db()
    assert amsterdam.region == other

    report = load_regions(reset_mapping=True)
    amsterdam.refresh_from_db()
    assert amsterdam.region == original_region
    assert report.municipalities_moved == 1


def test_a_malformed_municipality_code_is_refused_by_the_database(reference_data):
    from django.db import IntegrityError

    region = Region.objects.filter(kind=Region.Kind.REGIONAL).first()
    with pytest.raises(IntegrityError):
        Municipality.objects.create(code="0363", name="Nowhere", region=region)
