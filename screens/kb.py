"""Knowledge base (F4): search as you type, hits with their matches highlighted.

Highlights come from the server as offsets into plain text and are styled here;
no markup ever travels, so an article cannot style or script the console.

A keystroke searches at once when no search is on the way; keys typed while one is
on the way are folded into a single next search for the latest text, so the hits
follow the typing with one round trip of delay at most and never show an older query.
`#tag` in the box filters by tag (Ctrl+T takes the highlighted hit's tags in turn);
Ctrl+L cycles the hotline filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content, Span
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console import script_cache
from agent_console.client import BackendError, BackendUnavailable
from agent_console.i18n import _, ngettext
from agent_console.models import ArticleHit
from agent_console.practice.engine_io import HitOpened, QueryTyped
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for
from agent_console.screens.sms_assist import SmsAssist
from agent_console.screens.widgets.wrapped import Wrapped
from agent_console.timefmt import local

if TYPE_CHECKING:
    from agent_console.screens.language import Switch

#: Articles shown per search: a screen holds about this many two-line hits, and every
#: hit drawn costs time on each keystroke (bench kb: keystroke column).
KB_HITS = 10


def highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> Content:
    """Plain text with the given ranges styled; nothing in `text` is interpreted."""
    return Content(text, spans=[Span(s, e, "bold reverse") for s, e in spans])


def hit_prompt(hit: ArticleHit) -> Wrapped:
    head = Content(hit.title).stylize("bold")
    meta = Content(f"   [{hit.language}] {local(hit.updated_at)[:10]}  {' · '.join(hit.tags)}")
    body = highlighted(hit.snippet, hit.highlights)
    # Title line wrapped under itself (the tags do not go back to column 0), snippet indented.
    return Wrapped([(Content.assemble(head, meta), "", "    "), (body, "    ", None)])


class Wanted(NamedTuple):
    query: str
    tag: str
    hotline: str


def split_query(text: str) -> tuple[str, str]:
    """'#宽带 重启' -> ('重启', '宽带'): words starting with # are the tag filter."""
    words, tags = [], []
    for word in text.split():
        (tags if word.startswith("#") and len(word) > 1 else words).append(word)
    return " ".join(words), tags[-1][1:] if tags else ""


