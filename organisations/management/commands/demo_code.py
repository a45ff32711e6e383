from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from organisations.demo import current_code


class Command(BaseCommand):
    help = (
        "Print the current authenticator code of a demo account, so that a newcomer can sign in "
        "without an authenticator app. Development only: refused outside DEMO_ACCOUNTS."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The demo account's e-mail address.")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No account {email}.")
        try:
            self.stdout.write(current_code(user))
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        except ValueError as error:
            raise CommandError(f"{email}: {error}.") from error
