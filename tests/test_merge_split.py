"""Merging duplicates (samenvoegen) and splitting them off again, with history on both signals."""

import re
import threading
import uuid
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from access.models import AccessLogEntry
from accounts.models import User
from coordination import services
from coordination.models import Connection
from coordination.selectors import short_reference
from organisations.models import Membership
from regions.models import Region
from signals import receipts
from signals.models import Message, Person, Signal, SignalEvent
from tests.factories import (
    AttachmentFactory,
    CoordinationFactory,
    MessageFactory,
    PersonFactory,
    PhoneNumberFactory,
    VehicleFactory,
    connect,
)
from tests.helpers import member_of, signed_in, triaged_signal_in

Status = Signal.Status
KEPT_TEXT = "Mensen slapen in de loods aan de haven"
DUPLICATE_TEXT = "Dezelfde loods: er brandt elke nacht licht en er staat een busje"
REPORTER_CODE = receipts.new_code()


def _with_everything(signal: Signal) -> Signal:
    """A person with a phone number, a vehicle, an attachment, a reporter's message and a
    connection: what a merge must leave in place."""
    person = PersonFactory(signal=signal, role=Person.Role.POSSIBLE_VICTIM, name="Marta K.")
    PhoneNumberFactory(person=person, raw="06-12345678", number="+31612345678")
    VehicleFactory(signal=signal, plate_raw="12-ABC-3", plate="12ABC3")
    AttachmentFactory(signal=signal, original_name="busje.jpg")
    MessageFactory(signal=signal, author_kind=Message.Author.REPORTER, body="Het busje is grijs.")
    return signal


@dataclass
class World:
    """Amsterdam's coordinators have a signal and its duplicate, connected by a phone number;
    Rotterdam's have a signal of their own."""

    coordinator_a: User
    coordinator_b: User
    kept: Signal
    duplicate: Signal  # its reporter holds REPORTER_CODE
    elsewhere: Signal  # in Rotterdam


@pytest.fixture
def world(reference_data) -> World:
    amsterdam, rotterdam = Region.objects.get(code="AMS"), Region.objects.get(code="RTM")
    coordination_a = CoordinationFactory(region=amsterdam)
    coordination_b = CoordinationFactory(region=rotterdam)
    # Coordinators first: triage gives an area's signals to organisations with an active one.
    coordinator_a = member_of(coordination_a, Membership.Role.COORDINATOR)
    coordinator_b = member_of(coordination_b, Membership.Role.COORDINATOR)
    kept = triaged_signal_in("GM0363", description=KEPT_TEXT)
    duplicate = _with_everything(
        triaged_signal_in(
            "GM0363",
            description=DUPLICATE_TEXT,
            receipt_lookup=receipts.lookup_key(REPORTER_CODE),
        )
    )
    connect(kept, duplicate, kind=Connection.Kind.PHONE, value="+31612345678")
    return World(
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        kept=kept,
        duplicate=duplicate,
        elsewhere=triaged_signal_in("GM0599", description="Werknemers zonder loon in de kas"),
    )


def _url(signal: Signal, name: str = "case") -> str:
    return reverse(f"coordination:{name}", args=[signal.public_id])


def _queue(client, candidates: list[Signal], **params) -> set[Signal]:
    """Which of `candidates` the queue page lists."""
    page = client.get(reverse("coordination:queue"), params).content.decode()
    return {signal for signal in candidates if _url(signal) in page}


def _merged_section(client, kept: Signal) -> str:
    """The "merged duplicates" part of the kept signal's case page."""
    page = client.get(_url(kept)).content.decode()
    return "".join(re.findall(r'<article class="card merged-duplicate">.*?</article>', page, re.S))


def _history(signal: Signal, kind: str) -> list[tuple]:
    return [
        (event.actor, event.detail["role"], event.detail["other"], event.detail["reason"])
        for event in signal.events.filter(kind=kind)
    ]


