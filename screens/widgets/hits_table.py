"""A DataTable that draws a page of hits in a fraction of the time (bench keys).

Textual's DataTable draws every cell through Rich (Styled(Padding(Text)) rendered by
the console, about 0.1 ms a cell) and keys its caches by an update count that every
`clear`/`add_row` bumps, so each page of hits - 20 rows x 6 columns - was drawn anew
cell by cell: most of the console's CPU per keystroke (bench keys: the refresh,
11-52 ms at p50). The hits' cells are one line of plain text cut with "…"
(`no_wrap`, `overflow="ellipsis"`); such a cell is one run of spaces and text in one
style, so here it is built directly: the same segments, in the same styles, as Rich's
path (tests/ui/test_hits_table.py compares the two). Any other cell goes the DataTable
way. And the styles DataTable works out again for every line it draws (the widget's
own, walking its ancestors, and the row's) are worked out once per drawing here.
Selection, cursor, zebra stripes, clicks and the DataTable API are unchanged.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

#: A cell line as DataTable's renderer returns it: lines of segments.
SegmentLines = list[list[Segment]]


def plain_cell(cell: object) -> str | None:
    """The text of a cell the quick path draws exactly as Rich does, else None: a Text
    with no style or spans, one line, cut with "…" rather than wrapped."""
    if not isinstance(cell, Text) or cell.spans or cell.style:
        return None
    if not cell.no_wrap or cell.overflow != "ellipsis" or cell.justify is not None:
        return None
    plain = cell.plain
    if "\n" in plain or "\t" in plain:
        return None
    return plain


def cell_line(plain: str, width: int, padding: int, style: Style) -> list[Segment]:
    """One cell `width` cells wide (padding included): `plain` between `padding`
    spaces, cut with "…" when it does not fit, in one style."""
    room = width - 2 * padding
    if cell_len(plain) > room:
        plain = set_cell_size(plain, room - 1) + "…"  # Rich's Text.truncate, "ellipsis"
    else:
        plain = set_cell_size(plain, room)
    pad = " " * padding
    return [Segment(pad + plain + pad, style)]


class HitsTable(DataTable[Any]):
    """A DataTable whose one-line text cells are drawn without Rich's layout."""

    _pass_style: Style | None = None  # the widget's style while one drawing lasts
    _row_styles: dict[tuple[int, int], Style]
    _widths: list[int] | None = None  # the columns' widths while one drawing lasts

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pass_style = self.rich_style
        self._row_styles = {}
        self._widths = None
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Strip:
        style = self._pass_style
        if style is None or self.fixed_rows:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        if y >= (self.header_height if self.show_header else 0):
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + self.size.width, style)

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        if self._pass_style is None:
            return super()._get_row_style(row_index, base_style)
        kind = -1 if row_index == -1 else 0 if row_index < self.fixed_rows else 1
        key = (kind, row_index % 2 if kind == 1 else 0)
        style = self._row_styles.get(key)
        if style is None:
            style = self._row_styles[key] = super()._get_row_style(row_index, base_style)
        return style

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[SegmentLines, SegmentLines]:
        """DataTable's, for a row cursor without row labels or fixed columns, with the
        widths and styles it looked up for each row taken once per drawing."""
        simple = not self.fixed_columns and not self._should_render_row_labels
        if self._pass_style is None or self.cursor_type != "row" or not simple:
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        cache_key = (
            row_key,
            line_no,
            base_style,
            cursor_location,
            hover_location,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._row_render_cache.get(cache_key)
        if cached is not None:
            return cached
        located = self._row_locations.get(row_key)
        row_index = -1 if located is None else located  # the header is row -1
        row_style = self._get_row_style(row_index, base_style)
        cursor = row_index == cursor_location.row
        hover = row_index == hover_location.row
        widths = self._pass_widths()
        cells = [
            self._render_cell(row_index, i, row_style, width, cursor=cursor, hover=hover)[line_no]
            for i, width in enumerate(widths)
        ]
        extend, _ = self._get_styles_to_render_cell(
            row_index == -1,
            False,
            False,
            hover_location.row == (row_index or 0),
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            False,
            False,
        )
        extend = (
            row_style
            + extend
            + Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        )
        remaining = max(0, self.size.width - sum(widths))
        cells.append([Segment(" " * remaining, extend)])
        pair: tuple[SegmentLines, SegmentLines] = ([], cells)
        self._row_render_cache[cache_key] = pair
        return pair

    def _pass_widths(self) -> list[int]:
        if self._widths is None:
            self._widths = [column.get_render_width(self) for column in self.ordered_columns]
        return self._widths

    def _update_dimensions(self, new_rows: Any) -> None:
        """Columns of a set width and rows of one line have nothing to measure: only the
        table's size changes (DataTable measures every new cell with Rich)."""
        columns = self.columns.values()
        rows = [self.rows.get(key) for key in new_rows]
        if any(c.auto_width for c in columns) or any(
            r is not None and (r.label is not None or r.auto_height) for r in rows
        ):
            super()._update_dimensions(new_rows)
            return
        width = sum(c.get_render_width(self) for c in columns) + self._row_label_column_width
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self._total_row_height + header)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        plain = self._quick_cell(row_index, column_index, width)
        if plain is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        is_header = row_index == -1
        fixed = not is_header and (row_index < self.fixed_rows or column_index < self.fixed_columns)
        component, post = self._get_styles_to_render_cell(
            is_header,
            False,
            fixed,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        meta = Style.from_meta({"row": row_index, "column": column_index})
        style = base_style + meta + component + post
        return [cell_line(plain, width, self.cell_padding, style)]

    def _quick_cell(self, row_index: int, column_index: int, width: int) -> str | None:
        """The cell's text if the quick path draws it, else None (Rich draws it)."""
        if column_index < 0 or width <= 2 * self.cell_padding + 1:
            return None
        if row_index == -1:
            height = self.header_height
        else:
            key = self._row_locations.get_key(row_index)
            row = self.rows.get(key) if key is not None else None
            height = 0 if row is None or row.auto_height else row.height
        if height != 1:
            return None
        _label, cells = self._get_row_renderables(row_index)
        if column_index >= len(cells):
            return None
        return plain_cell(cells[column_index])
