"""Help (F1): every action and the key it has right now, generated from the keymap, in
key order (agent_console/key_hints.py: help_order); wider than the box, it scrolls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console.actions import CATALOGUE
from agent_console.i18n import N_, _
from agent_console.key_hints import help_order
from agent_console.role_keys import visible
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import key_display


def scope_label(scope: str) -> str:
    return {
        "app": _("Everywhere"),
        "lookup": _("Lookup"),
        "card": _("Caller card"),
        "scripts": _("Scripts"),
        "kb": _("Knowledge base"),
        "article": _("Article"),
        "guide": _("Guided script"),
        "four": _("Four-more checklist"),
        "flag": _("Flag an article"),
        "ticket": _("Ticket"),
        "directory": _("Directory"),
        "newcaller": _("New caller"),
        "debrief": _("Practice debrief"),
        "progress": _("Practice progress"),
        "mentor": _("Mentor"),
        "followups": _("Follow-ups"),
        "loopticket": _("Follow-up ticket"),
        "loopform": _("Callback / close form"),
        "seatpick": _("Seat state picker"),
        "confirm": _("Question before an SMS or quitting"),
        "wallboard": _("Wallboard"),
        "boardlist": _("Wallboard list"),
        "seatactions": _("Seat actions (supervisors)"),
        "reassign": _("Reassign a ticket (supervisors)"),
        "reviews": _("Reviews"),
        "review": _("A review"),
        "sample": _("Review sample"),
        "assign": _("Assign practice"),
    }.get(scope, scope)


if TYPE_CHECKING:
    from agent_console.screens.language import Switch


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help-box { width: 90%; height: 90%; border: thick $accent; background: $surface; }
    #help-title { text-style: bold; padding: 0 1; }
    #help-keys { height: 1fr; }
    """
    BINDINGS = [Binding("escape,f1", "dismiss", N_("Close help"), id="help.close")]
    KEYS = (("↑↓", N_("Scroll")),)

    def __init__(self, keys: dict[str, str], role: str | None = None) -> None:
        super().__init__()
        self.keys = keys
        self.role = role  # keys for other roles only (ActionSpec.roles) are not listed

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                Content(
                    _(
                        "Keys (Esc closes). Enter in a search box opens the "
                        "highlighted hit; arrows move."
                    )
                ),
                id="help-title",
            )
            yield DataTable(id="help-keys", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns(_("Key"), _("Action"), _("Where"), _("Action id"))
        self.fill_keys(table)
        table.focus()

    def relabel(self, switch: Switch) -> None:
        """The language changed while help is open: title, headings and rows again."""
        from agent_console.screens.language import relabel_widgets

        relabel_widgets(self, switch)
        table = self.query_one("#help-keys", DataTable)
        row = table.cursor_row
        table.clear()
        self.fill_keys(table)
        table.move_cursor(row=row)

    def fill_keys(self, table: DataTable) -> None:
        for spec in help_order(visible(CATALOGUE, self.role), self.keys):
            table.add_row(
                Text(key_display(self.keys.get(spec.id, ""))),
                Text(_(spec.description)),
                Text(scope_label(spec.scope)),
                Text(spec.id),
            )
