"""Professional sign-in: password + TOTP, recovery codes, lock-out, idle sessions, sign-out."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import replace_recovery_codes
from organisations.models import Membership, Organisation
from organisations.services import add_member
from tests.helpers import current_totp, english_client, login_professional, totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return english_client()


PASSWORD = "lange-zin-met-woorden-42"


@pytest.fixture
def professional():
    user = User.objects.create_user("agent@politie.test", PASSWORD)
    organisation = Organisation.objects.create(name="Politie AVIM", kind=Organisation.Kind.POLICE)
    add_member(organisation, user, [Membership.Role.PROFESSIONAL])
    return user


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
    User.objects.create_user("collega@politie.test", PASSWORD)
    response = sign_in_with_password(client, email="collega@politie.test")
    assert response.status_code == 302


def test_an_idle_session_expires_and_activity_extends_it(client, professional):
    login_professional(client, professional)
    assert client.get("/pro/").status_code == 200
    session = Session.objects.get(pk=client.session.session_key)
    assert abs(session.expire_date - (timezone.now() + timedelta(minutes=30))) < timedelta(
        seconds=30
    )
    # Ends on browser close: the cookie carries no lifetime of its own.
    cookie = client.cookies["sessionid"]
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
    beheerder = User.objects.create_superuser("beheerder@meldpunt.test", PASSWORD)
    client.force_login(beheerder)
    assert client.get("/beheer/")["Location"].startswith("/beheer/login/")
    login_professional(client, beheerder)
    assert client.get("/beheer/").status_code == 200