@pytest.mark.django_db
def test_a_merged_duplicate_leaves_the_queue_and_shows_on_the_kept_signal(world):
    kept, duplicate, coordinator = world.kept, world.duplicate, world.coordinator_a
    services.move_signal(duplicate, by=coordinator, to_status=Status.IN_PROGRESS, reason="gebeld")
    client = signed_in(coordinator)
    assert _queue(client, [kept, duplicate]) == {kept, duplicate}
    assert _merged_section(client, kept) == ""
    # The connected duplicate is offered to pick by its reference.
    offered = f'<option value="{short_reference(duplicate)}">'
    assert offered in client.get(_url(kept)).content.decode()

    response = client.post(
        _url(kept, "merge"),
        {"merge-reference": short_reference(duplicate), "merge-reason": "Zelfde loods en busje"},
    )

    assert response.status_code == 302 and response.url == _url(kept)
    assert _queue(client, [kept, duplicate]) == {kept}
    assert _queue(client, [kept, duplicate], merged="on") == {duplicate}
    assert client.get(reverse("coordination:queue")).context["counts"]["all"] == 1

    section = _merged_section(client, kept)
    assert DUPLICATE_TEXT in section
    for shown in ("Marta K.", "+31612345678", "12ABC3", "busje.jpg", short_reference(duplicate)):
        assert shown in section
    # Reading the duplicate on the kept signal's page is a read of the duplicate, logged.
    assert AccessLogEntry.objects.filter(signal=duplicate, action="view").exists()

    page = client.get(_url(duplicate)).content.decode()
    assert "This signal is a duplicate" in page
    assert f'href="{_url(kept)}"' in page
    assert 'action="' + _url(duplicate, "move") + '"' not in page  # handled on the kept signal

    reason = "Zelfde loods en busje"
    assert _history(kept, SignalEvent.Kind.MERGED) == [
        (coordinator, "kept", str(duplicate.public_id), reason)
    ]
    assert _history(duplicate, SignalEvent.Kind.MERGED) == [
        (coordinator, "duplicate", str(kept.public_id), reason)
    ]
    assert set(
        AccessLogEntry.objects.filter(action="merge", user=coordinator).values_list(
            "signal", flat=True
        )
    ) == {kept.pk, duplicate.pk}

    # Nothing accepted is lost: the duplicate keeps all it had.
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept and duplicate.status == Status.IN_PROGRESS
    assert duplicate.persons.get().phone_numbers.get().number == "+31612345678"
    assert duplicate.vehicles.count() == duplicate.attachments.count() == 1
    assert duplicate.messages.count() == 1
    assert Connection.objects.filter(signal=duplicate, other=kept).exists()

    # The same form sent twice changes nothing more.
    assert services.merge_signals(kept, duplicate, by=coordinator, reason=reason) is False
    assert kept.events.filter(kind=SignalEvent.Kind.MERGED).count() == 1


@pytest.mark.django_db
def test_the_reporter_of_a_duplicate_still_follows_it_up_with_the_receipt_code(world, client):
    kept, duplicate = world.kept, world.duplicate
    services.merge_signals(kept, duplicate, by=world.coordinator_a, reason="zelfde situatie")
    services.move_signal(kept, by=world.coordinator_a, to_status=Status.IN_PROGRESS, reason="")

    follow_up = "/en/report/follow-up/"
    client.post(follow_up, {"action": "code", "code": REPORTER_CODE})
    page = client.get(follow_up, headers={"accept-language": "en"}).content.decode()
    assert "Being handled." in page  # the status of the signal it was merged into
    client.post(follow_up, {"action": "reply", "body": "Vannacht weer licht."})

    assert "Vannacht weer licht." in [message.body for message in duplicate.messages.all()]
    coordinator_page = signed_in(world.coordinator_a).get(_url(duplicate)).content.decode()
    assert "Vannacht weer licht." in coordinator_page


