"""One knowledge-base article, rendered from Markdown, with when and by whom it changed.

Ctrl+S sends the article's short answer by SMS to the caller on the line; Ctrl+F flags
it as outdated or wrong for the editors. Links in an article are never followed by
the console (open_links=False), and its text is never read as console markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _, ngettext
from agent_console.models import Article, ArticleHit, KbFlag
from agent_console.practice.engine_io import ScreenOpened
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for
from agent_console.screens.sms_assist import SmsAssist
from agent_console.timefmt import local

if TYPE_CHECKING:
    from agent_console.screens.language import Switch


class ArticleScreen(ConsoleScreen):
    CSS_PATH = "article.tcss"
    BINDINGS = bindings_for("article")

    def __init__(self, hit: ArticleHit) -> None:
        super().__init__()
        self.hit = hit
        self.article: Article | None = None
        self.sms = SmsAssist()

    def compose_body(self) -> ComposeResult:
        yield Static(Content(self.hit.title), id="article-title")
        yield Static(id="article-meta")
        yield Static(id="article-status")
        with VerticalScroll(id="article-scroll"):
            yield Static(Content(self.hit.short_answer), id="article-answer")
            yield Markdown("", id="article-body", open_links=False)

    def on_mount(self) -> None:
        self.console.record(ScreenOpened("article"))
        self.query_one("#article-status", Static).display = False
        self._load()

    @work(exclusive=True, group="article-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            article = await self.console.client.get_article(self.hit.id)
        except (BackendUnavailable, BackendError) as exc:
            self.query_one("#article-meta", Static).update(Content(f"✗ {exc.message}"))
            return
        self.article = article
        self.show_meta()
        self.query_one("#article-answer", Static).update(Content(article.short_answer))
        await self.query_one("#article-body", Markdown).update(article.body)

    def relabel(self, switch: Switch) -> None:
        """The language changed: the meta line is a template."""
        super().relabel(switch)
        self.show_meta()

    def show_meta(self) -> None:
        article = self.article
        if article is None:
            return
        line = _("Updated {when} by {who}").format(
            when=local(article.updated_at), who=article.updated_by or "?"
        )
        if article.tags:
            line += "   " + " · ".join(article.tags)
        if article.open_flags:
            line += "   ⚑ " + ngettext(
                "{n} open flag", "{n} open flags", article.open_flags
            ).format(n=article.open_flags)
        self.query_one("#article-meta", Static).update(Content(line))

    def show_status(self, text: str) -> None:
        status = self.query_one("#article-status", Static)
        status.update(Content(text))
        status.display = bool(text)

    def short_answer(self) -> str:
        return self.article.short_answer if self.article else self.hit.short_answer

    def action_back(self) -> None:
        self.dismiss()

    def action_sms(self) -> None:
        refusal = self.sms.refusal(self.console, self.hit.id, self.hit.title, self.short_answer())
        if refusal:
            self.show_status(refusal)
            return

        def send() -> None:
            self.show_status(_("sending SMS…"))
            self._send()

        self.sms.confirm(self.console, self.short_answer(), send)

    @work(group="article-sms", exit_on_error=False)
    async def _send(self) -> None:
        self.show_status(
            await self.sms.send(
                self.console, self.hit.id, self.hit.title, self.short_answer(), slug=self.hit.slug
            )
        )

    def action_flag(self) -> None:
        from agent_console.screens.flag import FlagScreen

        def flagged(flag: KbFlag | None) -> None:
            if flag is None:
                return
            self.show_status("⚑ " + _("Flag sent to the editors (no. {id}).").format(id=flag.id))
            if self.article is not None:
                from dataclasses import replace

                self.article = replace(self.article, open_flags=self.article.open_flags + 1)
                self.show_meta()

        self.app.push_screen(FlagScreen(self.hit.id, self.hit.title), flagged)
