from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from intake.demo import seed_demo_signals


class Command(BaseCommand):
    help = (
        "Create last year's demo signals in two areas, with forms and indicators ticked, so that "
        "the monitor and the areas' own figures show something (idempotent; development only)."
    )

    def handle(self, *args, **options):
        try:
            created = seed_demo_signals()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{created} demo signals created")
