"""The reporter's channel behind the receipt code: files sent later, structured questions and
their answers, quick replies read in Dutch, an interpreter asked for and arranged, notices that
there is news, and a channel that closing the case never closes."""

import io
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image

from coordination import services as coordination
from inbox.models import UnreadMark
from intake.public import services as public
from intake.public.views import FOLLOW_UP
from monitor.selectors import FixedPeriod, all_tables, year_tables
from organisations.models import Membership
from regions.models import Municipality, Region
from signals import receipts
from signals.models import (
    Attachment,
    InterpreterRequest,
    Message,
    NewsNotice,
    Signal,
    SignalEvent,
)
from tests.factories import CoordinationFactory
from tests.helpers import address_of_its_own, member_of, signed_in
from triage.services import triage_signal

pytestmark = pytest.mark.django_db


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCamMaker"  # Make
    exif[0x0132] = "2026:11:01 23:59:59"  # DateTime
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(output, format="JPEG", exif=exif.tobytes())
    return output.getvalue()


@pytest.fixture
def case(reference_data):
    """A Polish public report in Amsterdam, routed, its coordinator, and the reporter's browser
    with the follow-up page open (as typing the code opens it)."""
    coordinator = member_of(
        CoordinationFactory(region=Region.objects.get(code="AMS")), Membership.Role.COORDINATOR
    )
    signal, _created = public.receive_public_report(
        public.PublicReport(
            language="pl",
            description="Pracownicy śpią w szklarni.",
            submission_key=uuid.uuid4(),
            receipt_code=receipts.new_code(),
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0363"),
        )
    )
    triage_signal(signal.pk)
    reporter = Client(REMOTE_ADDR=address_of_its_own())
    session = reporter.session
    session[FOLLOW_UP] = {"signal": str(signal.public_id), "until": time.time() + 600}
    session.save()
    return Signal.objects.get(pk=signal.pk), coordinator, reporter


FOLLOW_UP_PAGE = "/pl/report/follow-up/"


def _events(signal: Signal, user) -> list[str]:
    mark = UnreadMark.objects.filter(signal=signal, user=user).first()
    return mark.events if mark else []


def test_a_photo_sent_on_the_follow_up_page_reaches_the_case_without_its_metadata(case):
    signal, coordinator, reporter = case
    response = reporter.post(
        FOLLOW_UP_PAGE,
        {
            "action": "reply",
            "files": [SimpleUploadedFile("IMG_7.JPG", jpeg_with_exif(), "image/jpeg")],
        },
    )
    assert response.status_code == 302

    attachment = Attachment.objects.get(signal=signal)
    assert attachment.message.author_kind == Message.Author.REPORTER
    assert (attachment.original_name, attachment.content_type) == ("IMG_7.jpg", "image/jpeg")
    data = attachment.file.read()
    assert b"SpyCamMaker" not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert len(stored.getexif()) == 0 and stored.size == (64, 48)
    assert UnreadMark.Event.REPORTER_FILES in _events(signal, coordinator)

    page = signed_in(coordinator).get(f"/pro/queue/{signal.public_id}/").content.decode()
    assert "IMG_7.jpg" in page and "sent later by the reporter" in page
    download = signed_in(coordinator).get(
        f"/pro/signals/{signal.public_id}/attachments/{attachment.public_id}/"
    )
    assert b"".join(download.streaming_content) == data
    reporter_page = reporter.get(FOLLOW_UP_PAGE)
    assert "IMG_7.jpg" in reporter_page.content.decode()
    assert "no-store" in reporter_page["Cache-Control"]


