"""`user.has_perm(perm, signal)` answers exactly what `access.selectors.can` answers: one truth
for access, shares included, and no superuser shortcut."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access.models import Share
from access.permissions import CHANGE, CONTRIBUTE, SIGNAL_PERMISSIONS, TRIAGE, VIEW
from access.selectors import can, signals_visible_to
from access.services import grant_submitter_access, revoke_share, share_signal
from organisations.models import Membership, Organisation
from regions.models import Region
from tests.factories import CoordinationFactory, OrganisationFactory, UserFactory
from tests.helpers import member_of, triaged_signal_in

pytestmark = pytest.mark.django_db

Role = Membership.Role
# What each person may do on the signal, as the access rules intend it.
EXPECTED = {
    "submitter": {VIEW, CONTRIBUTE},
    "coordinator": {VIEW, CHANGE, TRIAGE},
    "active share": {VIEW},
    "expired share": set(),
    "revoked share": set(),
    "outsider": set(),
    "superuser": set(),
}


@pytest.fixture
def people(reference_data):
    """A police professional's signal in Amsterdam, its region's coordinator, three
    municipalities it was shared with (the share active, expired, revoked) and two outsiders."""
    police = OrganisationFactory(kind=Organisation.Kind.POLICE)
    coordination = CoordinationFactory(region=Region.objects.get(code="AMS"))
    coordinator = member_of(coordination, Role.COORDINATOR)
    signal = triaged_signal_in("GM0363")
    grant_submitter_access(signal, organisation=police)
    people = {"submitter": member_of(police, Role.PROFESSIONAL), "coordinator": coordinator}
    today = timezone.localdate()
    for state, ends_on in [("active", today), ("expired", today - timedelta(days=1))]:
        municipality = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
        share_signal(
            signal,
            organisation=municipality,
            by=coordinator,
            legal_basis=Share.LegalBasis.PUBLIC_TASK,
            purpose="Care",
            ends_on=ends_on,
        )
        people[f"{state} share"] = member_of(municipality, Role.PROFESSIONAL)
    municipality = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
    share = share_signal(
        signal,
        organisation=municipality,
        by=coordinator,
        legal_basis=Share.LegalBasis.PUBLIC_TASK,
        purpose="Care",
        ends_on=today + timedelta(days=30),
    )
    revoke_share(share, by=coordinator)
    people["revoked share"] = member_of(municipality, Role.PROFESSIONAL)
    people["outsider"] = member_of(OrganisationFactory(), Role.PROFESSIONAL)
    people["superuser"] = UserFactory(superuser=True)
    return signal, people


@pytest.mark.parametrize("who", EXPECTED)
def test_has_perm_answers_what_can_answers(people, who):
    signal, users = people
    user = users[who]

    for perm in SIGNAL_PERMISSIONS:
        assert user.has_perm(perm, signal) == can(user, perm, signal) == (perm in EXPECTED[who])
        assert (signal in signals_visible_to(user, perm)) == (perm in EXPECTED[who])
    assert user.get_all_permissions(signal) == EXPECTED[who]


def test_a_signal_permission_without_an_object_is_not_granted(people):
    _signal, users = people
    assert not users["coordinator"].has_perm(VIEW)
