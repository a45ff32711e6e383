"""The world of the permission matrix, and of the tests that check one page or API call in it.

Two submitting organisations (A: police, B: labour inspectorate) and two coordinator organisations
(X serves area X = Politieregio Amsterdam, Y serves area Y = Gemeente Rotterdam). In each
organisation there is one member per role. A professional of A has submitted a signal in Amsterdam
(routed to X) and keeps a draft; another signal is routed to Y. B has nothing of its own.

The `world` fixture (tests/conftest.py) builds it; a test module with a world of its own defines
its own `world` fixture instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.test import Client

from access.services import grant_region_access
from accounts.models import User
from intake.professional.services import (
    ProfessionalReport,
    save_professional_draft,
    submit_professional_signal,
)
from organisations.models import Membership, Organisation
from regions.models import Municipality, Region
from signals.models import Signal
from tests.factories import MembershipFactory, OrganisationFactory, SignalFactory
from tests.helpers import english_client, login_professional
from triage.services import triage_signal

Role = Membership.Role
ROLES = [Role.PROFESSIONAL, Role.COORDINATOR, Role.ORGANISATION_ADMIN, Role.PRIVACY_OFFICER]
ORGANISATIONS = {
    "A": Organisation.Kind.POLICE,
    "B": Organisation.Kind.LABOUR_INSPECTORATE,
    "X": Organisation.Kind.COORDINATOR,
    "Y": Organisation.Kind.COORDINATOR,
}
REGIONS = {"X": "AMS", "Y": "RTM"}
# Everyone who visits a page: a member by organisation and role ("A.professional", ...) or nobody.
VISITORS = [f"{org}.{role}" for org in ORGANISATIONS for role in ROLES] + ["anonymous"]
SECRET_NAME = "Ana Secret"
SECRET_REFERENCE = "A-REF-0001"


@dataclass
class World:
    organisations: dict[str, Organisation]  # by code: "A", "B", "X", "Y"
    users: dict[str, User]  # by visitor: "A.professional", "X.coordinator", ...
    signal_a: Signal  # submitted by A, in Amsterdam, triaged: X's
    draft_a: Signal  # A's, not submitted
    signal_y: Signal  # triaged to Gemeente Rotterdam: Y's

    @property
    def police(self) -> Organisation:
        return self.organisations["A"]

    @property
    def inspectorate(self) -> Organisation:
        return self.organisations["B"]

    @property
    def coordination_x(self) -> Organisation:
        return self.organisations["X"]

    @property
    def coordination_y(self) -> Organisation:
        return self.organisations["Y"]

    @property
    def officer(self) -> User:
        """The police officer who submitted signal A."""
        return self.users["A.professional"]

    @property
    def inspector(self) -> User:
        return self.users["B.professional"]

    @property
    def coordinator_x(self) -> User:
        return self.users["X.coordinator"]

    @property
    def coordinator_y(self) -> User:
        return self.users["Y.coordinator"]


def _report(organisation: Organisation) -> ProfessionalReport:
    return ProfessionalReport(
        organisation=organisation,
        language="nl",
        own_reference=SECRET_REFERENCE,
        description="Workers live at the car wash.",
        persons=[{"role": "possible_victim", "name": SECRET_NAME, "phone_numbers": []}],
        locations=[{"kind": "workplace", "municipality": Municipality.objects.get(code="GM0363")}],
    )


def build_world() -> World:
    """The world, on the regions of `reference_data`."""
    organisations, users = {}, {}
    for code, kind in ORGANISATIONS.items():
        served = [Region.objects.get(code=REGIONS[code])] if code in REGIONS else []
        organisations[code] = OrganisationFactory(
            name=f"Organisation {code}", kind=kind, regions=served
        )
        for role in ROLES:
            users[f"{code}.{role}"] = MembershipFactory(
                organisation=organisations[code],
                user__email=f"{role}@{code.lower()}.test",
                roles=[role],
            ).user

    submitter = users["A.professional"]
    signal_a = submit_professional_signal(
        _report(organisations["A"]), user=submitter, submission_key=uuid.uuid4()
    )
    triage_signal(signal_a.pk)
    draft_a = save_professional_draft(
        _report(organisations["A"]), user=submitter, submission_key=uuid.uuid4()
    )
    signal_y = SignalFactory(status=Signal.Status.TRIAGED, region=Region.objects.get(code="RTM"))
    grant_region_access(signal_y, region=signal_y.region)
    return World(
        organisations=organisations,
        users=users,
        signal_a=Signal.objects.get(pk=signal_a.pk),
        draft_a=draft_a,
        signal_y=signal_y,
    )


def client_for(world: World, visitor: str) -> Client:
    """An English-speaking test client, signed in as the visitor (second factor given)."""
    client = english_client()
    if visitor != "anonymous":
        login_professional(client, world.users[visitor])
    return client
