"""The four-more checklist (四多) shown before the closing phrase: ask one more question,
think one step further, say one more sentence, handle one more thing.

Space or a digit ticks an item, Enter closes the list (the closing phrase is then
marked said), Esc goes back without saying it.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_console.i18n import N_, _
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for
from agent_console.scripting import four_more


class FourMoreScreen(Dialog[set[int] | None]):
    DEFAULT_CSS = """
    FourMoreScreen { align: center middle; }
    #four-box { width: 76; max-width: 100%; height: auto; border: thick $accent;
                background: $surface; padding: 0 1; }
    #four-title { text-style: bold; }
    #four-items { height: auto; max-height: 12; }
    """
    BINDINGS = bindings_for("four")
    KEYS = (("1-4", N_("Tick")),)

    def __init__(self, language: str) -> None:
        super().__init__()
        self.items = four_more(language)
        self.ticked: set[int] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="four-box"):
            yield Static(Content(_("Before you close: four more (四多)")), id="four-title")
            items = OptionList(id="four-items")
            items.can_focus = False
            yield items

    def on_mount(self) -> None:
        self.show_items()
        self.query_one("#four-items", OptionList).highlighted = 0

    def show_items(self) -> None:
        items = self.query_one("#four-items", OptionList)
        keep = items.highlighted
        items.clear_options()
        for i, (name, prompt) in enumerate(self.items):
            mark = "[✓]" if i in self.ticked else "[ ]"
            items.add_option(
                Option(Content.assemble((f"{mark} {i + 1} {name}", "bold"), f"  {prompt}"))
            )
        items.highlighted = keep if keep is not None else 0

    def tick(self, index: int) -> None:
        if 0 <= index < len(self.items):
            self.ticked ^= {index}
            self.show_items()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in "1234":
            event.stop()
            event.prevent_default()
            self.tick(int(event.character) - 1)

    def action_move(self, delta: int) -> None:
        items = self.query_one("#four-items", OptionList)
        current = items.highlighted or 0
        items.highlighted = max(0, min(len(self.items) - 1, current + delta))

    def action_tick_highlighted(self) -> None:
        self.tick(self.query_one("#four-items", OptionList).highlighted or 0)

    def action_done(self) -> None:
        self.dismiss(set(self.ticked))

    def action_cancel(self) -> None:
        self.dismiss(None)
