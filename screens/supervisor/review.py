"""One review: the ticket (summary, category, station, satisfaction; no caller data),
a score per scorecard item, the comment, and the practice assigned from weak items
with its result.

A supervisor scores the highlighted item with 0, 1 or 2 (the cursor then moves on),
writes the comment (Tab), saves (Ctrl+S), and from a weak item assigns a practice
scenario that trains it (Ctrl+T). An agent sees the same review, read only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from agent_console import i18n
from agent_console.client import BackendError, BackendUnavailable
from agent_console.column_fit import Give, fit_widths, natural_widths
from agent_console.i18n import _
from agent_console.screens.keys import bindings_for, key_display
from agent_console.screens.supervisor.reviews import cut
from agent_console.screens.supervisor.role_scoped import RoleScopedScreen
from agent_console.supervision.review_form import (
    COMMENT_MAX,
    ReviewForm,
    coaching_for_item,
    result_text,
    satisfaction_text,
    score_cell,
    status_label,
    title_in,
)

if TYPE_CHECKING:
    from agent_console.models.quality import Coaching, Review, ScorecardItem
    from agent_console.practice.scenario import Bilingual
    from agent_console.screens.language import Switch

SCORE_KEYS = {"0": 0, "1": 1, "2": 2}


class ReviewScreen(RoleScopedScreen):
    KEY_SCOPE = "review"
    CSS_PATH = "reviews.tcss"
    BINDINGS = bindings_for("review")
    TYPING_TARGET = "#review-items"

    def __init__(self, review: Review, scorecard: list[ScorecardItem]) -> None:
        super().__init__()
        self.review = review
        self.form = ReviewForm.of(review, scorecard)
        self.leaving = False  # Esc once with changes not saved: a second Esc leaves
        self.titles: dict[str, Bilingual] | None = None  # scenario id -> its titles

    # -- drawing -------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield Static(id="review-head")
        yield Static(id="review-ticket")
        yield DataTable(id="review-items", cursor_type="row")
        if self.supervising:
            box = Input(
                self.form.comment,
                placeholder=_("Comment for the agent (Tab)"),
                max_length=COMMENT_MAX,
                id="review-comment",
            )
            yield box
        else:
            yield Static(id="review-comment-text")
        yield Static(id="review-status")

    def on_mount(self) -> None:
        self.draw()
        self.say(self.hint())

    def draw(self) -> None:
        r, t = self.review, self.review.ticket
        scored = (
            _("scored by {who} on {day}").format(who=r.reviewer_no, day=r.scored_at[:10])
            if r.status == "scored"
            else status_label(r.status)
        )
        head = _("Review {id} · {agent} · {state}").format(
            id=r.id, agent=f"{r.agent_no} {r.name}".strip(), state=scored
        )
        self.query_one("#review-head", Static).update(Content(head))
        facts = _("Ticket {id} · {category} · station {station} · satisfaction {sat}").format(
            id=r.ticket_id,
            category=t.category_label(i18n.language()) or "–",
            station=t.station or "–",
            sat=satisfaction_text(t.satisfaction),
        )
        ticket = Content.assemble((facts, "bold"), "\n", Content(t.summary or _("(no summary)")))
        self.query_one("#review-ticket", Static).update(ticket)
        self.draw_items()
        if not self.supervising:
            comment = r.comment or _("(no comment)")
            text = Content.assemble((_("Comment: "), "bold"), Content(comment))
            self.query_one("#review-comment-text", Static).update(text)

    def draw_items(self) -> None:
        """The scorecard with the scores and the practice per item, in columns fitted to
        the table's width (a long scenario title ends in "…", never off the edge)."""
        table = self.query_one("#review-items", DataTable)
        at = table.cursor_row
        language = i18n.language()
        headers = [_("Item"), _("Score"), _("Coaching")]
        rows: list[list[str]] = []
        for item in self.form.items:
            score = self.form.scores.get(item.id)
            mark = " ▼" if self.form.is_weak(item.id) else ""
            practice = "; ".join(self.practice_line(c) for c in self.coaching(item.id))
            rows.append([item.label(language), score_cell(score, item.max) + mark, practice])
        widths = natural_widths(headers, rows)
        room = table.content_region.width - table.styles.scrollbar_size_vertical
        if room > 0:
            gives = [Give(2, 12), Give(0, 8)]
            widths = fit_widths(widths, room, gives, padding=2 * table.cell_padding)
        table.clear(columns=True)
        for key, label, width in zip(("item", "score", "practice"), headers, widths, strict=True):
            table.add_column(cut(label), width=width, key=key)
        for item, row in zip(self.form.items, rows, strict=True):
            table.add_row(*(cut(c) for c in row), key=item.id)
        if self.form.items:
            table.move_cursor(row=min(max(at, 0), len(self.form.items) - 1))

    def on_resize(self) -> None:
        self.call_after_refresh(self.draw_items)

    def coaching(self, item_id: str) -> list[Coaching]:
        return coaching_for_item(self.review, item_id)

    def practice_line(self, c: Coaching) -> str:
        return f"{result_text(c)} · {self.scenario_title(c)}"

    def scenario_title(self, c: Coaching) -> str:
        """The scenario's title in the UI's language from this console's own scenarios
        (the backend names it in English), else the backend's title marked as English
        in Chinese, else its id."""
        if self.titles is None:
            from agent_console.problems import ConfigError

            try:
                scenarios = self.console.desk.scenarios()
            except ConfigError:  # a broken scenario folder must not hide the review
                scenarios = []
            self.titles = {s.id: s.title for s in scenarios}
        title = self.titles.get(c.scenario_id)
        if title is not None:
            return title_in(i18n.language(), title.zh, title.en, c.scenario_id)
        # Not among this console's scenarios: the backend's title is English.
        return title_in(i18n.language(), "", c.scenario_title, c.scenario_id)

    def hint(self) -> str:
        if not self.supervising:
            if any(c.result is None for c in self.review.coaching):
                return _("Practice assigned to you comes first in the practice menu.")
            return ""
        keys = self.console.settings.keys
        return _("0/1/2 scores the item · Tab: comment · {save} saves · {assign}: practice").format(
            save=key_display(keys.get("review.save", "")),
            assign=key_display(keys.get("review.assign", "")),
        )

    def say(self, text: str) -> None:
        self.query_one("#review-status", Static).update(Content(text))

    def relabel(self, switch: Switch) -> None:
        super().relabel(switch)
        self.draw()
        self.say(self.hint())

    # -- scoring ---------------------------------------------------------------------
    def current_item(self) -> ScorecardItem | None:
        table = self.query_one("#review-items", DataTable)
        items = self.form.items
        return items[table.cursor_row] if 0 <= table.cursor_row < len(items) else None

    def on_key(self, event: events.Key) -> None:
        """0, 1, 2 on the items: the highlighted item's score, then the next item."""
        if not self.supervising or event.character not in SCORE_KEYS:
            return
        table = self.query_one("#review-items", DataTable)
        item = self.current_item()
        if self.focused is not table or item is None:
            return
        event.stop()
        event.prevent_default()
        if self.form.set_score(item.id, SCORE_KEYS[event.character or ""]):
            self.leaving = False
            row = table.cursor_row
            self.draw_items()
            table.move_cursor(row=min(row + 1, len(self.form.items) - 1))
            total, top = self.form.total()
            self.say(_("{total}/{top} so far; not saved yet.").format(total=total, top=top))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.form.comment = event.value
        self.leaving = False

    def action_save(self) -> None:
        problem = self.form.problem()
        if problem:
            self.say("✗ " + problem)
            return
        self._save()

    @work(exclusive=True, group="review-save", exit_on_error=False)
    async def _save(self) -> None:
        self.say(_("Saving…"))
        body = self.form.body()
        try:
            review = await self.console.client.score_review(
                self.review.id, dict(self.form.scores), str(body["comment"])
            )
        except (BackendUnavailable, BackendError) as exc:
            self.say("✗ " + _("Not saved: {why}").format(why=exc.message))
            return
        self.review = review
        self.form.saved(review)
        self.draw()
        total, top = self.form.total()
        self.say(_("Saved: {total}/{top}.").format(total=total, top=top))

    # -- coaching --------------------------------------------------------------------
    def action_assign(self) -> None:
        from agent_console.screens.supervisor.review_dialogs import AssignScreen

        item = self.current_item()
        if item is None:
            return
        saved = self.form.saved_scores.get(item.id)
        if saved is None or saved >= item.max or self.form.dirty:
            self.say(
                "✗ " + _("Practice is assigned from a weak item of a saved review: score, save.")
            )
            return

        def assigned(coaching: Coaching | None) -> None:
            if coaching is not None:
                self.say(_("Assigned: {title}.").format(title=self.scenario_title(coaching)))
                self.reload()

        label = item.label(i18n.language())
        self.app.push_screen(AssignScreen(self.review.id, item.id, label), assigned)

    @work(exclusive=True, group="review-reload", exit_on_error=False)
    async def reload(self) -> None:
        """The review again from the backend (practice assigned or run meanwhile)."""
        try:
            self.review = await self.console.client.review(self.review.id)
        except (BackendUnavailable, BackendError) as exc:
            self.say("✗ " + exc.message)
            return
        self.draw()

    # -- leaving -------------------------------------------------------------------
    def action_back(self) -> None:
        if self.form.dirty and not self.leaving:
            self.leaving = True
            key = self.key_of("review.back")
            self.say(_("Not saved: {key} again leaves without saving.").format(key=key))
            return
        self.dismiss()
