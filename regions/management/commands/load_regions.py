from django.core.management.base import BaseCommand

from regions.services import load_regions


class Command(BaseCommand):
    help = "Load (or reload) the regions, the national desk and all municipalities. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-mapping",
            action="store_true",
            help="Also move municipalities back to the region the data file gives them.",
        )

    def handle(self, *args, reset_mapping: bool = False, **options):
        report = load_regions(reset_mapping=reset_mapping)
        self.stdout.write(
            f"regions: {report.regions_created} created, {report.regions_updated} renamed; "
            f"municipalities: {report.municipalities_created} created, "
            f"{report.municipalities_updated} renamed, {report.municipalities_moved} moved"
        )
