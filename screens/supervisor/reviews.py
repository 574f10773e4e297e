"""Reviews (Ctrl+F7): for a supervisor every agent's sampled tickets, open and scored,
with a key to draw this week's sample; for an agent their own reviews. Enter opens one
(screens/supervisor/review.py): its ticket, its scores, the comment, and the practice
assigned from a weak item with its result beside it.

The words and figures come from agent_console/supervision/review_form.py; backend text
(names, summaries) is drawn as text, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from agent_console import i18n
from agent_console.client import BackendError, BackendUnavailable
from agent_console.column_fit import Give, fit_widths, natural_widths
from agent_console.i18n import _, ngettext
from agent_console.screens.keys import bindings_for
from agent_console.screens.supervisor.role_scoped import RoleScopedScreen
from agent_console.supervision.review_form import (
    coaching_summary,
    review_total,
    status_label,
)

if TYPE_CHECKING:
    from agent_console.models.quality import Review, ScorecardItem
    from agent_console.screens.language import Switch
    from agent_console.supervision.review_form import SampleRequest

FILTERS = ("", "open", "scored")


def cut(text: str) -> Text:
    """A cell that, wider than its column, ends in "…" rather than stopping short."""
    cell = Text(text, no_wrap=True, overflow="ellipsis")
    return cell


def join(first: str, then: str) -> str:
    """Two sentences: a space after an English full stop, none after a Chinese one."""
    return first + then if first.endswith("。") else f"{first} {then}"


class ReviewsScreen(RoleScopedScreen):
    KEY_SCOPE = "reviews"
    CSS_PATH = "reviews.tcss"
    BINDINGS = bindings_for("reviews")
    TYPING_TARGET = "#reviews-table"

    def __init__(self) -> None:
        super().__init__()
        self.reviews: list[Review] = []
        self.scorecard: list[ScorecardItem] = []
        self.filter = ""
        self.error = ""
        self.loaded = False

    # -- drawing -------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield Static(id="reviews-summary")
        yield DataTable(id="reviews-table", cursor_type="row")

    def on_mount(self) -> None:
        # Practice assigned or run meanwhile (the backend's events): drawn again at once,
        # the list here or the review on top of it; nothing polls.
        stream = self.console.event_stream
        for kind in ("coaching_assigned", "coaching_result"):
            stream.on(kind, self._coaching_changed)

    def _coaching_changed(self, data: dict[str, Any]) -> None:
        from agent_console.screens.supervisor.review import ReviewScreen

        top = self.app.screen
        if self.is_current:
            self.action_reload()
        elif isinstance(top, ReviewScreen) and top.review.id == data.get("review_id"):
            top.reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.action_reload()

    def on_resize(self) -> None:
        if self.loaded:
            self.call_after_refresh(self.show)

    def headers(self) -> list[str]:
        mine = [_("Closed"), _("Category"), _("Summary"), _("Status"), _("Score"), _("Coaching")]
        return [_("Agent"), *mine] if self.supervising else mine

    def cells(self, review: Review) -> list[str]:
        t = review.ticket
        row = [
            t.closed_at[:10],
            t.category_label(i18n.language()),
            t.summary,
            status_label(review.status),
            review_total(review, self.scorecard),
            coaching_summary(review.coaching),
        ]
        return [f"{review.agent_no} {review.name}".strip(), *row] if self.supervising else row

    def show(self) -> None:
        """The reviews into the table, in columns fitted to its width; the cursor stays
        on its review across reloads."""
        table = self.query_one("#reviews-table", DataTable)
        at = table.cursor_row
        was = table.ordered_rows[at].key.value if 0 <= at < table.row_count else None
        headers = self.headers()
        rows = [self.cells(r) for r in self.reviews]
        first = 1 if self.supervising else 0  # the agent's column comes first
        # The summary gives way first, then the category, then the agent's name.
        gives = [Give(first + 2, 12), Give(first + 1, 8)]
        gives += [Give(0, 8)] if self.supervising else []
        room = table.content_region.width - table.styles.scrollbar_size_vertical
        widths = natural_widths(headers, rows)
        if room > 0:
            widths = fit_widths(widths, room, gives, padding=2 * table.cell_padding)
        table.clear(columns=True)
        for i, (label, width) in enumerate(zip(headers, widths, strict=True)):
            table.add_column(cut(label), width=width, key=f"c{i}")
        for review, row in zip(self.reviews, rows, strict=True):
            table.add_row(*(cut(c) for c in row), key=str(review.id))
        keys = [str(r.id) for r in self.reviews]
        if keys:
            row = keys.index(was) if was in keys else min(max(at, 0), len(keys) - 1)
            table.move_cursor(row=row)
        self.say(self.error or self.summary())

    def summary(self) -> str:
        open_n = sum(1 for r in self.reviews if r.status == "open")
        scored = sum(1 for r in self.reviews if r.status == "scored")
        shown = {
            "": _("all"),
            "open": _("open only"),
            "scored": _("scored only"),
        }[self.filter]
        head = _("{open} open, {scored} scored ({shown}).").format(
            open=open_n, scored=scored, shown=shown
        )
        if not self.reviews:
            if self.supervising:
                key = self.key_of("reviews.sample")
                return join(head, _("{key} draws a sample of closed tickets.").format(key=key))
            return join(head, _("No reviews of your calls yet."))
        n = len(self.reviews)
        return join(head, ngettext("Enter opens the review.", "Enter opens a review.", n))

    def say(self, text: str) -> None:
        self.query_one("#reviews-summary", Static).update(Content(text))

    def relabel(self, switch: Switch) -> None:
        """The language changed: headers, statuses and the summary are drawn again."""
        super().relabel(switch)
        self.show()

    # -- loading -------------------------------------------------------------------
    def action_reload(self) -> None:
        self._load()

    @work(exclusive=True, group="reviews", exit_on_error=False)
    async def _load(self) -> None:
        client = self.console.client
        try:
            if not self.scorecard:
                self.scorecard = await client.scorecard()
            self.reviews = await client.reviews(status=self.filter or None)
        except (BackendUnavailable, BackendError) as exc:
            self.error = "✗ " + _("Reviews not loaded: {why}").format(why=exc.message)
        else:
            self.error = ""
        self.loaded = True
        self.show()

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.action_reload()

    # -- a sample --------------------------------------------------------------------
    def action_sample(self) -> None:
        from agent_console.screens.supervisor.review_dialogs import SampleScreen

        def drawn(request: SampleRequest | None) -> None:
            if request is not None:
                self._draw(request)

        self.app.push_screen(SampleScreen(), drawn)

    @work(exclusive=True, group="reviews-sample", exit_on_error=False)
    async def _draw(self, request: SampleRequest) -> None:
        self.say(_("Drawing a sample…"))
        try:
            drawn = await self.console.client.draw_review_sample(
                request.per_agent, request.date_from, request.date_to
            )
        except (BackendUnavailable, BackendError) as exc:
            self.say("✗ " + _("No sample drawn: {why}").format(why=exc.message))
            return
        self.console.tell(
            ngettext(
                "{n} ticket drawn for review.", "{n} tickets drawn for review.", len(drawn)
            ).format(n=len(drawn)),
            title=_("Reviews"),
        )
        self.action_reload()

    # -- one review ------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row (the table's own Enter binding)
        self.action_open()

    def action_open(self) -> None:
        from agent_console.screens.supervisor.review import ReviewScreen

        table = self.query_one("#reviews-table", DataTable)
        if not self.reviews or not 0 <= table.cursor_row < len(self.reviews):
            return
        review = self.reviews[table.cursor_row]
        self.app.push_screen(ReviewScreen(review, self.scorecard))
