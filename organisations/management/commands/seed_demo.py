import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from organisations.demo import DemoLogin, seed_demo
from regions.selectors import coordinator_areas


class Command(BaseCommand):
    help = (
        "Create demo organisations and one user per role (idempotent; development only). Each run "
        "sets new random passwords, authenticator secrets and recovery codes and prints them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="Also write the logins to this file (readable by you only)."
        )

    def handle(self, *args, output: Path | None = None, **options):
        try:
            logins = seed_demo()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        text = render(logins)
        self.stdout.write(text)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text + "\n" + _details(logins))


def render(logins: list[DemoLogin]) -> str:
    """The logins as a newcomer needs them: e-mail, password and a one-time recovery code for the
    second factor, then which login sees a report from which area."""
    width = max(len(login.role) for login in logins)
    email_width = max(len(login.email) for login in logins)
    lines = [
        "Demo logins (new on every run). Second factor: one of the recovery codes (each works "
        "once),",
        "or the current code: python manage.py demo_code EMAIL",
        "",
    ]
    for login in logins:
        codes = " ".join(login.recovery_codes[:2])
        lines.append(
            f"  {login.role:<{width}}  {login.email:<{email_width}}  {login.password}  {codes}"
        )
    lines += ["", "Who sees a report from each area:"]
    by_area = {area: login for login in logins for area in login.areas}
    fallback = next((login for login in logins if "without a coordinator" in login.role), None)
    for area in coordinator_areas():
        login = by_area.get(area.name)
        if login is not None:
            lines.append(f"  {area.name}: {login.email}")
        elif fallback is not None:
            lines.append(f"  {area.name}: no coordinator of its own -> {fallback.email}")
    return "\n".join(lines)


def _details(logins: list[DemoLogin]) -> str:
    lines = ["All recovery codes and authenticator URIs:"]
    for login in logins:
        lines.append(f"  {login.email}")
        lines.append(f"    recovery codes: {' '.join(login.recovery_codes)}")
        lines.append(f"    authenticator: {login.otpauth_uri}")
    return "\n".join(lines) + "\n"