@pytest.mark.django_db
def test_a_coordinator_of_another_region_cannot_merge_and_learns_nothing(world):
    kept, elsewhere = world.kept, world.elsewhere
    outsider = world.coordinator_b
    client = signed_in(outsider)

    # The kept signal's own page is not theirs: 404 as if it did not exist.
    assert client.post(_url(kept, "merge"), {"merge-reference": "x"}).status_code == 404
    # Naming a signal of another region answers exactly as naming one that does not exist.
    answers = []
    for reference in (str(kept.public_id), short_reference(kept), uuid.uuid4().hex):
        response = client.post(
            _url(elsewhere, "merge"), {"merge-reference": reference, "merge-reason": "zelfde"}
        )
        assert response.status_code == 400
        assert KEPT_TEXT not in response.content.decode()
        answers.append(response.context["merge_form"].errors["reference"])
    assert answers[0] == answers[1] == answers[2]
    assert "no signal with this reference that you may handle" in answers[0][0]
    # The input is kept on the page.
    assert "zelfde" in response.content.decode()

    with pytest.raises(ValidationError) as refused:
        services.merge_signals(elsewhere, kept, by=outsider, reason="zelfde")
    assert refused.value.code == "not_found"
    assert not Signal.objects.filter(merged_into__isnull=False).exists()
    assert not SignalEvent.objects.filter(kind=SignalEvent.Kind.MERGED).exists()
    assert not AccessLogEntry.objects.filter(action="merge").exists()


