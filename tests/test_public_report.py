"""The public report form, its receipt code, the follow-up page and their abuse protection."""

import io
import os
import re
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from coordination import services as coordination_services
from intake import tasks, uploads
from regions.models import Municipality
from signals import receipts
from signals.models import (
    Attachment,
    Message,
    PhoneNumber,
    Signal,
    SignalEvent,
)
from tests.factories import (
    ExploitationFormFactory,
    IndicatorCategoryFactory,
    IndicatorFactory,
    UserFactory,
)
from tests.helpers import pdf_bytes

pytestmark = pytest.mark.django_db

REPORT = "/en/report/"
FOLLOW_UP = "/en/report/follow-up/"
CODE_PATTERN = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}\b")
STEPS = [
    "what",
    "where",
    "when",
    "who",
    "involved",
    "kind",
    "signs",
    "danger",
    "photos",
    "contact",
]


@pytest.fixture
def reporter():
    """A browser from an address of its own, so rate limits of other tests do not count."""
    return Client(REMOTE_ADDR=f"2001:db8::{uuid.uuid4().hex[:4]}")


@pytest.fixture
def taxonomy():
    labour = ExploitationFormFactory(code="labour", name="Work (labour exploitation)")
    ExploitationFormFactory(code="sexual", name="Sex work (sexual exploitation)")
    category = IndicatorCategoryFactory(code="freedom", name="Restricted freedom")
    papers = IndicatorFactory(
        code="no-papers",
        category=category,
        name="No access to own ID papers",
        public_text="Someone else keeps their passport",
        is_public=True,
        weight=3,
    )
    IndicatorFactory(code="internal", category=category, name="Professional only", is_public=False)
    return {"labour": labour, "papers": papers}


def post_step(client, step, action="next", **data):
    return client.post(REPORT, {"step": step, "action": action, **data})


def receipt_token(client) -> str:
    page = client.get(REPORT).content.decode()
    return re.search(r'name="receipt" value="([^"]+)"', page).group(1)


def send(client, token=None):
    return post_step(client, "check", action="send", receipt=token or receipt_token(client))


def quick_report(client, description="A man keeps the passports of the workers.") -> str:
    """Answer only the first question, skip the rest and send; returns the receipt code."""
    post_step(client, "what", description=description)
    for step in STEPS[1:]:
        post_step(client, step)
    response = send(client)
    return CODE_PATTERN.search(response.content.decode()).group(0)


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCamMaker"  # Make
    exif[0x0110] = "TrackerPhone 9"  # Model
    exif[0x0132] = "2026:11:01 23:59:59"  # DateTime
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(output, format="JPEG", exif=exif.tobytes())
    return output.getvalue()


def png_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(output, format="PNG")
    return output.getvalue()


