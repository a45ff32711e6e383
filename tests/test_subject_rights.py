"""Data-subject requests: the privacy officer finds what the organisation holds on a person,
exports it and erases it, and the access log records each step without copying the data."""

import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import User
from coordination.models import Connection
from intake.professional.services import ProfessionalReport, submit_professional_signal
from intake.public.services import PublicReport, receive_public_report
from monitor.selectors import Period, signals_in
from organisations.models import Membership, Organisation
from privacy.selectors import find_subject
from privacy.subject_services import _without_names, erase_subject
from regions.models import Municipality, Region
from signals import receipts
from signals.identifiers import name_key, phone_key
from signals.models import (
    Attachment,
    MachineTranslation,
    Message,
    NewsNotice,
    Person,
    PhoneNumber,
    Signal,
    SignalEvent,
)
from signals.selectors import signal_for_receipt
from tests.factories import (
    AdditionFactory,
    AttachmentFactory,
    CoordinationFactory,
    MessageFactory,
    NoteFactory,
    OrganisationFactory,
    QuestionFactory,
    SignalEventFactory,
    connect,
)
from tests.helpers import member_of, signed_in
from triage.services import triage_signal

pytestmark = pytest.mark.django_db

Role = Membership.Role
NAME = "José de Vries"
PHONE = "+31612345678"
REFERENCE = "AVG-2026-017"
AMSTERDAM, ROTTERDAM = "GM0363", "GM0599"


def _professional_signal(organisation, user, municipality_code: str) -> Signal:
    report = ProfessionalReport(
        organisation=organisation,
        language="nl",
        description=f"{NAME} werkt zeven dagen per week in de wasstraat.",
        persons=[
            {
                "role": Person.Role.POSSIBLE_VICTIM,
                "name": NAME,
                "email": "Jose@Example.nl",
                "nationality": "Roemeens",
                "phone_numbers": [("06 1234 5678", PHONE)],
            },
            {"role": Person.Role.SUSPECT, "name": "De Baas"},
        ],
        locations=[
            {"kind": "workplace", "municipality": Municipality.objects.get(code=municipality_code)}
        ],
    )
    signal = submit_professional_signal(report, user=user, submission_key=uuid.uuid4())
    triage_signal(signal.pk)
    return Signal.objects.get(pk=signal.pk)


def _public_signal(code: str) -> Signal:
    signal, _ = receive_public_report(
        PublicReport(
            language="nl",
            description="In het huis naast mij wonen tien mensen.",
            submission_key=uuid.uuid4(),
            receipt_code=code,
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code=AMSTERDAM),
            contact_name="Piet Melder",
            contact_phone="+31687654321",
            contact_email="Piet@Example.nl",
        )
    )
    triage_signal(signal.pk)
    MessageFactory(signal=signal, author_kind=Message.Author.REPORTER, body="Ik zag ze weer")
    AttachmentFactory(signal=signal, original_name="huis.jpg")
    return Signal.objects.get(pk=signal.pk)


@dataclass
class World:
    """José de Vries is in a signal that the police submitted in Amsterdam and in one that an
    inspectorate submitted in Rotterdam; a reporter sent a public signal in Amsterdam, with a
    message and a photo. Each coordinator organisation has a privacy officer to ask."""

    police: Organisation
    amsterdam: Organisation  # Amsterdam's coordinators
    rotterdam: Organisation  # Rotterdam's coordinators
    professional: User  # the police officer who submitted `in_amsterdam`
    officer: User  # Amsterdam's privacy officer
    police_officer: User  # the police's privacy officer
    in_amsterdam: Signal
    in_rotterdam: Signal
    public: Signal  # the reporter's
    code: str  # the reporter's receipt code


@pytest.fixture
def world(reference_data) -> World:
    police = OrganisationFactory(name="Politie", kind=Organisation.Kind.POLICE)
    amsterdam = CoordinationFactory(
        name="Zorgcoördinatie Amsterdam", region=Region.objects.get(code="AMS")
    )
    rotterdam = CoordinationFactory(
        name="Zorgcoördinatie Rotterdam", region=Region.objects.get(code="RTM")
    )
    professional = member_of(police, Role.PROFESSIONAL)
    member_of(amsterdam, Role.COORDINATOR)
    # An area's organisation without an active coordinator would not get its signals (fallback).
    member_of(rotterdam, Role.COORDINATOR)
    in_amsterdam = _professional_signal(police, professional, AMSTERDAM)
    # The same person in a signal of another region, submitted by another organisation.
    inspectorate = OrganisationFactory(kind=Organisation.Kind.LABOUR_INSPECTORATE)
    in_rotterdam = _professional_signal(
        inspectorate, member_of(inspectorate, Role.PROFESSIONAL), ROTTERDAM
    )
    code = receipts.new_code()
    public = _public_signal(code)
    return World(
        police=police,
        amsterdam=amsterdam,
        rotterdam=rotterdam,
        professional=professional,
        officer=member_of(amsterdam, Role.PRIVACY_OFFICER),
        police_officer=member_of(police, Role.PRIVACY_OFFICER),
        in_amsterdam=in_amsterdam,
        in_rotterdam=in_rotterdam,
        public=public,
        code=code,
    )


