"""Professional sign-in: password + TOTP, recovery codes, lock-out, idle sessions, sign-out."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import UserSession
from accounts.services import end_sessions, replace_recovery_codes
from devstack.worker import wait_for
from organisations.models import Membership, Organisation
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import (
    current_totp,
    english_client,
    login_professional,
    member_of,
    signed_in,
    totp_device,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return english_client()


PASSWORD = "lange-zin-met-woorden-42"


@pytest.fixture
def professional():
    police = OrganisationFactory(name="Politie AVIM", kind=Organisation.Kind.POLICE)
    return member_of(
        police, Membership.Role.PROFESSIONAL, email="agent@politie.test", password=PASSWORD
    )


def sign_in_with_password(client, email="agent@politie.test", password=PASSWORD):
    return client.post("/pro/login/", {"username": email, "password": password})


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/pro/")
    assert response.status_code == 302
    assert response["Location"] == "/pro/login/?next=/pro/"


def test_professional_signs_in_with_password_and_totp(client, professional):
    device = totp_device(professional)
    response = client.post(
        "/pro/login/?next=/pro/",
        {"username": "Agent@Politie.test", "password": PASSWORD, "next": "/pro/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/pro/2fa/verify/"
    # The password alone opens no professional page.
    assert client.get("/pro/")["Location"].startswith("/pro/login/")

    response = client.post("/pro/2fa/verify/", {"token": current_totp(device)})
    assert response.status_code == 302
    assert response["Location"] == "/pro/"
    page = client.get("/pro/")
    assert page.status_code == 200
    assert "Politie AVIM" in page.content.decode()


def test_a_wrong_password_or_code_is_refused_with_a_message(client, professional):
    device = totp_device(professional)
    response = sign_in_with_password(client, password="not-the-password-at-all")
    assert response.status_code == 200
    assert "e-mail address or password is not correct" in response.content.decode()

    sign_in_with_password(client)
    wrong = f"{(int(current_totp(device)) + 1) % 1_000_000:06d}"
    response = client.post("/pro/2fa/verify/", {"token": wrong})
    assert response.status_code == 200
    assert "not correct or was already used" in response.content.decode()
    assert client.get("/pro/").status_code == 302


def test_first_sign_in_links_an_authenticator_and_shows_recovery_codes_once(client, professional):
    response = sign_in_with_password(client)
    assert response["Location"] == "/pro/2fa/setup/"

    page = client.get("/pro/2fa/setup/").content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=professional, confirmed=False)
    assert "otpauth://totp/Meldpunt%20mensenhandel%3Aagent%40politie.test" in page
    assert client.get("/pro/").status_code == 302

    response = client.post("/pro/2fa/setup/", {"token": current_totp(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/pro/").status_code == 200
    # Shown once: the set-up page is closed now that an authenticator is linked.
    assert client.get("/pro/2fa/setup/")["Location"] == "/pro/"


def test_setup_refuses_a_wrong_code(client, professional):
    sign_in_with_password(client)
    client.get("/pro/2fa/setup/")
    device = TOTPDevice.objects.get(user=professional, confirmed=False)
    wrong = f"{(int(current_totp(device)) + 1) % 1_000_000:06d}"
    response = client.post("/pro/2fa/setup/", {"token": wrong})
    assert response.status_code == 200
    assert "This code is not correct" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/pro/").status_code == 302


def test_a_recovery_code_signs_in_once(client, professional):
    totp_device(professional)
    code = replace_recovery_codes(professional)[0]

    sign_in_with_password(client)
    response = client.post("/pro/2fa/verify/", {"token": code.upper()})
    assert response["Location"] == "/pro/"
    assert client.get("/pro/").status_code == 200

    client.post("/pro/logout/")
    sign_in_with_password(client)
    response = client.post("/pro/2fa/verify/", {"token": code})
    assert response.status_code == 200
    assert "already used" in response.content.decode()
    assert client.get("/pro/").status_code == 302


def test_five_failed_logins_lock_the_account_out(client, professional):
    for _ in range(4):
        response = sign_in_with_password(client, password="wrong-password-123")
        assert response.status_code == 200
    response = sign_in_with_password(client, password="wrong-password-123")
    assert response.status_code == 429
    assert "Signing in failed 5 times" in response.content.decode()

    # Even the right password is refused while locked out.
    response = sign_in_with_password(client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another colleague on the same connection can still sign in.
    UserFactory(email="collega@politie.test", password=PASSWORD)
    response = sign_in_with_password(client, email="collega@politie.test")
    assert response.status_code == 302


def test_an_idle_session_expires_and_activity_extends_it(client, professional):
    login_professional(client, professional)
    assert client.get("/pro/").status_code == 200
    session = Session.objects.get(pk=client.session.session_key)
    assert abs(session.expire_date - (timezone.now() + timedelta(minutes=30))) < timedelta(
        seconds=30
    )
    # Ends on browser close: the cookie, set when the session is written, has no lifetime.
    cookie = sign_in_with_password(Client()).cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get("/pro/").status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + timedelta(minutes=29)

    # 30 minutes without a request: the session is over.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/pro/")
    assert response.status_code == 302
    assert response["Location"].startswith("/pro/login/")


def test_sign_out_is_a_post_and_ends_the_session(client, professional):
    login_professional(client, professional)
    assert client.get("/pro/logout/").status_code == 405
    assert client.get("/pro/").status_code == 200
    response = client.post("/pro/logout/", follow=True)
    assert "You are signed out" in response.content.decode()
    assert client.get("/pro/").status_code == 302


@pytest.mark.parametrize(
    "password", ["abcabcabcabcabc", "zzzzzzzzzzzzzz", "abcdefghijklmnop", "ponmlkjihgfedcba"]
)
def test_passwords_that_are_only_a_pattern_are_refused(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert "password_pattern" in [e.code for e in error.value.error_list]


def test_short_and_common_passwords_are_refused_but_a_long_phrase_passes():
    with pytest.raises(ValidationError):
        validate_password("Kort-1!")
    with pytest.raises(ValidationError):
        validate_password("password1234")
    validate_password(PASSWORD)


def test_professionals_do_not_reach_the_django_admin(client, professional):
    login_professional(client, professional)
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")


def test_the_django_admin_needs_the_second_factor_too(client):
    beheerder = UserFactory(email="beheerder@meldpunt.test", password=PASSWORD, superuser=True)
    client.force_login(beheerder)
    assert client.get("/beheer/")["Location"].startswith("/beheer/login/")
    login_professional(client, beheerder)
    assert client.get("/beheer/").status_code == 200


# Changing one's own password (/pro/password/).

NEW_PASSWORD = "een-heel-ander-wachtwoord-77"
PASSWORD_CHANGE = "/pro/password/"


def change_password(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        PASSWORD_CHANGE,
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_the_password_change_page_asks_for_the_current_password(client, professional):
    login_professional(client, professional)
    page = client.get(PASSWORD_CHANGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="old_password"' in html
    assert html.count('autocomplete="current-password"') == 1
    assert html.count('autocomplete="new-password"') == 2
    assert 'autocomplete="username" value="agent@politie.test"' in html
    assert f'href="{PASSWORD_CHANGE}"' in client.get("/pro/").content.decode()


def test_a_changed_password_signs_in_and_the_old_one_no_longer_does(client, professional):
    login_professional(client, professional)
    response = change_password(client)
    assert response.status_code == 302
    assert response["Location"] == "/pro/"
    assert "Your password was changed" in client.get("/pro/").content.decode()
    professional.refresh_from_db()
    assert professional.check_password(NEW_PASSWORD)
    assert not professional.check_password(PASSWORD)

    fresh = english_client()
    assert sign_in_with_password(fresh).status_code == 200  # the old password: refused
    assert sign_in_with_password(fresh, password=NEW_PASSWORD)["Location"] == "/pro/2fa/verify/"


def test_a_wrong_current_password_is_refused_and_nothing_changes(client, professional):
    login_professional(client, professional)
    session_key = client.session.session_key
    response = change_password(client, old="not-my-password-at-all")
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in response.content.decode()
    assert NEW_PASSWORD not in response.content.decode()
    professional.refresh_from_db()
    assert professional.check_password(PASSWORD)
    assert client.session.session_key == session_key


def test_new_passwords_that_differ_or_are_empty_are_refused(client, professional):
    login_professional(client, professional)
    response = change_password(client, again="een-heel-ander-wachtwoord-78")
    assert response.status_code == 400
    assert "The two password fields didn\u2019t match" in response.content.decode()
    response = client.post(PASSWORD_CHANGE, {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    professional.refresh_from_db()
    assert professional.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("Kort-1!", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("abcabcabcabcabc", "This password is only a repeated or sequential pattern."),
        ("politie.test-agent", "The password is too similar to the e-mail address."),
    ],
)
def test_a_weak_new_password_is_refused_with_the_validators_message(
    client, professional, weak, message
):
    login_professional(client, professional)
    response = change_password(client, new=weak)
    assert response.status_code == 400
    assert message in response.content.decode()
    professional.refresh_from_db()
    assert professional.check_password(PASSWORD)


def test_the_current_session_stays_signed_in_and_verified_with_a_new_key(client, professional):
    login_professional(client, professional)
    old_key = client.session.session_key
    device_id = client.session[DEVICE_ID_SESSION_KEY]

    assert change_password(client).status_code == 302
    session = client.session
    assert session.session_key != old_key  # a fresh key: a copied cookie is worthless now
    assert not Session.objects.filter(pk=old_key).exists()
    assert session[DEVICE_ID_SESSION_KEY] == device_id
    assert client.get("/pro/signals/").status_code == 200
    assert client.get("/pro/").status_code == 200
    # Recorded like a sign-in, so ending the user's sessions (e.g. on removal) still reaches it.
    assert UserSession.objects.filter(session_id=session.session_key, user=professional).exists()
    end_sessions(professional)
    assert client.get("/pro/").status_code == 302


def test_a_password_change_signs_out_the_users_other_sessions(client, professional):
    elsewhere = signed_in(professional)
    colleague = signed_in(UserFactory(email="collega@politie.test", password=PASSWORD))
    login_professional(client, professional)
    assert elsewhere.get("/pro/").status_code == 200
    other_key = elsewhere.session.session_key

    assert change_password(client).status_code == 302
    assert not Session.objects.filter(pk=other_key).exists()
    response = elsewhere.get("/pro/signals/")
    assert response.status_code == 302
    assert response["Location"].startswith("/pro/login/")
    # Other people's sessions are theirs.
    assert colleague.get("/pro/").status_code == 200


def test_anonymous_or_half_signed_in_visitors_cannot_change_a_password(client, professional):
    response = client.get(PASSWORD_CHANGE)
    assert response.status_code == 302
    assert response["Location"] == "/pro/login/?next=/pro/password/"
    assert change_password(client)["Location"].startswith("/pro/login/")

    # The password alone (no second factor yet) is not enough either.
    sign_in_with_password(client)
    assert change_password(client)["Location"].startswith("/pro/login/")
    professional.refresh_from_db()
    assert professional.check_password(PASSWORD)


def test_the_owner_is_told_by_mail_that_the_password_changed(client, professional, celery_worker):
    """If it was not them, they know at once (ASVS 2.2.3); the real worker sends the mail."""
    login_professional(client, professional)
    assert change_password(client).status_code == 302

    mail = wait_for(
        lambda: next((m for m in celery_worker.mails() if "agent@politie.test" in m), None)
    )
    assert "wachtwoord" in mail.lower()  # in Dutch, the professionals' language
    assert "http" not in mail  # no link to imitate
