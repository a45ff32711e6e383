"""Retention: personal data goes when its period has passed; the figures stay."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from access.models import AccessLogEntry
from coordination.models import Connection, Note
from privacy.services import apply_retention
from regions.models import Municipality
from signals.identifiers import phone_key
from signals.models import (
    Attachment,
    Message,
    Person,
    PhoneNumber,
    Question,
    Signal,
    SignalEvent,
)
from tests.factories import (
    AttachmentFactory,
    MessageFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    PhoneNumberFactory,
    SignalEventFactory,
    SignalFactory,
    UserFactory,
    connect,
)

pytestmark = pytest.mark.django_db


def _full_signal(status: str, days_unchanged: int) -> Signal:
    signal = SignalFactory(
        status=status,
        description="Ana (23) werkt in de kas aan de Dijkweg 4",
        contact_name="Piet",
        contact_phone="+31612345678",
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code="GM0363"),
    )
    person = PersonFactory(signal=signal, role=Person.Role.POSSIBLE_VICTIM, name="Ana")
    PhoneNumberFactory(person=person, raw="06 1234 5678", number="+31612345678")
    MessageFactory(signal=signal, author_kind=Message.Author.REPORTER, body="Ze is bang")
    AttachmentFactory(signal=signal, original_name="foto.jpg")
    NoteFactory(signal=signal, organisation=OrganisationFactory(), body="x")
    SignalEventFactory(
        signal=signal, kind=SignalEvent.Kind.STATUS_CHANGED, detail={"reason": "Ana gebeld"}
    )
    Signal.objects.filter(pk=signal.pk).update(
        updated_at=timezone.now() - timedelta(days=days_unchanged)
    )
    signal.refresh_from_db()
    return signal


@pytest.fixture
def signals(reference_data, settings):
    settings.RETENTION_DAYS = {"no_trafficking": 365, "closed": 1825, "draft": 30}
    led_to_nothing = _full_signal(Signal.Status.NO_TRAFFICKING, days_unchanged=400)
    other = _full_signal(Signal.Status.IN_PROGRESS, days_unchanged=400)
    key = phone_key("+31612345678")
    connect(other, led_to_nothing, kind=Connection.Kind.PHONE, value=key)
    return {
        "due": led_to_nothing,
        "recent": _full_signal(Signal.Status.NO_TRAFFICKING, days_unchanged=100),
        "closed": _full_signal(Signal.Status.CLOSED, days_unchanged=400),
        "in_progress": other,
    }


def test_a_dry_run_counts_and_changes_nothing(signals, capsys):
    call_command("apply_retention", "--dry-run")
    assert "1 signals are due; nothing changed" in capsys.readouterr().out
    signals["due"].refresh_from_db()
    assert signals["due"].anonymised_at is None
    assert signals["due"].persons.exists()


def test_personal_data_goes_and_the_figures_stay(signals, django_capture_on_commit_callbacks):
    due = signals["due"]
    file_name = due.attachments.get().file.name
    storage = Attachment._meta.get_field("file").storage
    assert storage.exists(file_name)
    forms_before = list(due.forms.all())
    assert due.contact_phone_key and due.search_tokens

    with django_capture_on_commit_callbacks(execute=True):
        report = apply_retention()

    assert (report.due, report.anonymised) == (1, 1)
    due.refresh_from_db()
    assert due.anonymised_at is not None
    assert (due.description, due.contact_name, due.contact_phone) == ("", "", "")
    # The blind indexes of the removed data go with it: nothing left to match or search on.
    assert (due.contact_name_key, due.contact_phone_key, due.search_tokens) == ("", "", [])
    assert not Person.objects.filter(signal=due).exists()
    assert not PhoneNumber.objects.filter(person__signal=due).exists()
    assert not due.messages.exists() and not due.attachments.exists()
    assert not storage.exists(file_name)
    assert not Note.objects.filter(signal=due).exists()
    assert not Connection.objects.filter(signal=due).exists()
    assert not Connection.objects.filter(other=due).exists()
    assert all(event.detail == {} for event in due.events.all())
    # What the monitor counts stays.
    assert due.status == Signal.Status.NO_TRAFFICKING
    assert due.municipality.code == "GM0363" and list(due.forms.all()) == forms_before
    assert AccessLogEntry.objects.filter(signal=due, action="anonymise", user=None).count() == 1

    for untouched in ("recent", "closed", "in_progress"):
        signal = signals[untouched]
        signal.refresh_from_db()
        assert signal.anonymised_at is None and signal.persons.exists(), untouched

    assert apply_retention().anonymised == 0  # run again: nothing more


def test_a_merged_duplicate_loses_its_data_with_the_signal_it_was_merged_into(signals):
    """A duplicate keeps its status from before the merge ("in progress" has no period), so it
    would otherwise keep its personal data for ever."""
    kept = signals["closed"]
    duplicate = _full_signal(Signal.Status.IN_PROGRESS, days_unchanged=2000)
    Signal.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    assert apply_retention().anonymised == 1  # only "due": the closed case has time left

    duplicate.refresh_from_db()
    assert duplicate.anonymised_at is None and duplicate.persons.exists()

    Signal.objects.filter(pk=kept.pk).update(updated_at=timezone.now() - timedelta(days=1900))
    assert apply_retention().anonymised == 2
    duplicate.refresh_from_db()
    assert duplicate.anonymised_at is not None
    assert duplicate.description == "" and not duplicate.persons.exists()


def test_the_questions_to_the_submitter_and_their_answers_are_emptied(signals):
    due, recent = signals["due"], signals["recent"]
    asked = {"asked_by": UserFactory(), "answered_at": timezone.now()}
    question = Question.objects.create(
        signal=due, text="Spreekt Ana Engels?", answer="Ana spreekt Roemeens.", **asked
    )
    untouched = Question.objects.create(
        signal=recent, text="Waar woont zij?", answer="Dijkweg 4.", **asked
    )

    apply_retention()

    question.refresh_from_db()
    assert (question.text, question.answer) == ("", "")
    assert question.answered_at is not None  # the row stays, as the history does
    untouched.refresh_from_db()
    assert (untouched.text, untouched.answer) == ("Waar woont zij?", "Dijkweg 4.")


def test_the_beat_runs_retention_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "privacy.tasks.apply_retention"
    assert entry["schedule"] == timedelta(days=1)