def test_funnel_without_javascript_stores_one_complete_signal(reporter, reference_data, taxonomy):
    first = reporter.get(REPORT)
    assert first.status_code == 200
    assert "Step 1 of 12" in first.content.decode()
    assert "no-store" in first["Cache-Control"]

    response = post_step(reporter, "what", description="Workers sleep in the greenhouse.")
    assert response.status_code == 302 and response.url == REPORT
    assert "Step 3 of 12" in reporter.get(REPORT).content.decode()
    post_step(reporter, "where", place="municipality", municipality="  westland ")
    post_step(reporter, "when", occurred_when="Every night since March")
    post_step(reporter, "who", people_count="12", minor="yes")
    post_step(
        reporter,
        "involved",
        involved_phone="06-23456789",
        involved_website="https://www.Kas-Werk.nl/vacature/7",
        involved_company="Kwekerij De Kas",
    )
    post_step(reporter, "kind", kinds=[taxonomy["labour"].pk])
    post_step(reporter, "signs", indicators=[taxonomy["papers"].pk])
    post_step(reporter, "danger", danger="yes")
    danger_page = reporter.get(REPORT).content.decode()
    assert "call 112 first" in danger_page
    post_step(reporter, "photos")
    post_step(
        reporter,
        "contact",
        contact="contact",
        name="Anna",
        phone="06 12345678",
        email="anna@example.org",
        consent="on",
    )

    summary = reporter.get(REPORT).content.decode()
    assert 'class="summary-list"' in summary
    for shown in ("Workers sleep in the greenhouse.", "Westland", "Every night since March"):
        assert shown in summary
    assert "Someone else keeps their passport" in summary
    assert "+31612345678" in summary
    assert 'href="?step=where"' in summary
    assert Signal.objects.count() == 0

    response = send(reporter)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your receipt code" in page and "call 112 first" in page
    code = CODE_PATTERN.search(page).group(0)

    signal = Signal.objects.get()
    assert signal.source == Signal.Source.PUBLIC
    assert signal.language == "en"
    assert signal.description == "Workers sleep in the greenhouse."
    assert signal.location_kind == Signal.LocationKind.MUNICIPALITY
    assert signal.municipality == Municipality.objects.get(name="Westland")
    assert signal.occurred_when == "Every night since March"
    assert signal.people_count == 12
    assert signal.involves_minor is True
    assert signal.is_urgent is True
    assert list(signal.forms.all()) == [taxonomy["labour"]]
    assert list(signal.indicators.all()) == [taxonomy["papers"]]
    assert (signal.contact_name, signal.contact_phone, signal.contact_email) == (
        "Anna",
        "+31612345678",
        "anna@example.org",
    )
    # What may identify the person involved, stored as a professional's intake stores it.
    assert [phone.number for phone in PhoneNumber.objects.filter(person__signal=signal)] == [
        "+31623456789"
    ]
    assert [website.domain for website in signal.websites.all()] == ["kas-werk.nl"]
    assert [(place.kind, place.description) for place in signal.locations.all()] == [
        ("workplace", "Kwekerij De Kas")
    ]
    assert signal.events.filter(kind=SignalEvent.Kind.RECEIVED).count() == 1
    assert receipts.matches(code, signal.receipt_hash)
    # Finished once the code is confirmed as saved: a new visit starts afresh.
    assert reporter.get(REPORT).url == "/en/report/receipt/"
    reporter.post("/en/report/receipt/", {"action": "confirm", "last_four": code[-4:]})
    assert "Step 1 of 12" in reporter.get(REPORT).content.decode()


def test_change_link_goes_back_to_the_step_with_the_answer_kept(reporter, reference_data):
    post_step(reporter, "what", description="First version")
    post_step(reporter, "where", place="online")
    response = reporter.get(REPORT + "?step=what")
    assert response.status_code == 302
    page = reporter.get(REPORT).content.decode()
    assert "Step 2 of 12" in page and "First version" in page
    # A step not reached yet cannot be jumped to.
    reporter.get(REPORT + "?step=contact")
    assert "Step 2 of 12" in reporter.get(REPORT).content.decode()


def test_back_button_returns_to_the_previous_step_keeping_answers(reporter, reference_data):
    post_step(reporter, "what", description="Something")
    post_step(reporter, "where", action="back", place="abroad")
    assert "Step 2 of 12" in reporter.get(REPORT).content.decode()
    post_step(reporter, "what", description="Something")
    page = reporter.get(REPORT).content.decode()
    assert "Step 3 of 12" in page
    assert re.search(r'<input[^>]*value="abroad"[^>]*checked', page)


