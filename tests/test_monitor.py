"""The national monitor: figures for the national desk and analysts, never a count under five."""

import csv
import io
import itertools
from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.suppression import (
    HIDDEN,
    MINIMUM,
    SMALL,
    Cell,
    LinkedSystem,
    LinkedTable,
    Table,
    suppress_linked,
)
from opvang.models import PlacementRequest
from organisations.models import Membership, Organisation
from regions.models import Region
from signals.models import Signal, SignalEvent
from tests.factories import (
    OrganisationFactory,
    PlacementRequestFactory,
    SignalEventFactory,
    SignalFactory,
)
from tests.helpers import english_client, member_of, signed_in


def suppress(title: str, counts: list[tuple[str, int]]) -> Table:
    """One table for one period, suppressed as the monitor suppresses its linked tables."""
    cells = [("cell", index) for index in range(len(counts))]
    total = ("total",)
    values = {cell: count for cell, (_label, count) in zip(cells, counts, strict=True)}
    values[total] = sum(values.values())
    terms = {cell: frozenset({cell[1]}) for cell in cells}
    terms[total] = frozenset(range(len(counts)))
    finest = {cell[1]: cell for cell in cells}
    shown = suppress_linked(LinkedSystem(values, terms, [], [LinkedTable(cells, total)], finest))
    return Table(
        title,
        [
            Cell(label, count, shown[cell])
            for cell, (label, count) in zip(cells, counts, strict=True)
        ],
        shown[total],
    )


def _candidates(table, counts):
    """Every count vector consistent with what the table publishes (cells and total)."""
    options = []
    for cell, count in zip(table.cells, counts, strict=True):
        if cell.shown == SMALL:
            options.append(range(1, MINIMUM))
        elif cell.shown == HIDDEN:
            # The reader knows a hidden cell is not 1 to 4, or it would show "<5".
            options.append([0, *range(MINIMUM, sum(counts) + 1)])
        else:
            options.append([int(cell.shown)])
    for vector in itertools.product(*options):
        if table.total in (SMALL, HIDDEN, str(sum(vector))):
            yield vector


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4))
def test_no_small_count_can_be_worked_out_from_the_rest_of_the_table(counts):
    table = suppress("t", [(str(i), count) for i, count in enumerate(counts)])
    assert all(cell.shown != str(cell.count) for cell in table.cells if 0 < cell.count < MINIMUM)
    possible = list(_candidates(table, counts))
    for index, count in enumerate(counts):
        if 0 < count < MINIMUM:
            values = {vector[index] for vector in possible}
            assert len(values) > 1, (counts, table)


def test_a_single_small_cell_hides_a_second_one_and_the_bars_give_nothing_away():
    table = suppress("t", [("a", 3), ("b", 40), ("c", 120)])
    assert [cell.shown for cell in table.cells] == [SMALL, HIDDEN, "120"]
    assert [cell.bar for cell in table.cells] == [0, 0, 120]
    assert [cell.shown for cell in suppress("t", [("a", 4), ("b", 4)]).cells] == [SMALL, SMALL]
    assert suppress("t", [("a", 4), ("b", 4)]).total == HIDDEN
    assert table.total == "163"
    assert suppress("t", [("a", 2), ("b", 1)]).total == SMALL


def _in_the_last_month():
    """A moment in the last month that has ended: the monitor shows ended periods only, and
    that month first."""
    from django.utils import timezone

    first_of_this_month = timezone.localtime().replace(day=1, hour=12)
    return first_of_this_month - timedelta(days=15)


@pytest.fixture
def figures(db, reference_data):
    region = Region.objects.get(code="AMS")
    for index in range(12):
        SignalFactory(region=region, involves_minor=index < 3, status=Signal.Status.TRIAGED)
    SignalFactory(status=Signal.Status.DRAFT)
    Signal.objects.update(created_at=_in_the_last_month())


def _english_name(code: str) -> str:
    from django.utils import translation

    with translation.override("en"):
        return Region.objects.get(code=code).name


def _client(kind=Organisation.Kind.NATIONAL_DESK, role=Membership.Role.COORDINATOR):
    return signed_in(member_of(OrganisationFactory(kind=kind), role))


