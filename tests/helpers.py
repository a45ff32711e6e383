"""Helpers shared by tests (and the bench scripts) that act as a signed-in professional or need
the organisations every region's signals go to."""

import io
import uuid
from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfWriter

from intake import uploads
from meldpunt.core.storage import private_storage
from organisations.models import Organisation
from regions.models import Municipality, Region
from signals.models import Signal
from tests.factories import CoordinationFactory, MembershipFactory, SignalFactory, UserFactory
from triage.services import triage_signal


def totp_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device, created if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def current_totp(device: TOTPDevice) -> str:
    """The code an authenticator app would show for this device right now."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def login_professional(client, user) -> None:
    """Sign `user` into the Django test client with password *and* verified second factor."""
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def english_client():
    """A test client whose browser asks for English, so assertions read Django's English texts."""
    return Client(headers={"accept-language": "en"})


def member_of(organisation, *roles: str, **user_fields):
    """A user holding `roles` in `organisation`, in the organisation's groups for them: a new one,
    or the one whose `email` is given if it exists. `user_fields` are the user's (e.g. `email`,
    `password`)."""
    user = UserFactory(**user_fields)
    return MembershipFactory(user=user, organisation=organisation, roles=list(roles)).user


def signed_in(user):
    """An English-speaking test client, signed in as `user` with the second factor given."""
    client = english_client()
    login_professional(client, user)
    return client


def coordinator_organisations_per_region() -> dict[Region, Organisation]:
    """A coordinator organisation with a mail address and an active coordinator for every area,
    by area (an organisation without an active coordinator does not count: triage falls back)."""
    from organisations.models import Membership

    organisations = {}
    for region in Region.objects.all():
        organisations[region] = CoordinationFactory(
            region=region, email=f"zc-{region.code.lower()}@example.nl"
        )
        member_of(organisations[region], Membership.Role.COORDINATOR)
    return organisations


PUBLIC_REPORT = "/en/report/"
STEPS_BEFORE_PHOTOS = ["where", "when", "who", "involved", "kind", "signs", "danger"]


def address_of_its_own() -> str:
    """An IPv6 address in a /64 of its own: the public limits count an IPv6 client by its /64."""
    return f"2001:db8:{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}::1"


def reporter_at_the_photo_step() -> Client:
    """A browser without JavaScript on the public form, at the photo step, from an address of
    its own (the form's limits count per address)."""
    client = Client(REMOTE_ADDR=address_of_its_own())
    client.post(PUBLIC_REPORT, {"step": "what", "action": "next", "description": "With files"})
    for step in STEPS_BEFORE_PHOTOS:
        client.post(PUBLIC_REPORT, {"step": step, "action": "next"})
    return client


def files_waiting_for_send(client: Client) -> list[Path]:
    """The encrypted uploads the client's unsent public report holds on disk."""
    folder = Path(private_storage().path(uploads.TEMPORARY_FOLDER)) / (
        uuid.UUID(client.session["public_report"]["key"]).hex
    )
    return sorted(folder.iterdir()) if folder.is_dir() else []


INTAKE_SECTIONS = ["persons", "companies", "locations", "vehicles", "websites", "bank_accounts"]


def description_only_intake(organisation: Organisation, description: str) -> dict:
    """What the professional intake posts for a signal with only a description: no row in any
    of its lists."""
    data = {
        "action": "submit",
        "submission_key": str(uuid.uuid4()),
        "organisation": str(organisation.pk),
        "victim_consent": "unknown",
        "description": description,
    }
    for section in INTAKE_SECTIONS:
        data[f"{section}-TOTAL_FORMS"] = "0"
        data[f"{section}-INITIAL_FORMS"] = "0"
    return data


def triaged_signal_in(municipality_code: str, **fields) -> Signal:
    """A signal about a place in the municipality (CBS code), triaged: routed to its region."""
    signal = SignalFactory(
        location_kind=Signal.LocationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code=municipality_code),
        **fields,
    )
    triage_signal(signal.pk)
    signal.refresh_from_db()
    return signal


def pdf_bytes(trailing: bytes = b"") -> bytes:
    """A real one-page PDF, as a scanner or a word processor writes one; `trailing` is written
    after its end (as a comment line), where a reader does not look."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue() + (b"%" + trailing + b"\n" if trailing else b"")


def migrate_apps_to(targets):
    """Migrate these apps to `targets` (going back also unapplies what depends on them, in any
    app); the models as the database has them then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(sorted(executor.loader.applied_migrations)).apps


def migrate_to_the_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
