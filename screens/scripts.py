"""Scripts (F3): the centre's standard phrases and guided procedures, filled in for this
agent, caller and time of day, in the caller's language.

The phrases come from the seat's cache first (no network wait when a call starts),
then from the backend in the background; when the backend is down the cached ones
stay and the status line says so. Enter marks the highlighted phrase said and adds it
to the call notes; on a closing phrase the four-more checklist comes first; on a
guide it starts the guided walk.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console import script_cache, scripting
from agent_console.client import BackendError, BackendUnavailable
from agent_console.guide_walk import GuideBroken, GuideWalk
from agent_console.i18n import _, ngettext
from agent_console.models import Guide, Script
from agent_console.practice.engine_io import ScriptSaid
from agent_console.screens.base import ConsoleScreen
from agent_console.screens.keys import bindings_for
from agent_console.screens.widgets.wrapped import Wrapped
from agent_console.script_cache import ScriptBundle
from agent_console.scripting import GAP, fill, time_greeting

if TYPE_CHECKING:
    from agent_console.screens.language import Switch

__all__ = ["GAP", "ScriptsScreen", "fill", "time_greeting"]

REFRESH_AFTER = 60.0  # seconds: a resumed screen older than this refreshes in the background
RETRY_AFTER = 3.0  # seconds, while no phrases came from the backend yet


def stage_label(stage: str) -> str:
    return {
        "greeting": _("Greeting"),
        "verification": _("Verification"),
        "hold": _("Hold"),
        "transfer": _("Transfer"),
        "apology": _("Apology"),
        "closing": _("Closing"),
    }.get(stage, stage)


def language_label(language: str) -> str:
    return "中文" if language == "zh" else "English"


class ScriptsScreen(ConsoleScreen):
    CSS_PATH = "scripts.tcss"
    BINDINGS = bindings_for("scripts")
    TYPING_TARGET = "#scripts-filter"
    SELECT_ON_HOTKEY = True
    AUTO_FOCUS = "#scripts-filter"

    def __init__(self) -> None:
        super().__init__()
        self.bundle = ScriptBundle()
        self._shown: list[Script | Guide] = []
        self._override: str | None = None  # language chosen by the agent for this caller
        self._override_caller: int | None = None
        self._guides_only = False
        self._fetched_at = 0.0  # time.monotonic() of the last good refresh; 0 = never
        self._walks: dict[int, GuideWalk] = {}  # guide id -> this call's walk through it
        self._walks_call: tuple[int, int | None] | None = None
        self._failure = ""

    def compose_body(self) -> ComposeResult:
        with Vertical(id="scripts-body"):
            yield Input(placeholder=_("Filter phrases (hold, closing, 稍等…)"), id="scripts-filter")
            yield Static(id="scripts-status")
            options = OptionList(id="scripts-list")
            options.can_focus = False
            yield options

    def on_mount(self) -> None:
        cached = script_cache.load(self.console.client.base_url)
        if cached is not None:
            self.bundle = cached
        self.show_phrases()
        self.refresh_from_backend()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.show_phrases()
        if time.monotonic() - self._fetched_at > REFRESH_AFTER or not self._fetched_at:
            self.refresh_from_backend()

    # -- context -------------------------------------------------------------------
    def hotline(self) -> str:
        practising = self.console.desk.hotline
        if practising:
            return str(practising)  # a practice call's phrases are its hotline's
        configured = self.console.settings.console.hotline
        agent = self.console.session.agent
        return configured or (agent.hotline if agent else "") or self.bundle.last_hotline

    def language(self) -> str:
        call = self.console.session.call
        caller_id = call.caller.id if call.caller else None
        if caller_id != self._override_caller:
            self._override, self._override_caller = None, caller_id  # a new caller
        return scripting.call_language(call.caller, self.console.session.agent, self._override)

    def values(self, language: str) -> dict[str, str]:
        session = self.console.session
        agent, caller = session.agent, session.call.caller
        hotline = self.hotline()
        return {
            "agent_no": agent.agent_no if agent else "",
            "caller_name": caller.name if caller else "",
            "hotline": hotline,
            "centre": self.bundle.centre(hotline, language),
            "greeting": time_greeting(language, scripting.current_hour()),
        }

    # -- loading -------------------------------------------------------------------
    @work(exclusive=True, group="scripts-load", exit_on_error=False)
    async def refresh_from_backend(self) -> None:
        client = self.console.client
        try:
            scripts, guides, hotlines = await asyncio.gather(
                client.scripts(), client.guides(), client.hotlines()
            )
        except (BackendUnavailable, BackendError) as exc:
            self._failure = exc.message
            self.show_phrases()
            if isinstance(exc, BackendUnavailable) and not self._fetched_at:
                # Nothing from the backend yet (a slow or absent backend at start):
                # try again by itself rather than wait for the agent to come back here.
                self.set_timer(RETRY_AFTER, self.refresh_from_backend)
            return
        agent = self.console.session.agent
        last = (agent.hotline if agent else "") or self.bundle.last_hotline
        self.bundle = ScriptBundle(scripts, guides, hotlines, time.time(), last)
        self._fetched_at, self._failure = time.monotonic(), ""
        try:
            script_cache.save(client.base_url, self.bundle)
        except OSError as exc:
            self.notify(str(exc), title=_("Phrases not cached"), severity="warning", markup=False)
        self.show_phrases()

    # -- showing -------------------------------------------------------------------
    @on(Input.Changed, "#scripts-filter")
    def _filter_changed(self) -> None:
        self.show_phrases()

    def relabel(self, switch: Switch) -> None:
        """The language changed: stage names and the status line are templates."""
        super().relabel(switch)
        self.show_phrases()

    def show_phrases(self) -> None:
        if not self.is_mounted:
            return
        needle = self.query_one("#scripts-filter", Input).value.strip()
        language, hotline = self.language(), self.hotline()
        values = self.values(language)
        notes = self.console.session.call.notes
        hour = scripting.current_hour()
        pool = (
            self.bundle.scripts
            if needle
            else scripting.visible(self.bundle.scripts, hotline, language, hour)
        )
        if needle:  # an explicit search also finds phrases for another time of day
            pool = [s for s in pool if s.hotline == hotline and s.language == language]
        shown: list[Script | Guide] = []
        options: list[Option] = []
        if not self._guides_only:
            for s in pool:
                text = fill(s.body, values)
                if scripting.matches(text, s.title, f"{s.stage} {stage_label(s.stage)}", needle):
                    shown.append(s)
                    options.append(self._phrase_option(s, text, text in notes))
        for g in self.bundle.guides:
            if g.hotline == hotline and g.language == language:
                words = " ".join(g.keywords)
                if scripting.matches(g.title, words, _("guide"), needle):
                    shown.append(g)
                    options.append(self._guide_option(g))
        self._shown = shown
        listing = self.query_one("#scripts-list", OptionList)
        before = listing.highlighted
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = min(before or 0, len(options) - 1) if needle == "" else 0
        self._show_status(language, hotline, len(options))

    @staticmethod
    def _phrase_option(script: Script, text: str, said: bool) -> Option:
        head = Content.assemble(
            ("✓ " if said else "  ", "bold"),
            (f"[{stage_label(script.stage)}] ", "dim"),
            (script.title, "bold"),
        )
        return Option(Wrapped([(head, "", None), (text, "    ", None)]), id=f"s{script.id}")

    @staticmethod
    def _guide_option(guide: Guide) -> Option:
        head = Content.assemble(("▶ ", "bold"), (f"[{_('Guide')}] ", "dim"), (guide.title, "bold"))
        words = " · ".join(guide.keywords)
        body = Content.styled(words, "dim")
        return Option(Wrapped([(head, "", None), (body, "    ", None)]), id=f"g{guide.id}")

    def _show_status(self, language: str, hotline: str, count: int) -> None:
        call = self.console.session.call
        why = _("agent's choice") if self._override else _("caller") if call.caller else _("agent")
        parts = [f"{language_label(language)} ({why})"]
        if hotline:
            parts.append(f"{hotline} {self.bundle.centre(hotline, language)}".strip())
        parts.append(ngettext("{n} line", "{n} lines", count).format(n=count))
        saved = time.strftime("%H:%M", time.localtime(self.bundle.saved_at))
        if self._failure:
            parts.append(
                _("✗ backend unreachable: cached phrases from {t}").format(t=saved)
                if self.bundle.saved_at
                else _("✗ backend unreachable and nothing cached yet")
            )
        elif not self._fetched_at:
            parts.append(
                _("cached {t}, refreshing…").format(t=saved)
                if self.bundle.saved_at
                else _("loading…")
            )
        self.query_one("#scripts-status", Static).update(Content(" · ".join(parts)))

    # -- actions -------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        options = self.query_one("#scripts-list", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_clear(self) -> None:
        self.query_one("#scripts-filter", Input).value = ""

    def action_switch_language(self) -> None:
        self._override = "en" if self.language() == "zh" else "zh"
        self.show_phrases()

    def action_toggle_guides(self) -> None:
        self._guides_only = not self._guides_only
        self.show_phrases()

    def action_refresh(self) -> None:
        self.refresh_from_backend()

    def action_four_more(self) -> None:
        self._ask_four_more(None)

    @on(Input.Submitted, "#scripts-filter")
    def _enter(self) -> None:
        options = self.query_one("#scripts-list", OptionList)
        if options.highlighted is None or not self._shown:
            return
        item = self._shown[options.highlighted]
        if isinstance(item, Guide):
            self._open_guide(item)
        elif item.stage == "closing" and not self._four_more_done():
            self._ask_four_more(item)
        else:
            self._say(item)

    def _open_guide(self, guide: Guide) -> None:
        """Go on with this call's walk through the guide, or start one."""
        from agent_console.screens.guide import GuideScreen

        call = self.console.session.call
        if self._walks_call != (id(call), call.caller.id if call.caller else None):
            self._walks, self._walks_call = {}, (id(call), call.caller.id if call.caller else None)
        walk = self._walks.get(guide.id)
        if walk is None or walk.finished or walk.guide != guide:
            try:
                walk = self._walks[guide.id] = GuideWalk(guide)
            except GuideBroken as exc:
                self.notify(
                    str(exc), title=_("This guide is broken"), severity="error", markup=False
                )
                return
        self.app.push_screen(GuideScreen(walk, self.values))

    def _say(self, script: Script) -> None:
        said = fill(script.body, self.values(script.language))
        self.console.session.call.add_note(said)
        self.console.record(ScriptSaid(script.stage, str(script.id), said))
        self.show_phrases()

    def _four_more_done(self) -> bool:
        heads = ("四多:", "Four more:")
        return any(n.startswith(heads) for n in self.console.session.call.notes)

    def _ask_four_more(self, closing: Script | None) -> None:
        from agent_console.screens.four_more import FourMoreScreen

        language = self.language()

        def done(ticked: set[int] | None) -> None:
            if ticked is None:
                return  # cancelled: the closing phrase is not said yet
            note = scripting.four_more_note(language, ticked)
            self.console.session.call.add_note(note)
            if closing is not None:
                self._say(closing)
            else:
                self.show_phrases()

        self.app.push_screen(FourMoreScreen(language), done)