def _signals(matches) -> set[Signal]:
    return {match.signal for match in matches}


def test_a_person_is_found_however_the_identifiers_are_written(world):
    for query in (
        {"name": "  jose   DE vriés "},
        {"phone": "06-12 34 56 78"},
        {"phone": "0031 6 12345678"},
        {"email": "JOSE@EXAMPLE.NL"},
    ):
        matches = find_subject(world.amsterdam, **query)
        assert _signals(matches) == {world.in_amsterdam}, query
        [matched] = matches[0].persons
        assert matched.person.name == NAME
        assert not matches[0].is_reporter
    # A different name is not the same person.
    assert find_subject(world.amsterdam, name="José de Vriesch") == []
    # The submitting organisation holds it too; each organisation finds only its own.
    assert _signals(find_subject(world.police, name=NAME)) == {world.in_amsterdam}
    assert _signals(find_subject(world.rotterdam, name=NAME)) == {world.in_rotterdam}


def test_the_reporter_is_found_by_receipt_code_and_contact_details(world):
    typed = world.code.lower().replace("-", " ")
    for query in (
        {"receipt_code": typed},
        {"email": "piet@example.nl"},
        {"phone": "06 8765 4321"},
        {"name": "piet melder"},
    ):
        [match] = find_subject(world.amsterdam, **query)
        assert match.signal == world.public and match.is_reporter, query
        assert match.persons == []
    # Another region's organisation holds no such signal.
    assert find_subject(world.rotterdam, receipt_code=world.code) == []
    # Nor only by the address the reporter left for notices.
    NewsNotice.objects.create(signal=world.public, email="kennisgeving@example.nl", language="nl")
    [match] = find_subject(world.amsterdam, email="Kennisgeving@Example.NL")
    assert match.signal == world.public and match.is_reporter


def _search(client, organisation, **identifiers):
    data = {
        "organisation": organisation.public_id,
        "reference": REFERENCE,
        "purpose": "AVG art. 15",
        **identifiers,
    }
    return client.post(reverse("subject_requests:search"), data)


def test_the_search_page_lists_the_matches_and_logs_the_search_without_the_values(world):
    client = signed_in(world.officer)
    page = client.get(reverse("subject_requests:search"))
    assert page.status_code == 200
    assert "not searched" in page.content.decode()  # the scope is stated

    empty = _search(client, world.amsterdam)
    assert empty.status_code == 400
    assert "Give at least one of" in empty.content.decode()
    invalid = _search(client, world.amsterdam, phone="12")
    assert invalid.status_code == 400
    assert "is not a valid phone number" in invalid.content.decode()

    response = _search(client, world.amsterdam, name="jose de vries", phone="0612345678")
    assert response.status_code == 302
    results = client.get(response["Location"])
    text = results.content.decode()
    assert str(world.in_amsterdam.public_id) in text
    assert str(world.in_rotterdam.public_id) not in text
    assert "Possible victim: José de Vries (name, phone number)" in text

    entry = AccessLogEntry.objects.get(
        action=AccessLogEntry.Action.SUBJECT_SEARCH, organisation=world.amsterdam
    )
    assert (entry.user, entry.organisation, entry.signal) == (world.officer, world.amsterdam, None)
    # The police submitted the signal found: the other controller sees the search in its log.
    told = AccessLogEntry.objects.get(
        action=AccessLogEntry.Action.SUBJECT_SEARCH, organisation=world.police
    )
    assert (told.user, told.signal) == (world.officer, world.in_amsterdam)
    assert world.amsterdam.name in told.detail and "vries" not in told.detail.lower()
    assert REFERENCE in entry.purpose
    assert "name, phone" in entry.detail
    logged = f"{entry.purpose} {entry.detail}".lower()
    assert "vries" not in logged and "612345678" not in logged
    log_page = client.get(reverse("access:log")).content.decode()
    assert "Searched for a data subject" in log_page


