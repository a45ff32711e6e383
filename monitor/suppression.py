"""Small-cell suppression: no published figure may reveal a count between 1 and 4.

A count from 1 to 4 is shown as "<5" (primary suppression). Because every table also shows its
total, a hidden count could be worked out by subtracting the shown cells from the total; so
further cells are hidden ("·"), smallest first, until no "<5" cell can be pinned down by what
is published (secondary suppression). A total under MINIMUM is shown as "<5" too.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def suppress(title: str, counts: list[tuple[str, int]]) -> Table:
    values = [count for _label, count in counts]
    small = {index for index, count in enumerate(values) if _is_small(count)}
    others: set[int] = set()
    candidates = sorted(
        (index for index in range(len(values)) if index not in small), key=lambda i: values[i]
    )
    while _small_cells_determinable(values, small, others) and candidates:
        others.add(candidates.pop(0))
    total = sum(values)
    if _is_small(total):
        shown_total = SMALL
    elif _small_cells_determinable(values, small, others):
        # Nothing left to hide in the table: the total goes instead.
        shown_total = HIDDEN
    else:
        shown_total = str(total)
    cells = [
        Cell(
            label=label,
            count=count,
            shown=SMALL if index in small else HIDDEN if index in others else str(count),
        )
        for index, (label, count) in enumerate(counts)
    ]
    return Table(title=title, cells=cells, total=shown_total)
