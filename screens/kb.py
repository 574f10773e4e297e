"""Knowledge base (F4): search as you type, hits with their matches highlighted.

Highlights come from the server as offsets into plain text and are styled here;
no markup ever travels, so an article cannot style or script the console.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content, Span
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _
from agent_console.models import ArticleHit
from agent_console.timefmt import local
from screens.base import ConsoleScreen
from screens.keys import bindings_for
from screens.widgets.debounce import Debounce


def highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> Content:
    """Plain text with the given ranges styled; nothing in `text` is interpreted."""
    return Content(text, spans=[Span(s, e, "bold reverse") for s, e in spans])


def hit_prompt(hit: ArticleHit) -> Content:
    head = Content(hit.title).stylize("bold")
    meta = Content(f"   [{hit.language}] {local(hit.updated_at)[:10]}  {' · '.join(hit.tags)}")
    return Content.assemble(head, meta, "\n    ", highlighted(hit.snippet, hit.highlights))


class KnowledgeScreen(ConsoleScreen):
    CSS_PATH = "kb.tcss"
    BINDINGS = bindings_for("kb")
    TYPING_TARGET = "#kb-query"
    SELECT_ON_HOTKEY = True
    AUTO_FOCUS = "#kb-query"

    def __init__(self) -> None:
        super().__init__()
        self._seq = 0
        self._debounce = Debounce(self, lambda: self.app.settings.lookup.debounce_ms)  # type: ignore[attr-defined]
        self._hits: list[ArticleHit] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="kb-body"):
            yield Input(placeholder=_("Search the knowledge base (中文 or English)"), id="kb-query")
            yield Static(id="kb-status")
            options = OptionList(id="kb-hits")
            options.can_focus = False
            yield options

    def on_mount(self) -> None:
        self._search("", self._seq)

    @on(Input.Changed, "#kb-query")
    def _changed(self, event: Input.Changed) -> None:
        self._seq += 1
        seq, query = self._seq, event.value.strip()
        self._debounce.schedule(lambda: self._search(query, seq))

    @work(exclusive=True, group="kb-search", exit_on_error=False)
    async def _search(self, query: str, seq: int) -> None:
        status = self.query_one("#kb-status", Static)
        try:
            hits = await self.app.client.search_kb(query)  # type: ignore[attr-defined]
        except (BackendUnavailable, BackendError) as exc:
            if seq == self._seq:
                status.update(Content(f"✗ {exc.message}"))
            return
        if seq != self._seq:
            return
        self._hits = hits
        options = self.query_one("#kb-hits", OptionList)
        options.clear_options()
        options.add_options([Option(hit_prompt(h), id=str(h.id)) for h in hits])
        if hits:
            options.highlighted = 0
        status.update(
            Content(
                _("{n} articles · Enter opens").format(n=len(hits))
                if hits
                else _("no article found for “{q}”").format(q=query)
            )
        )

    def action_move(self, delta: int) -> None:
        options = self.query_one("#kb-hits", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_clear(self) -> None:
        self.query_one("#kb-query", Input).value = ""

    @on(Input.Submitted, "#kb-query")
    def _open(self) -> None:
        options = self.query_one("#kb-hits", OptionList)
        if options.highlighted is None or not self._hits:
            return
        from screens.article import ArticleScreen

        self.app.push_screen(ArticleScreen(self._hits[options.highlighted]))
