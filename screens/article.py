"""One knowledge-base article, rendered from Markdown, with when and by whom it changed.

Links in an article are never followed by the console (open_links=False).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import ArticleHit
from agent_console.timefmt import local
from screens.base import ConsoleScreen
from screens.keys import bindings_for


class ArticleScreen(ConsoleScreen):
    CSS_PATH = "article.tcss"
    BINDINGS = bindings_for("article")

    def __init__(self, hit: ArticleHit) -> None:
        super().__init__()
        self.hit = hit

    def compose_body(self) -> ComposeResult:
        yield Static(Content(self.hit.title), id="article-title")
        yield Static(id="article-meta")
        with VerticalScroll(id="article-scroll"):
            yield Static(Content(self.hit.short_answer), id="article-answer")
            yield Markdown("", id="article-body", open_links=False)

    def on_mount(self) -> None:
        self._load()

    @work(exclusive=True, group="article-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            article = await self.app.client.get_article(self.hit.id)  # type: ignore[attr-defined]
        except (BackendUnavailable, BackendError) as exc:
            self.query_one("#article-meta", Static).update(Content(f"✗ {exc.message}"))
            return
        self.query_one("#article-meta", Static).update(
            Content(
                _("Updated {when} by {who}").format(
                    when=local(article.updated_at), who=article.updated_by or "?"
                )
                + ("   " + " · ".join(article.tags) if article.tags else "")
            )
        )
        await self.query_one("#article-body", Markdown).update(article.body)

    def action_back(self) -> None:
        self.dismiss()
