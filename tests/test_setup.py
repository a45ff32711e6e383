"""The project sets up on the real stack, and production settings are safe."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.conftest import ROOT


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A deployment has neither a secret from the test settings nor the tests' async override.
    unset = {"DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "meldpunt.settings.production", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.django_db
def test_migrations_are_complete_and_applied():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_deploy_check_passes_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level=WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="meldpunt.example.nl",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
