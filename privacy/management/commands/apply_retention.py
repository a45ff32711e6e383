from django.core.management.base import BaseCommand

from privacy.services import apply_retention


class Command(BaseCommand):
    help = "Remove the personal data of signals whose retention period has passed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be anonymised"
        )

    def handle(self, *args, dry_run: bool, **options):
        report = apply_retention(dry_run=dry_run)
        if report.dry_run:
            self.stdout.write(f"{report.due} signals are due; nothing changed (dry run)")
        else:
            self.stdout.write(f"{report.anonymised} of {report.due} due signals anonymised")
