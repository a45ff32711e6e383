"""Retention that fits the work: a hold on one case, a weekly warning to each area of what loses
its personal data next week, and a destruction list without content."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coordination.services import lift_retention_hold, place_retention_hold
from intake.public.services import post_reporter_message
from organisations.models import Membership
from privacy.models import DestructionRecord
from privacy.services import apply_retention, send_retention_digests
from regions.models import Region
from signals.models import Person, RetentionHold, Signal
from tests.helpers import member_of, signed_in
from tests.test_connections import _coordinator_of
from tests.test_retention import _full_signal
from triage.services import triage_signal

pytestmark = pytest.mark.django_db

CLOSED_DAYS = 5 * 365


def test_a_held_case_keeps_its_data_past_its_period_and_loses_it_after_the_hold(
    reference_data, settings
):
    settings.RETENTION_DAYS = {"closed": CLOSED_DAYS}
    held = _full_signal("closed", days_unchanged=CLOSED_DAYS + 1)
    other = _full_signal("closed", days_unchanged=CLOSED_DAYS + 1)
    coordinator = _coordinator_of(Region.objects.get(code="AMS"))
    today = timezone.localdate()
    hold = place_retention_hold(
        held, by=coordinator, reason="Strafzaak 12/345678-26", ends_on=today + timedelta(days=30)
    )

    assert apply_retention().anonymised == 1
    held.refresh_from_db()
    assert held.anonymised_at is None and held.description.startswith("Ana")
    assert Person.objects.filter(signal=held).exists()
    assert Signal.objects.get(pk=other.pk).anonymised_at is not None

    # The day after the hold ends, the usual period applies again.
    after = timezone.now() + timedelta(days=31)
    assert apply_retention(now=after).anonymised == 1
    held.refresh_from_db()
    assert held.anonymised_at is not None and held.description == ""
    assert not Person.objects.filter(signal=held).exists()
    assert RetentionHold.objects.get(pk=hold.pk).reason == ""

    # The destruction list: what went and when, counted, no content.
    record = DestructionRecord.objects.get(signal=held)
    assert record.grounds == "retention" and record.status == "closed"
    # Deleting a person deletes its phone numbers with it: two rows.
    assert record.removed == {"persons": 2, "messages": 1, "attachments": 1, "notes": 1}
    assert "Ana" not in str(record.removed)


def test_a_lifted_hold_or_an_ended_one_protects_nothing(reference_data, settings):
    settings.RETENTION_DAYS = {"closed": CLOSED_DAYS}
    signal = _full_signal("closed", days_unchanged=CLOSED_DAYS + 1)
    coordinator = _coordinator_of(Region.objects.get(code="AMS"))
    hold = place_retention_hold(
        signal, by=coordinator, reason="OM", ends_on=timezone.localdate() + timedelta(days=5)
    )
    lift_retention_hold(signal, hold_id=hold.public_id, by=coordinator)
    assert apply_retention().anonymised == 1


def test_holds_are_placed_and_lifted_on_the_case_page(world):
    signal = world.signal_a
    client = signed_in(world.coordinator_x)
    url = reverse("coordination:hold", args=[signal.public_id])
    past = client.post(url, {"hold-reason": "OM", "hold-ends_on": "2000-01-01"})
    assert past.status_code == 400 and "must be in the future" in past.content.decode()
    ends_on = timezone.localdate() + timedelta(days=60)
    response = client.post(url, {"hold-reason": "Strafzaak", "hold-ends_on": ends_on.isoformat()})
    assert response.status_code == 302
    hold = RetentionHold.objects.get(signal=signal)
    page = client.get(reverse("coordination:case", args=[signal.public_id])).content.decode()
    assert "Strafzaak" in page and "Personal data held past the retention period" in page
    lift = reverse("coordination:lift_hold", args=[signal.public_id, hold.public_id])
    assert client.post(lift).status_code == 302
    assert RetentionHold.objects.get(pk=hold.pk).lifted_at is not None
    # Not for someone who does not handle the case.
    assert signed_in(world.coordinator_y).post(url, {}).status_code == 404


def _routed(signal: Signal) -> Signal:
    """Triaged (routed to its area's coordinators), then back as it was: closed, unchanged."""
    status, updated_at = signal.status, signal.updated_at
    Signal.objects.filter(pk=signal.pk).update(status=Signal.Status.NEW)
    triage_signal(signal.pk)
    Signal.objects.filter(pk=signal.pk).update(status=status, updated_at=updated_at)
    signal.refresh_from_db()
    return signal


def test_each_area_hears_once_a_week_what_loses_its_data_next_week(reference_data, settings):
    settings.RETENTION_DAYS = {"closed": CLOSED_DAYS}
    amsterdam = Region.objects.get(code="AMS")
    coordinator = _coordinator_of(amsterdam)
    soon = _routed(_full_signal("closed", days_unchanged=CLOSED_DAYS - 3))
    later = _routed(_full_signal("closed", days_unchanged=CLOSED_DAYS - 30))
    already = _routed(_full_signal("closed", days_unchanged=CLOSED_DAYS + 1))
    held = _routed(_full_signal("closed", days_unchanged=CLOSED_DAYS - 3))
    place_retention_hold(
        held, by=coordinator, reason="OM", ends_on=timezone.localdate() + timedelta(days=60)
    )
    assert set(Signal.objects.values_list("region", flat=True)) == {amsterdam.pk}

    assert send_retention_digests() == 1
    assert send_retention_digests() == 0  # the same week: nobody twice
    [message] = mail.outbox
    assert message.bcc == [coordinator.email] and amsterdam.name in message.subject
    assert str(soon.public_id) in message.body
    for not_listed in (later, already, held):
        assert str(not_listed.public_id) not in message.body
    assert "Ana" not in message.body and "Dijkweg" not in message.body


def test_the_privacy_officer_reads_the_destruction_list(reference_data, settings, world):
    settings.RETENTION_DAYS = {"closed": CLOSED_DAYS}
    signal = world.signal_a
    Signal.objects.filter(pk=signal.pk).update(
        status="closed", updated_at=timezone.now() - timedelta(days=CLOSED_DAYS + 1)
    )
    apply_retention()
    officer = member_of(world.coordination_x, Membership.Role.PRIVACY_OFFICER)
    page = signed_in(officer).get(reverse("privacy:destruction_list")).content.decode()
    assert "Retention period passed" in page and signal.public_id.hex[:8] in page
    assert "persons: 1" in page
    coordinator = signed_in(world.coordinator_x)
    assert coordinator.get(reverse("privacy:destruction_list")).status_code == 404


def test_late_evidence_from_the_reporter_restarts_the_retention_period(reference_data, settings):
    settings.RETENTION_DAYS = {"closed": CLOSED_DAYS}
    signal = _full_signal("closed", days_unchanged=CLOSED_DAYS - 1)
    post_reporter_message(signal, language="pl", body="Mam jeszcze zdjęcie umowy.")

    # A week later the old period would have passed; the message keeps the case.
    assert apply_retention(now=timezone.now() + timedelta(days=7)).anonymised == 0
    signal.refresh_from_db()
    assert signal.anonymised_at is None and signal.messages.filter(author_kind="reporter")
