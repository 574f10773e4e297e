"""Flag an article as outdated or wrong, with a comment the editors read.

The form stays open until the backend has the flag: a refusal or an unreachable
backend is shown next to the comment, and nothing typed is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import N_, _
from agent_console.models import KbFlag
from agent_console.screens.console_access import ConsoleAccess
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for

if TYPE_CHECKING:
    from agent_console.screens.language import Switch

REASONS = ("outdated", "wrong", "other")


def reason_label(reason: str) -> str:
    return {
        "outdated": _("Outdated (it was right once)"),
        "wrong": _("Wrong (it says something false)"),
        "other": _("Other problem"),
    }.get(reason, reason)


class FlagScreen(ConsoleAccess, Dialog[KbFlag | None]):
    DEFAULT_CSS = """
    FlagScreen { align: center middle; }
    #flag-box { width: 76; max-width: 100%; height: auto; border: thick $warning;
                background: $surface; padding: 0 1; }
    #flag-title { text-style: bold; }
    #flag-reasons { height: auto; }
    #flag-error { color: $error; height: auto; }
    """
    BINDINGS = bindings_for("flag")
    KEYS = (("↑↓", N_("Reason")), ("Enter", N_("Send the flag")))
    AUTO_FOCUS = "#flag-comment"

    def __init__(self, article_id: int, title: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.article_title = title
        self._sending = False

    def compose(self) -> ComposeResult:
        with Vertical(id="flag-box"):
            yield Static(
                Content.assemble(_("Flag for the editors: "), (self.article_title, "italic")),
                id="flag-title",
            )
            reasons = OptionList(
                *[Option(Content(reason_label(r)), id=r) for r in REASONS], id="flag-reasons"
            )
            reasons.can_focus = False
            yield reasons
            yield Input(placeholder=_("What is outdated or wrong? (required)"), id="flag-comment")
            yield Static(id="flag-error")

    def on_mount(self) -> None:
        self.query_one("#flag-reasons", OptionList).highlighted = 0
        self.query_one("#flag-error", Static).display = False

    def relabel(self, switch: Switch) -> None:
        """The language changed: the reasons are drawn again (the comment stays)."""
        from agent_console.screens.language import relabel_widgets

        relabel_widgets(self, switch)
        reasons = self.query_one("#flag-reasons", OptionList)
        keep = reasons.highlighted
        reasons.clear_options()
        reasons.add_options([Option(Content(reason_label(r)), id=r) for r in REASONS])
        reasons.highlighted = keep

    def reason(self) -> str:
        return REASONS[self.query_one("#flag-reasons", OptionList).highlighted or 0]

    def action_move(self, delta: int) -> None:
        reasons = self.query_one("#flag-reasons", OptionList)
        current = reasons.highlighted or 0
        reasons.highlighted = max(0, min(len(REASONS) - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, text: str) -> None:
        error = self.query_one("#flag-error", Static)
        error.update(Content(f"✗ {text}"))
        error.display = True

    @on(Input.Submitted, "#flag-comment")
    def _submit(self) -> None:
        comment = self.query_one("#flag-comment", Input).value.strip()
        if not comment:
            self.show_error(_("Say what is outdated or wrong, so the editor can fix it."))
            return
        if not self._sending:
            self._sending = True
            self._send(self.reason(), comment)

    @work(exclusive=True, group="flag-send", exit_on_error=False)
    async def _send(self, reason: str, comment: str) -> None:
        client = self.console.client
        try:
            flag = await client.flag_article(self.article_id, reason, comment)
        except BackendUnavailable as exc:
            self.show_error(_("backend unreachable; try again ({why})").format(why=exc.message))
            return
        except BackendError as exc:
            self.show_error(exc.fields.get("comment") or exc.message)
            return
        finally:
            self._sending = False
        self.dismiss(flag)
