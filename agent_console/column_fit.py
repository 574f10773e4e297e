"""Column widths for a table that must fit its width: no horizontal scrolling, no cut
without a sign.

A table of hits drawn at content width ran off the right edge at 80 columns (`Addre`,
`Matc Orga`), and its auto-width columns only ever grew. Here each column starts at
the width of its widest cell or header; if the whole is wider than the room, the
columns that may give way shrink, in the order given, down to their minimum. Cells
wider than their column are then drawn with "…" (the screen does that). No Textual
here: widths in, widths out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len


@dataclass(frozen=True)
class Give:
    """A column that may shrink (`column` index) down to `minimum` cells."""

    column: int
    minimum: int


def natural_widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's widest text in terminal cells, header included."""
    widths = [cell_len(h) for h in headers]
    for row in rows:
        for i, text in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], cell_len(text))
    return widths


def fit_widths(
    natural: Sequence[int], room: int, gives: Sequence[Give], padding: int = 2
) -> list[int]:
    """Content widths (padding excluded) that fit `room` cells, each column costing
    `padding` more; the columns in `gives` shrink in order, never below their minimum
    (so the result may still be wider than `room` when the minimums do not fit)."""
    widths = list(natural)
    over = sum(widths) + padding * len(widths) - room
    for give in gives:
        if over <= 0:
            break
        spare = max(0, widths[give.column] - give.minimum)
        cut = min(spare, over)
        widths[give.column] -= cut
        over -= cut
    return widths
