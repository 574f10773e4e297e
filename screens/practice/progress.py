"""A trainee's practice history: scores over time, and where the time goes (the rubric
steps that take longest and the skills missed most), from GET /practice/progress."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _, ngettext
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for

if TYPE_CHECKING:
    from agent_console.screens.language import Switch

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(scores: list[int]) -> str:
    return "".join(SPARK[min(7, max(0, int(s) * 8 // 101))] for s in scores)


def _num(value: Any, unit: str = "") -> str:
    return "—" if value is None else f"{value}{unit}"


class ProgressScreen(ConsoleScreen):
    DEFAULT_CSS = """
    ProgressScreen #progress-body { height: 1fr; padding: 0 1; }
    ProgressScreen #progress-summary { text-style: bold; }
    ProgressScreen .progress-heading { text-style: bold; margin-top: 1; }
    ProgressScreen DataTable { height: auto; max-height: 10; }
    """
    BINDINGS = bindings_for("progress")
    PRACTICE_PANEL = False

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="progress-body"):
            yield Static(Content(_("Loading your practice history…")), id="progress-summary")
            yield Static(Content(_("Where the time goes")), classes="progress-heading")
            where: DataTable[Text] = DataTable(id="progress-where", cursor_type="row")
            yield where
            yield Static(Content(_("Scenarios")), classes="progress-heading")
            scenarios: DataTable[Text] = DataTable(id="progress-scenarios", cursor_type="row")
            yield scenarios

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.can_focus = False
        self.query_one("#progress-where", DataTable).add_columns(
            _("Step"), _("Mean time"), _("Missed"), _("Skill"), _("Scenario")
        )
        self.query_one("#progress-scenarios", DataTable).add_columns(
            _("Scenario"), _("Calls"), _("Best"), _("Last"), _("Mean time"), _("Par")
        )
        self._load()

    progress: dict[str, Any] | None = None  # what the backend last said, redrawn on a switch

    @work(exclusive=True, group="progress-load", exit_on_error=False)
    async def _load(self) -> None:
        summary = self.query_one("#progress-summary", Static)
        try:
            p = await self.console.client.practice_progress()
        except (BackendUnavailable, BackendError) as exc:
            summary.update(Content(f"✗ {exc.message}"))
            return
        self.show_progress(p)

    def relabel(self, switch: Switch) -> None:
        """The language changed: the summary lines are templates."""
        super().relabel(switch)
        if self.progress is not None:
            self.show_progress(self.progress)

    def show_progress(self, p: dict[str, Any]) -> None:
        self.progress = p
        lines = [
            ngettext(
                "{n} practice call · mean score {mean} · best {best} · last {last}",
                "{n} practice calls · mean score {mean} · best {best} · last {last}",
                p.get("results", 0),
            ).format(
                n=p.get("results", 0),
                mean=_num(p.get("mean_score")),
                best=_num(p.get("best_score")),
                last=_num(p.get("last_score")),
            ),
            _("Over par on average: {over} · keystrokes vs fastest: ×{ratio}").format(
                over=_num(p.get("mean_over_par_s"), " s"), ratio=_num(p.get("keystroke_ratio"))
            ),
            _("Scores, oldest to newest: {spark}").format(
                spark=sparkline([int(s) for s in p.get("trend") or []]) or "—"
            ),
        ]
        self.query_one("#progress-summary", Static).update(Content("\n".join(lines)))
        where = self.query_one("#progress-where", DataTable)
        where.clear()
        for row in (p.get("where_time_goes") or [])[:10]:
            where.add_row(
                Text(str(row.get("label") or row.get("item_id") or "")),
                Text(_num(row.get("mean_took_s"), " s")),
                Text(f"{row.get('missed', 0)}/{row.get('attempts', 0)}"),
                Text(str(row.get("skill") or "")),
                Text(str(row.get("scenario_id") or "")),
            )
        scenarios = self.query_one("#progress-scenarios", DataTable)
        scenarios.clear()
        for row in p.get("scenarios") or []:
            scenarios.add_row(
                Text(str(row.get("title") or row.get("scenario_id") or "")),
                Text(str(row.get("attempts", 0))),
                Text(_num(row.get("best_score"))),
                Text(_num(row.get("last_score"))),
                Text(_num(row.get("mean_duration_s"), " s")),
                Text(_num(row.get("par_s"), " s")),
            )

    def action_close(self) -> None:
        self.dismiss()
