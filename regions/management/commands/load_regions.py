from django.core.management.base import BaseCommand

from regions.services import load_regions


class Command(BaseCommand):
    help = (
        "Load (or reload) the coordinator areas, the national desk, divisions, municipalities, "
        "published coordinator contacts, place names and postcodes. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-mapping",
            action="store_true",
            help="Also move municipalities back to the area the data file gives them.",
        )

    def handle(self, *args, reset_mapping: bool = False, **options):
        report = load_regions(reset_mapping=reset_mapping)
        self.stdout.write(
            f"areas: {report.regions_created} created, {report.regions_updated} renamed; "
            f"divisions: {report.divisions_created} created; "
            f"municipalities: {report.municipalities_created} created, "
            f"{report.municipalities_updated} renamed, {report.municipalities_moved} moved; "
            f"contacts: {report.contacts_created} created; "
            f"place names: {report.places_created} created; "
            f"postcodes: {report.postcodes_created} created"
        )