def test_what_did_you_see_is_required_and_the_rest_can_be_skipped(reporter, reference_data):
    response = post_step(reporter, "what", description="   ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please tell us what you saw or heard." in page
    assert "form-field--invalid" in page
    assert 'aria-invalid="true"' in page

    code = quick_report(reporter)
    signal = Signal.objects.get()
    assert signal.location_kind == Signal.LocationKind.UNKNOWN
    assert signal.municipality is None
    assert signal.is_urgent is False
    assert signal.involves_minor is None
    assert signal.contact_phone == "" and signal.contact_email == ""
    assert receipts.matches(code, signal.receipt_hash)


def test_errors_are_shown_next_to_the_field_with_the_input_kept(reporter, reference_data):
    post_step(reporter, "what", description="Seen at the harbour")
    response = post_step(reporter, "where", place="municipality", municipality="Atlantis")
    page = response.content.decode()
    assert response.status_code == 200
    assert "We do not know this place" in page
    assert 'value="Atlantis"' in page
    assert "Step 3 of 12" in page

    for step in ("where", "when", "who", "involved", "kind", "signs", "danger", "photos"):
        post_step(reporter, step)
    response = post_step(
        reporter, "contact", contact="contact", name="Piotr", phone="12", email="not-an-address"
    )
    page = response.content.decode()
    assert "This is not a phone number we can use." in page
    assert "Enter a valid email address." in page
    assert "Tick this box if we may contact you." in page
    assert 'value="Piotr"' in page and 'value="12"' in page and 'value="not-an-address"' in page

    too_long = post_step(reporter, "contact", contact="contact", name="x" * 201, email="a@b.nl")
    assert "at most 200 characters" in too_long.content.decode()


def test_errors_are_in_the_language_of_the_page(reference_data):
    client = Client(REMOTE_ADDR="2001:db8::77")
    response = client.post(
        "/nl/report/", {"step": "what", "action": "next", "description": "x" * 10_001}
    )
    page = response.content.decode()
    assert 'lang="nl"' in page
    assert "niet meer dan 10000 tekens" in page
    assert "x" * 10_001 in page


def test_sending_twice_creates_one_signal_and_shows_the_same_code(reporter, reference_data):
    post_step(reporter, "what", description="Double click")
    for step in STEPS[1:]:
        post_step(reporter, step)
    token = receipt_token(reporter)
    session_cookie = reporter.cookies[settings.SESSION_COOKIE_NAME].value
    first = send(reporter, token)
    # A double click: the browser sends again with the cookie it had, never having read the
    # first answer (which ended the session).
    reporter.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
    second = send(reporter, token)
    assert Signal.objects.count() == 1
    first_code = CODE_PATTERN.search(first.content.decode()).group(0)
    assert CODE_PATTERN.search(second.content.decode()).group(0) == first_code
    # A forged or foreign token shows no code and stores nothing.
    forged = send(reporter, "not-a-token")
    assert forged.status_code == 302
    assert Signal.objects.count() == 1


def test_no_ip_address_is_stored_with_the_signal(reference_data):
    address = "203.0.113.199"
    client = Client(REMOTE_ADDR=address)
    quick_report(client, description="Seen near the station")
    signal = Signal.objects.get()
    with connection.cursor() as cursor:
        for table in (Signal._meta.db_table, SignalEvent._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")
            assert address not in repr(cursor.fetchall())
    assert address not in repr(Signal.objects.filter(pk=signal.pk).values().get())


def test_honeypot_drops_a_bot_without_telling_it(reporter, reference_data):
    response = post_step(
        reporter, "what", description="Buy cheap watches", website="http://spam.example"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thank you. Your report was sent." in page
    assert CODE_PATTERN.search(page)
    assert "error" not in page.lower().split("<main", 1)[1].split("</main>", 1)[0]
    assert Signal.objects.count() == 0


def test_more_than_five_reports_an_hour_from_one_client_are_refused(reporter, reference_data):
    for number in range(5):
        quick_report(reporter, description=f"Report {number}")
    assert Signal.objects.count() == 5
    post_step(reporter, "what", description="Report 6")
    for step in STEPS[1:]:
        post_step(reporter, step)
    response = send(reporter)
    assert response.status_code == 429
    assert "Please wait an hour" in response.content.decode()
    assert Signal.objects.count() == 5
    # Another client is not affected.
    quick_report(Client(REMOTE_ADDR="2001:db8::beef"), description="Report from elsewhere")
    assert Signal.objects.count() == 6


def test_receipt_code_has_80_random_bits_and_only_hashes_are_stored(reporter, reference_data):
    assert receipts.BITS >= 80 and len(receipts.ALPHABET) == 32
    codes = [receipts.new_code() for _ in range(2000)]
    assert all(CODE_PATTERN.fullmatch(code) for code in codes)
    assert len(set(codes)) == len(codes)
    characters = Counter("".join(codes).replace("-", ""))
    assert set(characters) == set(receipts.ALPHABET)
    assert not set("ILOU") & set(characters)

    code = quick_report(reporter)
    signal = Signal.objects.get()
    assert signal.receipt_hash.startswith("argon2")
    assert signal.receipt_lookup == receipts.lookup_key(code)
    stored = repr(Signal.objects.filter(pk=signal.pk).values().get())
    for form in (code, code.replace("-", ""), code.lower()):
        assert form not in stored
    # Reading mistakes (O for 0, I or L for 1, spaces, small letters) still find the report.
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert receipts.normalise(typed) == code


def open_follow_up(client, code):
    return client.post(FOLLOW_UP, {"action": "code", "code": code})


def test_follow_up_shows_status_and_a_message_each_way(reporter, reference_data):
    code = quick_report(reporter, description="Girls brought to a house every night")
    signal = Signal.objects.get()
    # Until the code is confirmed as saved the follow-up leads back to the receipt page.
    assert reporter.get(FOLLOW_UP).url == "/en/report/receipt/"
    reporter.post("/en/report/receipt/", {"action": "confirm", "last_four": code[-4:]})
    page = reporter.get(FOLLOW_UP).content.decode()
    assert "Type the receipt code" in page

    response = open_follow_up(reporter, code.lower().replace("-", ""))
    assert response.status_code == 302 and response.url == FOLLOW_UP
    page = reporter.get(FOLLOW_UP).content.decode()
    assert "Received." in page
    assert "There are no messages yet." in page

    response = reporter.post(FOLLOW_UP, {"action": "reply", "body": "The car is a grey van."})
    assert response.status_code == 302
    reporter_message = Message.objects.get()
    assert reporter_message.author_kind == Message.Author.REPORTER
    assert reporter_message.language == "en"
    assert reporter_message.signal == signal
    assert "Your message was sent." in reporter.get(FOLLOW_UP).content.decode()

    coordinator = UserFactory(email="coordinator@example.nl")
    coordination_services.write_to_reporter(
        signal, by=coordinator, body="Thank you. Is the van there now?", language="en"
    )
    coordination_services.write_to_reporter(
        signal, by=coordinator, body="Dziękujemy za zgłoszenie.", language="pl"
    )
    signal.status = Signal.Status.IN_PROGRESS
    signal.save()
    page = reporter.get(FOLLOW_UP).content.decode()
    assert "Being handled." in page
    assert "The car is a grey van." in page
    assert "Thank you. Is the van there now?" in page
    assert "Dziękujemy za zgłoszenie." in page
    # The Polish reply is marked with its language; the English one (the reporter's) is not.
    assert page.count("Written in") == 1 and "Written in Polish" in page
    assert 'lang="pl"' in page

    empty = reporter.post(FOLLOW_UP, {"action": "reply", "body": ""})
    assert "Write a message or add a file first." in empty.content.decode()
    too_long = reporter.post(
        FOLLOW_UP, {"action": "reply", "body": "x" * (Message.BODY_MAX_LENGTH + 1)}
    )
    assert too_long.status_code == 200
    assert Message.objects.filter(author_kind=Message.Author.REPORTER).count() == 1

    signal.status = Signal.Status.CLOSED
    signal.save()
    assert "Closed." in reporter.get(FOLLOW_UP).content.decode()

    reporter.post(FOLLOW_UP, {"action": "leave"})
    assert "Type the receipt code" in reporter.get(FOLLOW_UP).content.decode()


def test_wrong_codes_get_one_generic_error_and_are_rate_limited(reporter, reference_data):
    code = quick_report(reporter)
    generic = "We cannot find a report with this code."
    wrong = receipts.new_code()
    for attempt in (wrong, "hello", "'; DROP TABLE signals_signal; --"):
        response = open_follow_up(reporter, attempt)
        assert response.status_code == 200
        assert generic in response.content.decode()
    for _ in range(7):
        open_follow_up(reporter, receipts.new_code())
    limited = open_follow_up(reporter, code)
    assert limited.status_code == 429
    assert "You tried too many times." in limited.content.decode()
    assert "There are no messages yet." not in reporter.get(FOLLOW_UP).content.decode()
    # The right code still works from another client.
    other = Client(REMOTE_ADDR="2001:db8::c0de")
    assert open_follow_up(other, code).status_code == 302


def test_uploaded_photo_is_stored_privately_without_exif(
    reporter, reference_data, django_capture_on_commit_callbacks
):
    photo = jpeg_with_exif()
    with Image.open(io.BytesIO(photo)) as original:
        assert original.getexif()[0x010F] == "SpyCamMaker"
    post_step(reporter, "what", description="Photo of the van")
    for step in STEPS[1:8]:
        post_step(reporter, step)
    response = post_step(
        reporter,
        "photos",
        action="upload",
        files=[SimpleUploadedFile("IMG_0001.JPG", photo, content_type="image/jpeg")],
    )
    assert response.status_code == 302
    assert "IMG_0001.jpg" in reporter.get(REPORT).content.decode()
    post_step(reporter, "photos")
    post_step(reporter, "contact")
    waiting = Path(uploads.private_storage().path(uploads.TEMPORARY_FOLDER)) / (
        uuid.UUID(reporter.session["public_report"]["key"]).hex
    )
    assert len(list(waiting.iterdir())) == 1
    with django_capture_on_commit_callbacks(execute=True):
        send(reporter)

    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "IMG_0001.jpg"
    path = attachment.file.path
    assert "/private/attachments/" in path
    data = attachment.file.read()
    assert b"SpyCamMaker" not in data and b"TrackerPhone" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG"
        assert len(stored.getexif()) == 0
        assert stored.size == (64, 48)
    assert attachment.size == len(data)
    # The waiting copy is gone once the signal is stored.
    assert not waiting.exists()


def test_a_program_renamed_to_jpg_is_refused_and_the_rest_is_kept(reporter, reference_data):
    post_step(reporter, "what", description="The answers so far stay")
    for step in STEPS[1:8]:
        post_step(reporter, step)
    program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000 + b"This program cannot be run"
    response = post_step(
        reporter,
        "photos",
        files=[
            SimpleUploadedFile("holiday.jpg", program, content_type="image/jpeg"),
            SimpleUploadedFile("house.png", png_bytes(), content_type="image/png"),
            SimpleUploadedFile("contract.pdf", pdf_bytes(), content_type="x/y"),
        ],
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“holiday.jpg” is not a photo (JPEG or PNG) or a PDF file." in page
    assert "house.png" in page and "contract.pdf" in page
    post_step(reporter, "photos")
    post_step(reporter, "contact")
    summary = reporter.get(REPORT).content.decode()
    assert "The answers so far stay" in summary
    send(reporter)
    signal = Signal.objects.get()
    assert sorted(signal.attachments.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    pdf = signal.attachments.get(content_type="application/pdf")
    assert PdfReader(pdf.file).pages[0].mediabox.width == 200


def test_too_big_or_too_many_files_are_refused(reporter, reference_data):
    post_step(reporter, "what", description="Files")
    for step in STEPS[1:8]:
        post_step(reporter, step)
    big = b"%PDF" + b"0" * uploads.MAX_BYTES
    response = post_step(reporter, "photos", files=[SimpleUploadedFile("big.pdf", big)])
    assert "“big.pdf” is larger than 10 MB." in response.content.decode()
    small = [SimpleUploadedFile(f"p{n}.png", png_bytes()) for n in range(4)]
    response = post_step(reporter, "photos", files=small)
    assert "You can add at most 3 files. “p3.png” was not added." in response.content.decode()
    upload_id = re.search(r'name="remove" value="([0-9a-f]+)"', response.content.decode()).group(1)
    post_step(reporter, "photos", remove=upload_id)
    assert reporter.get(REPORT).content.decode().count('name="remove"') == 2


def test_files_of_forms_never_sent_are_purged(reporter, reference_data):
    post_step(reporter, "what", description="Left halfway")
    for step in STEPS[1:8]:
        post_step(reporter, step)
    post_step(reporter, "photos", action="upload", files=[SimpleUploadedFile("a.png", png_bytes())])
    waiting = Path(uploads.private_storage().path(uploads.TEMPORARY_FOLDER)) / (
        uuid.UUID(reporter.session["public_report"]["key"]).hex
    )
    assert waiting.is_dir()
    uploads.purge_abandoned_uploads()
    assert waiting.is_dir(), "a form still being filled in keeps its files"
    hours_ago = time.time() - uploads.ABANDONED_AFTER_SECONDS - 60
    os.utime(waiting, (hours_ago, hours_ago))
    assert tasks.purge_abandoned_uploads() >= 1
    assert not waiting.exists()


def test_a_report_is_accepted_and_followed_up_while_redis_is_down(
    reporter, reference_data, services
):
    services.redis.stop()
    try:
        code = quick_report(reporter, description="Sent during a Redis outage")
        opened = open_follow_up(reporter, code)
    finally:
        services.redis.start()
    assert Signal.objects.get().description == "Sent during a Redis outage"
    assert opened.status_code == 302
    assert "Received." in reporter.get(FOLLOW_UP).content.decode()


def test_a_reporter_may_choose_to_keep_photo_metadata_as_evidence(reporter, reference_data):
    post_step(reporter, "what", description="Evidence photo")
    for step in STEPS[1:8]:
        post_step(reporter, step)
    photo = jpeg_with_exif()
    post_step(
        reporter,
        "photos",
        keep_metadata="on",
        files=[SimpleUploadedFile("evidence.jpg", photo)],
    )
    post_step(reporter, "contact")
    send(reporter)
    stored = Attachment.objects.get().file.read()
    assert stored == photo
    with Image.open(io.BytesIO(stored)) as image:
        assert image.getexif()[0x010F] == "SpyCamMaker"
