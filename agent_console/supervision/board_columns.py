"""The wallboard grid's columns for a terminal width, and one agent's cells in them.

At 80 columns the grid keeps the eight columns a supervisor scans (short state words,
no hotline or after-call time); from WIDE columns on, every column with long words.
Widths are fixed per column so a ticking duration never makes the grid jump; text
wider than its column is cut with "…" where it is drawn. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from rich.cells import cell_len

from agent_console.i18n import N_, _
from agent_console.supervision.board_view import AgentRow, call_s, duration, state_text

#: From this many columns the grid shows every column, state words in full.
WIDE = 132


@dataclass(frozen=True)
class Column:
    key: str  # the sort key it shows (board_view.SORT_KEYS)
    header: str  # msgid
    width: int  # content cells at least (the header may need more)


NARROW_COLUMNS: tuple[Column, ...] = (
    Column("agent_no", N_("No."), 5),
    Column("name", N_("Name"), 9),
    Column("team", N_("Team"), 4),
    Column("state", N_("Agent state"), 16),
    Column("call", N_("Call"), 7),  # an hour-long call: "1:02:03"
    Column("calls_today", N_("Today"), 5),
    Column("aht", N_("AHT"), 5),
    Column("overdue", N_("Late"), 4),
)
WIDE_COLUMNS: tuple[Column, ...] = (
    Column("agent_no", N_("No."), 6),
    Column("name", N_("Name"), 16),
    Column("hotline", N_("Hotline"), 8),
    Column("team", N_("Team"), 8),
    Column("state", N_("Agent state"), 28),
    Column("call", N_("Call"), 8),
    Column("calls_today", N_("Calls today"), 6),
    Column("aht", N_("AHT"), 6),
    Column("acw", N_("ACW"), 6),
    Column("overdue", N_("Overdue"), 6),
)


#: How many more cells the name and the state columns take at most when there is room.
GROW = {"name": 10, "state": 24}


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns for a terminal `width` cells wide; on a wide one the name and the
    state (with a not-ready reason) take the room left over, up to GROW."""
    if width < WIDE:
        return NARROW_COLUMNS
    spare = width - WIDE
    grown: list[Column] = []
    for column in WIDE_COLUMNS:
        more = min(spare, GROW.get(column.key, 0))
        spare -= more
        grown.append(replace(column, width=column.width + more))
    return tuple(grown)


def column_width(column: Column) -> int:
    """The column's content width: its own, or its header's in this language."""
    return max(column.width, cell_len(_(column.header)) + 2)  # room for " ▲"


def cell_texts(row: AgentRow, columns: tuple[Column, ...], server_now: datetime) -> dict[str, str]:
    """Every cell of one agent's row, by column key."""
    short = not any(c.key == "acw" for c in columns)  # the narrow grid: short words
    texts = {
        "agent_no": row.agent_no,
        "name": row.name,
        "hotline": row.hotline,
        "team": row.team,
        "state": state_text(row, server_now, short=short),
        "call": duration(call_s(row, server_now)),
        "calls_today": str(row.calls_today),
        "aht": duration(row.aht_s),
        "acw": duration(row.acw_s),
        "overdue": str(row.callbacks_overdue) if row.callbacks_overdue else "",
    }
    return {c.key: texts[c.key] for c in columns}


#: The columns a tick redraws: the only ones that change with the clock.
TICKING = ("state", "call")
