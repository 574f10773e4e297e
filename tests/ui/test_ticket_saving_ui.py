"""The ticket form under a slow, frozen or missing backend, and whose draft it shows.

Real App, real backend process (frozen with SIGSTOP, killed, restarted on its port),
tickets counted in the backend's database: expected = found, none doubled.
"""

from __future__ import annotations

import os
import signal
import sqlite3

from textual.widgets import Input

from agent_console.app import AgentConsole
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.models import Caller
from agent_console.outbox import Outbox, default_path
from agent_console.screens.ticket import TicketScreen
from agent_console.ticket_draft import DraftStore, Owner
from tests.conftest import console_settings, login
from tests.ui.helpers import static_text, status_part, wait_for


def count(backend: EmbeddedBackend, summary: str) -> int:
    db = sqlite3.connect(str(backend.db))
    try:
        row = db.execute("SELECT count(*) FROM tickets WHERE summary = ?", (summary,)).fetchone()
        return int(row[0])
    finally:
        db.close()


def console(url: str, token: str | None, timeout: float = 5.0) -> AgentConsole:
    client = BackendClient(url, token, timeout=timeout, connect_timeout=1.0)
    return AgentConsole(console_settings(url), client, remember_login=False)


def summary_of(app: AgentConsole) -> str:
    return app.screen.query_one("#ticket-summary", Input).value


async def type_ticket(pilot: object, summary: str) -> None:
    await pilot.press(*summary, "tab", *"局部", "enter")  # type: ignore[attr-defined]


async def test_a_slow_save_never_swallows_the_next_ctrl_s_nor_clears_what_is_typed(
    fresh_server: EmbeddedBackend,
) -> None:
    """Issue 20, item 5: backend frozen; Ctrl+S, Ctrl+N, a second ticket, Ctrl+S. The
    first save times out and is kept; the second is queued, not ignored; the form is
    not cleared under the second ticket; both arrive once when the backend thaws."""
    token = login(fresh_server.url)
    app = console(fresh_server.url, token, timeout=6.0)
    first, second = "冻结时保存 first", "冻结时保存 second"
    assert fresh_server.process is not None
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        await wait_for(pilot, lambda: screen.choices_loaded)
        os.kill(fresh_server.process.pid, signal.SIGSTOP)
        try:
            await type_ticket(pilot, first)
            await wait_for(pilot, lambda: screen.category_id == "heat.no_heat.partial")
            await pilot.press("ctrl+s")
            assert "saving" in static_text(app, "#ticket-status")
            await pilot.press("ctrl+n")
            screen.query_one("#ticket-summary", Input).focus()
            await type_ticket(pilot, second[:4])
            await wait_for(pilot, lambda: screen.category_id == "heat.no_heat.partial")
            await pilot.press("ctrl+s")  # while the first is still in flight
            assert len(screen.saver.saves) == 2  # queued, not swallowed
            screen.query_one("#ticket-summary", Input).focus()
            await pilot.press("end", *second[4:])  # the agent goes on typing meanwhile
            await wait_for(pilot, lambda: "Kept" in static_text(app, "#ticket-status"))
            # The first save came back; what the agent is typing stays.
            assert summary_of(app) == second
            # Both kept, and the save queue done with them (the outbox counts the second
            # a moment before the queue lets go of it: waiting on the count alone raced).
            await wait_for(
                pilot, lambda: app.session.outbox_waiting == 2 and not screen.saver.saves.busy
            )
            assert summary_of(app) == second  # touched after its Ctrl+S: kept on the form
        finally:
            os.kill(fresh_server.process.pid, signal.SIGCONT)
        await wait_for(pilot, lambda: app.session.outbox_waiting == 0)
        # The "Kept…" line leaves once the ticket was sent (issue 20, item 7).
        await wait_for(pilot, lambda: "Kept" not in static_text(app, "#ticket-status"))
    assert count(fresh_server, first) == 1
    assert count(fresh_server, second[:4]) == 1  # what was saved at that Ctrl+S
    assert count(fresh_server, second) == 0  # typed after: still on the form, not sent
    assert Outbox(default_path()).entries() == []


async def test_started_while_the_backend_is_down_the_choices_load_when_it_is_back(
    fresh_server: EmbeddedBackend,
) -> None:
    """Issue 20, item 3: the form opened with the backend down; it comes back; Ctrl+S
    works without a restart."""
    token = login(fresh_server.url)
    fresh_server.stop()
    app = console(fresh_server.url, token)
    summary = "后端回来以后保存"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        await wait_for(pilot, lambda: "✗" in static_text(app, "#ticket-status"))
        assert not screen.choices_loaded
        fresh_server.start()
        await wait_for(pilot, lambda: app.session.agent is not None)
        await wait_for(pilot, lambda: screen.choices_loaded)
        screen.query_one("#ticket-summary", Input).focus()
        await type_ticket(pilot, summary)
        await wait_for(pilot, lambda: screen.category_id == "heat.no_heat.partial")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
    assert count(fresh_server, summary) == 1


