"""The wallboard's state: the backend's document, merged event by event, and the rows
and figures the screen draws (sorted, filtered, durations formatted). No Textual here.

The document and its partial `board` events are the contract's
(/work/notes/SUPERVISOR_CONTRACT.md): an event replaces agents by agent_id and replaces
any other key it carries. Durations are counted from `state_since` against a clock the
caller passes in (the screen's 1 s tick), corrected by how far the server's clock
(`at`) stands from ours, so a seat whose clock is off still shows true durations.
The document's parts as typed rows are board_rows'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from agent_console.i18n import N_, _
from agent_console.models.fields import as_int, as_object, objects
from agent_console.supervision.board_rows import (
    STATES,
    AgentRow,
    Hand,
    Overdue,
    QueueFigures,
    Slot,
    parse_moment,
    utc_now,
)

__all__ = ["STATES", "AgentRow", "Hand", "Overdue", "QueueFigures", "Slot", "utc_now"]

STATE_LABELS: dict[str, str] = {
    "ringing": N_("Ringing"),
    "on_call": N_("On call"),
    "acw": N_("After-call work"),
    "not_ready": N_("Not ready"),
    "ready": N_("Ready"),
    "signed_out": N_("Signed out"),
}
#: Short state words for narrow terminals (the column is then 7-8 cells).
STATE_SHORT: dict[str, str] = {
    "ringing": N_("Ring"),
    "on_call": N_("Call"),
    "acw": N_("ACW"),
    "not_ready": N_("Away"),
    "ready": N_("Ready"),
    "signed_out": N_("Off"),
}

#: The columns the board sorts by, in the order the sort key walks them.
SORT_KEYS: tuple[str, ...] = (
    "state",
    "in_state",
    "agent_no",
    "name",
    "team",
    "hotline",
    "call",
    "calls_today",
    "aht",
    "overdue",
)
SORT_LABELS: dict[str, str] = {
    "state": N_("state"),
    "in_state": N_("time in state"),
    "agent_no": N_("agent no."),
    "name": N_("name"),
    "team": N_("team"),
    "hotline": N_("hotline"),
    "call": N_("call length"),
    "calls_today": N_("calls today"),
    "aht": N_("AHT"),
    "overdue": N_("callbacks overdue"),
}

Clock = Callable[[], datetime]


@dataclass
class Board:
    """The board as the console last heard it: a full document, then partial events."""

    agents: dict[str, AgentRow] = field(default_factory=dict[str, AgentRow])
    queue: QueueFigures = field(default_factory=QueueFigures)
    hands: tuple[Hand, ...] = ()
    overdue: tuple[Overdue, ...] = ()
    service_level_s: int = 20
    at: datetime | None = None
    #: The server's clock minus ours, from the last document's "at".
    skew: timedelta = timedelta(0)
    #: When (server time) the queue figures were counted: the longest wait grows from it.
    queue_at: datetime | None = None
    loaded: bool = False

    def load(self, doc: Mapping[str, Any], now: datetime) -> None:
        """A whole document (GET /wallboard): everything is replaced."""
        self.agents = {}
        self.queue = QueueFigures()
        self.hands = ()
        self.overdue = ()
        self.at = None  # a whole board is newer than any event before it
        self.service_level_s = as_int(dict(doc), "service_level_s", 20) or 20
        self.merge(doc, now)
        self.loaded = True

    def merge(self, doc: Mapping[str, Any], now: datetime) -> set[str]:
        """A partial document (a `board` event): agents replaced by agent_id, any other
        key present replaced whole. Returns the ids of the agents that changed, plus
        "queue", "hands", "overdue_callbacks" for the parts that came."""
        changed: set[str] = set()
        at = parse_moment(doc.get("at"))
        if at is not None and (self.at is None or at >= self.at):
            self.at = at
            self.skew = at - now
        for item in objects(doc.get("agents")):
            row = AgentRow.from_json(item)
            if row.agent_id:
                self.agents[row.agent_id] = row
                changed.add(row.agent_id)
        queue = as_object(doc.get("queue"))
        if queue is not None:
            self.queue = QueueFigures.from_json(queue)
            self.queue_at = at or self.server_now(now)
            changed.add("queue")
        if "hands" in doc:
            self.hands = tuple(Hand.from_json(h) for h in objects(doc.get("hands")))
            changed.add("hands")
        if "overdue_callbacks" in doc:
            self.overdue = tuple(
                Overdue.from_json(o) for o in objects(doc.get("overdue_callbacks"))
            )
            changed.add("overdue_callbacks")
        return changed

    def server_now(self, now: datetime) -> datetime:
        """Our clock's `now` as the server's clock reads it."""
        return now + self.skew

    def longest_wait_s(self, now: datetime) -> float | None:
        """The longest ringing call's wait now: the counted wait plus the time since it
        was counted (while calls ring; an answer or hang-up sends new figures)."""
        wait = self.queue.longest_wait_s
        if wait is None or not self.queue.ringing or self.queue_at is None:
            return wait
        return wait + max(0.0, (self.server_now(now) - self.queue_at).total_seconds())

    def choices(self, what: str) -> list[str]:
        """The distinct hotlines or teams on the board, sorted (the filter keys cycle them)."""
        values = {row.hotline if what == "hotline" else row.team for row in self.agents.values()}
        return sorted(v for v in values if v)


@dataclass(frozen=True)
class BoardFilter:
    """Which agents the grid shows ("" = any)."""

    hotline: str = ""
    team: str = ""
    state: str = ""

    def matches(self, row: AgentRow) -> bool:
        return (
            (not self.hotline or row.hotline == self.hotline)
            and (not self.team or row.team == self.team)
            and (not self.state or row.state == self.state)
        )

    @property
    def active(self) -> bool:
        return bool(self.hotline or self.team or self.state)

    def cycled(self, what: str, choices: Iterable[str]) -> BoardFilter:
        """The filter with `what` (hotline, team or state) moved to the next choice:
        any -> the first -> ... -> the last -> any."""
        ring = ["", *choices]
        current = getattr(self, what)
        step = ring.index(current) + 1 if current in ring else 0
        return replace(self, **{what: ring[step % len(ring)]})

    def describe(self) -> str:
        """The filter in words ("" when it shows everyone)."""
        parts = []
        if self.hotline:
            parts.append(_("hotline {value}").format(value=self.hotline))
        if self.team:
            parts.append(_("team {value}").format(value=self.team))
        if self.state:
            parts.append(_(STATE_LABELS[self.state]) if self.state in STATE_LABELS else self.state)
        return " · ".join(parts)


def seconds_since(moment: datetime | None, server_now: datetime) -> float | None:
    """Whole seconds from `moment` to now, never negative; None without a moment."""
    if moment is None:
        return None
    return max(0.0, (server_now - moment).total_seconds())


def in_state_s(row: AgentRow, server_now: datetime) -> float | None:
    return seconds_since(row.state_since, server_now)


def call_s(row: AgentRow, server_now: datetime) -> float | None:
    """The current call's length (only while ringing or on a call)."""
    if row.state not in ("on_call", "ringing"):
        return None
    return seconds_since(row.call_started_at, server_now)


