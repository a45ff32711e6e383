"""Organisation admins invite, re-role and remove members of their own organisation only."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, User
from organisations.models import Membership, Organisation, RoleRequest, roles_for_kind
from organisations.services import group_for, set_roles
from tests.factories import OrganisationFactory
from tests.helpers import current_totp, english_client, login_professional, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return english_client()


Role = Membership.Role
PASSWORD = "lange-zin-met-woorden-42"


@pytest.fixture
def org_a():
    # A municipality that employs the area's care coordinators (as many do): its admin hands out
    # the coordinator role, which only coordinating kinds of organisation have.
    return OrganisationFactory(name="Gemeente A", kind=Organisation.Kind.COORDINATOR)


@pytest.fixture
def org_b():
    return OrganisationFactory(name="Jeugdzorg B", kind=Organisation.Kind.YOUTH_CARE)


@pytest.fixture
def admin_a(org_a):
    return member_of(org_a, Role.ORGANISATION_ADMIN, email="beheer@a.test", password=PASSWORD)


@pytest.fixture
def member_a(org_a):
    return member_of(org_a, Role.PROFESSIONAL, email="medewerker@a.test", password=PASSWORD)


@pytest.fixture
def member_b(org_b):
    return member_of(
        org_b,
        Role.ORGANISATION_ADMIN,
        Role.PROFESSIONAL,
        email="medewerker@b.test",
        password=PASSWORD,
    )


def members_url(organisation):
    return f"/pro/organisation/{organisation.public_id}/"


def test_admin_sees_members_with_their_roles(client, org_a, admin_a, member_a):
    login_professional(client, admin_a)
    response = client.get("/pro/organisation/")
    assert response["Location"] == members_url(org_a)
    page = client.get(members_url(org_a)).content.decode()
    assert "medewerker@a.test" in page and "beheer@a.test" in page
    assert 'value="professional" checked' in page.replace("\n", " ") or re.search(
        r'value="professional"[^>]*checked', page
    )


def test_invite_flow_end_to_end(client, org_a, admin_a, django_capture_on_commit_callbacks):
    login_professional(client, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{members_url(org_a)}invite/",
            {"email": "Nieuw@A.test", "roles": [Role.PROFESSIONAL, Role.COORDINATOR]},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@a.test"]
    link = re.search(r"http://\S+/pro/invite/(\S+)/", message.body)
    token = link.group(1)
    # Only a hash of the token is stored.
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert (invitation.expires_at - timezone.now()).days == 6

    invitee = english_client()
    invite_url = f"/pro/invite/{token}/"
    page = invitee.get(invite_url)
    assert page.status_code == 200 and "Gemeente A" in page.content.decode()

    response = invitee.post(
        invite_url, {"password1": "abcdefghijklmnop", "password2": "abcdefghijklmnop"}
    )
    assert response.status_code == 200
    assert "repeated or sequential pattern" in response.content.decode()

    response = invitee.post(invite_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response["Location"] == "/pro/2fa/setup/"
    invitee.get("/pro/2fa/setup/")
    device = TOTPDevice.objects.get(user__email="nieuw@a.test", confirmed=False)
    response = invitee.post("/pro/2fa/setup/", {"token": current_totp(device)})
    assert len(response.context["codes"]) == 10
    page = invitee.get("/pro/").content.decode()
    assert "Gemeente A" in page and "Care coordinator" in page

    user = User.objects.get(email="nieuw@a.test")
    assert set(Membership.objects.get(user=user).roles) == {Role.PROFESSIONAL, Role.COORDINATOR}
    assert user.groups.filter(pk=group_for(org_a, role=Role.COORDINATOR).pk).exists()

    # One time only.
    assert english_client().get(invite_url).status_code == 404


def test_an_expired_invitation_does_not_work(
    client, org_a, admin_a, django_capture_on_commit_callbacks
):
    login_professional(client, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{members_url(org_a)}invite/", {"email": "laat@a.test", "roles": ["professional"]}
        )
    invite_url = re.search(r"/pro/invite/\S+/", mail.outbox[0].body).group(0)
    assert english_client().get(invite_url).status_code == 200

    Invitation.objects.update(expires_at=timezone.now())
    response = english_client().get(invite_url)
    assert response.status_code == 404
    assert "already used or has expired" in response.content.decode()


def test_invalid_invite_keeps_input_and_shows_error(client, org_a, admin_a):
    login_professional(client, admin_a)
    response = client.post(f"{members_url(org_a)}invite/", {"email": "geen-adres", "roles": []})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="geen-adres"' in page
    assert "Enter a valid email address" in page
    assert not Invitation.objects.exists()


def test_admin_sets_roles_and_groups_follow(client, org_a, admin_a, member_a):
    login_professional(client, admin_a)
    membership = Membership.objects.get(user=member_a)
    prefix = str(membership.public_id)
    response = client.post(
        f"{members_url(org_a)}members/{membership.public_id}/roles/",
        {f"{prefix}-roles": [Role.COORDINATOR]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.roles == [Role.COORDINATOR]
    assert list(member_a.groups.all()) == [group_for(org_a, role=Role.COORDINATOR)]


def test_the_last_admin_keeps_the_admin_role(client, org_a, admin_a):
    login_professional(client, admin_a)
    membership = Membership.objects.get(user=admin_a)
    response = client.post(
        f"{members_url(org_a)}members/{membership.public_id}/roles/",
        {f"{membership.public_id}-roles": [Role.PROFESSIONAL]},
        follow=True,
    )
    assert "needs at least one organisation admin" in response.content.decode()
    membership.refresh_from_db()
    assert Role.ORGANISATION_ADMIN in membership.roles


def test_a_removed_member_is_signed_out_at_once(client, org_a, admin_a, member_a):
    member_client = english_client()
    login_professional(member_client, member_a)
    assert member_client.get("/pro/").status_code == 200

    login_professional(client, admin_a)
    membership = Membership.objects.get(user=member_a)
    response = client.post(f"{members_url(org_a)}members/{membership.public_id}/remove/")
    assert response.status_code == 302

    response = member_client.get("/pro/")
    assert response.status_code == 302
    assert response["Location"].startswith("/pro/login/")
    member_a.refresh_from_db()
    assert not member_a.is_active
    assert not member_a.groups.exists()
    assert not Membership.objects.filter(user=member_a).exists()
    # The admin's own session is untouched.
    assert client.get(members_url(org_a)).status_code == 200


def test_admin_of_one_organisation_cannot_manage_another(
    client, org_a, org_b, admin_a, member_a, member_b
):
    login_professional(client, admin_a)
    membership_b = Membership.objects.get(user=member_b)
    assert client.get(members_url(org_b)).status_code == 404
    assert (
        client.post(
            f"{members_url(org_b)}invite/", {"email": "x@b.test", "roles": ["professional"]}
        ).status_code
        == 404
    )
    for organisation in (org_a, org_b):
        base = f"{members_url(organisation)}members/{membership_b.public_id}"
        assert client.post(f"{base}/remove/").status_code == 404
        assert client.post(f"{base}/roles/", {}).status_code == 404
    assert Membership.objects.filter(user=member_b).exists()
    assert not Invitation.objects.exists()


def test_a_member_without_the_admin_role_cannot_manage(client, org_a, member_a):
    login_professional(client, member_a)
    assert client.get(members_url(org_a)).status_code == 404
    assert "Gemeente A" not in client.get("/pro/organisation/").content.decode()


def test_demo_users_get_groups_and_an_authenticator(client):
    from organisations.demo import DEMO_DOMAIN, seed_demo

    logins = {login.email: login for login in seed_demo()}
    police = logins[f"politie@{DEMO_DOMAIN}"]
    user = User.objects.get(email=police.email)
    organisation = Organisation.objects.get(name=police.organisation)
    assert user.groups.filter(pk=group_for(organisation, role=Role.PROFESSIONAL).pk).exists()
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert police.otpauth_uri == device.config_url

    client.post("/pro/login/", {"username": police.email, "password": police.password})
    client.post("/pro/2fa/verify/", {"token": current_totp(device)})
    assert police.organisation in client.get("/pro/").content.decode()


def test_only_the_roles_of_the_organisations_kind_are_offered_and_accepted(client, org_b, member_b):
    """A youth-care provider has no care coordinators: the role is not offered, and a forged post
    is refused with the input kept, not stored."""
    login_professional(client, member_b)
    page = client.get(members_url(org_b)).content.decode()
    assert 'value="professional"' in page and 'value="coordinator"' not in page
    response = client.post(
        f"{members_url(org_b)}invite/", {"email": "nieuw@b.test", "roles": ["coordinator"]}
    )
    assert response.status_code == 400
    assert "nieuw@b.test" in response.content.decode()
    assert not Invitation.objects.filter(email="nieuw@b.test").exists()


@pytest.mark.parametrize(
    ("kind", "role", "fits"),
    [
        (Organisation.Kind.COMENSHA, Role.COORDINATOR, True),
        (Organisation.Kind.COMENSHA, Role.ANALYST, True),
        (Organisation.Kind.VEILIG_THUIS, Role.COORDINATOR, False),
        (Organisation.Kind.NGO, Role.ANALYST, False),
        (Organisation.Kind.MINISTRY, Role.PROFESSIONAL, False),
        (Organisation.Kind.PROSECUTION, Role.PROFESSIONAL, True),
    ],
)
def test_roles_per_kind(kind, role, fits):
    assert (role in roles_for_kind(kind)) is fits


def test_a_change_of_kind_makes_misfit_roles_an_error_not_a_server_error(
    client, org_a, admin_a, member_a, django_capture_on_commit_callbacks
):
    login_professional(client, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{members_url(org_a)}invite/", {"email": "zc@a.test", "roles": ["coordinator"]}
        )
    invite_url = re.search(r"/pro/invite/\S+/", mail.outbox[0].body).group(0)
    set_roles(Membership.objects.get(user=member_a), roles=[Role.PROFESSIONAL, Role.COORDINATOR])
    # The functional admin finds the organisation is a municipality after all: no coordinators.
    Organisation.objects.filter(pk=org_a.pk).update(kind=Organisation.Kind.MUNICIPALITY)

    # The invitation for a role the organisation no longer has cannot be used.
    assert english_client().get(invite_url).status_code == 404
    # Changing the member's roles says what does not fit, and changes nothing.
    membership = Membership.objects.get(user=member_a)
    response = client.post(
        f"{members_url(org_a)}members/{membership.public_id}/roles/",
        {f"{membership.public_id}-roles": [Role.PROFESSIONAL, Role.COORDINATOR]},
        follow=True,
    )
    assert response.status_code == 200
    assert "among those your organisation" in response.content.decode()
    membership.refresh_from_db()
    assert set(membership.roles) == {Role.PROFESSIONAL, Role.COORDINATOR}
    # Approving a role the member asked for says why it cannot be, and the request stays open.
    asked = RoleRequest.objects.create(membership=membership, role=Role.PRIVACY_OFFICER)
    response = client.post(f"{members_url(org_a)}requests/{asked.public_id}/approve/", follow=True)
    assert response.status_code == 200
    assert "has no role" in response.content.decode()
    asked.refresh_from_db()
    assert asked.decided_at is None
