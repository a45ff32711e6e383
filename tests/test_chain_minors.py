"""Minors: the default routing rule gives the area's youth protection access on a recorded legal
basis, for a limited time; professionals walk the meldcode's five steps on the signal."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from access.models import Share
from access.permissions import VIEW
from access.selectors import can
from coordination.selectors import case_detail
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from signals.models import ReportingCodeStep, Signal, SignalEvent
from tests.factories import CoordinationFactory, OrganisationFactory, SignalFactory
from tests.helpers import member_of, signed_in
from triage.models import RoutingRule
from triage.services import triage_signal

pytestmark = pytest.mark.django_db
Kind, Role = Organisation.Kind, Membership.Role
DEFAULT_RULE = importlib.import_module("triage.migrations.0006_minors_youth_protection_rule")


@pytest.fixture
def default_rule(reference_data):
    """The rule as its data migration adds it (a transactional test elsewhere may have flushed
    the migrated rows)."""
    rule, _created = RoutingRule.objects.get_or_create(
        name=DEFAULT_RULE.RULE_NAME, defaults=DEFAULT_RULE.RULE
    )
    return rule


@pytest.fixture
def veilig_thuis(default_rule):
    return OrganisationFactory(
        name="Veilig Thuis Amsterdam-Amstelland",
        kind=Kind.VEILIG_THUIS,
        regions=[Region.objects.get(code="AMS")],
    )


def _signal(*, minor: bool, municipality: str = "GM0363") -> Signal:
    signal = SignalFactory(
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code=municipality),
        involves_minor=minor,
    )
    triage_signal(signal.pk)
    return Signal.objects.get(pk=signal.pk)


def test_a_minors_signal_gives_the_areas_youth_care_access_with_the_legal_basis_in_history(
    veilig_thuis,
):
    youth_worker = member_of(veilig_thuis, Role.PROFESSIONAL)
    coordinator = member_of(
        CoordinationFactory(region=Region.objects.get(code="AMS")), Role.COORDINATOR
    )
    signal = _signal(minor=True)

    assert can(youth_worker, VIEW, signal)
    share = Share.objects.get(signal=signal, organisation=veilig_thuis)
    assert share.shared_by is None
    assert share.legal_basis == Share.LegalBasis.PUBLIC_TASK
    assert share.ends_on == timezone.localdate() + timedelta(days=90)
    event = signal.events.get(kind=SignalEvent.Kind.SHARED)
    assert event.detail["legal_basis"] == "public_task"
    assert event.detail["rule"] == DEFAULT_RULE.RULE_NAME
    with translation.override("en"):
        history = [line.text for line in case_detail(coordinator, signal).history]
    assert any(
        "Veilig Thuis Amsterdam-Amstelland" in text and "Public task" in text for text in history
    )
    # The youth worker finds it among the signals they can see, and the news in their inbox.
    client = signed_in(youth_worker)
    assert str(signal.public_id) in client.get("/pro/signals/").content.decode()
    assert youth_worker.pk in set(signal.unread_marks.values_list("user_id", flat=True))


def test_an_adults_signal_and_another_areas_youth_care_get_nothing(veilig_thuis):
    youth_worker = member_of(veilig_thuis, Role.PROFESSIONAL)
    adult = _signal(minor=False)
    elsewhere = _signal(minor=True, municipality="GM0599")  # Rotterdam

    assert not can(youth_worker, VIEW, adult)
    assert not can(youth_worker, VIEW, elsewhere)
    assert not Share.objects.filter(signal__in=[adult, elsewhere]).exists()


def test_where_no_youth_care_serves_the_area_the_national_one_steps_in(default_rule):
    national = OrganisationFactory(name="Fier CKM", kind=Kind.CHILD_TRAFFICKING_CENTRE)
    regional_elsewhere = OrganisationFactory(
        name="Veilig Thuis Rotterdam",
        kind=Kind.VEILIG_THUIS,
        regions=[Region.objects.get(code="RTM")],
    )
    signal = _signal(minor=True)

    assert set(Share.objects.filter(signal=signal).values_list("organisation", flat=True)) == {
        national.pk
    }
    assert not Share.objects.filter(organisation=regional_elsewhere).exists()


def test_with_no_youth_care_at_all_the_history_says_so(default_rule):
    coordinator = member_of(
        CoordinationFactory(region=Region.objects.get(code="AMS")), Role.COORDINATOR
    )
    signal = _signal(minor=True)
    with translation.override("en"):
        history = " ".join(line.text for line in case_detail(coordinator, signal).history)
    assert "found no organisation to give access to" in history


def test_the_rule_is_data_the_admin_can_switch_off(veilig_thuis):
    RoutingRule.objects.filter(name=DEFAULT_RULE.RULE_NAME).update(is_active=False)
    signal = _signal(minor=True)
    assert not Share.objects.filter(signal=signal).exists()


def test_the_professional_keeps_the_meldcode_steps_on_a_minors_signal(veilig_thuis):
    youth_worker = member_of(veilig_thuis, Role.PROFESSIONAL)
    signal = _signal(minor=True)
    client = signed_in(youth_worker)
    url = f"/pro/signals/{signal.public_id}/"

    page = client.get(url).content.decode()
    assert "Meldcode: the five steps" in page and "Consult a colleague" in page

    response = client.post(f"{url}meldcode/", {"done_1": "on", "note_1": "Signalen in kaart"})
    assert response.status_code == 302
    step = ReportingCodeStep.objects.get(signal=signal, organisation=veilig_thuis)
    assert (step.step, step.done_by, step.note) == (1, youth_worker, "Signalen in kaart")
    assert "done by" in client.get(url).content.decode()

    too_long = client.post(f"{url}meldcode/", {"done_2": "on", "note_2": "x" * 1001})
    assert too_long.status_code == 400
    assert "x" * 1001 in too_long.content.decode()
    assert not ReportingCodeStep.objects.filter(step=2).exists()

    # Unticking forgets who did it; a step neither done nor noted is not kept.
    client.post(f"{url}meldcode/", {"note_1": "Signalen in kaart"})
    step.refresh_from_db()
    assert step.done_at is None and step.note == "Signalen in kaart"
    client.post(f"{url}meldcode/", {})
    assert not ReportingCodeStep.objects.filter(signal=signal).exists()


def test_no_meldcode_on_an_adults_signal_or_for_whoever_does_not_hold_it(veilig_thuis):
    youth_worker = member_of(veilig_thuis, Role.PROFESSIONAL)
    coordinator = member_of(
        CoordinationFactory(region=Region.objects.get(code="AMS")), Role.COORDINATOR
    )
    adult = _signal(minor=False)
    minor = _signal(minor=True)

    assert signed_in(coordinator).get(f"/pro/signals/{adult.public_id}/").status_code == 200
    assert (
        signed_in(coordinator).post(f"/pro/signals/{minor.public_id}/meldcode/").status_code == 404
    )
    assert (
        signed_in(youth_worker).post(f"/pro/signals/{adult.public_id}/meldcode/").status_code == 404
    )
    assert (
        "Meldcode"
        not in signed_in(coordinator).get(f"/pro/signals/{minor.public_id}/").content.decode()
    )
