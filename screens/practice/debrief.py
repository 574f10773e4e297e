"""The debrief after hang-up: score against the rubric, time, keystrokes against the
fastest known path, what was missed and why, the fastest path spelled as keys, and
whether the result reached the backend.

Rubric labels and hints come from scenario files (and mentors): rendered as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console import i18n
from agent_console.i18n import _
from agent_console.practice import Debrief
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for

if TYPE_CHECKING:
    from agent_console.screens.language import Switch


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    minutes, secs = divmod(round(value), 60)
    return f"{minutes}:{secs:02d}"


def summary_lines(d: Debrief) -> list[str]:
    over = d.duration - d.par_seconds
    pace = _("{s} s over par").format(s=round(over)) if over > 0 else _("within par")
    return [
        _("Score {score}/100 ({points} of {max} points)").format(
            score=d.score, points=d.points, max=d.max_points
        ),
        _("Time {time} (par {par}, {pace})").format(
            time=seconds(d.duration), par=seconds(d.par_seconds), pace=pace
        ),
        _("Keystrokes {used} (fastest known path: {fastest})").format(
            used=d.keystrokes, fastest=d.fastest_keystrokes
        ),
        _("Hints: {scripted} scripted, {mentor} from a mentor · hands raised: {hands}").format(
            scripted=d.scripted_hints, mentor=d.mentor_hints, hands=d.hands
        ),
    ]


class DebriefScreen(ConsoleScreen):
    DEFAULT_CSS = """
    DebriefScreen #debrief-body { height: 1fr; padding: 0 1; }
    DebriefScreen #debrief-title { text-style: bold; }
    DebriefScreen #debrief-score { text-style: bold; }
    DebriefScreen #debrief-items { height: auto; max-height: 12; }
    DebriefScreen .debrief-heading { text-style: bold; margin-top: 1; }
    DebriefScreen #debrief-stored.-failed { color: $error; text-style: bold; }
    """
    BINDINGS = bindings_for("debrief")
    PRACTICE_PANEL = False

    def __init__(self, debrief: Debrief) -> None:
        super().__init__()
        self.debrief = debrief

    def compose_body(self) -> ComposeResult:
        d = self.debrief
        with VerticalScroll(id="debrief-body"):
            yield Static(Content(_("Debrief: {title}").format(title=d.title)), id="debrief-title")
            yield Static(Content("\n".join(summary_lines(d))), id="debrief-score")
            yield Static(Content(_("Rubric")), classes="debrief-heading")
            items: DataTable[Text] = DataTable(id="debrief-items", cursor_type="row")
            items.can_focus = False
            yield items
            yield Static(Content(_("Missed")), classes="debrief-heading")
            yield Static(id="debrief-missed")
            yield Static(Content(_("Fastest known path")), classes="debrief-heading")
            yield Static(Content(d.fastest_text), id="debrief-fastest")
            yield Static(Content(_("Storing the result…")), id="debrief-stored")

    def on_mount(self) -> None:
        d = self.debrief
        table = self.query_one("#debrief-items", DataTable)
        labels = [_("Item"), _("Points"), _("Done at"), _("Took")]
        for key, label in zip(("mark", "item", "points", "at", "took"), ["", *labels], strict=True):
            table.add_column(label, key=key)
        language = i18n.language()
        for row, item in enumerate(d.items):
            table.add_row(
                Text("✓" if item.met else "✗", style="bold" if not item.met else ""),
                Text(item.label_in(language)),
                Text(f"{item.weight if item.met else 0}/{item.weight}"),
                Text(seconds(item.at)),
                Text(seconds(item.took)),
                key=str(row),
            )
        self.show_words()

    def show_words(self) -> None:
        """The lines drawn from templates, and the scenario's title and rubric labels, in
        the console's language (it may have changed since the call was played)."""
        d = self.debrief
        language = i18n.language()
        title = _("Debrief: {title}").format(title=d.title_in(language))
        self.query_one("#debrief-title", Static).update(Content(title))
        self.query_one("#debrief-score", Static).update(Content("\n".join(summary_lines(d))))
        table = self.query_one("#debrief-items", DataTable)
        for row, item in enumerate(d.items):
            if str(row) in table.rows:
                label = Text(item.label_in(language))
                table.update_cell(str(row), "item", label, update_width=True)
        missed = [
            "✗ " + _("{item}: {why}").format(item=i.label_in(language), why=i.why_text())
            for i in d.missed
        ]
        self.query_one("#debrief-missed", Static).update(
            Content("\n".join(missed) if missed else _("Nothing: every rubric item was met."))
        )

    def relabel(self, switch: Switch) -> None:
        super().relabel(switch)
        self.show_words()

    def stored(self, text: str, ok: bool) -> None:
        """Whether the backend kept the result (called from the desk's worker)."""
        if not self.is_mounted:
            return
        label = self.query_one("#debrief-stored", Static)
        label.update(Content(("✓ " if ok else "✗ ") + text))
        label.set_class(not ok, "-failed")

    def action_next(self) -> None:
        self.dismiss("next")

    def action_close(self) -> None:
        self.dismiss("stay")
