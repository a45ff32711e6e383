"""The coordinators' workspace: queue, workflow, assignment, notes, transfer, share, bedenktijd."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from access.permissions import TRIAGE, VIEW
from access.services import revoke_share
from accounts.models import User
from coordination import services, workflow
from coordination.procedure_services import record_reflection_period
from coordination.selectors import reflection_period
from organisations.models import Membership, Organisation
from regions.models import Region
from signals.models import Signal, SignalEvent
from signals.models.procedures import reflection_period_end
from tests.factories import CoordinationFactory, OrganisationFactory
from tests.helpers import english_client, member_of, signed_in, triaged_signal_in

pytestmark = pytest.mark.django_db
Status = Signal.Status


@dataclass
class World:
    """Two regions with a coordinator organisation each, and a triaged signal in each."""

    amsterdam: Region
    rotterdam: Region
    coordinator_a: User
    colleague_a: User  # in the same organisation as coordinator_a
    coordinator_b: User
    signal_a: Signal  # in Amsterdam
    signal_b: Signal  # in Rotterdam


@pytest.fixture
def world(reference_data) -> World:
    amsterdam, rotterdam = Region.objects.get(code="AMS"), Region.objects.get(code="RTM")
    coordination_a = CoordinationFactory(region=amsterdam)
    coordination_b = CoordinationFactory(region=rotterdam)
    return World(
        amsterdam=amsterdam,
        rotterdam=rotterdam,
        coordinator_a=member_of(coordination_a, Membership.Role.COORDINATOR),
        colleague_a=member_of(coordination_a, Membership.Role.COORDINATOR),
        coordinator_b=member_of(coordination_b, Membership.Role.COORDINATOR),
        signal_a=triaged_signal_in("GM0363", description="Mensen slapen in de loods aan de haven"),
        signal_b=triaged_signal_in("GM0599", description="Werknemers zonder loon in de kas"),
    )


def _case_url(signal: Signal, name: str = "case") -> str:
    return reverse(f"coordination:{name}", args=[signal.public_id])


@pytest.mark.parametrize(
    ("from_status", "to_status", "allowed"),
    [
        (Status.NEW, Status.IN_PROGRESS, False),
        (Status.TRIAGED, Status.IN_PROGRESS, True),
        (Status.TRIAGED, Status.CLOSED, False),
        (Status.TRIAGED, Status.CARE_ARRANGED, False),
        (Status.IN_PROGRESS, Status.CARE_ARRANGED, True),
        (Status.IN_PROGRESS, Status.REFERRED_POLICE, True),
        (Status.IN_PROGRESS, Status.NO_TRAFFICKING, True),
        (Status.IN_PROGRESS, Status.UNREACHABLE, True),
        (Status.IN_PROGRESS, Status.CLOSED, False),
        (Status.REFERRED_ELSEWHERE, Status.CLOSED, True),
        (Status.CLOSED, Status.IN_PROGRESS, True),
        (Status.CLOSED, Status.TRIAGED, False),
    ],
)
def test_the_workflow_allows_only_its_moves(from_status, to_status, allowed):
    assert workflow.is_allowed(from_status, to_status) is allowed


def test_a_refused_move_changes_nothing_and_an_allowed_one_is_recorded(world):
    signal, coordinator = world.signal_a, world.coordinator_a
    with pytest.raises(ValidationError):
        services.move_signal(signal, by=coordinator, to_status=Status.CLOSED, reason="done")
    signal.refresh_from_db()
    assert signal.status == Status.TRIAGED
    assert not signal.events.filter(kind=SignalEvent.Kind.STATUS_CHANGED).exists()

    services.move_signal(signal, by=coordinator, to_status=Status.IN_PROGRESS, reason="called")
    services.move_signal(signal, by=coordinator, to_status=Status.CARE_ARRANGED, reason="opvang")
    signal.refresh_from_db()
    assert signal.status == Status.CARE_ARRANGED
    moves = [
        (event.actor, event.detail["from"], event.detail["to"], event.detail["reason"])
        for event in signal.events.filter(kind=SignalEvent.Kind.STATUS_CHANGED)
    ]
    assert moves == [
        (coordinator, Status.TRIAGED, Status.IN_PROGRESS, "called"),
        (coordinator, Status.IN_PROGRESS, Status.CARE_ARRANGED, "opvang"),
    ]
    assert AccessLogEntry.objects.filter(signal=signal, action="status").count() == 2


def test_the_queue_shows_the_own_region_most_urgent_first_with_counts(world):
    urgent = triaged_signal_in("GM0363", is_urgent=True, description="Er wordt iemand bedreigd")
    client = signed_in(world.coordinator_a)

    response = client.get(reverse("coordination:queue"))

    assert response.status_code == 200
    listed = list(response.context["page"].signals)
    assert listed == [urgent, world.signal_a]
    assert world.signal_b not in listed
    assert response.context["counts"]["all"] == 2
    assert response.context["counts"]["urgent"] == 1


def test_the_queue_filters_and_searches_the_free_text(world):
    services.assign_signal(world.signal_a, by=world.coordinator_a, assignee=world.colleague_a)
    other = triaged_signal_in("GM0363", involves_minor=True, description="Een meisje bedient")
    client = signed_in(world.coordinator_a)

    def listed(**params):
        return list(client.get(reverse("coordination:queue"), params).context["page"].signals)

    assert listed(q="loods") == [world.signal_a]
    assert listed(q="kas") == []  # the other region's signal stays out of reach
    assert listed(minor="on") == [other]
    assert listed(assigned="nobody") == [other]
    assert listed(status="in_progress") == []
    assert client.get(reverse("coordination:queue"), {"q": "x" * 201}).status_code == 200


def test_the_queue_search_finds_a_signal_by_its_reference(world):
    numbered = triaged_signal_in("GM0363", own_reference="PV-2026-0042", description="Kapsalon")
    client = signed_in(world.coordinator_a)

    def listed(query):
        page = client.get(reverse("coordination:queue"), {"q": query}).context["page"]
        return list(page.signals)

    short = numbered.public_id.hex[:8]
    assert listed(short) == [numbered]
    assert listed(short.upper()) == [numbered]
    assert listed(str(world.signal_a.public_id)) == [world.signal_a]
    assert listed("pv-2026-0042") == [numbered]
    # Another region's signal is not found by its reference either.
    assert listed(str(world.signal_b.public_id)) == []


def test_the_case_page_is_for_the_region_and_every_read_is_logged(world):
    signal = world.signal_a
    response = signed_in(world.coordinator_a).get(_case_url(signal))
    assert response.status_code == 200
    assert "Mensen slapen in de loods" in response.content.decode()
    reason = "location in a Dutch municipality → area Politieregio Amsterdam"
    assert reason in response.content.decode()
    assert (
        AccessLogEntry.objects.filter(
            signal=signal, user=world.coordinator_a, action="view"
        ).count()
        == 1
    )

    assert signed_in(world.coordinator_b).get(_case_url(signal)).status_code == 404
    professional = member_of(OrganisationFactory(), Membership.Role.PROFESSIONAL)
    assert signed_in(professional).get(_case_url(signal)).status_code == 404
    assert english_client().get(_case_url(signal)).status_code == 302


def test_a_bad_move_is_shown_on_the_case_page_with_the_input_kept(world):
    client = signed_in(world.coordinator_a)
    response = client.post(
        _case_url(world.signal_a, "move"), {"to_status": "closed", "reason": "klaar ermee"}
    )
    assert response.status_code == 400
    assert response.context["move_form"].errors["to_status"]
    assert "klaar ermee" in response.content.decode()

    response = client.post(
        _case_url(world.signal_a, "move"), {"to_status": "in_progress", "reason": "r" * 1001}
    )
    assert response.status_code == 400
    assert response.context["move_form"].errors["reason"]
    # Each page shown again with the signal's details is a read, and logged as one.
    reads = AccessLogEntry.objects.filter(signal=world.signal_a, action="view")
    assert reads.count() == 2


def test_assigning_is_limited_to_colleagues(world):
    signal = world.signal_a
    with pytest.raises(ValidationError):
        services.assign_signal(signal, by=world.coordinator_a, assignee=world.coordinator_b)
    client = signed_in(world.coordinator_a)
    response = client.post(_case_url(signal, "assign"), {"assignee": world.colleague_a.pk})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.assigned_to == world.colleague_a
    assert signal.events.filter(kind=SignalEvent.Kind.ASSIGNED).count() == 1


def test_internal_notes_stay_inside_the_organisation(world):
    signal = world.signal_a
    second = CoordinationFactory(name="Tweede zorgcoördinatie Amsterdam", regions=[world.amsterdam])
    other_coordinator = member_of(second, Membership.Role.COORDINATOR)
    from access.services import grant_region_access

    grant_region_access(signal, region=world.amsterdam)
    note = {"note-body": "Let op: broer"}
    signed_in(world.coordinator_a).post(_case_url(signal, "note"), note)

    colleague_page = signed_in(world.colleague_a).get(_case_url(signal))
    assert "Let op: broer" in colleague_page.content.decode()
    page = signed_in(other_coordinator).get(_case_url(signal))
    assert page.status_code == 200
    assert "Let op: broer" not in page.content.decode()


@pytest.mark.parametrize("keep_days", [0, 14])
def test_a_transfer_moves_the_signal_and_the_sender_keeps_what_the_setting_allows(
    world, settings, keep_days
):
    settings.TRANSFER_SENDER_READ_DAYS = keep_days
    signal = world.signal_a
    sender = signed_in(world.coordinator_a)
    response = sender.post(
        _case_url(signal, "transfer"),
        {
            "transfer-region": world.rotterdam.pk,
            "transfer-reason": "Zij is naar Rotterdam verhuisd",
        },
    )
    assert response.status_code == 302

    receiver = signed_in(world.coordinator_b)
    assert signal in receiver.get(reverse("coordination:queue")).context["page"].signals
    assert receiver.get(_case_url(signal)).status_code == 200
    assert sender.get(_case_url(signal)).status_code == 404
    from access.selectors import can

    assert can(world.coordinator_a, VIEW, signal) is bool(keep_days)
    event = signal.events.get(kind=SignalEvent.Kind.REROUTED)
    assert (event.detail["from"], event.detail["to"]) == ("AMS", "RTM")


def test_a_share_grants_reading_until_revoked(world):
    signal = world.signal_a
    police = OrganisationFactory(kind=Organisation.Kind.POLICE)
    officer = member_of(police, Membership.Role.PROFESSIONAL)
    from access.selectors import can

    assert not can(officer, VIEW, signal)
    response = signed_in(world.coordinator_a).post(
        _case_url(signal, "share"),
        {
            "organisation": police.pk,
            "legal_basis": "legal_obligation",
            "purpose": "Aangifte",
            "ends_on": (date.today() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert can(officer, VIEW, signal)
    assert not can(officer, TRIAGE, signal)

    revoke_share(signal.shares.get(), by=world.coordinator_a)
    assert not can(officer, VIEW, signal)


def test_a_share_that_ended_yesterday_is_refused(world):
    response = signed_in(world.coordinator_a).post(
        _case_url(world.signal_a, "share"),
        {
            "organisation": OrganisationFactory().pk,
            "legal_basis": "legal_obligation",
            "purpose": "Aangifte",
            "ends_on": (date.today() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not world.signal_a.shares.exists()


def test_the_reflection_period_warns_before_it_ends(world, settings):
    settings.REFLECTION_PERIOD_WARN_DAYS = 14
    signal = world.signal_a
    recorded = record_reflection_period(
        signal,
        by=world.coordinator_a,
        offered_by="police",
        starts_on=timezone.localdate() - timedelta(days=80),
    )
    period = reflection_period(signal)
    assert period.end == reflection_period_end(recorded.starts_on)
    assert period.ends_soon and not period.ended
    assert reflection_period(signal, today=period.end + timedelta(days=1)).ended
    page = signed_in(world.coordinator_a).get(_case_url(signal)).content.decode()
    assert "ends soon" in page


def test_the_case_page_has_unique_field_ids_so_each_label_names_its_own_field(world):
    page = signed_in(world.coordinator_a).get(_case_url(world.signal_a)).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
