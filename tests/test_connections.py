"""Connections (verbanden): signals that share an identifier are linked, and each coordinator
sees of a connected signal only what they may."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import User
from coordination.models import Connection
from coordination.services import link_signal
from coordination.tasks import link_signal as link_signal_task
from devstack.worker import wait_for
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from signals.identifiers import normalise_phone, phone_key
from signals.models import Person, Signal
from tests.factories import (
    CoordinationFactory,
    PersonFactory,
    PhoneNumberFactory,
    SignalFactory,
)
from tests.helpers import english_client, login_professional, member_of
from triage.services import triage_signal


def _coordinator_of(region: Region, kind=Organisation.Kind.COORDINATOR):
    organisation = CoordinationFactory(
        name=f"Coördinatie {region.code}",
        kind=kind,
        region=region,
        email=f"zc-{region.code.lower()}@example.nl",
    )
    return member_of(organisation, Membership.Role.COORDINATOR)


def _signal_with_phone(municipality_code: str, phone: str, description: str) -> Signal:
    signal = SignalFactory(
        source=Signal.Source.PROFESSIONAL,
        description=description,
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code=municipality_code),
    )
    person = PersonFactory(signal=signal, role=Person.Role.SUSPECT, name="M.")
    PhoneNumberFactory(person=person, raw=phone, number=normalise_phone(phone))
    triage_signal(signal.pk)
    signal.refresh_from_db()
    return signal


def _page(user, signal: Signal) -> str:
    client = english_client()
    login_professional(client, user)
    response = client.get(reverse("coordination:case", args=[signal.public_id]))
    assert response.status_code == 200
    return response.content.decode()


@dataclass
class TwoRegions:
    """A coordinator in Amsterdam and one in Rotterdam, and a signal in each with the same phone
    number, written differently."""

    amsterdam: Region
    rotterdam: Region
    coordinator_a: User
    coordinator_r: User
    first: Signal  # in Amsterdam
    second: Signal  # in Rotterdam


@pytest.fixture
def two_regions(reference_data) -> TwoRegions:
    amsterdam, rotterdam = Region.objects.get(code="AMS"), Region.objects.get(code="RTM")
    return TwoRegions(
        amsterdam=amsterdam,
        rotterdam=rotterdam,
        coordinator_a=_coordinator_of(amsterdam),
        coordinator_r=_coordinator_of(rotterdam),
        first=_signal_with_phone("GM0363", "06-12345678", "Vrouwen in een pand aan de gracht"),
        second=_signal_with_phone("GM0599", "+31 6 1234 5678", "Bus met arbeiders bij de haven"),
    )


@pytest.mark.django_db
def test_the_same_phone_written_differently_connects_two_regions(two_regions):
    first, second = two_regions.first, two_regions.second

    assert link_signal(second.pk) == 1
    assert link_signal(second.pk) == 0  # run again: nothing doubled
    # The connection keeps the phone number's blind index, not the number.
    key = phone_key("+31612345678")
    assert set(Connection.objects.values_list("signal", "other", "kind", "value")) == {
        (first.pk, second.pk, "phone", key),
        (second.pk, first.pk, "phone", key),
    }

    page = _page(two_regions.coordinator_r, second)
    assert f"A connected signal exists in region {two_regions.amsterdam.name}" in page
    # The other area's coordinator as the overview of zorgcoördinatoren publishes it.
    assert 'HVO Querido / ACM, <a href="tel:020 626 38 00">020 626 38 00</a>' in page
    # What is shared reads as the viewer's own signal holds it; the connection stores no number.
    assert "phone number: +31612345678" in page
    assert "Vrouwen in een pand" not in page
    assert str(first.public_id) not in page

    page = _page(two_regions.coordinator_a, first)
    assert f"A connected signal exists in region {two_regions.rotterdam.name}" in page
    assert "Bus met arbeiders" not in page


@pytest.mark.django_db
def test_a_connected_signal_the_viewer_may_open_is_a_link_without_its_words(two_regions):
    first, second = two_regions.first, two_regions.second
    link_signal(second.pk)
    from access.services import grant_region_access

    grant_region_access(first, region=two_regions.rotterdam)

    page = _page(two_regions.coordinator_r, second)
    assert reverse("coordination:case", args=[first.public_id]) in page
    # Its description is read on its own case page, where the read is logged (issue 18, item 6).
    assert "Vrouwen in een pand" not in page


@pytest.mark.django_db
def test_the_national_desk_sees_the_graph_as_metadata_only(two_regions):
    link_signal(two_regions.second.pk)
    desk = Region.objects.get(code="LD")
    desk_user = _coordinator_of(desk, kind=Organisation.Kind.NATIONAL_DESK)
    client = english_client()
    login_professional(client, desk_user)

    page = client.get(reverse("coordination:connections")).content.decode()
    assert two_regions.amsterdam.name in page and two_regions.rotterdam.name in page
    assert "+31612345678" not in page
    assert "Vrouwen in een pand" not in page

    login_professional(client, two_regions.coordinator_a)
    assert client.get(reverse("coordination:connections")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_worker_links_a_signal(two_regions, celery_worker):
    second = two_regions.second
    link_signal_task.delay(second.pk)
    wait_for(lambda: Signal.objects.get(pk=second.pk).linked_at)
    assert Connection.objects.filter(signal=second, other=two_regions.first).count() == 1
