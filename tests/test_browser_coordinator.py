"""In real Chromium, with a real worker: a public report is triaged, the coordinator picks it up
and writes to the anonymous reporter, and the reporter reads it with the receipt code."""

import uuid

import pytest

from devstack.worker import wait_for
from intake.public.services import PublicReport, receive_public_report
from organisations.models import Membership
from regions.models import Municipality, Region
from signals import receipts
from signals.models import Signal
from tests.factories import CoordinationFactory
from tests.helpers import current_totp, member_of, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lange-zin-met-woorden-42"


def test_a_coordinator_picks_up_a_report_and_writes_to_the_anonymous_reporter(
    page, reference_data, celery_worker
):
    coordination = CoordinationFactory(
        name="Zorgcoördinatie Amsterdam", region=Region.objects.get(code="VR13")
    )
    coordinator = member_of(
        coordination, Membership.Role.COORDINATOR, email="zc@amsterdam.test", password=PASSWORD
    )
    device = totp_device(coordinator)

    code = receipts.new_code()
    signal, _created = receive_public_report(
        PublicReport(
            language="pl",
            description="Pracownicy śpią w szklarni.",
            submission_key=uuid.uuid4(),
            receipt_code=code,
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0363"),
        )
    )
    wait_for(lambda: Signal.objects.get(pk=signal.pk).status == Signal.Status.TRIAGED, timeout=30)

    page.goto("/pro/queue/")
    page.locator("input[name=username]").fill(coordinator.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/pro/login/'] button[type=submit]").click()
    page.wait_for_url("**/pro/2fa/verify/")
    page.locator("input[name=token]").fill(current_totp(device))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/pro/queue/")

    page.get_by_role("link", name="Pracownicy śpią w szklarni.").click()
    page.wait_for_url(f"**/pro/queue/{signal.public_id}/")
    page.get_by_label("New status").select_option("in_progress")
    page.get_by_label("Why").first.fill("Opgepakt, contact gezocht")
    page.get_by_role("button", name="Change status").click()
    assert page.locator("#signal-status").inner_text() == "In progress"

    page.get_by_label("Message to the reporter").fill("Dziękujemy. Czy możesz podać adres?")
    assert page.get_by_label("Written in").input_value() == "pl"
    page.get_by_role("button", name="Send to the reporter").click()
    main_text = page.locator("main").inner_text()
    assert "The message was sent to the reporter." in main_text, main_text[-1500:]

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
        assert "Dziękujemy. Czy możesz podać adres?" in text
        assert "Pracownicy śpią w szklarni." in text or code not in follow_up.url
    finally:
        reporter.close()
