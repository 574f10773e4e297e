"""The practice menu: the scenarios a supervisor assigned to the signed-in agent from a
review and not yet run (first), today's drill (planned from the trainee's history), or
any one scenario. Enter starts it; Esc closes the menu (the hang-up key opens it again)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_console import i18n
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import N_, _, ngettext
from agent_console.practice import DrillItem, PastResult, Scenario, plan_drill
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.dialog import Dialog
from agent_console.screens.widgets.wrapped import Block, Wrapped
from agent_console.supervision.review_form import assigned_first

if TYPE_CHECKING:
    from agent_console.screens.language import Switch

Pick = tuple[str, list[DrillItem]]  # ("drill" | "one" | "assigned", the calls in order)
#: Roles whose own reviews can assign them practice (a supervisor's GET /coaching is
#: everyone's, not theirs).
COACHED_ROLES = ("agent", "trainee")


def scenario_prompt(s: Scenario, mark: str = "") -> Wrapped:
    title = s.title.pick(i18n.language())
    stars = "★" * s.difficulty
    head = Content.assemble((f"{stars:<5} ", "bold"), (f"{s.hotline:>6}  ", "dim"), (title, "bold"))
    briefing = s.briefing.pick(i18n.language()) if s.briefing else ""
    meta = _("par {s:.0f} s").format(s=s.par_seconds).replace(" ", "\u00a0")  # not "par" / "75 s"
    line = Content.assemble(head, (f"   {meta}", "dim"))
    blocks: list[Block] = [(Content.styled(mark, "bold"), "", None)] if mark else []
    blocks += [(line, "", " " * 12), (Content.styled(briefing, "dim"), " " * 6, None)]
    return Wrapped(blocks)


class PracticeMenuScreen(ConsoleAccess, Dialog[Pick | None]):
    DEFAULT_CSS = """
    PracticeMenuScreen { align: center middle; }
    #menu-box { width: 96%; height: 92%; border: thick $warning; background: $surface; }
    #menu-title { text-style: bold; padding: 0 1; }
    #menu-list { height: 1fr; overflow-y: scroll; }  /* see scripts.tcss: a lost last line */
    #menu-status { color: $text-muted; padding: 0 1; }
    """
    #: Shown in the menu's own key bar (the bar under it showed the screen below's keys).
    BINDINGS = [Binding("escape", "close", N_("Close"))]
    KEYS = (("Enter", N_("Start")),)
    AUTO_FOCUS = "#menu-list"

    def __init__(self, scenarios: list[Scenario], drill_first: bool = False) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.drill: list[DrillItem] = []
        self.drill_first = drill_first
        self.practised: int | None = None  # calls in the trainee's history, once loaded
        self.assigned: list[Scenario] = []  # assigned from a review, not yet run

    def compose(self) -> ComposeResult:
        with Vertical(id="menu-box"):
            yield Static(Content(_("PRACTICE · pick a call")), id="menu-title")
            yield OptionList(id="menu-list")
            yield Static(id="menu-status")

    def on_mount(self) -> None:
        self.show_options()
        self.query_one("#menu-list", OptionList).highlighted = 0
        self._plan()
        self._assigned()

    def show_options(self) -> None:
        options = self.query_one("#menu-list", OptionList)
        keep = options.highlighted
        options.clear_options()
        if self.drill:
            minutes = sum(i.scenario.par_seconds + 60 for i in self.drill) / 60
            language = i18n.language()  # the calls by their titles, not their ids
            titles = " → ".join(i.scenario.title.pick(language) for i in self.drill)
            head = ngettext(
                "Today's drill: {n} call, about {m:.0f} min",
                "Today's drill: {n} calls, about {m:.0f} min",
                len(self.drill),
            ).format(n=len(self.drill), m=minutes)
            drill: Content | Wrapped = Wrapped(  # the titles wrap under themselves
                [
                    (Content.styled("▶ " + head, "bold"), "", None),
                    (Content.styled(titles, "dim"), " " * 6, None),
                ]
            )
        else:
            drill = Content(_("▶ Today's drill (planning from your history…)"))
        for s in self.assigned:
            mark = "✎ " + _("Assigned to you from a review:")
            options.add_option(Option(scenario_prompt(s, mark), id=f"a:{s.id}"))
        options.add_option(Option(drill, id="drill"))
        for s in self.scenarios:
            if s not in self.assigned:
                options.add_option(Option(scenario_prompt(s), id=f"s:{s.id}"))
        options.highlighted = keep if keep is not None else 0

    @work(exclusive=True, group="practice-plan", exit_on_error=False)
    async def _plan(self) -> None:
        app = self.console
        history: list[PastResult] = []
        agent = app.session.agent
        status = self.query_one("#menu-status", Static)
        if agent is not None and agent.role == "trainee":
            try:
                results = await app.client.practice_results(limit=200)
            except (BackendUnavailable, BackendError) as exc:
                status.update(
                    Content(
                        _("History not loaded ({why}): a drill for a beginner.").format(
                            why=exc.message
                        )
                    )
                )
            else:
                history = [PastResult.from_result(r) for r in results]
                self.practised = len(results)
                self.show_practised()
        minutes = app.settings.practice.drill_minutes
        day = datetime.date.today().toordinal()
        self.drill = plan_drill(self.scenarios, history, minutes=minutes, day=day)
        self.show_options()
        if self.drill_first:
            self.drill_first = False
            self.dismiss(("drill", list(self.drill)))

    @work(exclusive=True, group="practice-assigned", exit_on_error=False)
    async def _assigned(self) -> None:
        """The scenarios assigned to this agent and not yet run, before everything else."""
        agent = self.console.session.agent
        if agent is None or agent.role not in COACHED_ROLES:
            return
        try:
            coaching = await self.console.client.coaching()
        except (BackendUnavailable, BackendError):
            return  # the menu works without them; the reviews screen says why
        first, _rest = assigned_first(self.scenarios, coaching)
        if first:
            self.assigned = first
            self.show_options()
            options = self.query_one("#menu-list", OptionList)
            options.highlighted = 0
            options.scroll_home(animate=False, immediate=True)

    def show_practised(self) -> None:
        if self.practised is not None:
            n = self.practised
            text = ngettext("{n} call practised so far.", "{n} calls practised so far.", n)
            self.query_one("#menu-status", Static).update(Content(text.format(n=n)))

    def relabel(self, switch: Switch) -> None:
        """The language changed: titles, briefings and counts are drawn again."""
        from agent_console.screens.language import relabel_widgets

        relabel_widgets(self, switch)
        self.show_options()
        self.show_practised()

    @on(OptionList.OptionSelected, "#menu-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        ident = event.option.id or ""
        if ident == "drill":
            if self.drill:
                self.dismiss(("drill", list(self.drill)))
            return
        for s in self.scenarios:
            if ident == f"s:{s.id}":
                self.dismiss(("one", [DrillItem(s, "chosen")]))
            elif ident == f"a:{s.id}":
                self.dismiss(("assigned", [DrillItem(s, "assigned")]))

    def action_close(self) -> None:
        self.dismiss(None)
