from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone, translation

from monitor.selectors import Period, all_tables, durations


class Command(BaseCommand):
    help = "Write the biennial progress report (HTML) with the monitor's figures for a period."

    def add_arguments(self, parser):
        parser.add_argument("--start", type=date.fromisoformat, required=True)
        parser.add_argument("--end", type=date.fromisoformat, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--language", default="nl")

    def handle(self, *args, start, end, output, language, **options):
        period = Period(start, end)
        with translation.override(language):
            html = render_to_string(
                "monitor/report.html",
                {
                    "period": period,
                    "tables": list(enumerate(all_tables(period))),
                    "durations": durations(period),
                    "made_on": timezone.localdate(),
                },
            )
        output.write_text(html, encoding="utf-8")
        self.stdout.write(f"report for {start} to {end} written to {output}")