def test_another_members_search_or_a_non_officer_finds_nothing(world):
    response = _search(signed_in(world.officer), world.amsterdam, name=NAME)
    results_url = response["Location"]
    # The search lives in the officer's own session; a made-up id is as unknown.
    assert signed_in(world.police_officer).get(results_url).status_code == 404
    coordinator = member_of(world.amsterdam, Role.COORDINATOR)
    assert signed_in(coordinator).get(reverse("subject_requests:search")).status_code == 404
    assert _search(signed_in(coordinator), world.amsterdam, name=NAME).status_code == 404
    assert not AccessLogEntry.objects.filter(user=coordinator).exists()


def test_the_export_holds_the_data_and_who_made_it_and_is_logged(world):
    client = signed_in(world.officer)
    results_url = _search(client, world.amsterdam, name=NAME, receipt_code=world.code)["Location"]
    search_id = results_url.rstrip("/").split("/")[-1]

    response = client.get(reverse("subject_requests:export_json", args=[search_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    header = data["export"]
    assert header["made_by"] == world.officer.email
    assert header["organisation"] == world.amsterdam.name
    assert header["request_reference"] == REFERENCE
    assert abs(timezone.now() - timezone.datetime.fromisoformat(header["made_at"])) < timedelta(
        minutes=1
    )
    by_signal = {entry["signal"]: entry for entry in data["signals"]}
    assert set(by_signal) == {str(world.in_amsterdam.public_id), str(world.public.public_id)}
    person_entry = by_signal[str(world.in_amsterdam.public_id)]
    [person] = person_entry["persons"]
    assert (person["name"], person["phone_numbers"], person["email"]) == (
        NAME,
        [PHONE],
        "Jose@Example.nl",
    )
    assert NAME in person_entry["description"]
    assert person_entry["reporter"] is None and person_entry["messages"] == []
    reporter_entry = by_signal[str(world.public.public_id)]
    assert reporter_entry["reporter"]["email"] == "Piet@Example.nl"
    assert [m["text"] for m in reporter_entry["messages"]] == ["Ik zag ze weer"]
    assert reporter_entry["attachments"][0]["name"] == "huis.jpg"

    exports = AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.EXPORT, user=world.officer, organisation=world.amsterdam
    )
    assert {entry.signal for entry in exports} == {world.in_amsterdam, world.public}
    assert all(REFERENCE in entry.purpose for entry in exports)

    readable = client.get(reverse("subject_requests:export_html", args=[search_id]))
    assert readable["Content-Disposition"].startswith("attachment;")
    text = readable.content.decode()
    assert NAME in text and world.officer.email in text and REFERENCE in text
    assert exports.all().count() == 4  # two signals, twice
    # The signal the police submitted is in the police's log too, each time.
    assert (
        AccessLogEntry.objects.filter(
            action=AccessLogEntry.Action.EXPORT, organisation=world.police
        ).count()
        == 2
    )


def test_the_zip_export_holds_the_data_and_the_files_as_uploaded(world):
    client = signed_in(world.officer)
    results_url = _search(client, world.amsterdam, receipt_code=world.code)["Location"]
    search_id = results_url.rstrip("/").split("/")[-1]

    response = client.get(reverse("subject_requests:export_zip", args=[search_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        data = json.loads(zipped.read("export.json"))
        assert data["export"]["made_by"] == world.officer.email
        assert world.officer.email in zipped.read("export.html").decode()
        # Stored encrypted, handed over as uploaded.
        assert zipped.read(f"files/{world.public.public_id}/1-huis.jpg") == b"jpeg bytes"
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.EXPORT, user=world.officer, signal=world.public
    ).exists()


def _figures() -> int:
    today = timezone.localdate()
    return signals_in(Period(today - timedelta(days=1), today)).count()


def test_erasing_a_person_removes_their_data_and_keeps_the_signal_in_the_figures(world):
    other = _professional_signal(world.police, world.professional, AMSTERDAM)
    connect(world.in_amsterdam, other, kind=Connection.Kind.PHONE, value=phone_key(PHONE))
    figures_before = _figures()
    client = signed_in(world.officer)
    results_url = _search(client, world.amsterdam, phone=PHONE)["Location"]
    search_id = results_url.rstrip("/").split("/")[-1]
    erase_url = reverse("subject_requests:erase", args=[search_id, world.in_amsterdam.public_id])

    confirm = client.get(erase_url)
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode()
    assert client.post(erase_url, {"reason": ""}).status_code == 400
    assert Person.objects.filter(name_key=name_key(NAME), signal=world.in_amsterdam).exists()

    response = client.post(erase_url, {"reason": "Request granted on 3 March"})
    assert response.status_code == 302

    signal = Signal.objects.get(pk=world.in_amsterdam.pk)
    victim = signal.persons.get(role=Person.Role.POSSIBLE_VICTIM)
    assert (victim.name, victim.email, victim.nationality) == ("", "", "")
    assert (victim.name_key, victim.email_key) == ("", "")
    assert not PhoneNumber.objects.filter(person__signal=signal).exists()
    assert NAME not in signal.description and "wasstraat" in signal.description
    # The other person in the signal and the same person elsewhere are untouched.
    assert signal.persons.get(role=Person.Role.SUSPECT).name == "De Baas"
    assert world.in_rotterdam.persons.filter(name_key=name_key(NAME)).exists()
    # The connection rested on the erased phone number; the other signal keeps its own.
    assert not Connection.objects.filter(signal=signal).exists()
    assert not Connection.objects.filter(other=signal).exists()
    assert other.persons.filter(name_key=name_key(NAME)).exists()

    page = signed_in(world.professional).get(f"/pro/signals/{signal.public_id}/").content.decode()
    assert "José" not in page and "De Baas" in page
    assert _figures() == figures_before
    assert signal.status != Signal.Status.DRAFT and signal.anonymised_at is None

    event = signal.events.get(kind=SignalEvent.Kind.PERSONAL_DATA_ERASED)
    assert event.actor == world.officer
    assert event.detail == {"records": ["person"], "request_reference": REFERENCE}
    erased = AccessLogEntry.objects.get(
        action=AccessLogEntry.Action.ERASE, organisation=world.amsterdam
    )
    assert (erased.user, erased.organisation, erased.signal) == (
        world.officer,
        world.amsterdam,
        signal,
    )
    assert erased.purpose == REFERENCE and erased.detail == "Request granted on 3 March"

    # Once more: nothing left, nothing written.
    again = client.post(erase_url, {"reason": "Clicked twice"}, follow=True)
    assert "Nothing was left to erase" in again.content.decode()
    assert signal.events.filter(kind=SignalEvent.Kind.PERSONAL_DATA_ERASED).count() == 1
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.ERASE).count() == 2
    # One of them in the log of the police, who submitted the signal.
    assert (
        AccessLogEntry.objects.get(
            action=AccessLogEntry.Action.ERASE, organisation=world.police
        ).signal
        == signal
    )


def test_erasing_the_reporter_removes_contact_messages_files_and_the_receipt_code(
    world, django_capture_on_commit_callbacks
):
    storage = Attachment._meta.get_field("file").storage
    file_name = world.public.attachments.get().file.name
    client = signed_in(world.officer)
    search_id = (
        _search(client, world.amsterdam, receipt_code=world.code)["Location"]
        .rstrip("/")
        .split("/")[-1]
    )
    erase_url = reverse("subject_requests:erase", args=[search_id, world.public.public_id])
    assert "files the reporter uploaded" in client.get(erase_url).content.decode()
    NewsNotice.objects.create(signal=world.public, email="kennisgeving@example.nl", language="nl")
    MachineTranslation.objects.create(
        signal=world.public,
        source=MachineTranslation.source_of(world.public.messages.get()),
        source_language="nl",
        target_language="en",
        text="I saw them again",
        status=MachineTranslation.Status.DONE,
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(erase_url, {"reason": "Erasure request granted"})

    signal = Signal.objects.get(pk=world.public.pk)
    assert (signal.contact_name, signal.contact_phone, signal.contact_email) == ("", "", "")
    assert signal.receipt_lookup is None and signal.receipt_hash == ""
    assert not signal.messages.exists() and not signal.attachments.exists()
    assert not signal.machine_translations.exists() and not NewsNotice.objects.exists()
    assert not storage.exists(file_name)
    assert signal_for_receipt(world.code) is None
    assert signal.description and signal.region.code == "AMS"
    event = signal.events.get(kind=SignalEvent.Kind.PERSONAL_DATA_ERASED)
    assert event.detail["records"] == ["reporter"]


def test_erasing_a_person_removes_their_name_from_the_free_text_around_them(world):
    signal = world.in_amsterdam
    coordinator = member_of(world.amsterdam, Role.COORDINATOR)
    NoteFactory(
        signal=signal, organisation=world.amsterdam, author=coordinator, body=f"{NAME} belde"
    )
    AdditionFactory(
        signal=signal,
        organisation=world.police,
        author=world.professional,
        text=f"Ook {NAME.upper()} heeft geen paspoort.",
    )
    QuestionFactory(
        signal=signal, asked_by=coordinator, text=f"Spreekt {NAME} Engels?", answer="Nee."
    )
    SignalEventFactory(
        signal=signal,
        kind=SignalEvent.Kind.STATUS_CHANGED,
        actor=coordinator,
        detail={"from": "triaged", "to": "in_progress", "reason": f"{NAME} gesproken"},
    )
    (match,) = [m for m in find_subject(world.amsterdam, name=NAME) if m.signal == signal]

    assert erase_subject(
        match, by=world.officer, organisation=world.amsterdam, reference=REFERENCE, reason="AVG"
    )

    texts = [
        *signal.notes.values_list("body", flat=True),
        *signal.additions.values_list("text", flat=True),
        *signal.questions.values_list("text", flat=True),
        *(str(event.detail) for event in signal.events.all()),
    ]
    assert not [text for text in texts if "josé" in text.lower()], texts
    assert "[…] belde" in texts and "Ook […] heeft geen paspoort." in texts
    assert "Spreekt […] Engels?" in texts
    # Other people's free text on other signals is not touched.
    assert NAME in Signal.objects.get(pk=world.in_rotterdam.pk).description


def _subject_request_by_phone(world, export, stdout=None) -> None:
    call_command(
        "subject_request",
        by=world.officer.email,
        reference=REFERENCE,
        purpose="AVG art. 15",
        phone="+31 6 1234 5678",
        export=str(export),
        stdout=stdout or io.StringIO(),
    )


def test_a_request_by_post_is_answered_with_the_command_and_logged_alike(world, tmp_path):
    out, export = io.StringIO(), tmp_path / "export.json"
    _subject_request_by_phone(world, export, out)
    assert str(world.in_amsterdam.public_id) in out.getvalue()
    data = json.loads(export.read_text(encoding="utf-8"))
    assert data["export"]["made_by"] == world.officer.email
    assert data["signals"][0]["persons"][0]["name"] == NAME
    search = AccessLogEntry.objects.get(action=AccessLogEntry.Action.SUBJECT_SEARCH, signal=None)
    assert (search.user, search.organisation) == (world.officer, world.amsterdam)
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.EXPORT, signal=world.in_amsterdam, user=world.officer
    ).exists()
    with pytest.raises(CommandError):
        call_command(
            "subject_request", by=world.professional.email, reference="R", purpose="AVG art. 15"
        )


def test_a_name_ending_in_punctuation_is_erased_from_the_text_too():
    text = "Jan B. werkt hier; Jan Bakker niet. Ana (Ania) ook."
    assert _without_names(text, {"Jan B.", "Ana (Ania)"}) == (
        "[…] werkt hier; Jan Bakker niet. […] ook."
    )


def test_the_export_file_is_readable_by_its_owner_only(world, tmp_path):
    older = tmp_path / "export.json"
    older.write_text("{}", encoding="utf-8")
    older.chmod(0o644)  # an older file of the same name
    _subject_request_by_phone(world, older)
    assert older.stat().st_mode & 0o777 == 0o600
    assert json.loads(older.read_text(encoding="utf-8"))["signals"]

    fresh = tmp_path / "fresh.json"
    _subject_request_by_phone(world, fresh)
    assert fresh.stat().st_mode & 0o777 == 0o600


def test_a_name_written_in_the_words_of_a_report_is_found_through_the_word_index(world):
    Signal.objects.filter(pk=world.public.pk).update(
        description="Mijn buurvrouw Ana Popescu moet elke nacht in de kas werken."
    )
    world.public.refresh_from_db()
    world.public.save()  # the word index is derived on save
    for name in ("ana popescu", "POPESCU  Ána"):
        [match] = find_subject(world.amsterdam, name=name)
        assert match.signal == world.public and match.text_on == {"name"}
        assert not match.is_reporter and match.persons == []
    # Whole words only, and every word of the name.
    assert find_subject(world.amsterdam, name="Ana Popesc") == []
    assert find_subject(world.amsterdam, name="Ana Ionescu") == []
    # Another organisation's signals are not searched.
    assert find_subject(world.rotterdam, name="Ana Popescu") == []

    client = signed_in(world.officer)
    page = _search(client, world.amsterdam, name="Ana Popescu")
    results = client.get(page.url).content.decode()
    assert "Written in the description" in results and str(world.public.public_id) in results
