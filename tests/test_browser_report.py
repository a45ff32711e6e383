"""The public report form in a real Chromium: Polish, Arabic (right to left), without JavaScript."""

import io
import re

import pytest
from PIL import Image

from coordination import services as coordination_services
from signals.models import Attachment, Message, Signal
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


@pytest.fixture
def photo(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "SpyCamMaker"
    path = tmp_path / "zdjecie.jpg"
    output = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 10)).save(output, format="JPEG", exif=exif.tobytes())
    path.write_bytes(output.getvalue())
    return path


def press(page, value: str) -> None:
    """Press a button of the form and wait for the next page: loaded as a new document without
    JavaScript, put in place of the old one with it (static/js/report.js)."""
    page.evaluate("document.body.dataset.before = 'yes'")
    page.locator(f"button[name=action][value={value}]").click()
    page.wait_for_selector("body:not([data-before])", state="attached")


def report_through_the_funnel(page, language: str, photo=None, javascript=True) -> str:
    """Answer every step as a reporter would and send; returns the receipt code shown."""
    page.goto(f"/{language}/report/")
    assert page.locator(".steps li").count() == 12
    assert page.locator(".steps li[aria-current=step]").count() == 1
    if page.locator("input[name=about]").count():
        page.locator("input[name=about][value=other]").check()
        press(page, "next")
    page.locator("textarea[name=description]").fill("Mężczyzna zabiera paszporty pracownikom.")
    press(page, "next")
    page.locator("input[name=place][value=municipality]").check()
    page.locator("input[name=municipality]").fill("Utrecht")
    press(page, "next")
    page.locator("input[name=occurred_when]").fill("2026-11-20")
    press(page, "next")
    page.locator("input[name=people_count]").fill("3")
    page.locator("input[name=minor][value=no]").check()
    press(page, "next")
    page.locator("input[name=involved_phone]").fill("06 1234 5678")
    page.locator("input[name=involved_company]").fill("Szklarnia BV")
    press(page, "next")
    press(page, "next")  # kind of situation: skipped
    press(page, "next")  # indicators: skipped
    page.locator("input[name=danger][value=yes]").check()
    press(page, "next")
    assert page.locator("a[href='tel:112']").first.is_visible()
    if photo is not None:
        page.locator("input[name=files]").set_input_files(str(photo))
        press(page, "upload")
        assert photo.name in page.locator(".upload-list").inner_text()
    press(page, "next")
    if javascript:
        # With JavaScript the contact fields show only for a reporter who wants contact.
        assert not page.locator("input[name=phone]").is_visible()
        page.locator("input[name=contact][value=contact]").check()
        assert page.locator("input[name=phone]").is_visible()
        page.locator("input[name=contact][value=anonymous]").check()
    else:
        assert page.locator("input[name=phone]").is_visible()
    press(page, "next")  # contact: anonymous
    summary = page.locator(".summary-list").inner_text()
    assert "Utrecht" in summary and "paszporty" in summary and "+31612345678" in summary
    press(page, "send")
    code = page.locator(".receipt-code").inner_text().strip()
    assert CODE.match(code)
    # Printing needs the script; saving as a file and finishing do not.
    assert page.locator("button[data-print]").is_visible() == javascript
    page.locator("input[name=last_four]").fill(code[-4:].lower())
    press(page, "confirm")
    assert page.locator(".receipt-code").count() == 0
    assert page.locator("input[name=last_four]").count() == 0
    return code


def follow_up_with_a_message_each_way(page, language: str, code: str) -> None:
    page.goto(f"/{language}/report/follow-up/")
    page.locator("input[name=code]").fill(code.lower())
    page.evaluate("document.body.dataset.before = 'yes'")
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    page.wait_for_selector("body:not([data-before])", state="attached")
    assert code not in page.url
    page.locator("textarea[name=body]").fill("Samochód to szary van.")
    page.evaluate("document.body.dataset.before = 'yes'")
    page.locator("form:has(textarea[name=body]) button[type=submit]").click()
    page.wait_for_selector("body:not([data-before])", state="attached")
    signal = Signal.objects.get()
    assert Message.objects.get(signal=signal).body == "Samochód to szary van."
    coordinator = UserFactory(email=f"c-{language}@example.nl")
    coordination_services.write_to_reporter(
        signal, by=coordinator, body="Dziękujemy. Gdzie stoi van?", language="pl"
    )
    page.reload()
    conversation = page.locator(".conversation").inner_text()
    assert "Samochód to szary van." in conversation
    assert "Dziękujemy. Gdzie stoi van?" in conversation


def test_whole_report_in_polish_with_a_photo_and_follow_up(page, reference_data, photo):
    code = report_through_the_funnel(page, "pl", photo)
    assert page.locator("html").get_attribute("lang") == "pl"
    signal = Signal.objects.get()
    assert signal.language == "pl"
    assert signal.is_urgent and signal.municipality.name == "Utrecht"
    attachment = Attachment.objects.get(signal=signal)
    assert b"SpyCamMaker" not in attachment.file.read()
    follow_up_with_a_message_each_way(page, "pl", code)


def test_whole_report_in_arabic_reads_right_to_left(page, reference_data, photo):
    page.goto("/ar/report/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    code = report_through_the_funnel(page, "ar", photo)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert Signal.objects.get().language == "ar"
    follow_up_with_a_message_each_way(page, "ar", code)


def test_report_works_with_javascript_switched_off(chromium, live_server, reference_data):
    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/pl/report/")
        press(page, "next")  # about someone else, or skipped
        # An error is shown next to the field, and stepping goes on after it is fixed.
        press(page, "next")
        assert page.locator(".form-field--invalid textarea[name=description]").count() == 1
        code = report_through_the_funnel(page, "pl", javascript=False)
        assert Signal.objects.count() == 1
        follow_up_with_a_message_each_way(page, "pl", code)
    finally:
        context.close()