@pytest.mark.django_db
def test_self_chain_and_repeated_merges_are_refused_with_a_clear_error(world):
    kept, duplicate, coordinator = world.kept, world.duplicate, world.coordinator_a
    third = triaged_signal_in("GM0363", description="Nog een melding over de haven")
    client = signed_in(coordinator)

    response = client.post(
        _url(kept, "merge"),
        {"merge-reference": short_reference(kept), "merge-reason": "per ongeluk"},
    )
    assert response.status_code == 400
    assert response.context["merge_form"].errors["reference"] == [
        "A signal cannot be merged with itself."
    ]
    assert "per ongeluk" in response.content.decode()

    services.merge_signals(kept, duplicate, by=coordinator, reason="zelfde")

    def refusal(kept_signal, duplicate_signal) -> str:
        with pytest.raises(ValidationError) as refused:
            services.merge_signals(kept_signal, duplicate_signal, by=coordinator, reason="reden")
        return refused.value.code

    assert refusal(third, duplicate) == "already_merged"
    assert refusal(duplicate, third) == "kept_is_merged"  # no chains
    assert refusal(third, kept) == "has_duplicates"  # kept has duplicates: no chains either
    response = client.post(
        _url(duplicate, "merge"),
        {"merge-reference": short_reference(third), "merge-reason": "reden"},
    )
    assert response.status_code == 400
    assert "merged into another one" in response.content.decode()

    services.move_signal(third, by=coordinator, to_status=Status.IN_PROGRESS, reason="r")
    services.move_signal(third, by=coordinator, to_status=Status.NO_TRAFFICKING, reason="r")
    services.move_signal(third, by=coordinator, to_status=Status.CLOSED, reason="r")
    other = triaged_signal_in("GM0363", description="Los signaal")
    assert refusal(third, other) == "kept_closed"
    assert Signal.objects.filter(merged_into__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_split_returns_the_duplicate_to_the_queue_in_its_status_with_history(world):
    kept, duplicate, coordinator = world.kept, world.duplicate, world.coordinator_a
    services.move_signal(duplicate, by=coordinator, to_status=Status.IN_PROGRESS, reason="gebeld")
    services.merge_signals(kept, duplicate, by=coordinator, reason="zelfde")
    client = signed_in(coordinator)

    empty = client.post(_url(duplicate, "split"), {"split-reason": ""})
    assert empty.status_code == 400 and empty.context["split_form"].errors["reason"]
    response = client.post(_url(duplicate, "split"), {"split-reason": "Andere loods"})

    assert response.status_code == 302 and response.url == _url(duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.status == Status.IN_PROGRESS
    assert _queue(client, [kept, duplicate]) == {kept, duplicate}
    assert _merged_section(client, kept) == ""
    assert _history(kept, SignalEvent.Kind.SPLIT) == [
        (coordinator, "kept", str(duplicate.public_id), "Andere loods")
    ]
    assert _history(duplicate, SignalEvent.Kind.SPLIT) == [
        (coordinator, "duplicate", str(kept.public_id), "Andere loods")
    ]
    assert AccessLogEntry.objects.filter(action="split").count() == 2
    page = client.get(_url(kept)).content.decode()
    assert "A duplicate was split off from this signal" in page and "Andere loods" in page

    again = client.post(_url(duplicate, "split"), {"split-reason": "nog eens"})
    assert again.status_code == 400
    assert "This signal is not merged into another signal." in again.content.decode()


@pytest.mark.django_db
def test_the_api_merges_and_splits_with_the_same_rules(world):
    kept, duplicate = world.kept, world.duplicate
    client = signed_in(world.coordinator_a)

    def post(signal, operation, body):
        return client.post(
            reverse(f"api:signal_{operation}", args=[signal.public_id]),
            body,
            content_type="application/json",
        )

    refused = post(kept, "merge", {"duplicate": str(world.elsewhere.public_id), "reason": "r"})
    assert refused.status_code == 400 and "duplicate" in refused.json()["error"]["fields"]
    assert post(kept, "merge", {"duplicate": str(kept.public_id), "reason": "r"}).status_code == 400
    assert (
        post(kept, "merge", {"duplicate": str(duplicate.public_id), "reason": "r"}).status_code
        == 204
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    details = client.get(reverse("api:signal", args=[duplicate.public_id])).json()
    assert details["merged_into"] == str(kept.public_id)
    assert details["description"] == DUPLICATE_TEXT
    assert post(duplicate, "split", {"reason": "toch niet"}).status_code == 204
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert post(duplicate, "split", {"reason": "toch niet"}).status_code == 400


@pytest.mark.django_db
def test_a_merge_names_the_other_signal_only_to_those_who_may_open_it(world, settings):
    settings.TRANSFER_SENDER_READ_DAYS = 0
    kept, duplicate = world.kept, world.duplicate
    coordinator = world.coordinator_a
    services.merge_signals(kept, duplicate, by=coordinator, reason="zelfde loods")
    services.transfer_signal(
        kept, by=coordinator, region=Region.objects.get(code="RTM"), reason="verhuisd"
    )
    client = signed_in(coordinator)

    page = client.get(_url(duplicate)).content.decode()
    # The merge names it nowhere; the two remain connected, and a connection's card gives the
    # short reference that the other region's coordinators find it by (see test_connections).
    merged_box = page.split('class="alert alert--info merged-into"')[1].split("</div>")[0]
    history = page.split('class="timeline"')[1].split("</ol>")[0]
    assert kept.public_id.hex[:8] not in merged_box + history
    assert str(kept.public_id) not in page
    assert "a signal you cannot open (any more)." in page
    details = client.get(reverse("api:signal", args=[duplicate.public_id])).json()
    assert details["merged_into"] is None
    # Rotterdam, which now handles the kept signal, sees the reference on its own page.
    kept_page = signed_in(world.coordinator_b).get(_url(kept)).content.decode()
    assert _url(duplicate) not in kept_page  # Amsterdam's duplicate is not Rotterdam's to open


@pytest.mark.django_db(transaction=True)
def test_two_merges_of_the_same_duplicate_at_once_one_wins(reference_data):
    region = Region.objects.get(code="AMS")
    coordinator = member_of(CoordinationFactory(region=region), Membership.Role.COORDINATOR)
    first, second, duplicate = (triaged_signal_in("GM0363") for _ in range(3))
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def merge_into(kept: Signal) -> None:
        try:
            start.wait()
            services.merge_signals(kept, duplicate, by=coordinator, reason=f"into {kept.pk}")
            outcomes[str(kept.pk)] = "merged"
        except ValidationError as error:
            outcomes[str(kept.pk)] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=merge_into, args=(kept,)) for kept in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["already_merged", "merged"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "merged")
    duplicate.refresh_from_db()
    assert str(duplicate.merged_into_id) == winner
    assert duplicate.events.filter(kind=SignalEvent.Kind.MERGED).count() == 1
    assert SignalEvent.objects.filter(kind=SignalEvent.Kind.MERGED).count() == 2
