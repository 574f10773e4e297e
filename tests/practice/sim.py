"""A stand-in for the console in practice mode: it presses a scenario's fastest path
against the real demo backend and emits the events the console will emit.

Searches, scripts, categories and articles come from the real server over HTTP, so
a path that types a query the backend does not answer as the scenario expects fails
here. What the screens of issues 3-5 will do is modelled as they are specified: a
hotkey opens its screen with its query selected (typing replaces it); Enter opens
the highlighted hit or says the highlighted script; the ticket form's fields are
summary, category (type to filter, Enter picks), source, with the priority from the
category and the station suggested from the caller.
"""

from __future__ import annotations

from typing import Any

import httpx

from agent_console.practice import (
    CallEnded,
    Engine,
    HitOpened,
    Keystroke,
    NoteAdded,
    QueryTyped,
    ScreenOpened,
    ScriptSaid,
    SmsSent,
    TicketSaved,
)
from agent_console.practice.scenario import PathStep, Scenario
from tests.practice.helpers import FakeClock

SECONDS_PER_KEY = 0.3
_STAGES = ("greeting", "verification", "hold", "transfer", "apology", "closing")
_SEARCH = {"lookup": "/callers", "directory": "/directory", "kb": "/kb/search"}
_OPENS = {"lookup": "card", "directory": "listing", "kb": "article"}


def _flatten(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in nodes:
        out.append(node)
        out += _flatten(node.get("children") or [])
    return out


class SimulatedConsole:
    def __init__(
        self, api: httpx.Client, scenario: Scenario, engine: Engine, clock: FakeClock
    ) -> None:
        self.api, self.scenario, self.engine, self.clock = api, scenario, engine, clock
        self.screen = ""
        self.typed = ""
        self.hits: list[dict[str, Any]] = []
        self.cursor = 0
        self.caller: dict[str, Any] | None = None
        self.listing: dict[str, Any] | None = None
        self.article: dict[str, Any] | None = None
        self.fields: list[str] = []
        self.category: dict[str, Any] | None = None
        scripts = api.get("/scripts", params={"hotline": scenario.hotline}).json()["items"]
        self.scripts = scripts
        self.categories = _flatten(api.get("/ticket-categories").json()["items"])

    # -- keys ------------------------------------------------------------------------
    def _press(self, key: str) -> None:
        self.clock.now += SECONDS_PER_KEY
        self.engine.feed(Keystroke(key))

    def play(self, path: tuple[PathStep, ...]) -> None:
        self.engine.start()
        for step in path:
            if step.kind in ("type", "ime"):
                for ch in step.value:
                    self._press(ch)
                self._type(step.text if step.kind == "ime" else step.value)
            else:
                self._press(step.value)
                if step.kind == "key":
                    self._key(step.value)
                else:
                    self._action(step.value)
        self.engine.feed(CallEnded())

    # -- what the screens do ---------------------------------------------------------
    def _action(self, action: str) -> None:
        if action.startswith("screen."):
            self.screen = action.split(".", 1)[1]
            self.typed, self.hits, self.cursor = "", [], 0
            if self.screen == "ticket":
                self.fields, self.category = [""], None
            if self.screen == "scripts":
                self._filter_scripts()
            self.engine.feed(ScreenOpened(self.screen))
        elif action == "call.note":
            self.screen, self.typed = "note", ""
        elif action == "directory.sms":
            assert self.listing is not None, "directory.sms with no listing open"
            number = self.listing["number"]
            self.engine.feed(SmsSent("directory", number, f"{self.listing['name']} {number}"))
        elif action == "article.sms":
            assert self.article is not None, "article.sms with no article open"
            text = self.article["short_answer"]
            self.engine.feed(SmsSent("kb", self.article["slug"], text))
        elif action == "card.sms":
            assert self.caller is not None, "card.sms with no caller open"
            account = self.caller["account_no"]
            self.engine.feed(SmsSent("account", account, f"交费编号 {account}"))
        elif action == "ticket.save":
            self._save_ticket()
        else:  # pragma: no cover - a path naming an action this model does not know
            raise AssertionError(f"the simulated console cannot do {action}")

    def _type(self, text: str) -> None:
        if self.screen == "ticket":
            self.fields[-1] += text
            return
        self.typed += text
        if self.screen in _SEARCH:
            params = {"q": self.typed, "limit": 20}
            self.hits = self.api.get(_SEARCH[self.screen], params=params).json()["items"]
            self.cursor = 0
            self.engine.feed(QueryTyped(self.screen, self.typed, len(self.typed)))
        elif self.screen == "scripts":
            self._filter_scripts()

    def _filter_scripts(self) -> None:
        needle = self.typed.strip().lower()
        shown = [
            s
            for s in self.scripts
            if not needle
            or needle in s["title"].lower()
            or needle in s["body"].lower()
            or needle in s["stage"]
        ]
        shown.sort(key=lambda s: (s["language"] != "zh", _STAGES.index(s["stage"])))
        self.hits, self.cursor = shown, 0

    def _key(self, key: str) -> None:
        if key == "down":
            self.cursor += 1
        elif key == "escape":
            self.typed, self.hits, self.cursor = "", [], 0
        elif key == "tab" and self.screen == "ticket":
            self.fields.append("")
        elif key == "enter":
            self._enter()

    def _enter(self) -> None:
        if self.screen == "note":
            self.engine.feed(NoteAdded(self.typed))
            self.screen, self.typed = "", ""
        elif self.screen == "scripts":
            script = self.hits[self.cursor]
            self.engine.feed(ScriptSaid(script["stage"], str(script["id"]), script["body"]))
        elif self.screen == "ticket" and len(self.fields) == 2:
            self.category = self._pick_category(self.fields[1])
        elif self.screen in _SEARCH and self.hits:
            hit = self.hits[self.cursor]
            kind = _OPENS[self.screen]
            if kind == "card":
                self.caller = hit
                self.engine.feed(HitOpened("caller", hit["account_no"], hit["match"]))
            elif kind == "listing":
                self.listing = hit
                self.engine.feed(HitOpened("listing", hit["number"], hit["match"]))
            else:
                self.article = hit
                self.engine.feed(HitOpened("article", hit["slug"], hit["match"]))
                kind = "article"
            if kind in ("card", "article"):
                self.engine.feed(ScreenOpened(kind))
            self.typed = ""

    def _pick_category(self, needle: str) -> dict[str, Any]:
        needle = needle.lower()
        matches = [
            c for c in self.categories if needle in c["id"] or needle in c["name_en"].lower()
        ]
        leaves = [c for c in matches if not c.get("children")]
        assert leaves, f"no ticket category for {needle!r}"
        return leaves[0]

    def _save_ticket(self) -> None:
        assert self.category is not None, "ticket.save before a category was picked"
        source = self.fields[2] if len(self.fields) > 2 and self.fields[2] else "hotline"
        station = (self.caller or {}).get("station") or ""
        self.engine.feed(
            TicketSaved(
                self.category["id"],
                station,
                self.category["priority_default"],
                source,
                self.fields[0],
            )
        )
