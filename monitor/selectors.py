"""The monitor's figures. Only aggregates leave the database; every table is suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from coordination.models import Connection
from opvang.models import PlacementRequest
from organisations.models import Organisation
from signals.models import InterpreterRequest, Signal, SignalEvent

from .suppression import MINIMUM, Table, suppress


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def signals_in(period: Period):
    """The signals received in the period, each situation once: a merged duplicate (the same
    situation reported again) is counted with the signal it was merged into."""
    return Signal.objects.exclude(status=Signal.Status.DRAFT).filter(
        created_at__date__gte=period.start,
        created_at__date__lte=period.end,
        merged_into__isnull=True,
    )


def _table(title: str, rows) -> Table:
    return suppress(title, [(str(label), count) for label, count in rows])


def by_month(period: Period) -> Table:
    rows = (
        signals_in(period)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    return _table(
        _("Signals per month"), ((row["month"].strftime("%Y-%m"), row["count"]) for row in rows)
    )


def by_region(period: Period) -> Table:
    rows = (
        signals_in(period)
        .values("region__name")
        .annotate(count=Count("pk"))
        .order_by("region__name")
    )
    return _table(
        _("Signals per region"),
        ((row["region__name"] or _("not yet routed"), row["count"]) for row in rows),
    )


def by_form(period: Period) -> Table:
    rows = (
        signals_in(period).values("forms__name").annotate(count=Count("pk")).order_by("forms__name")
    )
    return _table(
        _("Signals per form of exploitation (a signal can name several)"),
        ((row["forms__name"] or _("not named"), row["count"]) for row in rows),
    )


def by_source(period: Period) -> Table:
    kinds = dict(Organisation.Kind.choices)
    rows = (
        signals_in(period)
        .values("source", "submitted_by__kind")
        .annotate(count=Count("pk"))
        .order_by("source", "submitted_by__kind")
    )
    labels = {}
    for row in rows:
        if row["source"] == Signal.Source.PUBLIC:
            label = _("Public (citizens and possible victims)")
        else:
            label = str(kinds.get(row["submitted_by__kind"], Signal.Source(row["source"]).label))
        labels[label] = labels.get(label, 0) + row["count"]
    return _table(_("Signals per source"), sorted(labels.items()))


def minors(period: Period) -> Table:
    counts = signals_in(period).aggregate(
        yes=Count("pk", filter=Q(involves_minor=True)),
        no=Count("pk", filter=Q(involves_minor=False)),
        unknown=Count("pk", filter=Q(involves_minor__isnull=True)),
    )
    return _table(
        _("A minor involved"),
        [(_("yes"), counts["yes"]), (_("no"), counts["no"]), (_("unknown"), counts["unknown"])],
    )


def deadlines(period: Period) -> Table:
    counts = (
        signals_in(period)
        .filter(deadline__isnull=False)
        .aggregate(
            met=Count("pk", filter=Q(overdue_at__isnull=True)),
            missed=Count("pk", filter=Q(overdue_at__isnull=False)),
        )
    )
    return _table(
        _("Looked at before the deadline"),
        [(_("in time"), counts["met"]), (_("overdue"), counts["missed"])],
    )


def cross_region_connections(period: Period) -> Table:
    pairs = Connection.objects.filter(
        signal_id__lt=F("other_id"),
        signal__created_at__date__gte=period.start,
        signal__created_at__date__lte=period.end,
    )
    counts = pairs.aggregate(
        across=Count("pk", filter=~Q(signal__region=F("other__region"))),
        within=Count("pk", filter=Q(signal__region=F("other__region"))),
    )
    return _table(
        _("Connections between signals"),
        [(_("across regions"), counts["across"]), (_("within a region"), counts["within"])],
    )


def placements(period: Period) -> Table:
    rows = (
        PlacementRequest.objects.filter(
            created_at__date__gte=period.start, created_at__date__lte=period.end
        )
        .values("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    labels = dict(PlacementRequest.Status.choices)
    return _table(
        _("Shelter placement requests"),
        ((labels.get(row["status"], row["status"]), row["count"]) for row in rows),
    )


def interpreter_requests(period: Period) -> Table:
    """Reporters' requests for an interpreter in the period, by language: how much of which
    language the regions must be able to arrange."""
    rows = (
        InterpreterRequest.objects.filter(
            requested_at__date__gte=period.start, requested_at__date__lte=period.end
        )
        .values("language")
        .annotate(count=Count("pk"))
        .order_by("language")
    )
    names = dict(settings.LANGUAGES)
    return _table(
        _("Requests for an interpreter, by language"),
        sorted((str(names.get(row["language"], row["language"])), row["count"]) for row in rows),
    )


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


def durations(period: Period) -> list[Duration]:
    """How long signals waited: from receipt to triage, and to the coordinator's first move."""
    first_move = (
        SignalEvent.objects.filter(signal=OuterRef("pk"), kind=SignalEvent.Kind.STATUS_CHANGED)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    signals = signals_in(period).annotate(first_move_at=Subquery(first_move))
    return [
        _duration(_("From receipt to triage"), signals, "triaged_at"),
        _duration(_("From receipt to the coordinator's first action"), signals, "first_move_at"),
    ]


def all_tables(period: Period) -> list[Table]:
    return [
        by_month(period),
        by_region(period),
        by_form(period),
        by_source(period),
        minors(period),
        deadlines(period),
        cross_region_connections(period),
        placements(period),
        interpreter_requests(period),
    ]
