"""SMS assist (短信协同) for an article: send its short answer to the caller on the line.

Shared by the knowledge-base hits and the article view. Nothing is sent before the
agent has seen the recipient (name, masked number) and the text and confirmed with a
key (screens/confirm.py). A second SMS of the same article to the same caller in one
call needs the key pressed twice (a double press by mistake should not text a
customer twice).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.practice.engine_io import SmsSent

if TYPE_CHECKING:
    from agent_console.app import AgentConsole

CONFIRM_WINDOW = 5.0  # seconds in which a second press confirms a repeat


class SmsAssist:
    def __init__(self) -> None:
        self._armed: tuple[int, int] | None = None
        self._armed_at = 0.0

    @staticmethod
    def sent_note(title: str) -> str:
        return _("SMS sent: {title}").format(title=title)

    def refusal(
        self, app: AgentConsole, article_id: int, title: str, short_answer: str
    ) -> str | None:
        """Why not to send now (shown to the agent), or None to go ahead."""
        call = app.session.call
        if call.caller is None:
            return _("No caller on the line: find the caller first (F2), then send.")
        if not short_answer.strip():
            return _("This article has no short answer to send.")
        key = (call.caller.id, article_id)
        if self.sent_note(title) in call.notes:
            now = time.monotonic()
            if self._armed == key and now - self._armed_at < CONFIRM_WINDOW:
                self._armed = None
                return None
            self._armed, self._armed_at = key, now
            return _("Already sent to this caller; press again to send it once more.")
        return None

    @staticmethod
    def confirm(app: AgentConsole, short_answer: str, then: Callable[[], None]) -> None:
        """Show the recipient and the text; `then` runs only on the confirming key."""
        from agent_console.screens.confirm import ConfirmScreen

        caller = app.session.call.caller
        assert caller is not None, "refusal() checked there is a caller"
        to = Content.assemble(
            (_("To:") + " ", "bold"), caller.name or _("(no name)"), "  ", caller.phone
        )

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        question = ConfirmScreen(
            _("Send this SMS?"), [to], short_answer, yes=_("send"), no=_("cancel")
        )
        app.push_screen(question, answered)

    async def send(
        self, app: AgentConsole, article_id: int, title: str, short_answer: str, slug: str = ""
    ) -> str:
        """Send and return the status line to show (success or why it failed)."""
        session = app.session
        caller = session.call.caller
        assert caller is not None, "refusal() checked there is a caller"
        try:
            sms = await app.client.send_sms(
                short_answer,
                caller_id=caller.id,
                kind="kb",
                ref=str(article_id),
                practice=session.practice,
            )
        except BackendUnavailable as exc:
            return "✗ " + _("SMS not sent: backend unreachable ({why})").format(why=exc.message)
        except BackendError as exc:
            return "✗ " + _("SMS not sent: {why}").format(why=exc.message)
        session.call.add_note(self.sent_note(title))
        app.record(SmsSent("kb", slug, short_answer))
        return "✓ " + _("SMS to {to}: {status}").format(to=sms.to, status=sms.status)
