"""Case conferences (signaaltafels): the case's coordinator records who was at the table, the
legal basis, the decisions and the actions; only the participants see it, every read is logged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access.models import AccessLogEntry, Share
from coordination.models import CaseConference, ConferenceAction
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from signals.models import Signal
from tests.factories import CoordinationFactory, OrganisationFactory, SignalFactory
from tests.helpers import member_of, signed_in
from triage.services import triage_signal

pytestmark = pytest.mark.django_db
Kind, Role = Organisation.Kind, Membership.Role
DECISIONS = "De politie spreekt de werkgever aan; Veilig Thuis bezoekt het gezin."


@pytest.fixture
def table(reference_data):
    coordination = CoordinationFactory(region=Region.objects.get(code="AMS"))
    police = OrganisationFactory(name="Politie AVIM", kind=Kind.POLICE)
    riec = OrganisationFactory(name="RIEC Amsterdam", kind=Kind.RIEC)
    outsider = OrganisationFactory(name="FairWork", kind=Kind.NGO)
    # Routing reaches the area's own coordinators once it has one.
    coordinator = member_of(coordination, Role.COORDINATOR)
    signal = SignalFactory(
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code="GM0363"),
    )
    triage_signal(signal.pk)
    return {
        "signal": signal,
        "police": police,
        "riec": riec,
        "coordinator": coordinator,
        "officer": member_of(police, Role.PROFESSIONAL),
        "police_privacy_officer": member_of(police, Role.PRIVACY_OFFICER),
        "analyst": member_of(riec, Role.PROFESSIONAL),
        "outsider": member_of(outsider, Role.PROFESSIONAL),
    }


def _record(table, **changes):
    today = timezone.localdate()
    data = {
        "held_on": today.isoformat(),
        "participants": [table["police"].pk, table["riec"].pk],
        "legal_basis": Share.LegalBasis.PUBLIC_TASK,
        "decisions": DECISIONS,
        "action_1": "Werkgever aanspreken",
        "owner_1": table["police"].pk,
        "due_1": (today + timedelta(days=14)).isoformat(),
        **changes,
    }
    client = signed_in(table["coordinator"])
    return client.post(f"/pro/case-conferences/new/{table['signal'].public_id}/", data)


def test_the_coordinator_records_a_conference_that_only_the_participants_see(table):
    assert _record(table).status_code == 302
    conference = CaseConference.objects.get()
    assert set(conference.participants.values_list("name", flat=True)) == {
        "Politie AVIM",
        "RIEC Amsterdam",
        conference.convened_by.name,
    }
    action = ConferenceAction.objects.get()
    assert (action.owner, action.description) == (table["police"], "Werkgever aanspreken")
    url = f"/pro/case-conferences/{conference.public_id}/"

    for participant in ("coordinator", "officer", "analyst"):
        client = signed_in(table[participant])
        page = client.get(url)
        assert page.status_code == 200 and DECISIONS in page.content.decode()
        assert str(conference.public_id) in client.get("/pro/case-conferences/").content.decode()
    # Not at the table: the outsider, and a privacy officer of a participant (not a role at it).
    for stranger in ("outsider", "police_privacy_officer"):
        assert signed_in(table[stranger]).get(url).status_code == 404
    assert str(conference.public_id) not in (
        signed_in(table["outsider"]).get("/pro/case-conferences/").content.decode()
    )

    reads = AccessLogEntry.objects.filter(
        signal=table["signal"], action=AccessLogEntry.Action.VIEW, purpose="Case conference"
    )
    assert set(reads.values_list("user", flat=True)) >= {
        table["coordinator"].pk,
        table["officer"].pk,
        table["analyst"].pk,
    }
    # The case page lists its conferences for its handlers.
    case = signed_in(table["coordinator"]).get(f"/pro/queue/{table['signal'].public_id}/")
    assert url in case.content.decode()


def test_only_the_owner_marks_an_action_done(table):
    _record(table)
    conference = CaseConference.objects.get()
    action = ConferenceAction.objects.get()
    done_url = f"/pro/case-conferences/{conference.public_id}/actions/{action.public_id}/done/"

    signed_in(table["analyst"]).post(done_url)
    action.refresh_from_db()
    assert action.done_at is None
    assert signed_in(table["outsider"]).post(done_url).status_code == 404
    signed_in(table["officer"]).post(done_url)
    action.refresh_from_db()
    assert action.done_by == table["officer"]


def test_bad_input_is_told_in_words_and_kept(table):
    half_action = _record(table, due_1="")
    assert half_action.status_code == 400
    assert "An action needs what, an owner and a due date." in half_action.content.decode()
    assert "Werkgever aanspreken" in half_action.content.decode()

    outsider_owns = _record(table, owner_1=Organisation.objects.get(name="FairWork").pk)
    assert outsider_owns.status_code == 400
    assert "was not at the table" in outsider_owns.content.decode()

    too_long = _record(table, decisions="x" * 5001)
    assert too_long.status_code == 400
    assert not CaseConference.objects.exists()


def test_only_the_cases_coordinator_records_one(table):
    url = f"/pro/case-conferences/new/{table['signal'].public_id}/"
    for someone in ("officer", "analyst", "outsider"):
        assert signed_in(table[someone]).get(url).status_code == 404
    assert signed_in(table["coordinator"]).get(url).status_code == 200
