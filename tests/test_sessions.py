"""Sessions: their data is encrypted at rest and expired ones are deleted."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as PlainSessionStore
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services, tasks
from accounts.models import UserSession
from meldpunt.core import crypto
from meldpunt.core.sessions import SessionStore
from tests.factories import UserFactory
from tests.helpers import address_of_its_own

pytestmark = pytest.mark.django_db

REPORT = "/en/report/"
DESCRIPTION = "Quetzalcoatl orchard workers sleep in container 7431"


def stored_session_data() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        return [row[0] for row in cursor.fetchall()]


def test_the_engine_is_the_encrypting_one():
    assert settings.SESSION_ENGINE == "meldpunt.core.sessions"


def test_a_form_draft_is_encrypted_in_the_database_and_still_shown_back(reference_data):
    reporter = Client(REMOTE_ADDR=address_of_its_own())
    reporter.post(REPORT, {"step": "what", "action": "next", "description": DESCRIPTION})

    rows = stored_session_data()
    assert rows
    for data in rows:
        assert "Quetzalcoatl" not in data and "7431" not in data
        assert crypto.is_encrypted(data)
        # Django's own store (signature only) cannot read it either.
        assert PlainSessionStore().decode(data) == {}
    # Underneath is Django's usual signed encoding.
    signed = crypto.decrypt(rows[0])
    draft = signing.loads(signed, salt=SessionStore().key_salt)
    assert DESCRIPTION in str(draft)

    assert reporter.get(REPORT + "?step=what").status_code == 302
    page = reporter.get(REPORT).content.decode()
    assert "Step 2 of 12" in page and DESCRIPTION in page


def make_session(**data) -> SessionStore:
    session = SessionStore()
    session.update(data)
    session.save()
    return session


STORED = {
    "garbage": lambda: "garbage",
    "non-ascii": lambda: "ünïcode garbage",
    "empty": lambda: "",
    # What Django's own store wrote before this engine: signed only.
    "legacy-signed-only": lambda: PlainSessionStore().encode({"draft": {"description": "old"}}),
    # Encrypted, but under a key that is no longer configured.
    "dropped-key": lambda: Fernet(Fernet.generate_key()).encrypt(b"{}").decode(),
}


@pytest.mark.parametrize("kind", STORED)
def test_session_data_no_key_decrypts_reads_as_an_empty_session(kind):
    stored = STORED[kind]()
    session = make_session(draft={"description": "x"})
    Session.objects.filter(session_key=session.session_key).update(session_data=stored)

    assert SessionStore(session.session_key).load() == {}

    # A request with that cookie gets an empty session rather than an error.
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get(REPORT).status_code == 200


def test_a_session_survives_key_rotation_but_not_a_dropped_key(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    session = make_session(ids=[1, 2, 3])

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert SessionStore(session.session_key).load() == {"ids": [1, 2, 3]}

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert SessionStore(session.session_key).load() == {}


def test_only_expired_sessions_are_deleted_with_their_user_link():
    user = UserFactory()
    expired, current = make_session(a=1), make_session(b=2)
    services.record_session(user, session_key=expired.session_key)
    services.record_session(user, session_key=current.session_key)
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )

    assert services.clear_expired_sessions() == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
    assert list(UserSession.objects.values_list("session_id", flat=True)) == [current.session_key]
    assert SessionStore(current.session_key).load() == {"b": 2}
    # The task is a thin wrapper: nothing is left to delete.
    assert tasks.clear_expired_sessions() == 0


def test_beat_deletes_expired_sessions_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert (
        entry["task"]
        == tasks.clear_expired_sessions.name
        == "accounts.tasks.clear_expired_sessions"
    )
    assert entry["schedule"] == timedelta(hours=1)


def test_a_session_is_written_when_it_changes_and_its_expiry_at_most_once_a_minute():
    """Pages that only read the session write nothing; activity still keeps it alive."""
    from organisations.models import Membership, Organisation
    from tests.factories import OrganisationFactory
    from tests.helpers import member_of, signed_in

    user = member_of(
        OrganisationFactory(kind=Organisation.Kind.POLICE), Membership.Role.PROFESSIONAL
    )
    client = signed_in(user)
    client.get("/pro/")
    key = client.session.session_key
    stored = Session.objects.get(pk=key)

    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/pro/").status_code == 200
        assert not [
            q
            for q in queries.captured_queries
            if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
        ]
    assert Session.objects.get(pk=key).expire_date == stored.expire_date

    # Its expiry last pushed back more than a minute ago: the next request pushes it again,
    # touching only the expiry, not the encrypted data.
    older = stored.expire_date - timedelta(seconds=90)
    Session.objects.filter(pk=key).update(expire_date=older)
    assert client.get("/pro/").status_code == 200
    refreshed = Session.objects.get(pk=key)
    assert refreshed.expire_date > timezone.now() + timedelta(minutes=29)
    assert refreshed.session_data == stored.session_data
