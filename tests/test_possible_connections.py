"""Possible connections: a person named alike (another script, or spelled as it sounds) with the
same year of birth is put to a coordinator, shown as confidentially as an exact connection, and
never connected or merged by itself."""

from datetime import date

import pytest
from django.urls import reverse

from coordination.models import Connection, PossibleConnection
from coordination.services import link_signal
from privacy.rekeying import relink_all
from privacy.services import anonymise_signal
from regions.models import Municipality, Region
from signals import identifiers
from signals.models import Person, Signal
from tests.factories import PersonFactory, SignalFactory
from tests.helpers import english_client, login_professional
from tests.test_connections import _coordinator_of
from triage.services import triage_signal

pytestmark = pytest.mark.django_db


def _signal(municipality: str, description: str, name: str, born: date) -> Signal:
    signal = SignalFactory(
        source=Signal.Source.PROFESSIONAL,
        description=description,
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code=municipality),
    )
    PersonFactory(signal=signal, name=name, date_of_birth=born)
    triage_signal(signal.pk)
    signal.refresh_from_db()
    return signal


def _page(user, signal: Signal):
    client = english_client()
    login_professional(client, user)
    return client, client.get(reverse("coordination:case", args=[signal.public_id]))


def test_the_keys_are_blind_indexes_of_transliterated_and_phonetic_names():
    born = date(1990, 5, 1)
    assert identifiers.transliterated_name("Петров Иван") == "ivan petrov"
    assert identifiers.phonetic_name("Edito") == identifiers.phonetic_name("Edoto") == "ETT"
    cyrillic = identifiers.transliterated_key("Иван Петров", born)
    assert cyrillic == identifiers.transliterated_key("ivan  PETROV", date(1990, 12, 31))
    assert cyrillic != identifiers.transliterated_key("Ivan Petrov", date(1991, 1, 1))
    assert len(cyrillic) == 64 and "ivan" not in cyrillic
    assert identifiers.phonetic_key("Edito", born) == identifiers.phonetic_key("Edoto", born)
    assert identifiers.phonetic_key("Edito", None) == ""
    person = PersonFactory(name="Иван Петров", date_of_birth=born)
    assert person.transliterated_key == cyrillic
    assert person.phonetic_key == identifiers.phonetic_key("Ivan Petrov", born)


@pytest.mark.parametrize(
    ("first_name", "second_name", "kinds"),
    [
        ("Edito", "Edoto", {"phonetic"}),
        ("Иван Петров", "Ivan Petrov", {"transliterated", "phonetic"}),
    ],
)
def test_a_name_alike_with_the_same_year_appears_for_review_and_is_never_merged(
    reference_data, first_name, second_name, kinds
):
    amsterdam, rotterdam = Region.objects.get(code="AMS"), Region.objects.get(code="RTM")
    coordinator_a, coordinator_r = _coordinator_of(amsterdam), _coordinator_of(rotterdam)
    first = _signal("GM0363", "Vrouwen in een pand aan de gracht", first_name, date(1994, 3, 2))
    second = _signal("GM0599", "Bus met arbeiders bij de haven", second_name, date(1994, 9, 9))
    other_year = _signal("GM0599", "Een ander jaar", second_name, date(1995, 9, 9))

    assert link_signal(second.pk) == 0  # no exact connection
    link_signal(second.pk)  # run again: nothing doubled
    link_signal(other_year.pk)
    rows = set(PossibleConnection.objects.values_list("signal", "other", "kind", "status"))
    assert rows == {
        (one, other, kind, "open")
        for one, other in ((first.pk, second.pk), (second.pk, first.pk))
        for kind in kinds
    }
    assert not Connection.objects.exists()
    assert Signal.objects.filter(merged_into__isnull=False).count() == 0

    # Shown as an exact connection is: the other area's signal only as existing, in own words.
    _client, response = _page(coordinator_r, second)
    page = response.content.decode()
    review = page.split("Possible connections to review")[1]
    assert f"A connected signal exists in region {amsterdam.name}" in review
    assert f"{second_name}, 1994" in review and first_name not in page
    assert "Vrouwen in een pand" not in page and str(first.public_id) not in page

    # Dismissed by one side: gone for both, and not proposed again by a new link.
    client, _response = _page(coordinator_a, first)
    row = PossibleConnection.objects.filter(signal=first).first()
    url = reverse("coordination:possible_connection", args=[first.public_id, row.public_id])
    assert client.post(url, {"decision": "dismiss"}).status_code == 302
    assert set(PossibleConnection.objects.values_list("status", flat=True)) == {"dismissed"}
    link_signal(first.pk)
    relink_all()
    assert set(PossibleConnection.objects.values_list("status", flat=True)) == {"dismissed"}
    assert not Connection.objects.exists()
    _client, response = _page(coordinator_r, second)
    assert "Possible connections to review" not in response.content.decode()
    # Another coordinator cannot decide on a signal they do not handle.
    client_r, _response = _page(coordinator_r, second)
    assert client_r.post(url, {"decision": "confirm"}).status_code == 404


def test_a_confirmed_possible_connection_becomes_a_connection_and_stays(reference_data):
    amsterdam = Region.objects.get(code="AMS")
    coordinator = _coordinator_of(amsterdam)
    first = _signal("GM0363", "Eerste", "Анна Иванова", date(2001, 1, 1))
    second = _signal("GM0363", "Tweede", "Anna Ivanova", date(2001, 6, 6))
    link_signal(second.pk)
    client, response = _page(coordinator, first)
    assert "Possible connections to review" in response.content.decode()
    row = PossibleConnection.objects.filter(signal=first).first()
    url = reverse("coordination:possible_connection", args=[first.public_id, row.public_id])
    assert client.post(url, {"decision": "confirm"}).status_code == 302
    assert set(Connection.objects.values_list("signal", "other", "kind")) == {
        (first.pk, second.pk, "confirmed"),
        (second.pk, first.pk, "confirmed"),
    }
    page = client.get(reverse("coordination:case", args=[first.public_id])).content.decode()
    assert "person (confirmed by a coordinator): Анна Иванова, 2001" in page
    assert first.__class__.objects.get(pk=second.pk).merged_into is None
    # A coordinator's decision survives recomputing the keys; retention removes it.
    relink_all()
    assert Connection.objects.filter(kind="confirmed").count() == 2
    anonymise_signal(second, reason="test")
    assert not Connection.objects.exists() and not PossibleConnection.objects.exists()
    assert Person.objects.filter(signal=first).exists()
