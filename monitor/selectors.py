"""The monitor's figures. Only aggregates leave the database; every table is suppressed."""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import ExtractMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coordination.models import Connection, Registration
from coordination.registration_selectors import registrations_by_form_and_sector
from opvang.models import PlacementRequest
from organisations.models import Organisation
from regions.models import Region
from signals.models import (
    ExploitationForm,
    InterpreterRequest,
    ReflectionPeriod,
    Signal,
    SignalEvent,
)

from .suppression import (
    MINIMUM,
    Cell,
    LinkedSystem,
    LinkedTable,
    Table,
    suppress_linked,
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def signals_in(period: Period, region: Region | None = None):
    """The signals received in the period, each situation once: a merged duplicate (the same
    situation reported again) is counted with the signal it was merged into. With a region:
    only the signals of that area, for its own figures."""
    signals = Signal.objects.exclude(status=Signal.Status.DRAFT).filter(
        created_at__date__gte=period.start,
        created_at__date__lte=period.end,
        merged_into__isnull=True,
    )
    return signals if region is None else signals.filter(region=region)


# The tables of a year, month by month, before suppression. Each table counts the units of one
# universe (signals, the forms they name, signals with a deadline, connections, placement
# requests); the tables of the signals add up to the same total every month.


@dataclass(frozen=True)
class FixedPeriod:
    """A period the monitor publishes: a calendar month, a quarter or a year. Nothing else: two
    periods a day apart, or the first days of a month against the whole month, would give away
    the signals of those days (issue 18)."""

    year: int
    kind: str  # "month", "quarter" or "year"
    number: int = 0  # the month (1-12) or the quarter (1-4); 0 for the year

    @property
    def months(self) -> range:
        if self.kind == "month":
            return range(self.number, self.number + 1)
        if self.kind == "quarter":
            return range(3 * self.number - 2, 3 * self.number + 1)
        return range(1, 13)

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        following = date(self.year + 1, 1, 1) if last == 12 else date(self.year, last + 1, 1)
        return following - timedelta(days=1)

    @property
    def range(self) -> Period:
        return Period(self.start, self.end)

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    def __str__(self) -> str:
        if self.kind == "month":
            return formats.date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == "quarter":
            return _("Quarter %(number)d %(year)d") % {"number": self.number, "year": self.year}
        return str(self.year)

    @classmethod
    def from_key(cls, key: str) -> FixedPeriod | None:
        match = _PERIOD_KEY.fullmatch(key or "")
        if match is None:
            return None
        year, quarter, month = match["year"], match["quarter"], match["month"]
        if quarter:
            return cls(int(year), "quarter", int(quarter))
        if month:
            return cls(int(year), "month", int(month))
        return cls(int(year), "year")


_PERIOD_KEY = re.compile(r"(?P<year>\d{4})(?:-Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?")


def periods_of(year: int) -> list[FixedPeriod]:
    """Every period of a year the monitor can publish: the year, its quarters, its months."""
    return [
        FixedPeriod(year, "year"),
        *(FixedPeriod(year, "quarter", quarter) for quarter in range(1, 5)),
        *(FixedPeriod(year, "month", month) for month in range(1, 13)),
    ]


def published_periods(today: date | None = None) -> list[FixedPeriod]:
    """The periods that have ended, newest first, from the first year with signals on. A period
    still running is not shown: looked at day by day it would give away each day's signals."""
    today = today or timezone.localdate()
    first = Signal.objects.aggregate(first=Min("created_at"))["first"]
    first_year = min(timezone.localtime(first).year if first else today.year, today.year - 1)
    ended = [
        period
        for year in range(first_year, today.year + 1)
        for period in periods_of(year)
        if period.end < today
    ]
    return sorted(ended, key=lambda p: (p.end, p.kind != "month", p.kind == "year"), reverse=True)


def default_period(today: date | None = None) -> FixedPeriod:
    """The last month that has ended."""
    today = today or timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    return FixedPeriod(last.year, "month", last.month)


def signals_in_year(year: int, region: Region | None = None):
    return signals_in(FixedPeriod(year, "year").range, region).annotate(
        month=ExtractMonth("created_at")
    )


@dataclass
class YearTable:
    """One table's counts for a year: per month and row. A row is known by a key that is the
    same in every language (a region's code, a status): the suppression must not depend on the
    reader's language, or two languages side by side would show more than one does."""

    title: str
    universe: str
    counts: dict[tuple[int, str], int]
    # The rows' keys in the order shown, and what each row is called in the reader's language.
    keys: list[str]
    labels: dict[str, str]


def _grouped(rows, key) -> dict[tuple[int, str], int]:
    counts: dict[tuple[int, str], int] = {}
    for row in rows:
        index = (row["month"], key(row))
        counts[index] = counts.get(index, 0) + row["count"]
    return counts


def _year_table(title, universe, counts, labels: dict[str, str], fixed: bool = False):
    """A table whose rows are those with a count in the year, by name; or all of `labels`, in
    their order, when `fixed`."""
    if fixed:
        keys = list(labels)
    else:
        keys = sorted({key for _month, key in counts}, key=lambda key: str(labels[key]))
    return YearTable(str(title), universe, counts, keys, {k: str(v) for k, v in labels.items()})


def _region_table(year: int, region: Region | None = None) -> YearTable:
    rows = signals_in_year(year, region).values("month", "region__code").annotate(count=Count("pk"))
    labels = {region.code: region.name for region in Region.objects.all()}
    labels[""] = _("not yet routed")
    counts = _grouped(rows, lambda row: row["region__code"] or "")
    return _year_table(_("Signals per region"), "signals", counts, labels)


def _form_table(year: int, region: Region | None = None) -> YearTable:
    rows = signals_in_year(year, region).values("month", "forms__code").annotate(count=Count("pk"))
    labels = {form.code: form.name for form in ExploitationForm.objects.all()}
    labels[""] = _("not named")
    counts = _grouped(rows, lambda row: row["forms__code"] or "")
    return _year_table(
        _("Signals per form of exploitation (a signal can name several)"), "forms", counts, labels
    )


def _source_table(year: int, region: Region | None = None) -> YearTable:
    labels = {"public": _("Public (citizens and possible victims)")}
    labels.update(Organisation.Kind.choices)
    labels.update((f"source:{value}", label) for value, label in Signal.Source.choices)
    rows = (
        signals_in_year(year, region)
        .values("month", "source", "submitted_by__kind")
        .annotate(count=Count("pk"))
    )

    def key(row) -> str:
        if row["source"] == Signal.Source.PUBLIC:
            return "public"
        return row["submitted_by__kind"] or f"source:{row['source']}"

    return _year_table(_("Signals per source"), "signals", _grouped(rows, key), labels)


def _minors_table(year: int, region: Region | None = None) -> YearTable:
    labels = {"yes": _("yes"), "no": _("no"), "unknown": _("unknown")}
    rows = (
        signals_in_year(year, region).values("month", "involves_minor").annotate(count=Count("pk"))
    )
    keys = {True: "yes", False: "no", None: "unknown"}
    counts = _grouped(rows, lambda row: keys[row["involves_minor"]])
    return _year_table(_("A minor involved"), "signals", counts, labels, fixed=True)


def _deadline_table(year: int, region: Region | None = None) -> YearTable:
    labels = {"met": _("in time"), "missed": _("overdue")}
    rows = (
        signals_in_year(year, region)
        .filter(deadline__isnull=False)
        .annotate(missed=Q(overdue_at__isnull=False))
        .values("month", "missed")
        .annotate(count=Count("pk"))
    )
    counts = _grouped(rows, lambda row: "missed" if row["missed"] else "met")
    return _year_table(_("Looked at before the deadline"), "deadlines", counts, labels, fixed=True)


def _connection_table(year: int, region: Region | None = None) -> YearTable:
    labels = {"across": _("across regions"), "within": _("within a region")}
    connections = Connection.objects.filter(signal_id__lt=F("other_id"))
    if region is not None:
        connections = connections.filter(Q(signal__region=region) | Q(other__region=region))
    rows = (
        connections.filter(signal__created_at__year=year)
        .annotate(
            month=ExtractMonth("signal__created_at"),
            same=Q(signal__region=F("other__region")),
        )
        .values("month", "same")
        .annotate(count=Count("pk"))
    )
    counts = _grouped(rows, lambda row: "within" if row["same"] else "across")
    return _year_table(_("Connections between signals"), "connections", counts, labels, fixed=True)


def _placement_table(year: int, region: Region | None = None) -> YearTable:
    requests = PlacementRequest.objects.all()
    if region is not None:
        requests = requests.filter(signal__region=region)
    rows = (
        requests.filter(created_at__year=year)
        .annotate(month=ExtractMonth("created_at"))
        .values("month", "status")
        .annotate(count=Count("pk"))
    )
    counts = _grouped(rows, lambda row: row["status"])
    labels = dict(PlacementRequest.Status.choices)
    return _year_table(_("Shelter placement requests"), "placements", counts, labels)


def _interpreter_table(year: int, region: Region | None = None) -> YearTable:
    """Reporters' requests for an interpreter, by language: how much of which language the
    regions must be able to arrange."""
    requests = InterpreterRequest.objects.all()
    if region is not None:
        requests = requests.filter(signal__region=region)
    rows = (
        requests.filter(requested_at__year=year)
        .annotate(month=ExtractMonth("requested_at"))
        .values("month", "language")
        .annotate(count=Count("pk"))
    )
    counts = _grouped(rows, lambda row: row["language"])
    labels = dict(settings.LANGUAGES)
    labels.update((key, key) for _month, key in counts if key not in labels)
    return _year_table(
        _("Requests for an interpreter, by language"), "interpreters", counts, labels
    )


def _reflection_table(year: int, region: Region | None = None) -> YearTable:
    """Reflection periods (bedenktijd) offered, by the month they started, and how they ended:
    all rows together are those offered; "taken" and "ended" as coordinators recorded them."""
    labels = {"open": _("offered, no outcome yet")}
    labels.update(
        (value, label)
        for value, label in ReflectionPeriod.Outcome.choices
        if value != ReflectionPeriod.Outcome.OPEN
    )
    periods = ReflectionPeriod.objects.all()
    if region is not None:
        periods = periods.filter(signal__region=region)
    rows = (
        periods.filter(starts_on__year=year, signal__merged_into__isnull=True)
        .exclude(signal__status=Signal.Status.DRAFT)
        .annotate(month=ExtractMonth("starts_on"))
        .values("month", "outcome")
        .annotate(count=Count("pk"))
    )
    counts = _grouped(rows, lambda row: row["outcome"] or "open")
    return _year_table(
        _("Reflection periods (bedenktijd) offered, by outcome"),
        "reflection_periods",
        counts,
        labels,
        fixed=True,
    )


# What became of a signal, one outcome each, the first that applies: placed in shelter, else
# what its status says, else still open.
OUTCOME_STATUSES = [
    Signal.Status.CARE_ARRANGED,
    Signal.Status.REFERRED_POLICE,
    Signal.Status.REFERRED_ELSEWHERE,
    Signal.Status.NO_TRAFFICKING,
    Signal.Status.UNREACHABLE,
    Signal.Status.CLOSED,
]


def _outcome_table(year: int, region: Region | None = None) -> YearTable:
    labels = {"placed": _("placed in shelter")}
    labels.update((str(status), status.label) for status in OUTCOME_STATUSES)
    labels["open"] = _("still open")
    accepted = PlacementRequest.objects.filter(
        signal=OuterRef("pk"), status=PlacementRequest.Status.ACCEPTED
    )
    rows = (
        signals_in_year(year, region)
        .annotate(placed=Exists(accepted))
        .values("month", "placed", "status")
        .annotate(count=Count("pk"))
    )

    def key(row) -> str:
        if row["placed"]:
            return "placed"
        return row["status"] if row["status"] in OUTCOME_STATUSES else "open"

    counts = _grouped(rows, key)
    return _year_table(_("Outcomes of the signals"), "signals", counts, labels, fixed=True)


def _registration_table(year: int, region: Region | None = None) -> YearTable:
    """Victims registered with CoMensha, by form of exploitation and sector; people counted
    once a month (distinct pseudonyms)."""
    counts: dict[tuple[int, str], int] = {}
    labels: dict[str, str] = {}
    sectors = dict(Registration.Sector.choices)
    for month in range(1, 13):
        period = FixedPeriod(year, "month", month)
        for row in registrations_by_form_and_sector(
            since=period.start,
            until=period.end,
            region_ids=[region.pk] if region is not None else [],
        ):
            key = f"{row['form']}:{row['sector']}"
            counts[(month, key)] = row["count"]
            sector = sectors.get(row["sector"], row["sector"])
            labels[key] = f"{row['form_name']} · {sector}"
    return _year_table(
        _("Victims registered with CoMensha, by form and sector"), "registrations", counts, labels
    )


def year_tables(year: int, region: Region | None = None) -> list[YearTable]:
    """The monitor's tables for a year, month by month, in the order they are shown (the first,
    signals per month, is drawn from the second's counts). With a region: that area's own."""
    regions = _region_table(year, region)
    months = [f"{year}-{month:02d}" for month in range(1, 13)]
    by_month = YearTable(
        str(_("Signals per month")),
        "signals",
        regions.counts,
        months,
        {month: month for month in months},
    )
    return [
        by_month,
        regions,
        _form_table(year, region),
        _source_table(year, region),
        _minors_table(year, region),
        _deadline_table(year, region),
        _connection_table(year, region),
        _placement_table(year, region),
        _interpreter_table(year, region),
        _outcome_table(year, region),
        _registration_table(year, region),
        _reflection_table(year, region),
    ]


# From counts to published tables.

BY_MONTH = 0  # the table whose rows are the months: the totals of the signals, month by month


def _linked_system(year: int, tables: list[YearTable]) -> LinkedSystem:
    values: dict = {}
    terms: dict = {}
    finest: dict = {}
    shown: list[LinkedTable] = []
    first_of: dict[str, int] = {}
    for index, table in enumerate(tables):
        if index != BY_MONTH:
            first_of.setdefault(table.universe, index)
    identities = []
    for index, table in enumerate(tables):
        if index == BY_MONTH or first_of[table.universe] == index:
            continue
        first = tables[first_of[table.universe]]
        for month in range(1, 13):
            identity = {(index, month, key): 1 for key in table.keys}
            for key in first.keys:
                identity[(first_of[table.universe], month, key)] = -1
            identities.append(identity)

    def total(universe: str, period: FixedPeriod):
        index = first_of[universe]
        quantity = ("total", universe, period.key)
        variables = frozenset(
            (index, month, key) for month in period.months for key in tables[index].keys
        )
        terms[quantity] = variables
        values[quantity] = sum(tables[index].counts.get(v[1:], 0) for v in variables)
        return quantity

    for period in periods_of(year):
        for index, table in enumerate(tables):
            if index == BY_MONTH:
                cells = [
                    total(table.universe, FixedPeriod(year, "month", month))
                    for month in period.months
                ]
            else:
                cells = []
                for key in table.keys:
                    quantity = ("cell", index, period.key, key)
                    variables = frozenset((index, month, key) for month in period.months)
                    terms[quantity] = variables
                    values[quantity] = sum(table.counts.get(v[1:], 0) for v in variables)
                    if period.kind == "month":
                        finest[(index, period.months[0], key)] = quantity
                    cells.append(quantity)
            shown.append(LinkedTable(cells, total(table.universe, period)))
    return LinkedSystem(values, terms, identities, shown, finest)


def _suppressed(year: int, tables: list[YearTable]) -> dict:
    """The suppression of a year's tables; the same counts give the same answer, so it is
    kept in the cache under a hash of the counts (a change of any count computes it again)."""
    fingerprint = hashlib.sha256(
        repr([(t.universe, t.keys, sorted(t.counts.items())) for t in tables]).encode()
    ).hexdigest()
    key = f"monitor:suppressed:{year}:{fingerprint}"
    try:
        kept = cache.get(key)
    except redis.RedisError:
        kept = None
    if kept is not None:
        return kept
    shown = suppress_linked(_linked_system(year, tables))
    with contextlib.suppress(redis.RedisError):
        cache.set(key, shown, SUPPRESSION_KEPT_SECONDS)
    return shown


# How long a year's suppression is kept for the same counts.
SUPPRESSION_KEPT_SECONDS = 3600


def _count(table: YearTable, months: range, key: str | None = None) -> int:
    return sum(
        count
        for (month, row), count in table.counts.items()
        if month in months and key in (None, row)
    )


def all_tables(period: FixedPeriod, region: Region | None = None) -> list[Table]:
    """The tables published for a period, suppressed together with every other table and
    period of its year (monitor.suppression). With a region: the area's own tables, built from
    its signals alone and suppressed the same way."""
    tables = year_tables(period.year, region)
    shown = _suppressed(period.year, tables)
    published = []
    for index, table in enumerate(tables):
        if index == BY_MONTH:
            months = [FixedPeriod(period.year, "month", number) for number in period.months]
            cells = [
                Cell(
                    month.key,
                    _count(table, month.months),
                    shown[("total", table.universe, month.key)],
                )
                for month in months
            ]
        else:
            cells = [
                Cell(
                    table.labels.get(key, key),
                    _count(table, period.months, key),
                    shown[("cell", index, period.key, key)],
                )
                for key in table.keys
            ]
        total = shown[("total", table.universe, period.key)]
        published.append(Table(title=table.title, cells=cells, total=total))
    return published


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont: the value below which a fraction of the rows lie."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=fraction, **extra)


@dataclass(frozen=True)
class Duration:
    label: str
    count: int
    median: timedelta | None
    p90: timedelta | None


def _duration(label: str, signals, end_field) -> Duration:
    elapsed = ExpressionWrapper(F(end_field) - F("created_at"), output_field=DurationField())
    figures = signals.filter(**{f"{end_field}__isnull": False}).aggregate(
        count=Count("pk"), median=Percentile(elapsed, 0.5), p90=Percentile(elapsed, 0.9)
    )
    if figures["count"] < MINIMUM:
        # Too few signals to publish a figure about them.
        return Duration(label, figures["count"], None, None)
    return Duration(label, figures["count"], figures["median"], figures["p90"])


def durations(period: Period, region: Region | None = None) -> list[Duration]:
    """How long signals waited: from receipt to triage, to the coordinator's first move, and
    to the first shelter placement that was accepted."""
    first_move = (
        SignalEvent.objects.filter(signal=OuterRef("pk"), kind=SignalEvent.Kind.STATUS_CHANGED)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    placed = (
        PlacementRequest.objects.filter(
            signal=OuterRef("pk"), status=PlacementRequest.Status.ACCEPTED
        )
        .order_by("answered_at")
        .values("answered_at")[:1]
    )
    signals = signals_in(period, region).annotate(
        first_move_at=Subquery(first_move), placed_at=Subquery(placed)
    )
    return [
        _duration(_("From receipt to triage"), signals, "triaged_at"),
        _duration(_("From receipt to the coordinator's first action"), signals, "first_move_at"),
        _duration(_("From receipt to an accepted shelter placement"), signals, "placed_at"),
    ]
