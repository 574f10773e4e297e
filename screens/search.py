"""What lookup (F2) and directory (F6) share: a query box, hits as you type, keys.

The agent types; searches run in an exclusive worker after a short debounce. Every
keystroke bumps a sequence number and a response is shown only if it answers the
newest query, so an older, slower response never overwrites a newer one (nor
refills a box that Esc has cleared). Enter typed before the hits arrive acts on the
first hit as soon as they do. Settled queries go to a history recalled with
Ctrl+Up / Ctrl+Down.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.column_fit import Give
from agent_console.history import QueryHistory
from agent_console.i18n import _, ngettext
from agent_console.models import SearchPage
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.widgets.debounce import Debounce
from agent_console.screens.widgets.fit_input import FitInput
from agent_console.screens.widgets.fitted_table import fill_fitted
from agent_console.screens.widgets.hits_table import HitsTable

if TYPE_CHECKING:
    from collections.abc import Sequence

    from agent_console.screens.language import Switch

H = TypeVar("H")
SLOW_SEARCH_S = 0.15  # say "searching…" only when the answer takes longer than this


def match_label(kind: str) -> str:
    """How a hit matched, in words an agent reads at a glance."""
    return {
        "phone": _("phone"),
        "phone_prefix": _("number start"),
        "phone_suffix": _("last digits"),
        "account": _("account"),
        "name": _("name"),
        "initials": _("initials"),
        "compound": _("compound"),
        "address": _("address"),
        "number": _("number"),
        "number_prefix": _("number start"),
        "number_suffix": _("last digits"),
        "department": _("department"),
    }.get(kind, kind)


class SearchScreen(ConsoleScreen, Generic[H]):
    """Subclasses set PREFIX (widget ids: <prefix>-query, -status, -hits, -body),
    TYPING_TARGET, BINDINGS, and the hooks below."""

    PREFIX = "search"
    SELECT_ON_HOTKEY = True
    # An Enter typed as the console starts, before the terminal is raw, arrives as a
    # line feed (Ctrl+J). Started with a token the console opens on the lookup, so a
    # number and Enter typed at once lost the Enter: here it is the box's Enter (the
    # sign-in form does the same). Merged with the subclasses' BINDINGS.
    BINDINGS = [Binding("ctrl+j", "typed_enter", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self._seq = 0  # bumped on every keystroke; only the newest search may render
        self._shown_seq = -1
        self._act_when_ready: int | None = None
        self._recalled: str | None = None  # a value set from history, not typed
        self._hits: list[H] = []
        self._last_shown: tuple[SearchPage[H], int, str] | None = None  # for relabel()
        self._debounce = Debounce(self, lambda: self.console.settings.lookup.debounce_ms)
        self.query_history = QueryHistory()

    @property
    def shown_query(self) -> str | None:
        """The query the hits on screen answer (None before the first): while the agent
        types on it lags the box, and may be a query a key short of it."""
        return None if self._last_shown is None else self._last_shown[2]

    # -- hooks -------------------------------------------------------------------
    def placeholder(self) -> str:
        return ""

    def headers(self) -> list[str]:
        raise NotImplementedError

    async def fetch(self, query: str, limit: int) -> SearchPage[H]:
        raise NotImplementedError

    def cells(self, hit: H) -> list[Text]:
        raise NotImplementedError

    def gives(self) -> Sequence[Give]:
        """Columns that shrink (in order, with "…") so the hits fit the table's width;
        none: columns as wide as their cells, the table scrolls sideways."""
        return ()

    def activate(self, hit: H) -> None:
        """Enter on a hit."""

    def nothing_found(self, query: str) -> str:
        return _("nothing found for “{q}”").format(q=query)

    def hit_changed(self, hit: H | None) -> None:
        """The highlighted hit changed (or there is none)."""

    def compose_extra(self) -> ComposeResult:
        """Widgets between the status line and the hits."""
        yield from ()

    # -- layout --------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with Vertical(id=f"{self.PREFIX}-body", classes="search-body"):
            yield FitInput(
                placeholder=self.placeholder(), id=f"{self.PREFIX}-query", classes="search-query"
            )
            yield Static(id=f"{self.PREFIX}-status", classes="search-status")
            yield from self.compose_extra()
            table = HitsTable(id=f"{self.PREFIX}-hits", cursor_type="row", zebra_stripes=True)
            table.can_focus = False  # typing stays in the query box; arrows move the cursor
            table.add_class("search-hits")
            yield table

    def on_mount(self) -> None:
        self.query_history.size = self.console.settings.lookup.history
        table = self.hits_table()
        for i, label in enumerate(self.headers()):
            # Text, not a str: a str label is parsed as markup, which also loads rich's
            # emoji table before the first paint.
            table.add_column(Text(label), key=f"c{i}")

    def on_resize(self, event: events.Resize) -> None:
        """Another width: the columns fitted to it once the table has its new size."""
        if self.gives():
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        row = self.hits_table().cursor_row
        self._fill_table()
        self.hits_table().move_cursor(row=row)

    def hits_table(self) -> DataTable[Any]:
        return self.query_one(f"#{self.PREFIX}-hits", HitsTable)

    def query_box(self) -> Input:
        return self.query_one(f"#{self.PREFIX}-query", Input)

    def say(self, text: str) -> None:
        """One line under the box: what the search is doing or what was done. Its
        size never changes (one line, the box's width), so no layout pass of the whole
        screen on every page of hits (bench keys)."""
        self.query_one(f"#{self.PREFIX}-status", Static).update(Content(text), layout=False)

    # -- typing ------------------------------------------------------------------
    def take_typing(self, select: bool = False) -> None:
        if select:
            # F2 again: the query shown is settled; the next one replaces it.
            self.remember_query()
        super().take_typing(select)

    def remember_query(self) -> None:
        query = self.query_box().value.strip()
        if query and self._shown_seq == self._seq:
            self.query_history.add(query)

    @on(Input.Changed)
    def _query_changed(self, event: Input.Changed) -> None:
        if event.input.id != f"{self.PREFIX}-query":
            return
        self._seq += 1
        if event.value != self._recalled:
            self.query_history.reset()  # typed: the next recall starts from the newest
        self._recalled = None
        query = event.value.strip()
        if not query:
            self._debounce.cancel()
            self._act_when_ready = None
            self._show(SearchPage(()), self._seq, "")
            return
        seq = self._seq
        self._debounce.schedule(lambda: self._search(query, seq))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id != f"{self.PREFIX}-query" or not event.value.strip():
            return
        if self._shown_seq == self._seq:
            self.activate_selected()
            return
        # The hits for what was typed are not here yet: act on the first when they arrive.
        self._act_when_ready = self._seq
        self._debounce.flush()

    @work(exclusive=True, group="search", exit_on_error=False)
    async def _search(self, query: str, seq: int) -> None:
        from agent_console.practice.engine_io import QueryTyped  # not on the start-up path

        self.console.record(QueryTyped(self.PREFIX, query, len(query)))
        limit = self.console.settings.lookup.limit
        # "searching…" only when it is slow: saying it at once cost a repaint of its own
        # before the hits, about one frame on every keystroke (bench lookup).
        slow = self.set_timer(SLOW_SEARCH_S, lambda: self._say_searching(seq))
        try:
            page = await self.fetch(query, limit)
        except BackendUnavailable as exc:
            if seq == self._seq:
                self.say(f"✗ {_('backend unreachable')}: {exc.message}")
            return
        except BackendError as exc:
            if seq == self._seq and exc.retry_after is not None:
                self._search_again(query, seq, exc.retry_after)  # refused for now
            elif seq == self._seq:
                self.say(f"✗ {exc.message}")
            return
        finally:
            slow.stop()
        if seq != self._seq:
            return  # an older query answered late: never overwrite newer hits
        self._show(page, seq, query)
        if self._act_when_ready == seq and page.items:
            self._act_when_ready = None
            self.activate_selected()

    def _search_again(self, query: str, seq: int, wait: float) -> None:
        """A search refused for now (the agent's search budget, 429) runs again when the
        server says it may, unless the agent typed meanwhile: the hits catch up with the
        box by themselves, and an Enter typed meanwhile still takes the first hit."""
        self.say(
            f"✗ {_('too many searches at once')} · "
            + _("searching again in {s} s").format(s=math.ceil(wait))
        )

        def again() -> None:
            if seq == self._seq:
                self._search(query, seq)

        self.set_timer(max(wait, 0.1), again)

    def relabel(self, switch: Switch) -> None:
        """The language changed: draw the hits (match kinds) and the status line again,
        on the same row."""
        super().relabel(switch)
        if self._last_shown is not None:
            row = self.hits_table().cursor_row
            self._show(*self._last_shown)
            self.hits_table().move_cursor(row=row)

    def _show(self, page: SearchPage[H], seq: int, query: str) -> None:
        self._last_shown = (page, seq, query)
        self._hits = list(page.items)
        self._shown_seq = seq
        self._fill_table()
        self.hit_changed(self._hits[0] if self._hits else None)
        if not query:
            self.say("")
            return
        if self._hits:
            text = ngettext(
                "{n} hit · Enter takes it",
                "{n} hits · Enter takes the highlighted one",
                len(self._hits),
            ).format(n=len(self._hits))
        else:
            text = self.nothing_found(query)
        if page.partial:
            text += " · " + _("search stopped early: type more to narrow it")
        self.say(text)

    def _fill_table(self) -> None:
        """The hits into the table; with gives(), in columns fitted to its width."""
        rows = [self.cells(hit) for hit in self._hits]
        fill_fitted(self.hits_table(), self.headers(), rows, self.gives())

    def _say_searching(self, seq: int) -> None:
        if seq == self._seq and self._shown_seq != seq:
            self.say(_("searching…"))

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.hit_changed(self.selected_hit())

    # -- actions -------------------------------------------------------------------
    def selected_hit(self) -> H | None:
        if not self._hits:
            return None
        row = self.hits_table().cursor_row
        return self._hits[min(max(row, 0), len(self._hits) - 1)]

    async def action_typed_enter(self) -> None:
        box = self.query_box()
        if self.focused is box:
            await box.action_submit()

    def activate_selected(self) -> None:
        hit = self.selected_hit()
        if hit is not None:
            self.remember_query()
            self.activate(hit)

    def action_move(self, delta: int) -> None:
        table = self.hits_table()
        if table.row_count:
            row = max(0, min(table.row_count - 1, table.cursor_row + delta))
            table.move_cursor(row=row)

    def action_page(self, direction: int) -> None:
        """PageUp / PageDown: a screenful of hits (as many as the table shows)."""
        table = self.hits_table()
        visible = max(1, table.scrollable_content_region.height - 1)  # minus the header
        self.action_move(direction * visible)

    def action_clear(self) -> None:
        self.remember_query()
        self.query_box().value = ""

    def action_history(self, step: int) -> None:
        box = self.query_box()
        query = self.query_history.older(box.value) if step < 0 else self.query_history.newer()
        if query is None:
            return
        if query != box.value:
            self._recalled = query
        box.value = query
        box.cursor_position = len(query)