class KnowledgeScreen(ConsoleScreen):
    CSS_PATH = "kb.tcss"
    BINDINGS = bindings_for("kb")
    TYPING_TARGET = "#kb-query"
    SELECT_ON_HOTKEY = True
    AUTO_FOCUS = "#kb-query"

    def __init__(self) -> None:
        super().__init__()
        self._wanted = Wanted("", "", "")
        self._shown: Wanted | None = None
        self._busy = False
        self._open_when_ready = False
        self._hotline = ""
        self._hotline_codes: list[str] = []
        self._hits: list[ArticleHit] = []
        self.sms = SmsAssist()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="kb-body"):
            yield Input(
                placeholder=_("Search the knowledge base (中文 or English; #tag filters)"),
                id="kb-query",
            )
            yield Static(id="kb-status")
            options = OptionList(id="kb-hits")
            options.can_focus = False
            yield options

    def on_mount(self) -> None:
        self.want_search()
        self._load_hotlines()

    # -- searching -----------------------------------------------------------------
    @on(Input.Changed, "#kb-query")
    def _changed(self) -> None:
        self.want_search()

    @property
    def shown_query(self) -> str | None:
        """The query the hits on screen answer (None before the first): while the agent
        types on it lags the box, and may be a query a key short of it."""
        return None if self._shown is None else self._shown.query

    def want_search(self) -> None:
        query, tag = split_query(self.query_one("#kb-query", Input).value)
        self._wanted = Wanted(query, tag, self._hotline)
        if not self._busy:
            self._busy = True
            self._search()

    @work(group="kb-search", exit_on_error=False)
    async def _search(self) -> None:
        status = self.query_one("#kb-status", Static)
        client = self.console.client
        limit = KB_HITS
        try:
            while True:
                want = self._wanted
                try:
                    hits = await client.search_kb(
                        want.query, limit, tag=want.tag or None, hotline=want.hotline or None
                    )
                except (BackendUnavailable, BackendError) as exc:
                    if want == self._wanted:
                        status.update(Content(f"✗ {exc.message}"))
                        return
                    continue
                if want == self._wanted:  # else: the agent typed on; fetch the latest
                    if want.query:
                        self.console.record(QueryTyped("kb", want.query, len(want.query)))
                    self.show_hits(want, hits)
                    return
        finally:
            self._busy = False

    def show_hits(self, want: Wanted, hits: list[ArticleHit]) -> None:
        self._hits, self._shown = hits, want
        options = self.query_one("#kb-hits", OptionList)
        options.clear_options()
        options.add_options([Option(hit_prompt(h), id=str(h.id)) for h in hits])
        if hits:
            options.highlighted = 0
        self.show_status()
        if self._open_when_ready and hits:
            self._open_when_ready = False
            self.open_highlighted()

    def show_status(self, note: str = "") -> None:
        want, n = self._wanted, len(self._hits)
        parts = [note] if note else []
        if not note:
            parts.append(
                ngettext(
                    "{n} article · Enter opens · Ctrl+S sends the answer by SMS",
                    "{n} articles · Enter opens · Ctrl+S sends the answer by SMS",
                    n,
                ).format(n=n)
                if self._hits
                else _("no article found for “{q}”").format(q=want.query)
            )
        filters = [f"#{want.tag}"] if want.tag else []
        if want.hotline:
            filters.append(_("hotline {code}").format(code=want.hotline))
        if filters:
            parts.append(_("filter: {f}").format(f=" ".join(filters)))
        self.query_one("#kb-status", Static).update(Content(" · ".join(parts)))

    def relabel(self, switch: Switch) -> None:
        """The language changed: the status line is a template, drawn again."""
        super().relabel(switch)
        if self._shown is not None:
            self.show_status()

    # -- actions -------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        options = self.query_one("#kb-hits", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_clear(self) -> None:
        self.query_one("#kb-query", Input).value = ""

    def highlighted_hit(self) -> ArticleHit | None:
        options = self.query_one("#kb-hits", OptionList)
        if options.highlighted is None or not self._hits:
            return None
        return self._hits[min(options.highlighted, len(self._hits) - 1)]

    @on(Input.Submitted, "#kb-query")
    def _enter(self) -> None:
        if self._shown != self._wanted:
            self._open_when_ready = True  # Enter typed before the hits: open the first
            return
        self.open_highlighted()

    def open_highlighted(self) -> None:
        hit = self.highlighted_hit()
        if hit is None:
            return
        from agent_console.screens.article import ArticleScreen

        self.console.record(HitOpened("article", hit.slug, hit.match))
        self.app.push_screen(ArticleScreen(hit))

    @work(group="kb-hotlines", exit_on_error=False)
    async def _load_hotlines(self) -> None:
        client = self.console.client
        try:
            self._hotline_codes = sorted(h.code for h in await client.hotlines())
        except (BackendUnavailable, BackendError):
            bundle = script_cache.load(client.base_url)  # what the Scripts screen last saw
            self._hotline_codes = sorted(h.code for h in bundle.hotlines) if bundle else []

    def hotline_choices(self) -> list[str]:
        """No filter, the agent's own hotline, then the others."""
        agent = self.console.session.agent
        own = [agent.hotline] if agent and agent.hotline else []
        return ["", *dict.fromkeys([*own, *self._hotline_codes])]

    def action_cycle_hotline(self) -> None:
        choices = self.hotline_choices()
        at = choices.index(self._hotline) if self._hotline in choices else 0
        self._hotline = choices[(at + 1) % len(choices)]
        self.want_search()

    def action_cycle_tag(self) -> None:
        box = self.query_one("#kb-query", Input)
        query, tag = split_query(box.value)
        hit = self.highlighted_hit()
        tags = list(hit.tags) if hit else []
        if not tags:
            return
        following = tags[tags.index(tag) + 1 :] if tag in tags else tags
        box.value = (f"#{following[0]} " if following else "") + query
        box.cursor_position = len(box.value)

    def action_sms(self) -> None:
        hit = self.highlighted_hit()
        if hit is None:
            return
        refusal = self.sms.refusal(self.console, hit.id, hit.title, hit.short_answer)
        if refusal:
            self.show_status(refusal)
            return

        def send() -> None:
            self.show_status(_("sending SMS…"))
            self._send(hit)

        self.sms.confirm(self.console, hit.short_answer, send)

    @work(group="kb-sms", exit_on_error=False)
    async def _send(self, hit: ArticleHit) -> None:
        self.show_status(
            await self.sms.send(self.console, hit.id, hit.title, hit.short_answer, slug=hit.slug)
        )
