"""Directory (F6), the 114 desk: find an organisation, read its number out, pass it on.

Type a name, its pinyin initials (`bjdx` finds 北京大学), a number, a department or
an address. The highlighted listing stands above the hits with its number grouped
for reading aloud (0471-651 2345). Enter or Ctrl+N copies it into the call notes;
Ctrl+S sends it by SMS to the caller on the line, and the backend records the SMS.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from agent_console.client import BackendError, BackendUnavailable
from agent_console.column_fit import Give
from agent_console.i18n import _
from agent_console.models import Listing, SearchPage
from agent_console.practice.engine_io import HitOpened, SmsSent
from agent_console.screens.keys import bindings_for
from agent_console.screens.search import SearchScreen, match_label
from agent_console.text import group_digits, mask_phone


def listing_line(listing: Listing) -> str:
    """The listing as one line for notes and SMS: name, department, number, address."""
    who = listing.name + (f" {listing.department}" if listing.department else "")
    where = f" ({listing.address})" if listing.address else ""
    return f"{who}: {group_digits(listing.number)}{where}"


class DirectoryScreen(SearchScreen[Listing]):
    CSS_PATH = ["search.tcss", "directory.tcss"]
    BINDINGS = bindings_for("directory")
    PREFIX = "directory"
    TYPING_TARGET = "#directory-query"
    AUTO_FOCUS = "#directory-query"

    def placeholder(self) -> str:
        return _("Organisation, initials (bjdx), number, department, address")

    def compose_extra(self) -> ComposeResult:
        yield Static(id="directory-readout")

    def headers(self) -> list[str]:
        return [_("Match"), _("Organisation"), _("Department"), _("Number"), _("Address")]

    def gives(self) -> list[Give]:
        # The address first (the readout above shows it whole), then department and
        # organisation; the number, read out to the caller, never.
        return [Give(4, 8), Give(2, 8), Give(1, 10), Give(0, 4)]

    async def fetch(self, query: str, limit: int) -> SearchPage[Listing]:
        return await self.console.client.find_listings(query, limit)

    def cells(self, hit: Listing) -> list[Text]:
        return [
            Text(match_label(hit.match)),
            Text(hit.name),
            Text(hit.department),
            Text(group_digits(hit.number)),
            Text(hit.address),
        ]

    def nothing_found(self, query: str) -> str:
        return _("no listing found for “{q}”").format(q=query)

    def hit_changed(self, hit: Listing | None) -> None:
        readout = self.query_one("#directory-readout", Static)
        readout.display = hit is not None
        if hit is None:
            readout.update("")
            return
        head = hit.name + (f" · {hit.department}" if hit.department else "")
        readout.update(
            Content.assemble(
                (head, "bold"),
                "\n",
                (group_digits(hit.number), "bold reverse"),
                f"   {hit.address}" if hit.address else "",
            )
        )

    def activate(self, hit: Listing) -> None:
        self.note(hit)

    # -- passing the number on -------------------------------------------------------
    def note(self, hit: Listing) -> None:
        self.console.record(HitOpened("listing", hit.number, hit.match))
        self.console.session.call.add_note(listing_line(hit))
        self.say(_("In the call notes: {line}").format(line=listing_line(hit)))

    def action_note(self) -> None:
        hit = self.selected_hit()
        if hit is not None:
            self.remember_query()
            self.note(hit)

    def action_sms(self) -> None:
        hit = self.selected_hit()
        if hit is None:
            return
        call = self.console.session.call
        if call.caller is None and not call.number:
            self.say("✗ " + _("No caller on the line to send it to."))
            return
        self.remember_query()
        self.say(_("sending SMS…"))
        self._send(hit, call.caller.id if call.caller else None, call.number)

    @work(exclusive=True, group="directory-sms", exit_on_error=False)
    async def _send(self, hit: Listing, caller_id: int | None, number: str) -> None:
        app = self.console
        try:
            sms = await app.client.send_sms(
                listing_line(hit),
                caller_id=caller_id,
                to="" if caller_id is not None else number,
                kind="directory",
                ref=str(hit.id),
                practice=app.session.practice,
            )
        except (BackendUnavailable, BackendError) as exc:
            self.say(f"✗ {_('SMS not sent')}: {exc.message}")
            return
        app.session.call.add_note(
            _("SMS to {to}: {line}").format(to=sms.to, line=listing_line(hit))
        )
        app.record(SmsSent("directory", hit.number, listing_line(hit)))
        self.say(_("SMS sent to {to}").format(to=mask_phone(sms.to)))
