"""A guided script: one step at a time, one key per answer, ending in a pre-filled ticket.

Digits 1-9 answer the step (arrows + Enter too); Backspace takes the last answer back.
The walk belongs to the call: leaving the guide (Esc, or a screen key) and opening it
again goes on from the same step.
After every answer the call's ticket pre-fill is brought up to date, so F5 opens the
ticket with what was learned so far, at any moment of the walk: in an emergency the
dispatch does not wait for the end of the guide.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_console.guide_walk import GuideBroken, GuideWalk
from agent_console.i18n import _
from agent_console.practice.engine_io import ScriptSaid
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for
from agent_console.screens.widgets.wrapped import Wrapped
from agent_console.scripting import fill


class GuideScreen(ConsoleScreen):
    CSS_PATH = "guide.tcss"
    BINDINGS = bindings_for("guide")

    def __init__(self, walk: GuideWalk, values: Callable[[str], dict[str, str]]) -> None:
        super().__init__()
        self.walk = walk
        self.guide = walk.guide
        self._values = values

    def compose_body(self) -> ComposeResult:
        with Vertical(id="guide-body"):
            yield Static(id="guide-title")
            with VerticalScroll(id="guide-scroll"):
                yield Static(id="guide-learned")
                yield Static(id="guide-say")
                yield Static(id="guide-extras")
            choices = OptionList(id="guide-choices")
            choices.can_focus = False
            yield choices
            yield Static(id="guide-hint")

    def on_mount(self) -> None:
        self.show_step()

    def show_step(self) -> None:
        step = self.walk.current
        values = self._values(self.guide.language)
        n = len(self.walk.answers) + 1
        step_label = _("step {n}").format(n=n).replace(" ", "\u00a0")  # never "step" / "1"
        title = Content.assemble((self.guide.title, "bold"), (f"  · {step_label}", "dim"))
        self.query_one("#guide-title", Static).update(Wrapped([(title, "▶ ", None)]))
        learned = self.walk.learned()
        self.query_one("#guide-learned", Static).update(
            Content("\n".join(f"✓ {line}" for line in learned))
        )
        self.query_one("#guide-learned", Static).display = bool(learned)
        self.query_one("#guide-say", Static).update(
            Content.assemble((f"{_('Say')}: ", "bold"), fill(step.say, values))
        )
        extras = self.query_one("#guide-extras", Static)
        extras.update(Content("\n".join(f"• {fill(e, values)}" for e in step.extras)))
        extras.display = bool(step.extras)
        choices = self.query_one("#guide-choices", OptionList)
        choices.clear_options()
        if step.is_end:
            prefill = self.walk.prefill()
            choices.add_option(
                Option(
                    Content.assemble(
                        ("Enter ", "bold reverse"),
                        " ",
                        _("Open the ticket: {summary}").format(summary=prefill.summary),
                    ),
                    id="ticket",
                )
            )
        else:
            choices.add_options(
                [
                    Option(Content.assemble((f" {i} ", "bold reverse"), " ", c.label), id=str(i))
                    for i, c in enumerate(step.choices, start=1)
                ]
            )
        choices.highlighted = 0
        hint = (
            _("Enter opens the ticket · Backspace takes the last answer back")
            if step.is_end
            else _("1-{n} answer · Backspace undo · F5 ticket with what is known so far").format(
                n=len(step.choices)
            )
        )
        self.query_one("#guide-hint", Static).update(Content(hint))

    def _hand_over(self) -> None:
        """Bring the call's ticket pre-fill up to date with the walk."""
        if self.walk.answers:
            self.console.session.call.ticket_prefill = self.walk.prefill()

    def answer(self, index: int) -> None:
        said = self.walk.current
        try:
            self.walk.choose(index)
        except IndexError:
            self.app.bell()
            return
        except GuideBroken as exc:
            self.notify(str(exc), title=_("This guide is broken"), severity="error", markup=False)
            return
        # Practice: the step's words were said to the caller (a rubric may look for them).
        text = fill(said.say, self._values(self.guide.language)) if said.say else ""
        self.console.record(ScriptSaid("guide", f"{self.guide.slug}:{said.id}", text))
        self._hand_over()
        self.show_step()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in "123456789" and not self.walk.finished:
            event.stop()
            event.prevent_default()
            self.answer(int(event.character) - 1)

    def action_move(self, delta: int) -> None:
        choices = self.query_one("#guide-choices", OptionList)
        if choices.option_count:
            current = choices.highlighted or 0
            choices.highlighted = max(0, min(choices.option_count - 1, current + delta))

    async def action_choose(self) -> None:
        if self.walk.finished:
            self._hand_over()
            await self.app.run_action("open_screen('ticket')")
            return
        self.answer(self.query_one("#guide-choices", OptionList).highlighted or 0)

    def action_undo(self) -> None:
        if self.walk.undo():
            self._hand_over()
            self.show_step()
        else:
            self.app.bell()

    def action_leave(self) -> None:
        self.dismiss()
