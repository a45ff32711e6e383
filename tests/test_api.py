"""The REST API: public reports, signals as the permission module allows, the coordinator
operations, opvang, translated content and the one error shape.

`world` is the permission matrix's (tests/world.py): police A submitted a signal in Amsterdam,
routed to coordinators X; Y serves Rotterdam, where another signal is routed; B is a labour
inspectorate with nothing of its own."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from access.models import AccessLogEntry
from accounts.models import User
from api.exceptions import exception_handler
from api.services import create_api_key
from opvang.models import Offer, PlacementRequest
from organisations.models import Membership, Organisation
from regions.models import Municipality
from signals import receipts
from signals.models import DESCRIPTION_MAX_LENGTH, Addition, Indicator, Signal
from tests.factories import (
    ExploitationFormFactory,
    IndicatorCategoryFactory,
    IndicatorFactory,
    OfferFactory,
    PlacementRequestFactory,
    ShelterFactory,
)
from tests.helpers import address_of_its_own, login_professional, member_of

pytestmark = pytest.mark.django_db
Role = Membership.Role


def session_client(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    login_professional(client, user)
    return client


def key_client(raw_key: str, language: str = "en") -> APIClient:
    return APIClient(headers={"authorization": f"Api-Key {raw_key}", "accept-language": language})


def fresh_client(**headers) -> APIClient:
    """An anonymous client at an address of its own, so earlier tests' counts do not apply."""
    return APIClient(REMOTE_ADDR=address_of_its_own(), headers=headers)


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


# The public report


def _public_report(**extra) -> dict:
    return {
        "description": "A girl of about 15 works every night in the nail salon.",
        "location_kind": "municipality",
        "municipality": "GM0363",
        "involves_minor": True,
        **extra,
    }


def test_a_public_report_creates_one_signal_and_shows_its_receipt_code_once(reference_data):
    client = fresh_client()
    key = str(uuid.uuid4())
    response = client.post("/api/v1/signals/public/", _public_report(submission_key=key), "json")
    assert response.status_code == 201, response.content
    code = response.json()["receipt_code"]
    assert receipts.normalise(code) == code
    signal = Signal.objects.get()
    assert signal.source == Signal.Source.PUBLIC
    assert signal.municipality.code == "GM0363"
    assert signal.receipt_lookup == receipts.lookup_key(code)
    assert code not in signal.receipt_hash

    again = client.post("/api/v1/signals/public/", _public_report(submission_key=key), "json")
    assert again.status_code == 409
    assert _error(again)["code"] == "already_received"
    assert code not in again.content.decode()
    assert Signal.objects.count() == 1


