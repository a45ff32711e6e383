"""Demo data for `make run`: a coordinator organisation for every published coordinator, so
that a report from any municipality reaches someone who can sign in, and one user per role.

Users exist only where this is run, and only with settings.DEMO_ACCOUNTS (development; production
refuses it). Each run gives them fresh random passwords, a fresh authenticator secret (TOTP) and
fresh one-time recovery codes, so a newcomer can sign in without an authenticator app.
Demo organisations carry no e-mail address: notification mails go to the demo users only, never to
the real organisations whose names and published phone numbers they borrow.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import replace_recovery_codes
from regions.models import AreaContact, Municipality, Region
from regions.selectors import national_desk
from regions.services import load_regions

from .models import Membership, Organisation
from .services import add_member

Kind = Organisation.Kind
Role = Membership.Role
DEMO_DOMAIN = "demo.meldpunt.test"
DEMO_SUFFIX = " (demo)"
FUNCTIONAL_ADMIN_GROUP = "Functional admin"
# The national coordination centre that coordinates areas without a coordinator of their own.
FALLBACK_ORGANISATION = "CoMensha"
# What the functional admin (beheerder) may edit in the Django admin: reference data, never signals.
FUNCTIONAL_ADMIN_MODELS = [
    "region",
    "areacontact",
    "division",
    "municipality",
    "place",
    "postcode",
    "organisation",
    "membership",
    "exploitationform",
    "indicatorcategory",
    "indicator",
    "routingrule",
    "routingalert",
    "areacoverage",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    organisation: str
    otpauth_uri: str
    recovery_codes: tuple[str, ...] = field(default=())
    areas: tuple[str, ...] = field(default=())


PROFESSIONAL_ORGANISATIONS = [
    ("Politie Eenheid Amsterdam, AVIM (demo)", Kind.POLICE),
    ("Nederlandse Arbeidsinspectie (demo)", Kind.LABOUR_INSPECTORATE),
    ("Gemeente Utrecht (demo)", Kind.MUNICIPALITY),
    ("Jeugdzorg Rijnmond (demo)", Kind.YOUTH_CARE),
    ("Opvang De Haven (demo)", Kind.SHELTER),
    ("Ministerie van Justitie en Veiligheid, monitor (demo)", Kind.MINISTRY),
]
NATIONAL_DESK_ORGANISATION = "Landelijke desk mensenhandel (demo)"
AMSTERDAM = "AMS"
# The rest of the chain around a victim: (e-mail local part, name, kind, the areas it serves).
# Youth protection serves areas, so that the rule for minors reaches it: Veilig Thuis and the
# GI of Amsterdam get Amsterdam's signals about minors; Nidos and the CKM, serving no area, step
# in where an area has no youth protection of its own. Each has one professional to sign in as.
CHAIN_ORGANISATIONS = [
    ("om", "Openbaar Ministerie (demo)", Kind.PROSECUTION, ()),
    ("ind", "Immigratie- en Naturalisatiedienst (demo)", Kind.IND, ()),
    ("riec", "RIEC Amsterdam-Amstelland (demo)", Kind.RIEC, ()),
    ("veilig-thuis", "Veilig Thuis Amsterdam-Amstelland (demo)", Kind.VEILIG_THUIS, (AMSTERDAM,)),
    (
        "jeugdbescherming",
        "Jeugdbescherming Regio Amsterdam (demo)",
        Kind.YOUTH_PROTECTION,
        (AMSTERDAM,),
    ),
    ("nidos", "Nidos (demo)", Kind.YOUTH_PROTECTION, ()),
    (
        "fier",
        "Fier, Centrum tegen Kinderhandel en Mensenhandel (demo)",
        Kind.CHILD_TRAFFICKING_CENTRE,
        (),
    ),
    ("slachtofferhulp", "Slachtofferhulp Nederland (demo)", Kind.VICTIM_SUPPORT, ()),
    ("coa", "COA (demo)", Kind.COA, ()),
    ("fairwork", "FairWork (demo)", Kind.NGO, ()),
]

# (role label, e-mail local part, organisation name, roles) besides the coordinators.
OTHER_USERS = [
    ("national desk", "landelijke.desk", NATIONAL_DESK_ORGANISATION, [Role.COORDINATOR]),
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
    (
        "privacy officer (HVO Querido / ACM)",
        "fg.hvo-querido-acm",
        "HVO Querido / ACM" + DEMO_SUFFIX,
        [Role.PRIVACY_OFFICER],
    ),
    ("opvang provider", "opvang", PROFESSIONAL_ORGANISATIONS[4][0], [Role.PROFESSIONAL]),
    (
        "professional (municipality)",
        "gemeente",
        PROFESSIONAL_ORGANISATIONS[2][0],
        [Role.PROFESSIONAL, Role.ANALYST],
    ),
    ("analyst", "analist", PROFESSIONAL_ORGANISATIONS[5][0], [Role.ANALYST]),
]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create (or refresh) the demo organisations and users; returns their logins."""
    if not settings.DEMO_ACCOUNTS:
        raise ImproperlyConfigured("Demo accounts are for development only (DEMO_ACCOUNTS).")
    load_regions()
    coordinators = _coordinator_organisations()
    organisations = {organisation.name: organisation for organisation in coordinators}
    desk, _ = Organisation.objects.get_or_create(
        name=NATIONAL_DESK_ORGANISATION, defaults={"kind": Kind.NATIONAL_DESK}
    )
    desk.regions.add(national_desk())
    organisations[desk.name] = desk
    for name, kind in PROFESSIONAL_ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind}
        )
    # The demo municipality is Utrecht: its analyst reads the figures of Utrecht's area.
    municipality = organisations[PROFESSIONAL_ORGANISATIONS[2][0]]
    municipality.municipality = Municipality.objects.filter(name="Utrecht").first()
    municipality.save(update_fields=["municipality"])
    chain_logins = []
    for local_part, name, kind, area_codes in CHAIN_ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(name=name, defaults={"kind": kind})
        organisation.regions.set(Region.objects.filter(code__in=area_codes))
        label = f"professional ({organisation.get_kind_display()})"
        chain_logins.append((label, local_part, organisation))

    logins = []
    for organisation in coordinators:
        areas = tuple(organisation.regions.order_by("name").values_list("name", flat=True))
        label = "coordinator " + organisation.name.removesuffix(DEMO_SUFFIX)
        if organisation.coordinates_uncovered_areas:
            label += " (also areas without a coordinator)"
        local_part = "coordinator." + _slug(organisation.name.removesuffix(DEMO_SUFFIX))
        logins.append(_login(label, local_part, organisation, [Role.COORDINATOR], areas))
    for label, local_part, organisation_name, roles in OTHER_USERS:
        logins.append(_login(label, local_part, organisations[organisation_name], roles))
    for label, local_part, organisation in chain_logins:
        logins.append(_login(label, local_part, organisation, [Role.PROFESSIONAL]))
    comensha = next(o for o in coordinators if o.kind == Kind.COMENSHA)
    logins.append(
        _login("analyst (CoMensha: registrations)", "analist.comensha", comensha, [Role.ANALYST])
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
            tuple(replace_recovery_codes(admin)),
        )
    )
    return logins


