"""Category from the tree by typing: a filter box over a short list of matching paths.

Up/Down move through the matches while the cursor stays in the box; Enter picks the
highlighted one (the best match, so two characters and Enter is the usual case). The
matching itself lives in agent_console/category_filter.py.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.category_filter import CategoryEntry, filter_categories, flatten
from agent_console.i18n import _
from agent_console.models import Category
from agent_console.screens.widgets.wrapped import Wrapped

SHOWN = 30  # matches listed; the best are on top


class CategoryFilter(Input):
    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def action_move(self, step: int) -> None:
        picker = self.parent
        if isinstance(picker, CategoryPicker):
            picker.move(step)


class CategoryPicker(Vertical):
    DEFAULT_CSS = """
    CategoryPicker { height: auto; }
    CategoryPicker > OptionList { height: 5; overflow-y: scroll; }  /* scripts.tcss: lost lines */
    CategoryPicker > #category-chosen { height: 1; }
    """

    class Picked(Message):
        def __init__(self, entry: CategoryEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[CategoryEntry] = []
        self.matches: list[CategoryEntry] = []
        self.chosen: CategoryEntry | None = None

    def compose(self) -> ComposeResult:
        yield CategoryFilter(
            id="ticket-category", placeholder=_("Category: type 跑水 / hnps / leak, Enter")
        )
        yield OptionList(id="category-list")
        yield Static(id="category-chosen")

    def on_mount(self) -> None:
        # The list follows the box; Tab goes from the box to the next field.
        self.query_one(OptionList).can_focus = False
        self.show_chosen()

    def load(self, roots: list[Category]) -> None:
        self.entries = flatten(roots)
        self.refilter()

    @property
    def value(self) -> str:
        return self.chosen.id if self.chosen else ""

    def select_id(self, category_id: str) -> bool:
        """Pick by id (draft restore, guided-script pre-fill); False until loaded."""
        entry = next((e for e in self.entries if e.id == category_id), None)
        if entry is None:
            return False
        self.pick(entry, announce=False)
        return True

    def clear(self) -> None:
        self.chosen = None
        self.query_one(CategoryFilter).value = ""
        self.refilter()
        self.show_chosen()

    def refilter(self) -> None:
        query = self.query_one(CategoryFilter).value
        if self.chosen and query == self.chosen.label:
            query = ""
        self.matches = filter_categories(self.entries, query)[:SHOWN]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(Wrapped([(f"{e.label}  ·  {e.label_en}", "", "    ")]), id=e.id)
                for e in self.matches
            ]
        )
        if self.matches:
            options.highlighted = 0

    def move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self.matches:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.matches) - 1, current + step))

    def pick(self, entry: CategoryEntry, announce: bool = True) -> None:
        self.chosen = entry
        box = self.query_one(CategoryFilter)
        with box.prevent(Input.Changed):
            box.value = entry.label
        self.show_chosen()
        if announce:
            self.post_message(self.Picked(entry))

    def show_chosen(self) -> None:
        label = self.query_one("#category-chosen", Static)
        if self.chosen:
            label.update(Content(f"✓ {self.chosen.label} ({self.chosen.id})"))
        else:
            label.update(Content(_("no category chosen yet")))

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, CategoryFilter):
            self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not isinstance(event.input, CategoryFilter):
            return
        event.stop()
        index = self.query_one(OptionList).highlighted
        if self.matches and index is not None and index < len(self.matches):
            self.pick(self.matches[index])
            self.screen.focus_next()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = next((e for e in self.matches if e.id == event.option.id), None)
        if entry is not None:
            self.pick(entry)
