"""Small-cell suppression: no published figure may reveal a count between 1 and 4.

A count from 1 to 4 is shown as "<5" (primary suppression). Because every table also shows its
total, a hidden count could be worked out by subtracting the shown cells from the total; so
further cells are hidden ("·"), smallest first, until no "<5" cell can be pinned down by what
is published (secondary suppression). A total under MINIMUM is shown as "<5" too. And because
the monitor publishes the same counts in several tables and periods, a year's tables are
suppressed together (`suppress_linked`, below).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

MINIMUM = 5
SMALL = "<5"
HIDDEN = "·"


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    shown: str

    @property
    def is_hidden(self) -> bool:
        return self.shown in (SMALL, HIDDEN)

    @property
    def bar(self) -> int:
        """The length a chart may draw: only what is shown, so no bar gives a hidden count away."""
        return 0 if self.is_hidden else self.count


@dataclass(frozen=True)
class Table:
    title: str
    cells: list[Cell]
    total: str

    @property
    def longest_bar(self) -> int:
        return max((cell.bar for cell in self.cells), default=0) or 1


def _is_small(count: int) -> bool:
    return 0 < count < MINIMUM


def _small_cells_determinable(counts: list[int], small: set[int], others: set[int]) -> bool:
    """Whether a reader who knows the shown cells, the total, that a "<5" cell holds 1 to 4 and
    that a "·" cell holds 0 or at least 5 could work out a "<5" cell exactly. The "<5" cells
    are alike to the reader, so looking at one of them is enough."""
    if not small:
        return False
    hidden_sum = sum(counts[index] for index in small | others)
    low, high = len(small) - 1, 4 * (len(small) - 1)  # what the other "<5" cells can hold
    possible = 0
    for value in range(1, MINIMUM):
        rest = hidden_sum - value
        if low <= rest <= high or (others and rest >= low + MINIMUM):
            possible += 1
    return possible < 2


# Linked tables: every table the monitor publishes for a year, suppressed together.
#
# The monitor shows each table for fixed periods only (a calendar month, a quarter, a year), and
# the same counts in several tables (signals per region and per source add up to the same
# total). A reader who puts all of a year's tables side by side has a system of linear equations:
# a quarter's cell is the sum of three month cells, a year's of twelve, and every table of the
# same signals has the same total each month. Suppressing each table on its own is not enough
# (a "<5" November cell of Zeeland is the November cell of the quarter minus October and
# December). So the counts of a year are suppressed as one set of linked tables:
#
# - every published count is a *quantity*: a sum of finest cells (one table, one month, one
#   label), or a total;
# - primary suppression hides each quantity from 1 to 4;
# - within each table as shown, the interval reasoning above (`_small_cells_determinable`)
#   hides more cells, or the total;
# - across all tables, a hidden quantity must not be exactly determinable from the published
#   ones: it is, exactly when its coefficients (over the finest cells that are not published)
#   lie in the row space of the published quantities and the known identities over those
#   cells. This is checked with exact rational elimination (fractions.Fraction); while a
#   hidden quantity is determinable, the published quantity whose hiding breaks that is hidden
#   too (the smallest that does), and all is checked again until nothing changes.

Quantity = tuple  # ("cell", table, period, label) or ("total", universe, period)
Variable = tuple  # (table, month, label): one finest cell


@dataclass
class LinkedTable:
    """One table as published for one period: its cells and its total."""

    cells: list[Quantity]
    total: Quantity


@dataclass
class LinkedSystem:
    """A year's published quantities: their values, the finest cells each sums, the identities
    the reader knows between finest cells, and the tables as shown."""

    values: dict[Quantity, int]
    terms: dict[Quantity, frozenset[Variable]]
    identities: list[dict[Variable, int]]
    tables: list[LinkedTable]
    # The quantity that is exactly one finest cell, for each finest cell.
    finest: dict[Variable, Quantity]


def _reduce(row: dict, basis: dict) -> dict:
    """`row` reduced by a basis in echelon form ({pivot: row with 1 at its pivot})."""
    row = dict(row)
    for pivot, basis_row in basis.items():
        factor = row.get(pivot)
        if factor:
            for variable, coefficient in basis_row.items():
                value = row.get(variable, 0) - factor * coefficient
                if value:
                    row[variable] = value
                else:
                    row.pop(variable, None)
    return row


def _basis(rows) -> dict:
    """An echelon basis of the row space of `rows` (sparse rows of Fractions)."""
    basis: dict = {}
    for row in rows:
        reduced = _reduce(row, basis)
        if not reduced:
            continue
        pivot = min(reduced)
        scale = reduced[pivot]
        reduced = {variable: value / scale for variable, value in reduced.items()}
        for other in basis.values():
            factor = other.get(pivot)
            if factor:
                for variable, coefficient in reduced.items():
                    value = other.get(variable, 0) - factor * coefficient
                    if value:
                        other[variable] = value
                    else:
                        other.pop(variable, None)
        basis[pivot] = reduced
    return basis


class _Linked:
    def __init__(self, system: LinkedSystem) -> None:
        self.system = system
        self.small = {q for q, value in system.values.items() if 0 < value < MINIMUM}
        self.others: set[Quantity] = set()

    def hidden(self) -> set[Quantity]:
        return self.small | self.others

    def _unknown(self, hidden: set[Quantity]) -> set[Variable]:
        return {variable for variable, quantity in self.system.finest.items() if quantity in hidden}

    def _restricted(self, variables, unknown: set[Variable]) -> dict:
        return {variable: Fraction(1) for variable in variables if variable in unknown}

    def _rows(self, hidden: set[Quantity], unknown: set[Variable]) -> list[dict]:
        rows = []
        for quantity, variables in self.system.terms.items():
            if quantity in hidden:
                continue
            row = self._restricted(variables, unknown)
            if row:
                rows.append(row)
        for identity in self.system.identities:
            row = {v: Fraction(c) for v, c in identity.items() if v in unknown}
            if row:
                rows.append(row)
        return rows

    def determinable(self, hidden: set[Quantity]) -> list[Quantity]:
        """The hidden quantities a reader of the published ones can work out exactly."""
        unknown = self._unknown(hidden)
        basis = _basis(self._rows(hidden, unknown))
        found = []
        for quantity in sorted(hidden, key=repr):
            row = self._restricted(self.system.terms[quantity], unknown)
            if not _reduce(row, basis):
                found.append(quantity)
        return found

    def interval_pass(self) -> bool:
        """Within each table as shown, hide more until no "<5" cell can be pinned down."""
        changed = False
        values = self.system.values
        for table in self.system.tables:
            if table.total in self.hidden():
                continue
            while True:
                hidden = self.hidden()
                counts = [values[cell] for cell in table.cells]
                small = {i for i, cell in enumerate(table.cells) if cell in self.small}
                others = {
                    i for i, cell in enumerate(table.cells) if cell in hidden and i not in small
                }
                if not _small_cells_determinable(counts, small, others):
                    break
                candidates = sorted(
                    (cell for cell in table.cells if cell not in hidden), key=values.get
                )
                self.others.add(candidates[0] if candidates else table.total)
                changed = True
                if not candidates:
                    break
        return changed

    def linear_pass(self) -> bool:
        """Hide one more quantity if a hidden one can be worked out across the tables."""
        hidden = self.hidden()
        found = self.determinable(hidden)
        if not found:
            return False
        target = found[0]
        values = self.system.values
        unknown = self._unknown(hidden)
        # Hiding a finest cell of the target adds an unknown to it; hiding a published quantity
        # that involves unknown cells takes an equation away.
        own = [
            self.system.finest[v]
            for v in self.system.terms[target]
            if v not in unknown and self.system.finest.get(v) not in hidden
        ]
        touching = [
            quantity
            for quantity, variables in self.system.terms.items()
            if quantity not in hidden and any(v in unknown for v in variables)
        ]
        candidates = sorted(set(own) | set(touching), key=lambda q: (values[q], repr(q)))
        if not candidates:
            # Worked out through the tables' shared totals alone (an area's few rows make this
            # common): hide another cell of a table it shares a total with.
            candidates = self._sharing_a_total(target, hidden)
        for candidate in candidates[:CANDIDATES_TRIED]:
            if target not in self.determinable(hidden | {candidate}):
                self.others.add(candidate)
                return True
        self.others.add(candidates[0])
        return True

    def _sharing_a_total(self, target: Quantity, hidden: set[Quantity]) -> list[Quantity]:
        variables = self.system.terms[target]
        shared = {
            variable
            for identity in self.system.identities
            if any(variable in identity for variable in variables)
            for variable in identity
        }
        values = self.system.values
        return sorted(
            {
                self.system.finest[variable]
                for variable in shared
                if variable in self.system.finest and self.system.finest[variable] not in hidden
            },
            key=lambda q: (values[q], repr(q)),
        )

    def run(self) -> dict[Quantity, str]:
        while self.interval_pass() or self.linear_pass():
            pass
        return {
            quantity: SMALL
            if quantity in self.small
            else HIDDEN
            if quantity in self.others
            else str(value)
            for quantity, value in self.system.values.items()
        }


# Hiding candidates checked one by one before the smallest is simply hidden.
CANDIDATES_TRIED = 12


def suppress_linked(system: LinkedSystem) -> dict[Quantity, str]:
    """What to show for every quantity of a year's linked tables (see above)."""
    return _Linked(system).run()
