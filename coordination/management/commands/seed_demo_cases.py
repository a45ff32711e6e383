from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from coordination.demo import seed_demo_cases


class Command(BaseCommand):
    help = (
        "Create demo cases with procedures and a company shared by two signals (after seed_demo; "
        "idempotent; development only)."
    )

    def handle(self, *args, **options):
        try:
            lines = seed_demo_cases()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\n".join(lines))
