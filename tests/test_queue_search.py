"""The queue's search finds a signal by each kind of identifier, typed in any notation, through the
blind indexes: a coordinator told of a connected signal elsewhere finds their own by the number."""

import re

import pytest
from django.urls import reverse

from access.services import grant_region_access
from organisations.models import Membership
from regions.models import Municipality, Region
from signals.models import Signal
from tests.factories import (
    BankAccountFactory,
    CoordinationFactory,
    PersonFactory,
    PhoneNumberFactory,
    SignalFactory,
    VehicleFactory,
    WebsiteFactory,
)
from tests.helpers import member_of, signed_in

pytestmark = pytest.mark.django_db

CASE_LINK = re.compile(r'href="/pro/queue/([0-9a-f-]{36})/"')


@pytest.fixture
def queue(reference_data):
    """A coordinator in Amsterdam, a signal holding one identifier of each kind, and another
    signal that holds none of them."""
    region = Region.objects.get(code="AMS")
    coordinator = member_of(CoordinationFactory(region=region), Membership.Role.COORDINATOR)

    def triaged(**fields) -> Signal:
        signal = SignalFactory(
            status=Signal.Status.TRIAGED,
            region=region,
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0363"),
            **fields,
        )
        grant_region_access(signal, region=region)
        return signal

    holder = triaged(description="Een busje bij de kas.", own_reference="PL-2026-001")
    person = PersonFactory(signal=holder, email="Baas@Voorbeeld.nl")
    PhoneNumberFactory(person=person, raw="06-12345678", number="+31612345678")
    VehicleFactory(signal=holder, plate_raw="12-ABC-3", plate="12ABC3")
    WebsiteFactory(signal=holder, url="https://www.werk-snel.nl/vacature/7")
    BankAccountFactory(signal=holder, iban_raw="NL91ABNA0417164300")
    reporter = triaged(
        description="Iemand belde.", contact_phone="+31687654321", contact_email="melder@x.nl"
    )
    other = triaged(description="Niets gemeen.")
    return {
        "client": signed_in(coordinator),
        "holder": holder,
        "reporter": reporter,
        "other": other,
    }


def _found(queue, query: str) -> set[str]:
    page = queue["client"].get(reverse("coordination:queue"), {"q": query})
    assert page.status_code == 200
    return set(CASE_LINK.findall(page.content.decode()))


@pytest.mark.parametrize(
    "query",
    [
        # A phone number as people write it.
        "06-12345678",
        "0612345678",
        "+31 6 1234 5678",
        "0031612345678",
        "(06) 12 34 56 78",
        # An e-mail address in any case.
        "baas@voorbeeld.NL",
        # A plate with or without dashes.
        "12-abc-3",
        "12ABC3",
        # An IBAN with or without spaces.
        "nl91 abna 0417 1643 00",
        # A website: any address on the domain finds it.
        "werk-snel.nl",
        "http://WWW.werk-snel.nl/andere/pagina",
        # The submitter's own case number, and the portal's short reference.
        "pl-2026-001",
    ],
)
def test_each_kind_of_identifier_finds_its_signal_in_any_notation(queue, query):
    assert _found(queue, query) == {str(queue["holder"].public_id)}


def test_the_short_reference_finds_its_signal(queue):
    reference = queue["holder"].public_id.hex[:8]
    assert _found(queue, reference) == {str(queue["holder"].public_id)}


def test_a_reporter_who_calls_again_is_found_by_their_number(queue):
    assert _found(queue, "06 87654321") == {str(queue["reporter"].public_id)}
    assert _found(queue, "Melder@X.nl") == {str(queue["reporter"].public_id)}


def test_a_number_that_no_signal_holds_finds_nothing(queue):
    assert _found(queue, "06-23456789") == set()
    assert _found(queue, "NL02 ABNA 0123 4567 89") == set()


def test_a_signal_of_another_region_is_not_found_by_its_number(queue):
    rotterdam = Region.objects.get(code="RTM")
    elsewhere = SignalFactory(status=Signal.Status.TRIAGED, region=rotterdam)
    grant_region_access(elsewhere, region=rotterdam)
    PhoneNumberFactory(person=PersonFactory(signal=elsewhere), number="+31612345678")
    assert _found(queue, "06-12345678") == {str(queue["holder"].public_id)}
