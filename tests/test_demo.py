"""The demo data of `make run`: every area reaches someone, and a newcomer signs in at once with
only what is printed; production refuses demo accounts."""

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accounts.models import User
from organisations.demo import DEMO_DOMAIN, seed_demo
from organisations.models import Organisation
from regions.models import Municipality, Region
from triage.selectors import coverage_check

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_every_area_has_a_coordinator_with_a_member_or_is_visibly_covered_by_comensha():
    logins = seed_demo()
    rows = coverage_check()
    assert {row.region.code for row in rows} >= set(
        Region.objects.filter(kind=Region.Kind.REGIONAL).values_list("code", flat=True)
    )
    assert [row.region.code for row in rows if row.status == "nobody"] == []
    fallback = {row.region.code for row in rows if row.status == "fallback"}
    assert fallback == {"FL", "ZHZ", "MB"}, "the areas the overview gives no coordinator"
    assert all(
        [c.name for c in row.coordinators] == ["CoMensha (demo)"]
        for row in rows
        if row.status == "fallback"
    )
    emails = {login.email for login in logins}
    assert f"coordinator.comensha@{DEMO_DOMAIN}" in emails
    assert f"landelijke.desk@{DEMO_DOMAIN}" in emails
    # A newcomer can sign in as every organisation of the chain around a victim.
    Kind = Organisation.Kind
    signed_in_kinds = set(
        Organisation.objects.filter(name__in={login.organisation for login in logins}).values_list(
            "kind", flat=True
        )
    )
    assert signed_in_kinds >= {
        Kind.PROSECUTION,
        Kind.IND,
        Kind.COMENSHA,
        Kind.RIEC,
        Kind.VEILIG_THUIS,
        Kind.VICTIM_SUPPORT,
        Kind.CHILD_TRAFFICKING_CENTRE,
        Kind.YOUTH_PROTECTION,
        Kind.COA,
        Kind.MUNICIPALITY,
        Kind.NGO,
    }
    youth = Organisation.objects.get(name="Veilig Thuis Amsterdam-Amstelland (demo)")
    assert list(youth.regions.values_list("code", flat=True)) == ["AMS"]
    # The demo municipality's analyst and every area's coordinators read their area's figures.
    from access.roles import monitor_areas

    municipality = User.objects.get(email__startswith="gemeente@")
    assert [area.name for area in monitor_areas(municipality)] == [
        Municipality.objects.get(name="Utrecht").region.name
    ]
    for coordinator in User.objects.filter(email__startswith="coordinator."):
        coordinated = Organisation.objects.filter(
            memberships__user=coordinator, kind=Kind.COORDINATOR
        )
        areas = Region.objects.filter(organisations__in=coordinated).distinct()
        assert set(monitor_areas(coordinator)) == set(areas)


def test_seeding_twice_is_fine_and_demo_organisations_mail_no_real_address():
    seed_demo()
    seed_demo()
    demo = Organisation.objects.filter(name__endswith=" (demo)")
    assert demo.count() == len(set(demo.values_list("name", flat=True)))
    assert not demo.exclude(email="").exists()


def test_a_newcomer_signs_in_with_the_printed_password_and_recovery_code(client):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    line = next(line for line in printed.splitlines() if f"politie@{DEMO_DOMAIN}" in line)
    _role, email, password, first_code, _second = line.rsplit(maxsplit=4)
    assert "Politieregio Den Haag en Hollands Midden: coordinator.shop@" in printed
    assert "Flevoland: no coordinator of its own -> coordinator.comensha@" in printed

    client.post("/pro/login/", {"username": email, "password": password})
    response = client.post("/pro/2fa/verify/", {"token": first_code})
    assert response.status_code == 302
    assert client.get("/pro/").status_code == 200


def test_demo_code_prints_the_current_authenticator_code(client):
    logins = {login.email: login for login in seed_demo()}
    email = f"coordinator.shop@{DEMO_DOMAIN}"
    out = io.StringIO()
    call_command("demo_code", email, stdout=out)
    code = out.getvalue().strip()
    assert code.isdigit() and len(code) == 6

    client.post("/pro/login/", {"username": email, "password": logins[email].password})
    assert client.post("/pro/2fa/verify/", {"token": code}).status_code == 302


def test_demo_code_is_for_demo_accounts_only():
    from tests.factories import UserFactory

    seed_demo()
    real = UserFactory(email="someone@politie.nl")
    with pytest.raises(CommandError):
        call_command("demo_code", real.email)


def test_the_logins_file_is_readable_by_its_owner_only(tmp_path):
    target = tmp_path / "demo-logins.txt"
    call_command("seed_demo", output=target, stdout=io.StringIO())
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text()
    assert f"beheerder@{DEMO_DOMAIN}" in text and "otpauth://" in text


@override_settings(DEMO_ACCOUNTS=False)
def test_without_demo_accounts_seeding_and_codes_are_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("demo_code", f"politie@{DEMO_DOMAIN}")


def test_production_settings_refuse_demo_accounts_whatever_the_environment_says():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEYS": "a" * 43 + "=",
        "BLIND_INDEX_KEY": "y" * 40,
        "DEMO_ACCOUNTS": "true",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from meldpunt.settings import production as s; print(s.DEMO_ACCOUNTS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_demo_signals_have_forms_and_indicators_ticked_and_are_seeded_once():
    from content.services import load_content
    from intake.demo import PER_MONTH, seed_demo_signals
    from signals.models import Signal

    load_content()
    seed_demo()
    assert seed_demo_signals(year=2025) == 2 * 12 * PER_MONTH
    assert seed_demo_signals(year=2025) == 0

    signals = Signal.objects.filter(created_at__year=2025)
    assert signals.count() == 2 * 12 * PER_MONTH
    assert not signals.filter(indicators__isnull=True).exists()
    assert not signals.filter(forms__isnull=True).exists()
    utrecht = Municipality.objects.get(name="Utrecht").region
    assert signals.filter(municipality__region=utrecht).count() == 12 * PER_MONTH
