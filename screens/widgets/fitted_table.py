"""Rows into a DataTable in columns fitted to its width (agent_console/column_fit.py):
the columns that may give way shrink in order and a cut cell ends in "…", so a table
never runs off the right edge of an 80-column seat.

Before the table has been laid out (no width yet) the rows go in as they are; the
screen fills them again on its Resize.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from agent_console.column_fit import Give, fit_widths, natural_widths


def cut_with_sign(text: Text) -> Text:
    """A cell that, wider than its column, ends in "…" rather than stopping short."""
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


def fill_fitted(
    table: DataTable[Any],
    headers: Sequence[str],
    rows: Sequence[Sequence[Text]],
    gives: Sequence[Give],
    keys: Sequence[str] | None = None,
) -> None:
    """Replace the table's rows (keys: the rows' keys, else their index); with `gives`,
    in columns fitted to its width, headed `headers` (in today's language)."""
    room = table.content_region.width - table.styles.scrollbar_size_vertical
    if not gives or room <= 0:  # no say, or not laid out yet (the Resize comes)
        table.clear()
    else:
        natural = natural_widths(headers, [[c.plain for c in row] for row in rows])
        widths = fit_widths(natural, room, gives, padding=2 * table.cell_padding)
        shown = [(c.label.plain, None if c.auto_width else c.width) for c in table.ordered_columns]
        if shown == list(zip(headers, widths, strict=True)):
            table.clear()  # the same columns: only the rows change
        else:
            table.clear(columns=True)
            for i, (label, width) in enumerate(zip(headers, widths, strict=True)):
                table.add_column(cut_with_sign(Text(label)), width=width, key=f"c{i}")
        rows = [[cut_with_sign(cell) for cell in row] for row in rows]
    for i, row in enumerate(rows):
        table.add_row(*row, key=keys[i] if keys is not None else str(i))
