from django.core.management.base import BaseCommand

from content.services import load_content


class Command(BaseCommand):
    help = (
        "Load forms of exploitation, indicators, information pages and help contacts, with their "
        "texts in every language, from signals/data/taxonomy.json, content/data/public.json and "
        "content/texts/*.json. Safe to run again: changed texts are applied, texts edited in the "
        "admin are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace texts edited in the admin with the texts from the files",
        )

    def handle(self, *args, overwrite: bool, **options):
        result = load_content(overwrite=overwrite)
        self.stdout.write(
            f"content: {result.created} created, {result.texts} texts written, "
            f"{result.kept} edited in the admin and kept"
        )