def test_public_reports_are_rate_limited_per_client(reference_data, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "public_report": "2/hour"},
    }
    client = fresh_client()
    statuses = [
        client.post("/api/v1/signals/public/", _public_report(), "json").status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert Signal.objects.count() == 2
    # Another client is not affected.
    other = fresh_client()
    assert other.post("/api/v1/signals/public/", _public_report(), "json").status_code == 201


def test_a_bad_public_report_answers_translated_field_errors(reference_data):
    client = fresh_client(**{"accept-language": "nl"})
    response = client.post(
        "/api/v1/signals/public/",
        {"location_kind": "municipality", "people_count": -3, "indicators": ["no-such"]},
        "json",
    )
    assert response.status_code == 400
    error = _error(response)
    assert error["fields"]["description"] == ["Dit veld is vereist."]
    assert {"people_count", "indicators"} <= set(error["fields"])
    assert Signal.objects.count() == 0

    broken = client.post("/api/v1/signals/public/", "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert _error(broken)["code"] == "parse_error"


def test_text_longer_than_the_schema_allows_is_refused_even_with_whitespace_around_it(
    reference_data,
):
    """The schema says maxLength of what is sent; trimming must not let a longer text in."""
    response = fresh_client().post(
        "/api/v1/signals/public/",
        {"description": "\r" + "x" * DESCRIPTION_MAX_LENGTH, "location_kind": "online"},
        "json",
    )
    assert response.status_code == 400
    assert "description" in _error(response)["fields"]
    assert Signal.objects.count() == 0


# Signals: list, detail, additions


def test_the_signal_list_shows_what_the_caller_may_see_with_filters(world):
    officer = session_client(world.officer)
    listed = officer.get("/api/v1/signals/").json()
    assert [row["public_id"] for row in listed["results"]] == [str(world.signal_a.public_id)]
    assert listed["count"] == 1

    coordinator_y = session_client(world.coordinator_y)
    ids = [row["public_id"] for row in coordinator_y.get("/api/v1/signals/").json()["results"]]
    assert ids == [str(world.signal_y.public_id)]

    assert officer.get("/api/v1/signals/?status=triaged").json()["count"] == 1
    assert officer.get("/api/v1/signals/?status=closed").json()["count"] == 0
    assert officer.get("/api/v1/signals/?region=AMS").json()["count"] == 1
    assert officer.get("/api/v1/signals/?region=RTM").json()["count"] == 0
    assert officer.get("/api/v1/signals/?source=professional").json()["count"] == 1
    assert officer.get("/api/v1/signals/?created_after=2999-01-01T00:00:00Z").json()["count"] == 0
    assert officer.get("/api/v1/signals/?created_before=2999-01-01T00:00:00Z").json()["count"] == 1
    bad = officer.get("/api/v1/signals/?status=nonsense")
    assert bad.status_code == 400
    assert "status" in _error(bad)["fields"]


def test_reading_a_signal_writes_the_access_log_and_others_get_404(world):
    signal = world.signal_a
    url = f"/api/v1/signals/{signal.public_id}/"
    response = session_client(world.officer).get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["persons"][0]["name"] == "Ana Secret"
    assert body["region"] == "AMS"
    entry = AccessLogEntry.objects.get(signal=signal, action=AccessLogEntry.Action.VIEW)
    assert entry.user == world.officer
    assert entry.organisation == world.police

    for outsider in (world.inspector, world.coordinator_y):
        denied = session_client(outsider).get(url)
        assert denied.status_code == 404
        assert _error(denied)["code"] == "not_found"
        assert "Ana Secret" not in denied.content.decode()
    unknown = session_client(world.officer).get(f"/api/v1/signals/{uuid.uuid4()}/")
    assert unknown.status_code == 404
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.VIEW).count() == 1


def test_without_second_factor_or_credentials_the_api_refuses(world):
    half_signed_in = APIClient()
    half_signed_in.force_login(world.officer)
    response = half_signed_in.get("/api/v1/signals/")
    assert response.status_code == 403
    assert _error(response)["code"] == "permission_denied"
    anonymous = APIClient().get("/api/v1/signals/")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Api-Key"
    assert _error(anonymous)["code"] == "not_authenticated"


def test_the_submitting_organisation_adds_information_others_cannot(world):
    url = f"/api/v1/signals/{world.signal_a.public_id}/additions/"
    response = session_client(world.officer).post(url, {"text": "He has a second phone."})
    assert response.status_code == 201
    assert Addition.objects.get().text == "He has a second phone."
    assert session_client(world.coordinator_x).post(url, {"text": "x"}).status_code == 404
    too_long = session_client(world.officer).post(url, {"text": "x" * 5001})
    assert too_long.status_code == 400
    assert "text" in _error(too_long)["fields"]
    assert Addition.objects.count() == 1


# The coordinator operations


def test_coordinators_move_assign_note_share_and_transfer(world):
    signal = world.signal_a
    base = f"/api/v1/signals/{signal.public_id}/"
    coordinator = session_client(world.coordinator_x)

    moved = coordinator.post(f"{base}status/", {"to_status": "in_progress", "reason": "Called"})
    assert moved.status_code == 200
    assert moved.json()["status"] == "in_progress"
    refused = coordinator.post(f"{base}status/", {"to_status": "triaged", "reason": "Back"})
    assert refused.status_code == 400
    assert _error(refused)["code"] == "move_not_allowed"

    assigned = coordinator.post(f"{base}assign/", {"assignee": "coordinator@x.test"})
    assert assigned.status_code == 200
    signal.refresh_from_db()
    assert signal.assigned_to == world.coordinator_x
    stranger = coordinator.post(f"{base}assign/", {"assignee": "coordinator@y.test"})
    assert stranger.status_code == 400

    note = coordinator.post(f"{base}notes/", {"body": "Spoke with the shelter."})
    assert note.status_code == 201
    assert signal.notes.get().body == "Spoke with the shelter."

    inspector = session_client(world.inspector)
    assert inspector.get(base).status_code == 404
    shared = coordinator.post(
        f"{base}share/",
        {
            "organisation": str(world.inspectorate.public_id),
            "legal_basis": "public_task",
            "purpose": "Joint inspection",
            "ends_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
        },
    )
    assert shared.status_code == 201
    assert inspector.get(base).status_code == 200

    transferred = coordinator.post(
        f"{base}transfer/", {"region": "RTM", "reason": "She moved to Rotterdam"}
    )
    assert transferred.status_code == 204
    assert coordinator.get(base).status_code == 404
    assert session_client(world.coordinator_y).get(base).status_code == 200


def test_a_coordinator_asks_and_the_submitting_organisation_answers_once(world):
    base = f"/api/v1/signals/{world.signal_a.public_id}/"
    asked = session_client(world.coordinator_x).post(
        f"{base}questions/", {"text": "Where does she sleep?"}
    )
    assert asked.status_code == 201
    question_id = asked.json()["public_id"]
    officer = session_client(world.officer)
    shown = officer.get(base).json()["questions"]
    assert [(q["text"], q["answer"]) for q in shown] == [("Where does she sleep?", "")]

    url = f"{base}questions/{question_id}/answer/"
    assert session_client(world.coordinator_x).post(url, {"answer": "x"}).status_code == 404
    answered = officer.post(url, {"answer": "Above the car wash."})
    assert answered.status_code == 200
    assert answered.json()["answer"] == "Above the car wash."
    again = officer.post(url, {"answer": "Somewhere else."})
    assert again.status_code == 400
    assert _error(again)["code"] == "answered"
    shown = session_client(world.coordinator_x).get(base).json()["questions"]
    assert shown[0]["answer"] == "Above the car wash."
    assert officer.post(f"{base}questions/", {"text": "Me?"}).status_code == 404


def test_coordinator_operations_answer_404_without_triage_permission(world):
    base = f"/api/v1/signals/{world.signal_a.public_id}/"
    for user in (world.officer, world.coordinator_y, world.inspector):
        client = session_client(user)
        response = client.post(f"{base}status/", {"to_status": "in_progress", "reason": "x"})
        assert response.status_code == 404
        assert client.post(f"{base}notes/", {"body": "x"}).status_code == 404
    world.signal_a.refresh_from_db()
    assert world.signal_a.status == "triaged"


# Reference data and translated content


def test_forms_and_indicators_follow_accept_language(db):
    labour = ExploitationFormFactory(
        code="labour", name_nl="Arbeidsuitbuiting", name_pl="Wyzysk w pracy"
    )
    category = IndicatorCategoryFactory(
        code="freedom", name_nl="Beperkte vrijheid", name_pl="Ograniczona wolność"
    )
    indicator = IndicatorFactory(
        code="no-id",
        category=category,
        name_nl="Heeft geen eigen identiteitspapieren",
        name_pl="Nie ma własnych dokumentów",
        is_public=True,
        forms=[labour],
    )
    polish = APIClient(headers={"accept-language": "pl"})
    dutch = APIClient(headers={"accept-language": "nl"})
    assert polish.get("/api/v1/exploitation-forms/").json()["results"][0]["name"] == (
        "Wyzysk w pracy"
    )
    assert dutch.get("/api/v1/exploitation-forms/").json()["results"][0]["name"] == (
        "Arbeidsuitbuiting"
    )
    row = polish.get("/api/v1/indicators/").json()["results"][0]
    assert (row["name"], row["category_name"], row["forms"]) == (
        "Nie ma własnych dokumentów",
        "Ograniczona wolność",
        ["labour"],
    )
    assert dutch.get("/api/v1/indicators/").json()["results"][0]["name"] == (
        "Heeft geen eigen identiteitspapieren"
    )
    # Without signing in only the indicators the public form asks.
    Indicator.objects.filter(pk=indicator.pk).update(is_public=False)
    assert dutch.get("/api/v1/indicators/").json()["count"] == 0


def test_reference_lists_are_paginated(reference_data):
    client = APIClient()
    page = client.get("/api/v1/municipalities/").json()
    assert page["count"] == 342
    assert len(page["results"]) == 50
    assert page["next"]
    biggest = client.get("/api/v1/municipalities/?page_size=1000").json()
    assert len(biggest["results"]) == 200
    amsterdam = client.get("/api/v1/municipalities/?region=AMS").json()["results"]
    assert "GM0363" in {row["code"] for row in amsterdam}
    assert {row["region"] for row in amsterdam} == {"AMS"}
    assert client.get("/api/v1/municipalities/?page=999").status_code == 404
    regions = client.get("/api/v1/regions/").json()
    assert "LD" in {row["code"] for row in regions["results"]}


def test_an_unexpected_error_answers_500_in_the_error_shape_without_details(db):
    response = exception_handler(RuntimeError("secret internals"), {})
    assert response.status_code == 500
    assert response.data["error"]["code"] == "server_error"
    assert "secret internals" not in str(response.data)


def test_an_unknown_api_address_answers_404_in_the_error_shape(db):
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


# Opvang


@dataclass
class Shelter:
    """A shelter with a safe house in Amsterdam, one place free, that X asked a place of for A's
    signal."""

    provider: Organisation
    worker: User
    offer: Offer
    request: PlacementRequest


@pytest.fixture
def shelter(world) -> Shelter:
    provider = ShelterFactory(name="Shelter S")
    offer = OfferFactory(
        provider=provider,
        name="Safe house",
        municipality=Municipality.objects.get(code="GM0363"),
        address="Secret street 1",
    )
    request = PlacementRequestFactory(
        signal=world.signal_a,
        offer=offer,
        requested_by=world.coordinator_x,
        requesting_organisation=world.coordination_x,
    )
    worker = member_of(provider, Role.PROFESSIONAL, email="worker@s.test")
    return Shelter(provider=provider, worker=worker, offer=offer, request=request)


def test_the_provider_sets_free_places_of_its_own_offer_only(world, shelter):
    offer = shelter.offer
    url = f"/api/v1/offers/{offer.public_id}/free-places/"
    worker = session_client(shelter.worker)
    response = worker.patch(url, {"free_places": 3})
    assert response.status_code == 200
    assert response.json()["free_places"] == 3
    offer.refresh_from_db()
    assert offer.free_places == 3

    too_many = worker.patch(url, {"free_places": 5})
    assert too_many.status_code == 400
    assert "free_places" in _error(too_many)["fields"]
    assert session_client(world.officer).patch(url, {"free_places": 0}).status_code == 404
    offer.refresh_from_db()
    assert offer.free_places == 3


def test_offers_hide_the_address_and_placement_requests_are_listed_per_side(world, shelter):
    by_officer = session_client(world.officer).get("/api/v1/offers/").json()["results"]
    assert by_officer[0]["name"] == "Safe house"
    assert by_officer[0]["address"] is None
    by_worker = session_client(shelter.worker).get("/api/v1/offers/").json()["results"]
    assert by_worker[0]["address"] == "Secret street 1"

    request_id = str(shelter.request.public_id)
    for user in (shelter.worker, world.coordinator_x):
        listed = session_client(user).get("/api/v1/placement-requests/").json()["results"]
        assert [row["public_id"] for row in listed] == [request_id]
    assert session_client(world.officer).get("/api/v1/placement-requests/").json()["count"] == 0


def test_an_api_key_acts_as_its_organisation_and_its_reads_are_logged(world):
    api_key, raw_key = create_api_key(
        world.police,
        name="Case system",
        scope="read",
        roles=[Role.PROFESSIONAL],
        by=world.officer,
    )
    client = key_client(raw_key)
    url = f"/api/v1/signals/{world.signal_a.public_id}/"
    assert client.get(url).status_code == 200
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.VIEW)
    assert entry.user == api_key.service_user
    assert entry.organisation == world.police
