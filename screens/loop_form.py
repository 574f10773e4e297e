"""A small form over a ticket: a call note, the callback result, the satisfaction.

Each field has its error line under it; a refusal from the backend lands there too,
and what was typed stays. The caller (ticket_detail) decides what the values mean.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import N_, _
from agent_console.screens.dialog import Dialog
from agent_console.screens.keys import bindings_for

Submit = Callable[[dict[str, str]], Awaitable[dict[str, str] | None]]


class LoopForm(Dialog[bool]):
    """Fields (id, label, placeholder); `check` validates locally (field -> message);
    `submit` sends, returning field errors or None when done."""

    BINDINGS = bindings_for("loopform")
    KEYS = (("Enter", N_("Next field / save")),)
    DEFAULT_CSS = """
    LoopForm { align: center middle; }
    LoopForm > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 95%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    LoopForm .field-error { color: $error; height: auto; }
    LoopForm #loop-status { height: auto; }
    """

    def __init__(
        self,
        title: str,
        fields: list[tuple[str, str, str]],
        submit: Submit,
        check: Callable[[dict[str, str]], dict[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.submit = submit
        self.check = check or (lambda values: {})

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="loop-title")
            for key, label, placeholder in self.fields:
                yield Label(label)
                yield Input(id=f"loop-{key}", placeholder=placeholder)
                yield Static(classes="field-error", id=f"loop-err-{key}")
            yield Static(id="loop-status")  # saving…, or why not

    def on_mount(self) -> None:
        for key, _label, _hint in self.fields:
            self.query_one(f"#loop-err-{key}", Static).display = False
        self.set_focus(self.query_one(f"#loop-{self.fields[0][0]}", Input))

    def values(self) -> dict[str, str]:
        return {k: self.query_one(f"#loop-{k}", Input).value.strip() for k, _l, _p in self.fields}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        last = f"loop-{self.fields[-1][0]}"
        if event.input.id == last:
            self.action_submit()
        else:
            self.focus_next()

    def show_errors(self, errors: dict[str, Any]) -> None:
        keys = [k for k, _l, _p in self.fields]
        for key in keys:
            err = self.query_one(f"#loop-err-{key}", Static)
            message = errors.get(key)
            err.update(Content(f"✗ {message}") if message else "")
            err.display = bool(message)
        other = [str(m) for k, m in errors.items() if k not in keys]
        if other:
            self.query_one("#loop-status", Static).update(Content("✗ " + " ".join(other)))

    def action_submit(self) -> None:
        values = self.values()
        errors = self.check(values)
        self.show_errors(errors)
        if not errors:
            self._send(values)

    @work(exclusive=True, group="loop-form", exit_on_error=False)
    async def _send(self, values: dict[str, str]) -> None:
        status = self.query_one("#loop-status", Static)
        status.update(Content(_("saving…")))
        try:
            errors = await self.submit(values)
        except BackendUnavailable as exc:
            status.update(Content(f"✗ {exc.message}"))
            return
        except BackendError as exc:
            self.show_errors(exc.fields)
            status.update(Content(f"✗ {exc.message}"))
            return
        if errors:
            self.show_errors(errors)
            status.update(Content("✗ " + _("Not saved.")))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
