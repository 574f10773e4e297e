"""The mentor's room (F11): raised hands first, every trainee's scenario and step, a
hint to the highlighted trainee (typed, or canned with Ctrl+O), and trainees compared.

Live from the events stream (hand_raised, hand_changed, practice_activity), with a
periodic refresh in case the stream is down. Trainee names, steps and notes are
backend text: DataTable cells are rich Text.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.column_fit import Give
from agent_console.i18n import N_, _, ngettext
from agent_console.models import RaisedHand
from agent_console.practice.skills import skill_label
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for, key_display
from agent_console.screens.widgets.fitted_table import fill_fitted
from agent_console.timefmt import local

if TYPE_CHECKING:
    from agent_console.screens.language import Switch

REFRESH_SECONDS = 10.0  # the fallback when the events stream is not live
#: The room fits its width (80 columns too): the scenario's title gives way first
#: (its start names it), then the step (lines heard stay), then the trainee's name;
#: the time stays whole.
ROOM_GIVES = (Give(2, 16), Give(3, 9), Give(1, 10))

# Canned hints: (id, text with {key} for the action's key, action id or "").
CANNED: tuple[tuple[str, str, str], ...] = (
    (
        "lookup",
        N_("Go to the lookup screen ({key}) and search by the number the caller gave."),
        "screen.lookup",
    ),
    ("account", N_("Searching by account number is faster than by name."), ""),
    (
        "greet",
        N_("Greet first: {key} opens the scripts, Enter says the greeting."),
        "screen.scripts",
    ),
    ("kb", N_("Look it up in the knowledge base ({key})."), "screen.kb"),
    (
        "directory",
        N_("This is a directory question: {key} opens the directory."),
        "screen.directory",
    ),
    ("ticket", N_("This needs a ticket: {key}."), "screen.ticket"),
    ("close", N_("Ask one more question, then close with the closing phrase."), ""),
)


class MentorScreen(ConsoleScreen):
    CSS_PATH = "mentor.tcss"
    BINDINGS = bindings_for("mentor")
    TYPING_TARGET = "#mentor-hint"
    AUTO_FOCUS = "#mentor-hint"

    def __init__(self) -> None:
        super().__init__()
        self.room: list[dict[str, Any]] = []
        self.compare: list[dict[str, Any]] = []  # the trainees compared, as loaded
        self.hands: dict[str, RaisedHand] = {}  # trainee id -> their open hand
        self._canned = -1
        self._canned_text = ""
        self._room_shown = False

    def compose_body(self) -> ComposeResult:
        with Vertical(id="mentor-body"):
            yield Static(id="mentor-title")
            room: DataTable[Text] = DataTable(id="mentor-room", cursor_type="row")
            room.can_focus = False
            yield room
            yield Input(
                id="mentor-hint", placeholder=_("Hint for the highlighted trainee · Enter sends")
            )
            yield Static(id="mentor-status")
            yield Static(Content(_("Trainees compared")), classes="mentor-heading")
            compare: DataTable[Text] = DataTable(id="mentor-compare", cursor_type="row")
            compare.can_focus = False
            yield compare

    def on_mount(self) -> None:
        self.query_one("#mentor-room", DataTable).add_columns(
            _("Hand"), _("Trainee"), _("Scenario"), _("Step"), _("Since")
        )
        self.query_one("#mentor-compare", DataTable).add_columns(
            _("Trainee"),
            _("Calls"),
            _("Mean"),
            _("Last"),
            _("Over par"),
            _("Keys ×"),
            _("Hints/call"),
            _("Weakest"),
            _("Slowest"),
        )
        self.console.desk.room_changed.subscribe(self, lambda _kind: self.refresh_room())
        self.set_interval(REFRESH_SECONDS, self.refresh_room)
        self.say("")
        self.refresh_room()

    def say(self, text: str) -> None:
        self.query_one("#mentor-status", Static).update(Content(text))

    # -- the room --------------------------------------------------------------------
    def refresh_room(self) -> None:
        self._load_room()

    @work(exclusive=True, group="mentor-room", exit_on_error=False)
    async def _load_room(self) -> None:
        client = self.console.client
        try:
            room, hands, compare = await asyncio.gather(
                client.practice_room(), client.raised_hands(), client.practice_compare()
            )
        except (BackendUnavailable, BackendError) as exc:
            self.say(f"✗ {exc.message}")
            return
        self.hands = {h.trainee_id: h for h in hands}
        self.show_room(room)
        self.show_compare(compare)

    def show_room(self, room: list[dict[str, Any]]) -> None:
        table = self.query_one("#mentor-room", DataTable)
        keep = self.selected_trainee()

        # Hands first (the longest waiting first), then the rest by trainee number.
        def order(row: dict[str, Any]) -> tuple[int, str, str]:
            hand = self.hands.get(str(row.get("trainee_id")))
            return (0, hand.raised_at, "") if hand else (1, "", str(row.get("trainee_id")))

        self.room = sorted(room, key=order)
        rows: list[list[Text]] = []
        for row in self.room:
            trainee = str(row.get("trainee_id") or "")
            hand = self.hands.get(trainee)
            mark = ""
            if hand is not None:
                mark = "✋ " + (_("taken") if hand.status == "taken" else _("raised"))
            rows.append(
                [
                    Text(mark, style="bold reverse" if hand and hand.status == "raised" else ""),
                    Text(f"{trainee} {row.get('trainee_name') or ''}"),
                    Text(self.scenario_title(row)),
                    Text(self.step_label(row, (hand.step if hand else "") or row.get("step"))),
                    Text(
                        local(hand.raised_at if hand else str(row.get("updated_at") or ""))[11:16]
                    ),
                ]
            )
        headers = [_("Hand"), _("Trainee"), _("Scenario"), _("Step"), _("Since")]
        keys = [str(row.get("trainee_id") or "") for row in self.room]
        fill_fitted(table, headers, rows, ROOM_GIVES, keys)
        if keep and any(str(r.get("trainee_id")) == keep for r in self.room):
            table.move_cursor(row=[str(r.get("trainee_id")) for r in self.room].index(keep))
        up = sum(1 for h in self.hands.values() if h.status == "raised")
        n = len(self.room)
        trainees = ngettext("Practice room: {n} trainee", "Practice room: {n} trainees", n)
        hands = ngettext("{n} hand up", "{n} hands up", up)
        title = f"{trainees.format(n=n)} · {hands.format(n=up)}"
        self.query_one("#mentor-title", Static).update(Content(title))
        self._room_shown = True

    def step_label(self, row: dict[str, Any], step: object) -> str:
        """Where the trainee is: lines heard and the caller's last line; the step's
        code when the scenario is not here."""
        from agent_console import practice
        from agent_console.practice.engine import step_label

        if not step:
            return "—"
        try:
            scenario = practice.by_id(self.console.desk.scenarios(), str(row.get("scenario_id")))
        except KeyError:
            return str(step)
        return step_label(scenario, str(step))

    def scenario_title(self, row: dict[str, Any]) -> str:
        """The scenario by its title in the mentor's language (the room has it in the
        trainee's), from the scenarios here; else as the room gives it."""
        from agent_console import i18n, practice

        scenario_id = str(row.get("scenario_id") or "")
        try:
            return practice.by_id(self.console.desk.scenarios(), scenario_id).title.pick(
                i18n.language()
            )
        except KeyError:
            return str(row.get("title") or scenario_id or "—")

    def on_resize(self, event: events.Resize) -> None:
        """Another width: the room's columns fitted to it once the table has its size."""
        if self._room_shown:
            self.call_after_refresh(lambda: self.show_room(self.room))

    def relabel(self, switch: Switch) -> None:
        """The language changed: the title and the hand marks are templates."""
        super().relabel(switch)
        if self._room_shown:
            self.show_room(self.room)
            self.show_compare(self.compare)

    def show_compare(self, rows: list[dict[str, Any]]) -> None:
        """Seconds and skills in the UI's language (a skill's id is not a word)."""
        self.compare = rows
        table = self.query_one("#mentor-compare", DataTable)
        table.clear()

        def num(value: Any) -> Text:
            return Text("—" if value is None else f"{value}")

        def seconds(value: Any) -> Text:
            return Text("—" if value is None else _("{n} s").format(n=value))

        def skill(value: Any) -> Text:
            return Text("—" if value is None else skill_label(str(value)))

        for r in rows:
            table.add_row(
                Text(f"{r.get('trainee_id', '')} {r.get('trainee_name') or ''}"),
                num(r.get("results")),
                num(r.get("mean_score")),
                num(r.get("last_score")),
                seconds(r.get("mean_over_par_s")),
                num(r.get("keystroke_ratio")),
                num(r.get("hints_per_call")),
                skill(r.get("weakest_skill")),
                skill(r.get("slowest_skill")),
            )

    def selected_trainee(self) -> str:
        table = self.query_one("#mentor-room", DataTable)
        if not self.room or table.cursor_row < 0:
            return ""
        row = self.room[min(table.cursor_row, len(self.room) - 1)]
        return str(row.get("trainee_id") or "")

    # -- actions -----------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        table = self.query_one("#mentor-room", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_refresh(self) -> None:
        self.refresh_room()

    def action_canned(self) -> None:
        """The next canned hint into the box, with the key it names spelled out."""
        self._canned = (self._canned + 1) % len(CANNED)
        _ident, text, action = CANNED[self._canned]
        keys = self.console.settings.keys
        key = key_display(keys.get(action, "").split(",")[0]) if action else ""
        self._canned_text = _(text).format(key=key)
        box = self.query_one("#mentor-hint", Input)
        box.value = self._canned_text
        box.cursor_position = len(box.value)

    def action_take(self) -> None:
        hand = self.hands.get(self.selected_trainee())
        if hand is None:
            self.say(_("No hand up for this trainee."))
            return
        self._take(hand)

    @work(group="mentor-take", exit_on_error=False)
    async def _take(self, hand: RaisedHand) -> None:
        try:
            await self.console.client.take_hand(hand.id)
        except (BackendUnavailable, BackendError) as exc:
            self.say(f"✗ {exc.message}")
            return
        self.say(
            _("You are on your way to {who}.").format(who=hand.trainee_name or hand.trainee_id)
        )
        self.refresh_room()

    @on(Input.Submitted, "#mentor-hint")
    def _send(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        trainee = self.selected_trainee()
        if not trainee:
            self.say("✗ " + _("No trainee to send it to."))
            return
        if not text:
            self.say("✗ " + _("Type a hint, or Ctrl+O for a canned one."))
            return
        canned = CANNED[self._canned][0] if text == self._canned_text else ""
        hand = self.hands.get(trainee)
        self.say(_("sending…"))
        self._send_hint(trainee, text, hand.id if hand else None, canned)

    @work(group="mentor-send", exit_on_error=False)
    async def _send_hint(self, trainee: str, text: str, hand_id: int | None, canned: str) -> None:
        client = self.console.client
        try:
            await client.send_practice_hint(trainee, text, hand_id=hand_id, canned=canned)
        except (BackendUnavailable, BackendError) as exc:
            self.say(f"✗ {_('Hint not sent')}: {exc.message}")  # what was typed stays
            return
        box = self.query_one("#mentor-hint", Input)
        if box.value.strip() == text:
            box.value = ""
        self._canned_text = ""
        self.say("✓ " + _("Hint sent to {who}.").format(who=trainee))
        self.refresh_room()