def _coordinator_organisations() -> list[Organisation]:
    """A demo coordinator organisation for every organisation the overview of zorgcoördinatoren
    names, serving the areas it names it for; CoMensha also covers areas without one."""
    areas_of: dict[str, set[Region]] = defaultdict(set)
    for contact in AreaContact.objects.filter(region__isnull=False).select_related("region"):
        areas_of[contact.organisation].add(contact.region)
    areas_of.setdefault(FALLBACK_ORGANISATION, set())
    names = {name + DEMO_SUFFIX for name in areas_of}
    # Demo coordinator organisations of earlier runs (one per veiligheidsregio) stop serving
    # areas, so that the demo shows the published coordinators and the fallback, nothing else.
    for stale in Organisation.objects.filter(
        kind__in=[Kind.COORDINATOR, Kind.COMENSHA], name__endswith=DEMO_SUFFIX
    ).exclude(name__in=names):
        stale.regions.clear()
        if stale.coordinates_uncovered_areas:
            stale.coordinates_uncovered_areas = False
            stale.save(update_fields=["coordinates_uncovered_areas"])
    result = []
    for name, areas in sorted(areas_of.items()):
        fallback = name == FALLBACK_ORGANISATION
        # CoMensha is the national coordination centre, a kind of its own: it also places in
        # COSM and reads the registrations. Earlier runs made it a coordinator organisation.
        kind = Kind.COMENSHA if fallback else Kind.COORDINATOR
        organisation, _ = Organisation.objects.get_or_create(
            name=name + DEMO_SUFFIX, defaults={"kind": kind}
        )
        organisation.regions.set(areas)
        if (organisation.kind, organisation.coordinates_uncovered_areas) != (kind, fallback):
            organisation.kind = kind
            organisation.coordinates_uncovered_areas = fallback
            organisation.save(update_fields=["kind", "coordinates_uncovered_areas"])
        result.append(organisation)
    return result


def _login(
    label: str,
    local_part: str,
    organisation: Organisation,
    roles: list[str],
    areas: tuple[str, ...] = (),
) -> DemoLogin:
    user, password = _demo_user(f"{local_part}@{DEMO_DOMAIN}")
    add_member(organisation, user=user, roles=roles)
    return DemoLogin(
        label,
        user.email,
        password,
        organisation.name,
        _fresh_authenticator(user),
        tuple(replace_recovery_codes(user)),
        areas,
    )


def _demo_user(email: str, *, is_staff: bool = False) -> tuple[User, str]:
    password = secrets.token_urlsafe(12)
    user, _ = User.objects.get_or_create(email=email, defaults={"is_staff": is_staff})
    user.is_active = True
    user.set_password(password)
    user.save(update_fields=["password", "is_active"])
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


def is_demo_account(user: User) -> bool:
    return user.email.endswith("@" + DEMO_DOMAIN)


def current_code(user: User) -> str:
    """The code the demo account's authenticator app would show now (development only)."""
    if not settings.DEMO_ACCOUNTS:
        raise ImproperlyConfigured("Demo accounts are for development only (DEMO_ACCOUNTS).")
    if not is_demo_account(user):
        raise ValueError("not a demo account")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValueError("no authenticator")
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"
