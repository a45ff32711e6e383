"""Demo data for `make run`: organisations for every region and one user per role.

Users exist only where this is run; each run gives them fresh random passwords and a fresh
authenticator secret (TOTP), printed once: add the otpauth URI to an authenticator app.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from regions.models import Region
from regions.services import load_regions

from .models import Membership, Organisation
from .services import add_member

Kind = Organisation.Kind
Role = Membership.Role
DEMO_DOMAIN = "demo.meldpunt.test"
FUNCTIONAL_ADMIN_GROUP = "Functional admin"
# What the functional admin (beheerder) may edit in the Django admin: reference data, never signals.
FUNCTIONAL_ADMIN_MODELS = [
    "region",
    "municipality",
    "organisation",
    "membership",
    "exploitationform",
    "indicatorcategory",
    "indicator",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    organisation: str
    otpauth_uri: str


PROFESSIONAL_ORGANISATIONS = [
    ("Politie Eenheid Amsterdam, AVIM (demo)", Kind.POLICE),
    ("Nederlandse Arbeidsinspectie (demo)", Kind.LABOUR_INSPECTORATE),
    ("Gemeente Utrecht (demo)", Kind.MUNICIPALITY),
    ("Jeugdzorg Rijnmond (demo)", Kind.YOUTH_CARE),
    ("Opvang De Haven (demo)", Kind.SHELTER),
    ("Ministerie van Justitie en Veiligheid, monitor (demo)", Kind.MINISTRY),
]

# (role label, e-mail local part, organisation name, roles)
DEMO_USERS = [
    ("coordinator Amsterdam-Amstelland", "coordinator.amsterdam", "VR13", [Role.COORDINATOR]),
    ("coordinator Rotterdam-Rijnmond", "coordinator.rotterdam", "VR17", [Role.COORDINATOR]),
    ("national desk", "landelijke.desk", "LD", [Role.COORDINATOR]),
    ("professional (police)", "politie", PROFESSIONAL_ORGANISATIONS[0][0], [Role.PROFESSIONAL]),
    (
        "professional (labour inspectorate)",
        "nla",
        PROFESSIONAL_ORGANISATIONS[1][0],
        [Role.PROFESSIONAL],
    ),
    (
        "organisation admin (police)",
        "beheer.politie",
        PROFESSIONAL_ORGANISATIONS[0][0],
        [Role.ORGANISATION_ADMIN],
    ),
    ("privacy officer (coordinator Amsterdam)", "fg.amsterdam", "VR13", [Role.PRIVACY_OFFICER]),
    ("opvang provider", "opvang", PROFESSIONAL_ORGANISATIONS[4][0], [Role.PROFESSIONAL]),
    ("analyst", "analist", PROFESSIONAL_ORGANISATIONS[5][0], [Role.ANALYST]),
]


def coordinator_organisation_name(region: Region) -> str:
    if region.is_national_desk:
        return "Landelijke desk mensenhandel (demo)"
    return f"Zorgcoördinatie mensenhandel {region.name} (demo)"


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    load_regions()
    organisations: dict[str, Organisation] = {}
    for region in Region.objects.all():
        kind = Kind.NATIONAL_DESK if region.is_national_desk else Kind.COORDINATOR
        organisation, _ = Organisation.objects.get_or_create(
            name=coordinator_organisation_name(region), defaults={"kind": kind}
        )
        organisation.regions.add(region)
        organisations[region.code] = organisation
    for name, kind in PROFESSIONAL_ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind}
        )

    logins = []
    for label, local_part, organisation_key, roles in DEMO_USERS:
        organisation = organisations[organisation_key]
        user, password = _demo_user(f"{local_part}@{DEMO_DOMAIN}")
        add_member(organisation, user=user, roles=roles)
        logins.append(
            DemoLogin(label, user.email, password, organisation.name, _fresh_authenticator(user))
        )

    admin, password = _demo_user(f"beheerder@{DEMO_DOMAIN}", is_staff=True)
    admin.groups.add(_functional_admin_group())
    logins.append(
        DemoLogin(
            "functional admin (Django admin)",
            admin.email,
            password,
            "-",
            _fresh_authenticator(admin),
        )
    )
    return logins


def _demo_user(email: str, *, is_staff: bool = False) -> tuple[User, str]:
    password = secrets.token_urlsafe(12)
    user, _ = User.objects.get_or_create(email=email, defaults={"is_staff": is_staff})
    user.set_password(password)
    user.save(update_fields=["password"])
    return user, password


def _fresh_authenticator(user: User) -> str:
    """Replace the user's authenticator with a new one; returns its otpauth URI."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name="demo authenticator", confirmed=True
    ).config_url


def _functional_admin_group() -> Group:
    group, _ = Group.objects.get_or_create(name=FUNCTIONAL_ADMIN_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__model__in=FUNCTIONAL_ADMIN_MODELS)
    )
    return group
