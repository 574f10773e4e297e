"""HitsTable draws what DataTable draws, segment for segment, only faster.

Two tables side by side in one App, fed the same cells: one-line text cut with "…"
(the hits' cells, the quick path), Chinese and wide characters cut mid-character,
cells narrower than their text, a header, zebra stripes, the cursor on a row.
"""

from __future__ import annotations

import random

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widgets import DataTable

from agent_console.screens.widgets.hits_table import HitsTable, plain_cell

WORDS = [
    "王芳",
    "北京市朝阳区",
    "Zhang Wei",
    "",
    "1391234",
    "花园小区3号楼",
    "a",
    "😀x",
    "…",
    " x ",
]


def cut(text: str) -> Text:
    return Text(text, no_wrap=True, overflow="ellipsis")


class Pair(App[None]):
    def compose(self) -> ComposeResult:
        with Horizontal():
            for table in (DataTable(id="plain"), HitsTable(id="quick")):
                table.cursor_type, table.zebra_stripes = "row", True
                table.can_focus = False  # as on the search screens: neither shows focus
                yield table


def strips(table: DataTable[object]) -> list[list[tuple[str, object]]]:
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [[(seg.text, seg.style) for seg in line] for line in lines]


async def test_hits_table_draws_like_data_table() -> None:
    rng = random.Random(19)
    app = Pair()
    async with app.run_test(size=(160, 30)) as pilot:
        tables = [app.query_one("#plain", DataTable), app.query_one("#quick", HitsTable)]
        for round_ in range(6):
            widths = [rng.randint(1, 12) for _ in range(5)]
            rows = [
                [cut("".join(rng.sample(WORDS, rng.randint(1, 3)))) for _ in widths]
                for _ in range(rng.randint(0, 25))
            ]
            for table in tables:
                table.clear(columns=True)
                for i, width in enumerate(widths):
                    table.add_column(cut(f"列{i} head"), width=width, key=f"c{i}")
                for i, row in enumerate(rows):
                    table.add_row(*[r.copy() for r in row], key=str(i))
            await pilot.pause()
            if rows:
                for table in tables:
                    table.move_cursor(row=round_ % len(rows))
                await pilot.pause()
            plain, quick = (strips(t) for t in tables)
            assert quick == plain, (round_, widths)
            assert any(text.strip() for line in quick for text, _ in line)


def test_quick_path_only_for_plain_one_line_cells() -> None:
    assert plain_cell(cut("王芳")) == "王芳"
    assert plain_cell(Text("王芳")) is None  # wraps: DataTable draws it
    assert plain_cell(cut("a\nb")) is None
    styled = cut("x")
    styled.stylize("bold", 0, 1)
    assert plain_cell(styled) is None
    assert plain_cell("王芳") is None  # a str may hold markup
