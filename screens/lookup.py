"""Caller lookup (F2): type, see hits as you type, Enter opens the first one.

A 114 operator answers a query every 8-10 seconds, so this screen never waits on
the network while the agent types (see screens/search.py). Each hit says how it
matched: by the full number, its start or last digits, the account number, the
name, its pinyin initials, the compound or the address.
"""

from __future__ import annotations

import re

from rich.text import Text

from agent_console.column_fit import Give
from agent_console.i18n import _
from agent_console.models import Caller, SearchPage
from agent_console.screens.keys import bindings_for
from agent_console.screens.search import SearchScreen, match_label

_NUMBERISH = re.compile(r"[\d\s\-+()]{3,}")


def served_label(served: bool | None) -> str:
    if served is None:
        return "?"
    return "✓" if served else _("✗ not served")


#: Its stylesheets; the App reads them with its own (parsed once, before the first paint).
SHEETS = ("search.tcss", "lookup.tcss")


class LookupScreen(SearchScreen[Caller]):
    CSS_PATH = list(SHEETS)
    BINDINGS = bindings_for("lookup")
    PREFIX = "lookup"
    TYPING_TARGET = "#lookup-query"
    AUTO_FOCUS = "#lookup-query"

    def placeholder(self) -> str:
        return _("Phone, last 4 digits, account no., name, initials, address")

    def headers(self) -> list[str]:
        return [
            _("Match"),
            _("Name"),
            _("Phone"),
            _("Account"),
            _("Served"),
            _("Compound / address"),
        ]

    def gives(self) -> list[Give]:
        # The compound and address first (the card shows them whole), then the match
        # kind; the phone and account, read back to the caller, never.
        return [Give(5, 18), Give(4, 6), Give(0, 5), Give(5, 10)]

    async def fetch(self, query: str, limit: int) -> SearchPage[Caller]:
        return await self.console.client.find_callers(query, limit)

    def cells(self, hit: Caller) -> list[Text]:
        place = hit.compound or hit.address
        if hit.compound and hit.address:
            place = f"{hit.compound} · {hit.address}"
        return [
            Text(match_label(hit.match)),
            Text(hit.name),
            Text(hit.phone),
            Text(hit.account_no),
            Text(served_label(hit.served)),
            Text(place),
        ]

    def nothing_found(self, query: str) -> str:
        key = self.key_of("lookup.new_caller")
        return _("no caller found for “{q}” · {key}: new caller").format(q=query, key=key)

    def activate(self, hit: Caller) -> None:
        from agent_console.practice.engine_io import HitOpened  # not on the start-up path
        from agent_console.screens.caller_card import CallerCardScreen

        self.console.record(HitOpened("caller", hit.account_no, hit.match))
        self.app.push_screen(CallerCardScreen(hit))

    def action_new_caller(self) -> None:
        """A caller the lookup does not know: the form, with a typed number kept."""
        from agent_console.screens.new_caller import NewCallerScreen

        query = self.query_box().value.strip()
        number = query if _NUMBERISH.fullmatch(query) else ""
        self.console.push_screen(NewCallerScreen(number or self.console.session.call.number))
