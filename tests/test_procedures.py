"""The procedures a coordinator tracks on a case (bedenktijd, B8/3, aangifte, handover to the
police), the reminder before a reflection period ends, the queue's filter on it, and companies
linked across signals by their KvK number."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from coordination.models import Connection
from coordination.procedure_services import (
    record_police_handover,
    record_reflection_period,
    send_reflection_reminders,
)
from coordination.selectors import QueueFilters, coordinator_queue, short_reference
from coordination.services import link_signal
from coordination.tasks import remind_reflection_periods
from signals.models import Company, PoliceHandover, ReflectionPeriod, SignalEvent
from signals.models.procedures import reflection_period_end
from tests.factories import SignalFactory
from tests.helpers import login_professional
from tests.world import client_for

pytestmark = pytest.mark.django_db


def _offer(world, *, ends_in_days: int) -> ReflectionPeriod:
    """Record a reflection period on signal A that ends `ends_in_days` from today."""
    today = timezone.localdate()
    start = today - timedelta(days=92 - ends_in_days)
    while reflection_period_end(start) > today + timedelta(days=ends_in_days):
        start -= timedelta(days=1)
    while reflection_period_end(start) < today + timedelta(days=ends_in_days):
        start += timedelta(days=1)
    return record_reflection_period(
        world.signal_a, by=world.users["X.coordinator"], offered_by="police", starts_on=start
    )


def test_the_bedenktijd_reminder_fires_once_14_days_before_the_end(world):
    period = _offer(world, ends_in_days=40)
    assert period.ends_on == reflection_period_end(period.starts_on)
    mail.outbox.clear()

    assert send_reflection_reminders(today=period.ends_on - timedelta(days=15)) == 0
    assert mail.outbox == []

    assert send_reflection_reminders(today=period.ends_on - timedelta(days=14)) == 1
    assert send_reflection_reminders(today=period.ends_on - timedelta(days=14)) == 0
    assert send_reflection_reminders(today=period.ends_on - timedelta(days=3)) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.bcc == [world.users["X.coordinator"].email]
    assert short_reference(world.signal_a) in message.subject
    assert world.signal_a.description not in message.body
    assert world.signal_a.events.filter(kind=SignalEvent.Kind.REFLECTION_REMINDER).count() == 1


def test_a_moved_start_gets_its_own_reminder_and_an_outcome_stops_it(world):
    period = _offer(world, ends_in_days=10)
    assert send_reflection_reminders() == 1
    # The start was wrong: the new end is reminded of again, once.
    _offer(world, ends_in_days=5)
    assert send_reflection_reminders() == 1
    assert send_reflection_reminders() == 0
    # A declined period is not reminded of.
    period = _offer(world, ends_in_days=12)
    record_reflection_period(
        world.signal_a,
        by=world.users["X.coordinator"],
        offered_by="police",
        starts_on=period.starts_on,
        outcome=ReflectionPeriod.Outcome.DECLINED,
        outcome_on=timezone.localdate(),
    )
    assert send_reflection_reminders() == 0


def test_beat_runs_the_reminder_task():
    schedule = settings.CELERY_BEAT_SCHEDULE["remind-reflection-periods"]
    assert schedule["task"] == remind_reflection_periods.name
    assert remind_reflection_periods.name == "coordination.tasks.remind_reflection_periods"


def test_the_queue_filters_on_bedenktijd_ending_within_14_days(world):
    coordinator = world.users["X.coordinator"]
    client = client_for(world, "X.coordinator")
    url = reverse("coordination:queue") + "?reflection=on"
    reference = short_reference(world.signal_a)

    _offer(world, ends_in_days=20)
    assert list(coordinator_queue(coordinator, QueueFilters(reflection_ends_soon=True))) == []
    assert reference not in client.get(url).content.decode()

    _offer(world, ends_in_days=13)
    assert list(coordinator_queue(coordinator, QueueFilters(reflection_ends_soon=True))) == [
        world.signal_a
    ]
    assert reference in client.get(url).content.decode()


def test_recording_the_procedures_shows_them_on_the_case_page_and_in_the_history(world):
    client = client_for(world, "X.coordinator")
    case = reverse("coordination:case", args=[world.signal_a.public_id])
    today = timezone.localdate()
    posts = {
        "reflection": {
            "reflection-offered_by": "kmar",
            "reflection-starts_on": (today - timedelta(days=10)).isoformat(),
        },
        "residence_application": {"b8-applied_on": today.isoformat(), "b8-outcome": ""},
        "reporting_decision": {
            "aangifte-decision": "yes",
            "aangifte-decided_on": today.isoformat(),
        },
        "police_handover": {
            "handover-handed_over_on": today.isoformat(),
            "handover-feedback": "Zaak loopt, verdachte aangehouden",
            "handover-feedback_on": today.isoformat(),
        },
    }
    for name, data in posts.items():
        response = client.post(
            reverse(f"coordination:{name}", args=[world.signal_a.public_id]), data
        )
        assert response.status_code == 302, name
    page = client.get(case).content.decode()
    assert "Zaak loopt, verdachte aangehouden" in page
    assert "Royal Netherlands Marechaussee (KMar)" in page
    kinds = set(world.signal_a.events.values_list("kind", flat=True))
    assert {
        SignalEvent.Kind.REFLECTION_PERIOD,
        SignalEvent.Kind.RESIDENCE_APPLICATION,
        SignalEvent.Kind.REPORTING_DECISION,
        SignalEvent.Kind.POLICE_HANDOVER,
    } <= kinds
    # The police's feedback is stored encrypted and kept out of the history.
    handover = PoliceHandover.objects.get(signal=world.signal_a)
    assert handover.feedback == "Zaak loopt, verdachte aangehouden"
    event = world.signal_a.events.get(kind=SignalEvent.Kind.POLICE_HANDOVER)
    assert "verdachte" not in str(event.detail)


def test_procedure_forms_refuse_bad_input_with_a_translated_error_and_keep_it(world):
    client = client_for(world, "X.coordinator")
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("coordination:reflection", args=[world.signal_a.public_id]),
        {"reflection-offered_by": "nla", "reflection-starts_on": future},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "De datum mag niet in de toekomst liggen." in page
    assert f'value="{future}"' in page
    assert not ReflectionPeriod.objects.exists()

    response = client.post(
        reverse("coordination:police_handover", args=[world.signal_a.public_id]),
        {
            "handover-handed_over_on": timezone.localdate().isoformat(),
            "handover-feedback": "Terugkoppeling zonder datum",
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Geef de datum van de terugkoppeling." in page
    assert "Terugkoppeling zonder datum" in page
    assert not PoliceHandover.objects.exists()


def test_the_feedback_date_cannot_precede_the_handover(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        record_police_handover(
            world.signal_a,
            by=world.users["X.coordinator"],
            handed_over_on=today,
            feedback="x",
            feedback_on=today - timedelta(days=1),
        )
    assert refused.value.error_dict["feedback_on"][0].code == "before_start"
    assert not PoliceHandover.objects.exists()


def test_two_signals_naming_the_same_kvk_number_are_linked(world):
    Company.objects.create(signal=world.signal_a, name="Kas BV", kvk_number="1234 5678")
    Company.objects.create(signal=world.signal_y, name="Kas B.V.", kvk_number="12345678")
    link_signal(world.signal_y.pk)
    assert set(
        Connection.objects.filter(kind=Connection.Kind.KVK).values_list("signal_id", "other_id")
    ) == {(world.signal_a.pk, world.signal_y.pk), (world.signal_y.pk, world.signal_a.pk)}
    # The coordinator of A's area sees that a connected signal exists in Y's area, and what it
    # shares as their own signal writes it.
    page = client_for(world, "X.coordinator").get(
        reverse("coordination:case", args=[world.signal_a.public_id])
    )
    assert "KvK number: 1234 5678" in page.content.decode()
    # And finds it by the KvK number in any notation.
    coordinator = world.users["X.coordinator"]
    assert list(coordinator_queue(coordinator, QueueFilters(query="1234.5678"))) == [world.signal_a]


def test_the_monitor_counts_reflection_periods_offered_taken_and_ended(world):
    from monitor.selectors import all_tables, periods_of

    start = timezone.localdate().replace(day=1) - timedelta(days=20)
    outcomes = ["taken"] * 6 + ["ended"] * 5 + ["declined"] * 5
    for outcome in outcomes:
        signal = SignalFactory(region=world.signal_a.region, status="triaged")
        ReflectionPeriod.objects.create(
            signal=signal, starts_on=start, outcome=outcome, outcome_on=start
        )
    period = next(p for p in periods_of(start.year) if p.kind == "year")
    with translation.override("en"):
        table = next(t for t in all_tables(period) if "bedenktijd" in t.title)
    shown = {cell.label: cell.shown for cell in table.cells}
    assert shown["Taken: the possible victim uses it"] == "6"
    assert shown["Ended"] == "5"
    assert shown["Declined"] == "5"
    assert table.total == "16"


def test_the_demo_has_a_bedenktijd_ending_soon_a_b8_and_a_company_in_two_signals(
    reference_data, settings
):
    from coordination.demo import seed_demo_cases
    from organisations.demo import seed_demo

    settings.DEMO_ACCOUNTS = True
    seed_demo()
    seed_demo_cases()
    seed_demo_cases()  # again: nothing more
    period = ReflectionPeriod.objects.get()
    assert 0 <= (period.ends_on - timezone.localdate()).days <= 14
    assert period.signal.residence_application.applied_on
    companies = Company.objects.all()
    assert companies.count() == 2
    assert Connection.objects.filter(
        kind=Connection.Kind.KVK, signal=companies[0].signal, other=companies[1].signal
    ).exists()


def test_the_api_shows_companies_and_only_to_coordinators_the_procedures(world):
    Company.objects.create(signal=world.signal_a, name="Kas BV", kvk_number="12345678", sector="A")
    _offer(world, ends_in_days=30)
    url = f"/api/v1/signals/{world.signal_a.public_id}/"

    def detail(visitor: str) -> dict:
        client = APIClient(headers={"accept-language": "en"})
        login_professional(client, world.users[visitor])
        response = client.get(url)
        assert response.status_code == 200
        return response.json()

    coordinator = detail("X.coordinator")
    assert coordinator["companies"][0]["kvk_number"] == "12345678"
    assert coordinator["procedures"]["reflection_period"]["offered_by"] == "police"
    assert coordinator["procedures"]["police_handover"] is None
    submitter = detail("A.professional")
    assert submitter["companies"][0]["name"] == "Kas BV"
    assert submitter["procedures"] is None