def _sort_value(key: str, row: AgentRow, server_now: datetime) -> tuple[int, Any]:
    """A comparable value; rows without one sort last whichever way the board turns."""
    value: Any
    if key == "state":
        value = STATES.index(row.state) if row.state in STATES else len(STATES)
    elif key == "in_state":
        value = in_state_s(row, server_now)
    elif key == "call":
        value = call_s(row, server_now)
    elif key == "calls_today":
        value = row.calls_today
    elif key == "aht":
        value = row.aht_s
    elif key == "overdue":
        value = row.callbacks_overdue
    elif key == "agent_no":
        no = row.agent_no
        value = (0, int(no), no) if no.isdigit() else (1, 0, no)
    else:
        value = str(getattr(row, key, "")).casefold()
    return (0, value) if value is not None else (1, 0)


def visible_rows(
    board: Board,
    board_filter: BoardFilter,
    sort_key: str,
    descending: bool,
    now: datetime,
) -> list[AgentRow]:
    """The grid's rows: filtered, sorted by `sort_key` (ties by agent number)."""
    server_now = board.server_now(now)
    rows = [r for r in board.agents.values() if board_filter.matches(r)]
    rows.sort(key=lambda r: _sort_value("agent_no", r, server_now))
    present = [r for r in rows if _sort_value(sort_key, r, server_now)[0] == 0]
    absent = [r for r in rows if _sort_value(sort_key, r, server_now)[0] == 1]
    present.sort(key=lambda r: _sort_value(sort_key, r, server_now), reverse=descending)
    return present + absent


def duration(seconds: float | None) -> str:
    """ "0:07", "12:30", "1:02:03"; "" for none."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def state_text(row: AgentRow, server_now: datetime, short: bool = False) -> str:
    """The state with how long in it: "On call 3:05", "Not ready (lunch) 12:00"."""
    label = _((STATE_SHORT if short else STATE_LABELS).get(row.state, row.state))
    if row.state == "not_ready" and row.reason:
        label = f"{label} ({row.reason})"
    took = duration(in_state_s(row, server_now))
    return f"{label} {took}" if took else label


def state_summary(board: Board) -> str:
    """How many agents are in each state, in the board's order ("3 Ready · 5 On call")."""
    counts = {state: 0 for state in STATES}
    for row in board.agents.values():
        counts[row.state] = counts.get(row.state, 0) + 1
    return " · ".join(f"{_(STATE_LABELS[s])} {n}" for s, n in counts.items() if n)


def percent(share: float | None) -> str:
    """A service level as a whole percentage ("87%"), "–" before the first call."""
    if share is None:
        return "–"
    return f"{round(max(0.0, min(1.0, share)) * 100)}%"


def offered_series(queue: QueueFigures) -> list[float]:
    """Calls offered per 15-minute slot today, oldest first (the sparkline's data)."""
    slots = sorted(
        queue.per_15min,
        key=lambda s: s.at or datetime.min.replace(tzinfo=timezone.utc),
    )
    return [float(s.offered) for s in slots]
