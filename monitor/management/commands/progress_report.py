from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from monitor.selectors import FixedPeriod, all_tables, durations


class Command(BaseCommand):
    help = (
        "Write the biennial progress report (HTML) with the monitor's figures per calendar year. "
        "Only whole years that have ended: the same periods the monitor publishes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, nargs="+", required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--language", default="nl")

    def handle(self, *args, year, output, language, **options):
        periods = [FixedPeriod(number, "year") for number in sorted(set(year))]
        if any(period.end >= timezone.localdate() for period in periods):
            raise CommandError("Only years that have ended can be reported.")
        with translation.override(language):
            html = render_to_string(
                "monitor/report.html",
                {
                    "years": [
                        {
                            "period": period,
                            "tables": list(enumerate(all_tables(period))),
                            "durations": durations(period.range),
                        }
                        for period in periods
                    ],
                    "made_on": timezone.localdate(),
                },
            )
        output.write_text(html, encoding="utf-8")
        self.stdout.write(f"report for {', '.join(map(str, periods))} written to {output}")