async def test_a_draft_is_shown_only_to_its_agent_after_sign_in(
    fresh_server: EmbeddedBackend,
) -> None:
    """Issue 13: agent 1001's draft never for trainee 2001, never on the sign-in screen,
    never against another backend; 1001 gets it back after a crash."""
    url = fresh_server.url
    store = DraftStore()
    owner = Owner(url, "1001")
    caller = {"id": 1, "name": "王女士", "phone": "13800000000", "address": "幸福路1号"}
    store.save(owner, "", {"idempotency_key": "k-1001", "summary": "1001 的草稿", "caller": caller})
    store.close()  # the console that wrote it was killed
    trainee = login(url, "2001")
    app = console(url, trainee)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5")
        assert isinstance(app.screen, TicketScreen)
        await pilot.pause()
        assert summary_of(app) == ""
        assert app.screen.drafts.owner == Owner(url, "2001")
    # Another backend, the same agent number: nothing either.
    other = console("http://127.0.0.1:9", None)
    async with other.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: other.screen.__class__.__name__ == "LoginScreen")
        notices = [n.message for n in other._notifications]
        assert not any("draft" in m for m in notices)  # not before sign-in
    app = console(url, login(url, "1001"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5")
        await wait_for(pilot, lambda: summary_of(app) == "1001 的草稿")
        assert app.screen.idempotency_key == "k-1001"
        assert "王女士" in static_text(app, "#ticket-caller")
        # A call for another caller: that caller's (empty) form, the draft kept on disk.
        app.session.call.set_caller(Caller.from_json({**caller, "id": 2, "name": "李先生"}))
        await pilot.press("f2", "f5")
        await wait_for(pilot, lambda: summary_of(app) == "")
        kept = app.outbox.drafts.load(owner, "")
        assert kept is not None and kept["summary"] == "1001 的草稿"  # still there, for them


async def test_a_failing_draft_autosave_is_said_and_clears_when_it_works_again(
    fresh_server: EmbeddedBackend,
) -> None:
    """Issue 20, item 4: the agent is told when crash protection stops (here a folder
    stands where the draft file goes: a failure root cannot ignore), and the warning
    goes as soon as a write works again."""
    url = fresh_server.url
    app = console(url, login(url))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        await wait_for(pilot, lambda: screen.drafts.owner is not None)
        store = app.outbox.drafts
        blocker = store._file(screen.drafts.owner, screen.drafts.call)  # type: ignore[arg-type]
        blocker.mkdir()
        await pilot.press(*"没有草稿保护")
        await wait_for(pilot, lambda: "draft" in app.session.problems)
        assert "draft autosave failing" in status_part(app, "outbox")
        blocker.rmdir()
        await pilot.press(*"了")
        await wait_for(pilot, lambda: not app.session.problems)
        assert store.load(screen.drafts.owner, screen.drafts.call)["summary"] == "没有草稿保护了"  # type: ignore[arg-type,index]


async def test_a_refusal_after_the_agent_moved_on_stays_in_the_outbox_with_its_reason(
    fresh_server: EmbeddedBackend,
) -> None:
    """The backend (frozen meanwhile) refuses a ticket after the agent has started the
    next one (a trainee's token writing to production: 403). The form is not taken
    from the agent, and the refused ticket is not lost: it is the outbox's refused
    entry, with the reason, counted in the bar."""
    url = fresh_server.url
    app = console(url, login(url, "2001"), timeout=30.0)
    assert fresh_server.process is not None
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        await wait_for(pilot, lambda: screen.choices_loaded)
        await type_ticket(pilot, "被拒的工单")
        await wait_for(pilot, lambda: screen.category_id == "heat.no_heat.partial")
        os.kill(fresh_server.process.pid, signal.SIGSTOP)
        try:
            await pilot.press("ctrl+s")
            await pilot.press("ctrl+n")
            screen.query_one("#ticket-summary", Input).focus()
            await pilot.press(*"下一张")
        finally:
            os.kill(fresh_server.process.pid, signal.SIGCONT)
        await wait_for(pilot, lambda: "1 refused" in status_part(app, "outbox"))
        assert summary_of(app) == "下一张"
    [entry] = Outbox(default_path()).entries()
    assert entry.state == "refused" and entry.refused_status == 403
    assert entry.body["summary"] == "被拒的工单" and "practice" in entry.last_error
    assert count(fresh_server, "被拒的工单") == 0


async def test_a_draft_holding_a_key_spent_elsewhere_can_still_be_saved(
    fresh_server: EmbeddedBackend,
) -> None:
    """Issue 20, item 2: a draft left with the key of a ticket the backend already has
    (its file could not be deleted) never leaves a form that can no longer be saved:
    the agent is told, and the next Ctrl+S saves it as a new ticket, once."""
    import httpx

    url, token = fresh_server.url, login(fresh_server.url)
    first = {"category": "heat.no_heat.partial", "summary": "已经保存过的"}
    r = httpx.post(
        f"{url}/api/v1/tickets",
        json=first,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k-spent-elsewhere"},
    )
    assert r.status_code == 201
    store = DraftStore()
    left = {**first, "idempotency_key": "k-spent-elsewhere", "summary": "已经保存过的 改过"}
    store.save(Owner(url, "1001"), "", left)
    store.close()
    app = console(url, token)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f5")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        await wait_for(pilot, lambda: screen.category_id == "heat.no_heat.partial")
        assert screen.idempotency_key == "k-spent-elsewhere"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "already used" in static_text(app, "#ticket-status"))
        assert summary_of(app) == "已经保存过的 改过"
        assert screen.idempotency_key != "k-spent-elsewhere"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: " saved (" in static_text(app, "#ticket-status"))
    assert count(fresh_server, "已经保存过的") == 1
    assert count(fresh_server, "已经保存过的 改过") == 1
