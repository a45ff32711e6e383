"""An area's own figures: its coordinators and municipalities read them, nobody another area's,
and they are suppressed like the national monitor's, across tables and periods."""

import csv
import html
import io
from datetime import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from monitor import suppression
from monitor.selectors import periods_of
from opvang.models import PlacementRequest
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from signals.models import Signal
from tests.factories import OrganisationFactory, PlacementRequestFactory, SignalFactory
from tests.helpers import member_of, signed_in
from tests.test_security_findings import _attack, published_table_count

pytestmark = pytest.mark.django_db

Role = Membership.Role
AREA = "/pro/monitor/area/"


def _signal(region, month: int, day: int, *, minor: bool = False, year: int) -> Signal:
    signal = SignalFactory(region=region, status=Signal.Status.TRIAGED, involves_minor=minor)
    moment = timezone.make_aware(datetime(year, month, day, 12))
    Signal.objects.filter(pk=signal.pk).update(created_at=moment)
    return signal


def _published(client, area: Region, key: str) -> list:
    tables = []
    for index in range(published_table_count()):
        response = client.get(f"{AREA}export/{index}.csv", {"area": area.code, "period": key})
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        tables.append(([tuple(row) for row in rows[1:-1]], rows[-1][1]))
    return tables


def _forget_suppressions():
    for key in cache._cache.get_client().scan_iter("*monitor:suppressed*"):
        cache._cache.get_client().delete(key)


@pytest.fixture
def areas(reference_data):
    zeeland = Region.objects.filter(name__icontains="zeeland").first()
    other = Region.objects.filter(kind=Region.Kind.REGIONAL).exclude(pk=zeeland.pk).first()
    return zeeland, other


def test_area_figures_are_suppressed_below_5_and_cannot_be_differenced(areas):
    zeeland, other = areas
    year = timezone.localdate().year - 1
    # Seven minors a month, two in November: the quarter less October and December would give
    # November's two away if the periods were suppressed each on their own.
    for month in range(1, 13):
        for day in range(1, 8):
            _signal(zeeland, month, day, minor=day < (3 if month == 11 else 8), year=year)
    november = [_signal(zeeland, 11, day, year=year) for day in (20, 21, 22)]
    for signal in november[:2]:  # two placed in shelter: a small row of the outcomes
        PlacementRequestFactory(signal=signal, status=PlacementRequest.Status.ACCEPTED)
    # Another area's signals are not this area's figures.
    for day in range(1, 20):
        _signal(other, 11, day, year=year)

    coordination = OrganisationFactory(kind=Organisation.Kind.COORDINATOR, regions=[zeeland])
    coordinator = signed_in(member_of(coordination, Role.COORDINATOR))
    published = {
        period.key: _published(coordinator, zeeland, period.key) for period in periods_of(year)
    }

    by_month = dict(published[f"{year}-11"][0][0])
    assert by_month[f"{year}-11"] == "10"  # Zeeland's 7 + 3, none of the other area's 19
    outcomes = dict(published[f"{year}-11"][9][0])
    assert outcomes["placed in shelter"] == "<5"
    minors = dict(published[f"{year}-11"][4][0])
    assert minors["yes"] == "<5"
    assert _attack(published, year) == []

    # The attack has teeth: the area's tables suppressed each on its own give cells away.
    _forget_suppressions()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(suppression._Linked, "linear_pass", lambda self: False)
        alone = {
            period.key: _published(coordinator, zeeland, period.key) for period in periods_of(year)
        }
    _forget_suppressions()
    assert _attack(alone, year)


def test_only_the_areas_coordinators_and_municipalities_read_its_figures(areas):
    zeeland, other = areas
    coordination = OrganisationFactory(kind=Organisation.Kind.COORDINATOR, regions=[zeeland])
    elsewhere = OrganisationFactory(kind=Organisation.Kind.COORDINATOR, regions=[other])
    middelburg = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Municipality.objects.filter(region=zeeland).first(),
    )
    readers = [
        signed_in(member_of(coordination, Role.COORDINATOR)),
        signed_in(member_of(middelburg, Role.ANALYST)),
    ]
    for client in readers:
        page = client.get(AREA)
        assert page.status_code == 200
        assert zeeland.name in html.unescape(page.content.decode())
        assert client.get(AREA, {"area": other.code}).status_code == 404
        assert client.get(f"{AREA}export/1.csv", {"area": other.code}).status_code == 404

    others = [
        signed_in(member_of(elsewhere, Role.COORDINATOR)),
        signed_in(member_of(middelburg, Role.PROFESSIONAL)),
        signed_in(member_of(OrganisationFactory(kind=Organisation.Kind.POLICE), Role.ANALYST)),
    ]
    for client in others:
        assert client.get(AREA, {"area": zeeland.code}).status_code == 404
        assert client.get(f"{AREA}export/1.csv", {"area": zeeland.code}).status_code == 404