def test_a_refused_file_sends_nothing_and_keeps_the_words(case):
    signal, _coordinator, reporter = case
    response = reporter.post(
        FOLLOW_UP_PAGE,
        {
            "action": "reply",
            "body": "Zdjęcie szklarni w załączniku.",
            "files": [SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "photo.jpg" in page.split('class="form-error"')[1]
    assert 'aria-invalid="true"' in page
    assert "Zdjęcie szklarni w załączniku.</textarea>" in page
    assert not Message.objects.filter(signal=signal).exists()
    assert reporter.post(FOLLOW_UP_PAGE, {"action": "reply"}).status_code == 200
    too_long = reporter.post(
        FOLLOW_UP_PAGE, {"action": "reply", "body": "x" * (Message.BODY_MAX_LENGTH + 1)}
    )
    assert too_long.status_code == 200
    assert not Message.objects.filter(signal=signal).exists()


def test_structured_questions_are_answered_in_the_way_asked(case):
    signal, coordinator, reporter = case
    safe = coordination.write_to_reporter(
        signal, by=coordinator, phrase="safe_now", expects="yes_no"
    )
    photo = coordination.write_to_reporter(
        signal,
        by=coordinator,
        phrase="send_photo",
        phrase_params={"item": "advert"},
        expects="photo",
    )
    page = reporter.get(FOLLOW_UP_PAGE).content.decode()
    # In Polish, with the Dutch original folded away; one answer form per open question.
    assert "Czy jesteś teraz w bezpiecznym miejscu?" in page
    assert "ogłoszenie lub oferta pracy" in page
    assert '<p lang="nl" dir="auto">Bent u nu veilig?</p>' in page
    assert f'value="{safe.public_id}"' in page and f'value="{photo.public_id}"' in page

    reporter.post(
        FOLLOW_UP_PAGE, {"action": "quick", "reply": "yes", "question": str(safe.public_id)}
    )
    answer = Message.objects.get(in_reply_to=safe)
    assert (answer.reply, answer.author_kind) == ("yes", Message.Author.REPORTER)
    assert _events(signal, coordinator) == [UnreadMark.Event.ANSWER]

    reporter.post(
        FOLLOW_UP_PAGE,
        {
            "action": "reply",
            "question": str(photo.public_id),
            "files": [SimpleUploadedFile("ad.png", _png(), "image/png")],
        },
    )
    answer = Message.objects.get(in_reply_to=photo)
    assert answer.attachments.get().content_type == "image/png"
    page = reporter.get(FOLLOW_UP_PAGE).content.decode()
    assert f'value="{safe.public_id}"' not in page  # answered: no form any more
    # A late second answer from another tab is a message of its own; its error shows too.
    stale = reporter.post(
        FOLLOW_UP_PAGE,
        {
            "action": "reply",
            "question": str(safe.public_id),
            "body": "Jednak nie.",
            "files": [SimpleUploadedFile("x.jpg", b"not a photo", "image/jpeg")],
        },
    ).content.decode()
    assert 'id="reply-files"' in stale and "x.jpg" in stale.split('class="form-error"')[1]
    assert "Jednak nie.</textarea>" in stale

    case_page = signed_in(coordinator).get(f"/pro/queue/{signal.public_id}/").content.decode()
    assert "Answer to:" in case_page and "answered" in case_page


def test_quick_replies_reach_the_coordinator_in_dutch(case):
    signal, coordinator, reporter = case
    coordination.write_to_reporter(signal, by=coordinator, phrase="may_we_call")
    page = reporter.get(FOLLOW_UP_PAGE).content.decode()
    assert "Szybka odpowiedź" in page
    reporter.post(
        FOLLOW_UP_PAGE, {"action": "quick", "reply": "call_time", "call_time": "afternoon"}
    )
    bad = reporter.post(FOLLOW_UP_PAGE, {"action": "quick", "reply": "phone", "phone": "12"})
    assert bad.status_code == 200 and 'value="12"' in bad.content.decode()
    reporter.post(FOLLOW_UP_PAGE, {"action": "quick", "reply": "phone", "phone": "06-1234 5678"})
    replies = list(
        Message.objects.filter(signal=signal, author_kind="reporter").values_list(
            "reply", "reply_value"
        )
    )
    assert replies == [("call_time", "afternoon"), ("phone", "+31612345678")]

    # Read in Dutch whatever the coordinator's own page language (English here).
    case_page = signed_in(coordinator).get(f"/pro/queue/{signal.public_id}/").content.decode()
    assert "Bel mij op dit tijdstip: &#x27;s Middags, van 12 tot 17 uur" in case_page
    assert "Mijn telefoonnummer: +31612345678" in case_page
    assert "Mogen we u bellen? Wanneer komt het goed uit?" in case_page
    assert "Po południu" not in case_page


def test_the_coordinator_writes_in_dutch_unless_told_otherwise(case):
    signal, coordinator, _reporter = case
    client = signed_in(coordinator)
    page = client.get(f"/pro/queue/{signal.public_id}/").content.decode()
    assert '<option value="nl" selected>' in page
    url = f"/pro/queue/{signal.public_id}/messages/"
    empty = client.post(url, {"message-language": "nl", "message-body": ""})
    assert empty.status_code == 400
    assert "Choose a standard phrase or write a message." in empty.content.decode()
    wordless = client.post(url, {"message-language": "nl", "message-phrase": "tell_more"})
    assert "needs a word from its own list" in wordless.content.decode()
    client.post(
        url,
        {
            "message-language": "nl",
            "message-phrase": "tell_more",
            "message-word": "topic:boss",
            "message-expects": "text",
            "message-body": "Bijvoorbeeld zijn naam.",
        },
    )
    message = Message.objects.get(signal=signal)
    assert (message.phrase, message.phrase_params, message.expects, message.language) == (
        "tell_more",
        {"topic": "boss"},
        "text",
        "nl",
    )


def test_closing_a_case_never_closes_the_reporters_channel(case):
    signal, coordinator, reporter = case
    for status in (Signal.Status.IN_PROGRESS, Signal.Status.CARE_ARRANGED, Signal.Status.CLOSED):
        coordination.move_signal(signal, by=coordinator, to_status=status, reason="Afgerond")
    page = reporter.get(FOLLOW_UP_PAGE).content.decode()
    assert 'class="channel-open"' in page and 'name="body"' in page and 'name="files"' in page

    reporter.post(
        FOLLOW_UP_PAGE,
        {
            "action": "reply",
            "body": "Oni wrócili.",
            "files": [SimpleUploadedFile("van.png", _png(), "image/png")],
        },
    )
    assert Message.objects.get(signal=signal).body == "Oni wrócili."
    assert Attachment.objects.filter(signal=signal).count() == 1
    assert set(_events(signal, coordinator)) == {"reporter_reply", "reporter_files"}
    # The coordinator can still write back, and is read.
    case_page = signed_in(coordinator).get(f"/pro/queue/{signal.public_id}/").content.decode()
    assert "Oni wrócili." in case_page and 'action="/pro/queue/' in case_page
    coordination.write_to_reporter(signal, by=coordinator, phrase="still_here")
    assert "zawsze możesz do nas tutaj napisać" in reporter.get(FOLLOW_UP_PAGE).content.decode()


def test_an_interpreter_is_asked_for_shown_and_arranged(case):
    signal, coordinator, reporter = case
    reporter.post(
        FOLLOW_UP_PAGE,
        {"action": "interpreter", "interpreter": "in_person", "interpreter_language": "uk"},
    )
    request = InterpreterRequest.objects.get(signal=signal)
    assert (request.language, request.mode, request.via) == ("uk", "in_person", "follow_up")
    assert UnreadMark.Event.INTERPRETER in _events(signal, coordinator)
    page = reporter.get(FOLLOW_UP_PAGE).content.decode()
    assert "Poprosiłeś/poprosiłaś o tłumacza" in page and 'name="interpreter"' not in page

    client = signed_in(coordinator)
    case_page = client.get(f"/pro/queue/{signal.public_id}/").content.decode()
    assert "Ukrainian, in person: asked on the follow-up page" in case_page
    client.post(f"/pro/queue/{signal.public_id}/interpreters/{request.public_id}/arranged/")
    request.refresh_from_db()
    assert request.arranged_at is not None and request.arranged_by == coordinator
    history = client.get(f"/pro/queue/{signal.public_id}/").content.decode()
    assert "Interpreter arranged: Ukrainian, in person" in history
    assert signal.events.filter(kind=SignalEvent.Kind.INTERPRETER_ARRANGED).count() == 1
    assert (
        "Tłumacz został dla ciebie zorganizowany." in reporter.get(FOLLOW_UP_PAGE).content.decode()
    )


def test_the_funnel_asks_for_an_interpreter_and_when_as_a_choice(reference_data):
    reporter = Client(REMOTE_ADDR=address_of_its_own())
    report = "/pl/report/"
    reporter.post(report, {"step": "what", "action": "next", "description": "Praca w nocy."})
    reporter.post(report, {"step": "when", "action": "next", "period": "ongoing"})
    for step in ("where", "who", "involved", "kind", "signs", "danger", "photos"):
        reporter.post(report, {"step": step, "action": "next"})
    page = reporter.get(report).content.decode()
    assert 'lang="uk">Українська</option>' in page  # each language named in itself
    reporter.post(
        report,
        {
            "step": "contact",
            "action": "next",
            "contact": "anonymous",
            "interpreter": "phone",
            "interpreter_language": "pl",
        },
    )
    check = reporter.get(report).content.decode()
    assert "Tak, przez telefon: Polski" in check and "To nadal trwa" in check
    token = check.split('name="receipt" value="')[1].split('"')[0]
    reporter.post(report, {"step": "check", "action": "send", "receipt": token})
    signal = Signal.objects.get()
    assert signal.occurred_period == Signal.OccurredPeriod.ONGOING
    request = signal.interpreter_requests.get()
    assert (request.language, request.mode, request.via) == ("pl", "phone", "report")


def test_the_monitor_counts_interpreter_requests_by_language_with_suppression(case):
    signal = case[0]
    for language, count in (("pl", 6), ("ar", 2)):
        for _ in range(count):
            InterpreterRequest.objects.create(signal=signal, language=language, mode="phone")
    today = timezone.localdate()
    index = next(i for i, t in enumerate(year_tables(today.year)) if t.universe == "interpreters")
    table = all_tables(FixedPeriod(today.year, "month", today.month))[index]
    # Two Arabic requests are "<5"; the Polish count is hidden too, or the total would give the
    # Arabic count away (the run's language is Dutch: the labels are).
    assert {cell.label: cell.shown for cell in table.cells} == {"Arabisch": "<5", "Pools": "·"}
    assert table.total == "8"


def test_a_reporter_who_asked_gets_a_content_free_notice_once(case, settings):
    signal, coordinator, reporter = case
    coordination.write_to_reporter(signal, by=coordinator, phrase="thanks")
    assert public.send_news_notices(now=timezone.now() + timedelta(days=1)) == 0  # not asked

    reporter.post(FOLLOW_UP_PAGE, {"action": "notice", "email": "Kasia@Example.PL"})
    notice = NewsNotice.objects.get(signal=signal)
    assert (notice.email, notice.language) == ("kasia@example.pl", "pl")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM signals_newsnotice")
        assert "kasia" not in cursor.fetchone()[0]  # encrypted at rest

    coordination.write_to_reporter(signal, by=coordinator, body="Dziękujemy.", language="pl")
    coordination.write_to_reporter(signal, by=coordinator, phrase="more_time")
    later = timezone.now() + settings.NEWS_NOTICE_AFTER + timedelta(seconds=1)
    assert public.send_news_notices(now=timezone.now()) == 0  # waits, to bundle messages
    assert public.send_news_notices(now=later) == 1
    assert public.send_news_notices(now=later) == 0
    (sent,) = mail.outbox
    assert sent.to == ["kasia@example.pl"] and sent.subject == "Jest dla ciebie nowa wiadomość"
    assert "/pl/report/follow-up/" in sent.body
    for content in ("Dziękujemy", "handel", "mensenhandel", "Meldpunt", "koordynator"):
        assert content not in sent.subject + sent.body
    html = sent.alternatives[0][0]
    assert '<html lang="pl" dir="ltr">' in html

    # News the reporter read on the page needs no notice; stopping forgets the address.
    coordination.write_to_reporter(signal, by=coordinator, phrase="read_it")
    reporter.get(FOLLOW_UP_PAGE)
    assert public.send_news_notices(now=later + timedelta(hours=1)) == 0
    reporter.post(FOLLOW_UP_PAGE, {"action": "stop_notices"})
    assert not NewsNotice.objects.exists()


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(output, format="PNG")
    return output.getvalue()
