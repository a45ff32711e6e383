"""API keys: made by an organisation admin and shown once, stored hashed, scoped to the
organisation and to reading or writing, and stopped at once when revoked."""

import hashlib
import re
import uuid
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from api.models import ApiKey
from api.services import create_api_key
from intake.professional.services import ProfessionalReport, submit_professional_signal
from organisations.models import Membership, Organisation
from regions.models import Municipality
from signals.models import Addition, Signal
from tests.factories import OrganisationFactory
from tests.helpers import english_client, login_professional, member_of

pytestmark = pytest.mark.django_db
Role = Membership.Role


def key_client(raw_key: str) -> APIClient:
    return APIClient(headers={"authorization": f"Api-Key {raw_key}", "accept-language": "en"})


def _signal_of(organisation: Organisation, user, reference: str):
    report = ProfessionalReport(
        organisation=organisation,
        language="nl",
        own_reference=reference,
        description=f"Signal of {organisation.name}",
        locations=[{"kind": "workplace", "municipality": Municipality.objects.get(code="GM0363")}],
    )
    return submit_professional_signal(report, user=user, submission_key=uuid.uuid4())


@dataclass
class PoliceForce:
    organisation: Organisation
    admin: User  # the organisation admin, who makes its keys
    officer: User  # a professional, no admin
    signal: Signal  # submitted by the officer


@dataclass
class World:
    """Two police forces, A and B, each with an admin and a signal of its own."""

    a: PoliceForce
    b: PoliceForce


def _police_force(code: str) -> PoliceForce:
    organisation = OrganisationFactory(name=f"Police {code}", kind=Organisation.Kind.POLICE)
    admin = member_of(organisation, Role.ORGANISATION_ADMIN, email=f"admin@{code.lower()}.test")
    officer = member_of(organisation, Role.PROFESSIONAL, email=f"officer@{code.lower()}.test")
    signal = _signal_of(organisation, officer, f"{code}-REF")
    return PoliceForce(organisation, admin, officer, signal)


@pytest.fixture
def world(reference_data) -> World:
    return World(a=_police_force("A"), b=_police_force("B"))


def _admin_client(user):
    client = english_client()
    login_professional(client, user)
    return client


def test_an_admin_creates_a_key_that_is_shown_once_and_stored_hashed(world):
    client = _admin_client(world.a.admin)
    response = client.post(
        "/pro/api-keys/new/",
        {
            "organisation": world.a.organisation.pk,
            "name": "Case system",
            "scope": "read",
            "roles": [Role.PROFESSIONAL],
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    raw_key = re.search(r'<code class="api-key">([^<]+)</code>', page).group(1)

    api_key = ApiKey.objects.get()
    assert api_key.secret_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert api_key.prefix == raw_key[:8]
    stored = " ".join(str(value) for value in ApiKey.objects.values().get().values())
    assert raw_key not in stored
    # The key's service user can never sign in with a password.
    assert not api_key.service_user.has_usable_password()

    listing = client.get("/pro/api-keys/").content.decode()
    assert "Case system" in listing
    assert api_key.prefix in listing
    assert raw_key not in listing
    assert key_client(raw_key).get("/api/v1/signals/").status_code == 200
    members = client.get(f"/pro/organisation/{world.a.organisation.public_id}/").content.decode()
    assert world.a.admin.email in members
    assert api_key.service_user.email not in members


def test_only_organisation_admins_reach_the_key_pages(world):
    assert _admin_client(world.a.officer).get("/pro/api-keys/").status_code == 404
    assert english_client().get("/pro/api-keys/").status_code == 302
    bad = _admin_client(world.a.admin).post("/pro/api-keys/new/", {"name": ""})
    assert bad.status_code == 400
    assert not ApiKey.objects.exists()


def test_a_revoked_key_stops_at_once(world):
    api_key, raw_key = create_api_key(
        world.a.organisation,
        name="Case system",
        scope="read",
        roles=[Role.PROFESSIONAL],
        by=world.a.admin,
    )
    client = key_client(raw_key)
    assert client.get("/api/v1/signals/").status_code == 200

    # An admin of another organisation cannot revoke it: 404.
    other = _admin_client(world.b.admin)
    assert other.post(f"/pro/api-keys/{api_key.public_id}/revoke/").status_code == 404
    assert client.get("/api/v1/signals/").status_code == 200

    response = _admin_client(world.a.admin).post(f"/pro/api-keys/{api_key.public_id}/revoke/")
    assert response.status_code == 302
    refused = client.get("/api/v1/signals/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert not api_key.service_user.memberships.exists()


def test_a_key_of_organisation_a_never_reads_organisation_b(world):
    signal_a, signal_b = world.a.signal, world.b.signal
    _, key_a = create_api_key(
        world.a.organisation,
        name="A system",
        scope="read_write",
        roles=[Role.PROFESSIONAL],
        by=world.a.admin,
    )
    client = key_client(key_a)
    listed = [row["public_id"] for row in client.get("/api/v1/signals/").json()["results"]]
    assert listed == [str(signal_a.public_id)]
    assert client.get(f"/api/v1/signals/{signal_a.public_id}/").status_code == 200
    response = client.get(f"/api/v1/signals/{signal_b.public_id}/")
    assert response.status_code == 404
    assert "B-REF" not in response.content.decode()
    add = client.post(f"/api/v1/signals/{signal_b.public_id}/additions/", {"text": "x"})
    assert add.status_code == 404
    assert not Addition.objects.exists()


def test_a_read_only_key_cannot_write(world):
    signal = world.a.signal
    url = f"/api/v1/signals/{signal.public_id}/additions/"
    _, read_key = create_api_key(
        world.a.organisation,
        name="Reader",
        scope="read",
        roles=[Role.PROFESSIONAL],
        by=world.a.admin,
    )
    response = key_client(read_key).post(url, {"text": "Written by a reader"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Addition.objects.exists()

    _, write_key = create_api_key(
        world.a.organisation,
        name="Writer",
        scope="read_write",
        roles=[Role.PROFESSIONAL],
        by=world.a.admin,
    )
    assert key_client(write_key).post(url, {"text": "Written"}).status_code == 201
    assert Addition.objects.get().organisation == world.a.organisation


@pytest.mark.parametrize(
    "header",
    ["Api-Key not-a-real-key", "Api-Key", "Api-Key a b", "Api-Key " + "x" * 500],
)
def test_unknown_or_malformed_keys_answer_401(world, header):
    response = APIClient(headers={"authorization": header}).get("/api/v1/signals/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_each_key_has_its_own_rate_limit(world, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "api_key": "2/hour"},
    }
    clients = []
    for police in (world.a, world.b):
        _, raw_key = create_api_key(
            police.organisation,
            name="Busy system",
            scope="read",
            roles=[Role.PROFESSIONAL],
            by=police.admin,
        )
        clients.append(key_client(raw_key))
    busy, calm = clients
    statuses = [busy.get("/api/v1/signals/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = busy.get("/api/v1/signals/")
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert calm.get("/api/v1/signals/").status_code == 200
