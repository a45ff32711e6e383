"""In real Chromium, with a real worker: a coordinator takes an urgent public report from the mail
link to a closed case using only what the case page shows, calls back the reporter who asked for
it, and writes to them; the reporter reads it with the receipt code."""

import re
import uuid
from urllib.parse import urlsplit

import pytest

from devstack.worker import wait_for
from intake.public.services import PublicReport, post_reporter_message, receive_public_report
from organisations.models import Membership
from regions.models import Municipality, Region
from signals import receipts
from signals.models import Signal, SignalEvent
from tests.factories import CoordinationFactory, PersonFactory, PhoneNumberFactory
from tests.helpers import current_totp, member_of, totp_device, triaged_signal_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lange-zin-met-woorden-42"
REPORTER_PHONE = "+48601234567"


def test_a_coordinator_takes_a_case_from_the_mail_link_to_closed(
    page, reference_data, celery_worker
):
    for path in celery_worker.mail_dir.iterdir():
        path.unlink()
    amsterdam, rotterdam = Region.objects.get(code="AMS"), Region.objects.get(code="RTM")
    coordination = CoordinationFactory(
        name="Zorgcoördinatie Amsterdam", region=amsterdam, email="zc@amsterdam.test"
    )
    coordinator = member_of(
        coordination, Membership.Role.COORDINATOR, email="zc-1@amsterdam.test", password=PASSWORD
    )
    device = totp_device(coordinator)
    # The other area's contact on the connection card is its published one.
    rotterdam.contacts.update(phone="010 123 45 67")
    # Rotterdam knows the boss's number from a police signal.
    elsewhere = triaged_signal_in("GM0599", source=Signal.Source.PROFESSIONAL)
    PhoneNumberFactory(person=PersonFactory(signal=elsewhere), number="+31612345678")

    code = receipts.new_code()
    signal, _created = receive_public_report(
        PublicReport(
            language="pl",
            description="Pracownicy śpią w szklarni. Szef dzwoni z 06-12345678.",
            submission_key=uuid.uuid4(),
            receipt_code=code,
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0363"),
            is_urgent=True,
            contact_name="Kasia",
            contact_phone=REPORTER_PHONE,
        )
    )
    wait_for(lambda: Signal.objects.get(pk=signal.pk).linked_at, timeout=30)
    post_reporter_message(signal, body="Jutro przyjedzie autobus.", language="pl")

    # The mail (in Dutch): urgent, no personal data, a link to the case page.
    case_path = f"/pro/queue/{signal.public_id}/"
    mail = wait_for(
        lambda: next((m for m in celery_worker.mails() if case_path in m), None), timeout=30
    )
    assert "SPOED" in mail and "Pracownicy" not in mail and REPORTER_PHONE not in mail
    link = re.search(r"http\S+/pro/queue/\S+/", mail).group(0)
    assert link.endswith(case_path)

    page.goto(urlsplit(link).path)
    page.locator("input[name=username]").fill(coordinator.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action^='/pro/login/'] button[type=submit]").click()
    page.wait_for_url("**/pro/2fa/verify/")
    page.locator("input[name=token]").fill(current_totp(device))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/pro/queue/{signal.public_id}/")

    # Everything to act on is on the page, in order; reading it cleared the reporter's news.
    main = page.locator("main")
    summary = main.locator("#part-summary + .summary-list").inner_text()
    assert "danger now" in summary and "someone is in danger now → priority urgent" in summary
    assert "Amsterdam" in summary
    assert "Pracownicy śpią w szklarni." in main.locator(".signal-description").inner_text()
    assert main.locator(".signal-description").get_attribute("lang") == "pl"
    assert "+31612345678" in main.locator("#part-people").locator("..").inner_text()
    contact = main.locator(".reporter-contact").inner_text()
    assert "called back" in contact and "Polish" in contact and "Kasia" in contact
    connection = main.locator(".connection").inner_text()
    assert "Rotterdam" in connection and elsewhere.public_id.hex[:8] in connection
    assert "010 123 45 67" in connection
    assert "Jutro przyjedzie autobus." in main.locator(".message--reporter").inner_text()
    assert "unread" not in page.locator(".pro-nav").inner_text()

    page.get_by_label("Assign to").select_option(label=coordinator.email)
    page.get_by_role("button", name="Save assignment").click()
    assert page.locator("#signal-assignee").inner_text() == coordinator.email

    page.get_by_label("New status").select_option("in_progress")
    page.get_by_label("Why", exact=True).first.fill("Opgepakt: melder terugbellen")
    page.get_by_role("button", name="Change status").click()
    assert page.locator("#signal-status").inner_text() == "In progress"

    # The call back: the number comes from the page, the call is recorded in a note.
    number = page.locator(".reporter-phone").inner_text()
    assert number == REPORTER_PHONE
    assert page.locator(".reporter-phone").get_attribute("href") == f"tel:{REPORTER_PHONE}"
    page.get_by_label("Internal note").fill(f"Teruggebeld op {number} met tolk Pools: veilig.")
    page.get_by_role("button", name="Add note").click()
    assert f"Teruggebeld op {number}" in page.locator(".note").first.inner_text()

    page.get_by_label("Message to the reporter").fill("Dziękujemy za rozmowę. Pomoc jest w drodze.")
    # "Written in" is the writer's language, Dutch, until the coordinator says otherwise.
    assert page.get_by_label("Written in").input_value() == "nl"
    page.get_by_label("Written in").select_option("pl")
    page.get_by_role("button", name="Send to the reporter").click()
    assert "The message was sent to the reporter." in page.locator("main").inner_text()

    for status, reason in (("care_arranged", "Opvang geregeld"), ("closed", "Afgerond")):
        page.get_by_label("New status").select_option(status)
        page.get_by_label("Why", exact=True).first.fill(reason)
        page.get_by_role("button", name="Change status").click()
    assert page.locator("#signal-status").inner_text() == "Closed"
    history = page.locator(".timeline").inner_text()
    assert "Status changed from “Care arranged” to “Closed”" in history
    assert Signal.objects.get(pk=signal.pk).status == Signal.Status.CLOSED
    assert signal.events.filter(kind=SignalEvent.Kind.STATUS_CHANGED).count() == 3

    reporter = page.context.browser.new_context(base_url=page.url.split("/pro/")[0])
    try:
        follow_up = reporter.new_page()
        follow_up.goto("/pl/report/follow-up/")
        follow_up.locator("input[name=code]").fill(code)
        # The follow-up page replaces itself in place (static/js/report.js): no navigation.
        follow_up.evaluate("document.body.dataset.before = 'yes'")
        follow_up.locator("form:has(input[name=code]) button[type=submit]").click()
        follow_up.wait_for_selector("body:not([data-before])", state="attached")
        text = follow_up.locator("main").inner_text()
        assert "Dziękujemy za rozmowę. Pomoc jest w drodze." in text
    finally:
        reporter.close()
