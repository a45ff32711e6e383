"""Encryption at rest: what a copy of the database or the disk shows, key rotation, and that the
search and the connections still work on blind indexes."""

import datetime
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.services import grant_submitter_access
from coordination.models import Connection, Note
from coordination.selectors import search_filter
from coordination.services import link_signal, move_signal
from organisations.models import Membership
from privacy import rekeying
from regions.models import Municipality, Region
from signals import identifiers
from signals.models import Attachment, Message, Person, PhoneNumber, Signal, SignalEvent
from tests.conftest import ROOT
from tests.factories import (
    AttachmentFactory,
    CoordinationFactory,
    MessageFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    PhoneNumberFactory,
    SignalEventFactory,
    SignalFactory,
)
from tests.helpers import member_of, signed_in
from triage.models import FailedTriage
from triage.services import triage_signal

pytestmark = pytest.mark.django_db

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
FILE_BYTES = b"%PDF-1.4 verklaring van Ana over de kas aan de Dijkweg"


def _stored_row(table: str, row_id: int) -> str:
    """The row as the database holds it, as text: what a dump or a stolen backup shows."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_to_json(t)::text FROM {table} t WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


def _signal_with_everything() -> dict:
    police = OrganisationFactory()
    signal = SignalFactory(
        source=Signal.Source.PROFESSIONAL,
        submitted_by=police,
        description="Ana werkt zonder loon in de kas aan de Dijkweg",
        contact_email="piet.melder@example.nl",
    )
    grant_submitter_access(signal, organisation=police)
    person = PersonFactory(
        signal=signal,
        role=Person.Role.POSSIBLE_VICTIM,
        name="Ana Popescu",
        date_of_birth=datetime.date(1990, 1, 1),
        postcode="1012 AB",
        house_number="5a",
    )
    phone = PhoneNumberFactory(person=person, raw="06-12345678", number="+31612345678")
    message = MessageFactory(
        signal=signal, author_kind=Message.Author.REPORTER, body="Ze is heel bang"
    )
    note = NoteFactory(signal=signal, organisation=police, body="Gebeld met de NLA")
    attachment = AttachmentFactory(
        signal=signal,
        original_name="verklaring.pdf",
        content_type="application/pdf",
        content=FILE_BYTES,
    )
    return {
        "police": police,
        "signal": signal,
        "person": person,
        "phone": phone,
        "message": message,
        "note": note,
        "attachment": attachment,
    }


def test_the_database_and_the_disk_hold_no_readable_personal_data(reference_data):
    stored = _signal_with_everything()
    signal_row = _stored_row("signals_signal", stored["signal"].pk)
    assert "Dijkweg" not in signal_row and "zonder loon" not in signal_row
    assert "piet.melder" not in signal_row
    person_row = _stored_row("signals_person", stored["person"].pk)
    assert "Ana" not in person_row and "Popescu" not in person_row and "1012" not in person_row
    phone_row = _stored_row("signals_phonenumber", stored["phone"].pk)
    assert "12345678" not in phone_row
    assert "bang" not in _stored_row("signals_message", stored["message"].pk)
    assert "NLA" not in _stored_row("coordination_note", stored["note"].pk)
    on_disk = Path(stored["attachment"].file.path).read_bytes()
    assert FILE_BYTES not in on_disk and b"verklaring" not in on_disk

    # The application reads everything back as it was written.
    signal = Signal.objects.get(pk=stored["signal"].pk)
    assert signal.description == "Ana werkt zonder loon in de kas aan de Dijkweg"
    assert signal.contact_email == "piet.melder@example.nl"
    assert PhoneNumber.objects.get().number == "+31612345678"


def test_the_download_gives_the_original_bytes(reference_data):
    stored = _signal_with_everything()
    client = signed_in(member_of(stored["police"], Membership.Role.PROFESSIONAL))
    url = reverse(
        "pro_signals:attachment", args=[stored["signal"].public_id, stored["attachment"].public_id]
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FILE_BYTES
    assert int(response["Content-Length"]) == len(FILE_BYTES)


def test_the_limits_apply_to_the_plaintext():
    signal = SignalFactory.build(description="x" * 10_001)
    with pytest.raises(ValidationError) as error:
        signal.full_clean(exclude=["language", "source", "region", "municipality"])
    assert "description" in error.value.message_dict


def test_an_empty_field_stays_empty_and_is_found_as_empty(reference_data):
    signal = SignalFactory(contact_name="")
    assert Signal.objects.filter(pk=signal.pk, contact_name="").exists()
    assert '"contact_name":""' in _stored_row("signals_signal", signal.pk)


def test_keys_are_rotated_and_the_old_key_can_then_be_dropped(reference_data, settings, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    stored = _signal_with_everything()
    event = SignalEventFactory(
        signal=stored["signal"], kind=SignalEvent.Kind.SHARED, detail={"reason": "Ana belde"}
    )
    SignalEventFactory(signal=stored["signal"], kind=SignalEvent.Kind.RECEIVED)

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_encryption_keys")
    out = capsys.readouterr().out
    assert "signals.Signal: 2 values re-encrypted" in out
    assert "signals.SignalEvent: 1 values re-encrypted" in out  # the empty detail stays empty
    assert "files: 1 re-encrypted" in out
    call_command("rotate_encryption_keys")  # run again: nothing left to do
    assert "signals.Signal: 0 values re-encrypted, 2 already under the first key" in (
        capsys.readouterr().out
    )

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    signal = Signal.objects.get(pk=stored["signal"].pk)
    assert signal.contact_email == "piet.melder@example.nl"
    assert Person.objects.get().name == "Ana Popescu"
    assert Message.objects.get().body == "Ze is heel bang"
    assert Note.objects.get().body == "Gebeld met de NLA"
    assert Attachment.objects.get().file.read() == FILE_BYTES
    assert SignalEvent.objects.get(pk=event.pk).detail == {"reason": "Ana belde"}

    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    with pytest.raises(InvalidToken):
        Signal.objects.get(pk=stored["signal"].pk)
    with pytest.raises(InvalidToken):
        SignalEvent.objects.get(pk=event.pk)
    with pytest.raises(InvalidToken):
        Attachment.objects.get().file.read()


def test_rotation_stops_on_a_value_no_key_decrypts(reference_data, settings, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    SignalFactory(description="Onder sleutel A")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(Exception, match="not in FIELD_ENCRYPTION_KEYS"):
        call_command("rotate_encryption_keys")


def _queue_matches(query: str) -> list[Signal]:
    return list(Signal.objects.filter(search_filter(query)))


def test_the_search_finds_words_of_the_description_whatever_their_accents_and_case(
    reference_data,
):
    salon = SignalFactory(description="Vrouwen wonen boven de salón, de eigenaar houdt paspoorten")
    SignalFactory(description="Arbeiders zonder loon op de bouw")

    assert _queue_matches("SALON") == [salon]
    assert _queue_matches("paspoorten vrouwen") == [salon]
    assert _queue_matches("salon kapper") == []  # every word must be there
    assert _queue_matches("kapper") == []
    assert _queue_matches("a") == []


def _professional_signal(name: str, born: datetime.date, description: str = "Gezien") -> Signal:
    signal = SignalFactory(
        source=Signal.Source.PROFESSIONAL, status=Signal.Status.NEW, description=description
    )
    PersonFactory(signal=signal, name=name, date_of_birth=born)
    return signal


def test_a_person_by_name_and_date_of_birth_connects_signals(reference_data):
    first = _professional_signal("Jan de Vries", datetime.date(1990, 1, 1))
    second = _professional_signal("JAN  de vries", datetime.date(1990, 1, 1))
    other_date = _professional_signal("Jan de Vries", datetime.date(1991, 1, 1))

    assert link_signal(second.pk) == 1
    connection_row = Connection.objects.get(signal=second)
    assert (connection_row.other, connection_row.kind) == (first, Connection.Kind.PERSON)
    assert connection_row.value == identifiers.identity_key(
        "jan de vries", datetime.date(1990, 1, 1)
    )
    assert "Vries" not in connection_row.value
    assert link_signal(other_date.pk) == 0


def test_a_new_blind_index_key_with_reindex_keeps_search_and_connections(reference_data, settings):
    first = _professional_signal("Jan de Vries", datetime.date(1990, 1, 1), "Werk in de kas")
    second = _professional_signal("Jan de Vries", datetime.date(1990, 1, 1))
    link_signal(first.pk)
    assert _queue_matches("kas") == [first]

    settings.BLIND_INDEX_KEY = "a-completely-new-blind-index-key-" + "y" * 32
    assert _queue_matches("kas") == []  # the stored tokens are of the old key
    call_command("rotate_encryption_keys", "--reindex")

    assert _queue_matches("kas") == [first]
    new_value = identifiers.identity_key("Jan de Vries", datetime.date(1990, 1, 1))
    assert set(Connection.objects.values_list("signal", "other", "value")) == {
        (first.pk, second.pk, new_value),
        (second.pk, first.pk, new_value),
    }


def test_production_refuses_to_start_without_the_keys():
    unset = {"FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "meldpunt.settings.production"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set" in result.stderr


def test_the_history_holds_no_readable_reason_and_the_case_page_shows_it(reference_data):
    coordination = CoordinationFactory(region=Region.objects.get(code="AMS"))
    coordinator = member_of(coordination, Membership.Role.COORDINATOR)
    signal = SignalFactory(
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code="GM0363"),
    )
    triage_signal(signal.pk)
    signal.refresh_from_db()
    reason = "Gebeld met Ionela Dragomir, zij wil hulp"
    move_signal(signal, by=coordinator, to_status=Signal.Status.IN_PROGRESS, reason=reason)
    SignalEventFactory(signal=signal, kind=SignalEvent.Kind.RECEIVED)

    with connection.cursor() as cursor:
        cursor.execute("SELECT detail FROM signals_signalevent")
        stored = [row[0] for row in cursor.fetchall()]
    assert not any("Dragomir" in detail or "in_progress" in detail for detail in stored)
    assert "" in stored, "an empty detail is stored empty"

    moved = signal.events.get(kind=SignalEvent.Kind.STATUS_CHANGED)
    assert moved.detail == {"from": "triaged", "to": "in_progress", "reason": reason}
    assert signal.events.get(kind=SignalEvent.Kind.RECEIVED).detail == {}
    page = signed_in(coordinator).get(reverse("coordination:case", args=[signal.public_id]))
    assert reason in page.content.decode()

    # Only emptiness can be filtered on; the keys of the JSON value cannot.
    assert set(signal.events.exclude(detail={})) == set(
        signal.events.exclude(kind=SignalEvent.Kind.RECEIVED)
    )
    with pytest.raises(FieldError):
        list(SignalEvent.objects.filter(detail__reason=reason))
    with pytest.raises(ValueError, match="empty dict"):
        list(SignalEvent.objects.filter(detail={"reason": reason}))


def _racing(monkeypatch, table: str, application_change) -> None:
    """Let the application change `table` right after the rotation has read a batch of it and
    before it writes: what the portal may do while the command runs."""
    read_batches = rekeying._batches

    def batches(batch_table, columns, batch):
        for rows in read_batches(batch_table, columns, batch):
            if batch_table == table:
                application_change()
            yield rows

    monkeypatch.setattr(rekeying, "_batches", batches)


def test_a_value_the_application_changes_during_rotation_is_not_written_back(
    reference_data, settings, monkeypatch
):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    signal = SignalFactory(
        description="Onder sleutel A",
        contact_name="Piet Melder",
        contact_email="piet.melder@example.nl",
    )
    untouched = SignalFactory(contact_name="Karel Melder")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    def erase_and_edit():
        # An erasure empties the name; a user rewrites the description (under the first key).
        Signal.objects.filter(pk=signal.pk).update(contact_name="", description="Nieuw")

    _racing(monkeypatch, "signals_signal", erase_and_edit)
    count = rekeying.rotate_model(Signal)

    assert count.skipped == [] and count.unreadable == []
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    signal = Signal.objects.get(pk=signal.pk)
    assert signal.contact_name == ""  # the erased name does not come back
    assert signal.description == "Nieuw"
    # What the application did not touch in that row was read again and re-encrypted.
    assert signal.contact_email == "piet.melder@example.nl"
    assert Signal.objects.get(pk=untouched.pk).contact_name == "Karel Melder"


def test_a_row_that_keeps_changing_is_left_to_the_application_and_reported(
    reference_data, settings, monkeypatch
):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    signal = SignalFactory(contact_name="Piet Melder")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    write = rekeying._update
    names = iter(f"Naam {n}" for n in range(100))

    def update_after_the_application(table, updates):
        if table == "signals_signal":
            # A portal process not yet restarted with the new key list writes under the old key.
            settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
            Signal.objects.filter(pk=signal.pk).update(contact_name=next(names))
            settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
        return write(table, updates)

    monkeypatch.setattr(rekeying, "_update", update_after_the_application)
    with pytest.raises(CommandError, match="run again"):
        call_command("rotate_encryption_keys")
    assert Signal.objects.get(pk=signal.pk).contact_name == f"Naam {rekeying.ROTATE_ATTEMPTS - 1}"


def test_encrypting_plaintext_leaves_what_the_application_wrote_meanwhile(
    reference_data, monkeypatch
):
    message = MessageFactory(body="placeholder")
    with connection.cursor() as cursor:  # as stored before encryption at rest
        cursor.execute("UPDATE signals_message SET body = 'Leesbaar' WHERE id = %s", [message.pk])
    _racing(
        monkeypatch,
        "signals_message",
        lambda: Message.objects.filter(pk=message.pk).update(body="Door de portal"),
    )
    assert rekeying.encrypt_plaintext("signals_message", ["body"]) == 0
    assert Message.objects.get(pk=message.pk).body == "Door de portal"


def test_rotation_does_not_recreate_a_file_erased_meanwhile(reference_data, settings, monkeypatch):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    attachment = _signal_with_everything()["attachment"]
    path = Path(attachment.file.path)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    def erase():
        # As an erasure or retention does: the row in a transaction, the file after it.
        Attachment.objects.filter(pk=attachment.pk).delete()
        path.unlink()

    _racing(monkeypatch, "signals_attachment", erase)
    count = rekeying.rotate_files()

    assert not path.exists()
    assert (count.changed, count.unreadable) == (0, [])


def test_a_proxy_model_is_not_rotated_or_reindexed_twice(reference_data, settings, monkeypatch):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    SignalFactory.create_batch(3)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    read = Counter()
    read_batches = rekeying._batches

    def batches(table, columns, batch):
        for rows in read_batches(table, columns, batch):
            read[table] += len(rows)
            yield rows

    monkeypatch.setattr(rekeying, "_batches", batches)
    out = io.StringIO()
    call_command("rotate_encryption_keys", "--reindex", stdout=out)

    signals = Signal._base_manager.count()
    assert read["signals_signal"] == signals
    assert f"signals.Signal: {signals} values re-encrypted" in out.getvalue()
    assert f"signals.Signal: blind indexes of {signals} rows computed" in out.getvalue()
    assert "FailedTriage" not in out.getvalue()
    for models in (rekeying.encrypted_models(), rekeying.indexed_models()):
        assert FailedTriage not in models
        tables = [model._meta.db_table for model in models]
        assert len(tables) == len(set(tables))


def test_reindexing_locks_the_rows_it_computes_from(reference_data):
    SignalFactory()
    with CaptureQueriesContext(connection) as queries:
        assert rekeying.reindex_model(Signal) == 1
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert reads and all("FOR UPDATE" in sql for sql in reads)
