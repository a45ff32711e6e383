from django.core.management.base import BaseCommand

from organisations.demo import seed_demo


class Command(BaseCommand):
    help = (
        "Create demo organisations and one user per role (idempotent). Each run sets new random "
        "passwords and authenticator secrets and prints them: never use this on a production "
        "database."
    )

    def handle(self, *args, **options):
        logins = seed_demo()
        width = max(len(login.role) for login in logins)
        self.stdout.write("Demo logins (passwords are new on every run):")
        for login in logins:
            self.stdout.write(f"  {login.role:<{width}}  {login.email:<40}  {login.password}")
            self.stdout.write(f"  {'':<{width}}  TOTP: {login.otpauth_uri}")
