"""The language bridge in a real Chromium: a Polish reporter and a Dutch coordinator talk using only
standard phrases and quick replies, each in their own language; Arabic inside a Dutch case page
runs right to left."""

import uuid

import pytest
from django.conf import settings
from django.test import Client

from intake.public.services import PublicReport, post_reporter_message, receive_public_report
from organisations.models import Membership
from regions.models import Municipality, Region
from signals import receipts
from signals.models import Message, Signal
from tests.factories import CoordinationFactory
from tests.helpers import login_professional, member_of
from triage.services import triage_signal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each side must see, and the other side's words that must not show to them.
DUTCH = [
    "Bent u nu veilig?",
    "Mogen we u bellen? Wanneer komt het goed uit?",
    "Bel mij op dit tijdstip: 's Middags, van 12 tot 17 uur",
]
POLISH = [
    "Czy jesteś teraz w bezpiecznym miejscu?",
    "Czy możemy do ciebie zadzwonić? Kiedy będzie dobra pora?",
    "Zadzwońcie do mnie o tej porze: Po południu, od 12 do 17",
]


def _report(language: str, description: str) -> tuple[Signal, str]:
    code = receipts.new_code()
    signal, _created = receive_public_report(
        PublicReport(
            language=language,
            description=description,
            submission_key=uuid.uuid4(),
            receipt_code=code,
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0363"),
        )
    )
    triage_signal(signal.pk)
    return signal, code


def _dutch_coordinator(chromium, live_server):
    """A coordinator of Amsterdam whose browser speaks Dutch, signed in with both factors (before
    the reports come in: triage grants the region's coordinators their access)."""
    coordinator = member_of(
        CoordinationFactory(region=Region.objects.get(code="AMS")), Membership.Role.COORDINATOR
    )
    client = Client()
    login_professional(client, coordinator)
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def _send(page, *, phrase: str, expects: str = "") -> None:
    form = page.locator("form.message-form")
    form.locator("select[name=message-phrase]").select_option(phrase)
    form.locator("select[name=message-expects]").select_option(expects)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages .message-success")


def _in_place(page, click) -> None:
    """Click, and wait until the follow-up page replaced itself (static/js/report.js)."""
    page.evaluate("document.body.dataset.before = 'yes'")
    click()
    page.wait_for_selector("body:not([data-before])", state="attached")


def test_a_polish_reporter_and_a_dutch_coordinator_talk_each_in_their_language(
    page, chromium, live_server, reference_data
):
    context = _dutch_coordinator(chromium, live_server)
    signal, code = _report("pl", "Pracownicy śpią w szklarni.")
    try:
        coordinator = context.new_page()
        case = f"/pro/queue/{signal.public_id}/"
        coordinator.goto(case)
        assert coordinator.locator("html").get_attribute("lang") == "nl"
        # Dutch, the writer's language, is what the free text is marked as by default.
        assert coordinator.locator("select[name=message-language]").input_value() == "nl"
        _send(coordinator, phrase="safe_now", expects="yes_no")

        page.goto("/pl/report/follow-up/")
        page.locator("input[name=code]").fill(code)
        _in_place(page, lambda: page.locator("form:has(input[name=code]) button").click())
        question = page.locator(".message--coordinator").last
        assert question.locator(".message__phrase").inner_text() == POLISH[0]
        assert "Bent u" not in page.locator("main").inner_text()  # folded away...
        question.locator("summary").click()
        assert question.locator("details p").inner_text() == DUTCH[0]  # ...one click away
        _in_place(page, lambda: question.get_by_role("button", name="Tak").click())
        assert "Twoja odpowiedź została wysłana." in page.locator("main").inner_text()

        coordinator.goto(case)
        answer = coordinator.locator(".message--reporter").last
        assert answer.locator(".message__reply [lang=nl]").inner_text() == "Ja"
        assert DUTCH[0] in answer.inner_text()  # what it answers
        _send(coordinator, phrase="may_we_call")

        page.goto("/pl/report/follow-up/")
        page.locator("select[name=call_time]").select_option("afternoon")
        _in_place(page, lambda: page.get_by_role("button", name="Wyślij tę porę").click())

        coordinator.goto(case)
        conversation = coordinator.locator("section:has(#part-conversation)")
        seen = conversation.locator(".message").all_inner_texts()
    finally:
        context.close()

    page.goto("/pl/report/follow-up/")
    reporter_seen = page.locator(".conversation").inner_text()
    coordinator_seen = "\n".join(seen)
    for dutch, polish in zip(DUTCH, POLISH, strict=True):
        assert dutch in coordinator_seen and polish not in coordinator_seen
        assert polish in reporter_seen and dutch not in reporter_seen
    for polish_word in ("Tak", "Po południu"):
        assert polish_word not in coordinator_seen
    assert Message.objects.filter(signal=signal).exclude(body="").count() == 0  # no free text


def test_an_arabic_description_runs_right_to_left_inside_a_dutch_case_page(
    chromium, live_server, reference_data
):
    context = _dutch_coordinator(chromium, live_server)
    signal, _code = _report("ar", "العمال ينامون في الدفيئة.")
    post_reporter_message(signal, body="صاحب العمل يأخذ جوازات السفر.", language="ar")
    try:
        page = context.new_page()
        page.goto(f"/pro/queue/{signal.public_id}/")
        direction = "element => getComputedStyle(element).direction"
        assert page.locator("html").evaluate(direction) == "ltr"
        description = page.locator(".signal-description")
        assert description.get_attribute("lang") == "ar"
        assert description.evaluate(direction) == "rtl"
        assert description.locator("p").evaluate(direction) == "rtl"
        message = page.locator(".message--reporter .message__body")
        assert message.evaluate(direction) == "rtl"
        # The full stop ends the sentence on its left, where Arabic ends, not on the right.
        first, stop = description.locator("p").evaluate(
            """p => {
                const text = p.firstChild, range = document.createRange();
                range.setStart(text, 0); range.setEnd(text, 1);
                const first = range.getBoundingClientRect().left;
                range.setStart(text, text.length - 1); range.setEnd(text, text.length);
                return [first, range.getBoundingClientRect().left];
            }"""
        )
        assert stop < first
    finally:
        context.close()
