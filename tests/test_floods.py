"""Floods of (bot) reports: an alert when public reports per hour exceed a multiple of the usual
rate, and the national desk's switch that adds a sum to the public form and bundles
notifications into a digest."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from regions.models import Municipality, Region
from regions.selectors import national_desk
from signals.models import Signal
from tests.factories import SignalFactory
from tests.helpers import signed_in
from tests.test_connections import _coordinator_of
from tests.test_public_report import REPORT, STEPS, post_step, receipt_token
from triage.models import FloodAlert, Notification
from triage.services import check_for_flood, send_flood_digests, set_flood_switch, triage_signal

pytestmark = pytest.mark.django_db


def _public_reports(count: int, *, hours_ago: float) -> None:
    signals = [SignalFactory(source=Signal.Source.PUBLIC) for _ in range(count)]
    Signal.objects.filter(pk__in=[s.pk for s in signals]).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )


def test_the_flood_alert_fires_once_when_reports_exceed_the_usual_rate(reference_data, settings):
    settings.FLOOD_MULTIPLE, settings.FLOOD_MIN_REPORTS, settings.FLOOD_BASELINE_DAYS = 5, 10, 2
    desk = _coordinator_of(national_desk(), kind=Organisation.Kind.NATIONAL_DESK)
    # Usually three reports an hour over the baseline days.
    for day in range(2):
        _public_reports(72, hours_ago=2 + day * 24)
    _public_reports(4, hours_ago=0.5)
    assert check_for_flood() is None  # below the floor of 10
    _public_reports(8, hours_ago=0.2)
    assert check_for_flood() is None  # 12: above the floor, below 5 times the usual 3
    # Professionals' signals do not count; public ones beyond the multiple do.
    SignalFactory.create_batch(30, source=Signal.Source.PROFESSIONAL)
    assert check_for_flood() is None
    _public_reports(20, hours_ago=0.1)
    alert = check_for_flood()
    assert alert is not None and alert.reports == 32 and alert.usual == 3
    [message] = mail.outbox
    assert desk.email in message.bcc and "32 publieke meldingen" in message.body
    assert reverse("coordination:flood") in message.body
    assert check_for_flood() is None  # once an hour
    assert FloodAlert.objects.count() == 1


def _at_the_check_step(reporter) -> str:
    post_step(reporter, "what", description="Many messages at once.")
    for step in STEPS[1:]:
        post_step(reporter, step)
    return reporter.get(REPORT).content.decode()


def test_the_switch_adds_a_sum_to_the_public_form(reporter, reference_data):
    desk = _coordinator_of(national_desk(), kind=Organisation.Kind.NATIONAL_DESK)
    switch_page = signed_in(desk)
    assert (
        "flood measures are off" in switch_page.get(reverse("coordination:flood")).content.decode()
    )
    assert 'name="challenge"' not in _at_the_check_step(reporter)

    switch_page.post(reverse("coordination:flood"), {"switch": "on"})
    page = reporter.get(REPORT).content.decode()
    first, second = map(int, re.search(r"how much is (\d+) plus (\d+)\?", page).groups())
    assert 'name="challenge"' in page
    token = receipt_token(reporter)
    for wrong in ("", str(first + second + 1)):
        response = post_step(reporter, "check", action="send", receipt=token, challenge=wrong)
        assert response.status_code == 400
        assert "That is not the right answer." in response.content.decode()
        assert not Signal.objects.exists()
    # The same sum again (kept with the draft), answered right: sent.
    assert f"how much is {first} plus {second}" in reporter.get(REPORT).content.decode()
    response = post_step(
        reporter, "check", action="send", receipt=token, challenge=f" {first + second} "
    )
    assert response.status_code == 200 and "receipt-code" in response.content.decode()
    assert Signal.objects.count() == 1

    switch_page.post(reverse("coordination:flood"), {"switch": "off"})
    assert (
        "flood measures are off" in switch_page.get(reverse("coordination:flood")).content.decode()
    )
    # Only the national desk has the switch.
    other = _coordinator_of(Region.objects.get(code="AMS"))
    assert signed_in(other).post(reverse("coordination:flood"), {"switch": "on"}).status_code == 404


def test_while_on_new_public_signals_are_announced_in_a_digest(reference_data):
    amsterdam = Region.objects.get(code="AMS")
    coordinator = _coordinator_of(amsterdam)
    set_flood_switch(on=True, by=coordinator)
    place = {
        "location_kind": Signal.LocationKind.MUNICIPALITY,
        "municipality": Municipality.objects.get(code="GM0363"),
    }
    quiet = [SignalFactory(source=Signal.Source.PUBLIC, **place) for _ in range(3)]
    urgent = SignalFactory(source=Signal.Source.PUBLIC, is_urgent=True, **place)
    for signal in [*quiet, urgent]:
        triage_signal(signal.pk)
    assert set(Notification.objects.filter(bundled=True).values_list("signal", flat=True)) == {
        signal.pk for signal in quiet
    }
    assert send_flood_digests() == 1
    assert send_flood_digests() == 0
    digest = [message for message in mail.outbox if "3 nieuwe signalen" in message.subject]
    assert len(digest) == 1 and coordinator.email in digest[0].bcc
    for signal in quiet:
        assert str(signal.public_id) in digest[0].body
    # The urgent one is not in the digest: it has its own mail, queued as ever.
    [unsent] = Notification.objects.filter(sent_at__isnull=True)
    assert unsent.signal == urgent and not unsent.bundled