@pytest.mark.django_db
def test_the_monitor_shows_suppressed_figures_to_the_national_desk(figures):
    page = _client().get(reverse("monitor:monitor")).content.decode()
    assert "Signals per region" in page
    assert '<th scope="row">yes</th><td>&lt;5</td>' in page
    # Named in the reader's language (the monitor's rows are keyed by code, named when shown).
    assert f"{_english_name('AMS')}</th><td>12</td>" in page


@pytest.mark.django_db
def test_a_situation_reported_twice_and_merged_counts_once(figures):
    region = Region.objects.get(code="AMS")
    kept = Signal.objects.filter(region=region).first()
    merged = SignalFactory(region=region, status=Signal.Status.TRIAGED, merged_into=kept)
    Signal.objects.filter(pk=merged.pk).update(created_at=_in_the_last_month())
    page = _client().get(reverse("monitor:monitor")).content.decode()
    # Named in the reader's language (the monitor's rows are keyed by code, named when shown).
    assert f"{_english_name('AMS')}</th><td>12</td>" in page


@pytest.mark.django_db
def test_every_export_is_suppressed_too(figures):
    client = _client(Organisation.Kind.POLICE, Membership.Role.ANALYST)
    from monitor.selectors import default_period

    query = {"period": default_period().key}
    for index in range(8):
        response = client.get(reverse("monitor:export", args=[index]), query)
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        for _label, shown in rows[1:]:
            assert shown in (SMALL, HIDDEN, "0") or int(shown) >= MINIMUM, rows


@pytest.mark.django_db
def test_others_do_not_read_the_monitor(figures):
    police = _client(Organisation.Kind.POLICE, Membership.Role.PROFESSIONAL)
    assert police.get(reverse("monitor:monitor")).status_code == 404
    assert police.get(reverse("monitor:export", args=[0])).status_code == 404
    assert english_client().get(reverse("monitor:monitor")).status_code == 302


@pytest.mark.django_db
def test_the_progress_report_is_written(figures, tmp_path):
    from django.core.management import call_command

    last_year = date.today().year - 1
    Signal.objects.update(created_at=_in_the_last_month().replace(year=last_year, month=6))
    output = tmp_path / "report.html"
    call_command(
        "progress_report", "--year", str(last_year - 1), str(last_year), "--output", str(output)
    )
    html = output.read_text()
    assert '<html lang="nl">' in html and "Meldingen per maand" in html
    assert "Politieregio Amsterdam</th><td>12</td>" in html


@pytest.mark.django_db
def test_waiting_times_are_published_only_over_five_signals_or_more(reference_data):

    from monitor.selectors import Period, durations

    now = _in_the_last_month()
    for hours in (1, 2, 3, 4, 10):
        signal = SignalFactory(status=Signal.Status.IN_PROGRESS)
        Signal.objects.filter(pk=signal.pk).update(
            created_at=now - timedelta(hours=24), triaged_at=now - timedelta(hours=24 - hours)
        )
        if hours < 4:
            SignalEventFactory(signal=signal, kind=SignalEvent.Kind.STATUS_CHANGED)
        # Placed in shelter `hours` after receipt; a declined request does not count.
        PlacementRequestFactory(
            signal=signal,
            status=PlacementRequest.Status.ACCEPTED,
            answered_at=now - timedelta(hours=24 - hours),
        )
        PlacementRequestFactory(
            signal=signal,
            status=PlacementRequest.Status.DECLINED,
            answered_at=now - timedelta(hours=23),
        )

    to_triage, to_first_action, to_placement = durations(
        Period(now.date() - timedelta(days=2), now.date())
    )
    assert to_triage.count == 5
    assert to_triage.median == timedelta(hours=3)
    assert to_triage.p90 > timedelta(hours=4)
    # Three signals with a first action: too few to publish.
    assert (to_first_action.count, to_first_action.median) == (3, None)
    assert (to_placement.count, to_placement.median) == (5, timedelta(hours=3))
    page = _client().get(reverse("monitor:monitor")).content.decode()
    assert "3.0 hours" in page
    assert "fewer than 5 signals" in page
