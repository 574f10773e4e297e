"""The wallboard (Ctrl+F11) in the real console against a real server: a CTI event
shows on the board by the `board` event (no polling, no reload; how fast is measured by
`python -m bench board`, not here: a timed assertion fails on a loaded machine), sort and filter
keys, Enter opens the seat actions, only supervisors have the key; and the wall
command's board (`agent-console wallboard`) takes no action keys and no other role."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from textual.pilot import Pilot

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.supervisor.board_pane import BoardPane
from agent_console.screens.supervisor.wall import WallApp, WallScreen, WallSignIn
from tests.conftest import API, AppFactory, DemoDatabase, console_settings, login, start_backend
from tests.ui.helpers import burst, table_rows, wait_for

CTI = "cti-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def cti_server(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    backend = start_backend(demo_db, tmp_path_factory.mktemp("board-ui"), ["--cti-token", CTI])
    yield backend
    backend.stop()


def cti(url: str, **data: str) -> None:
    r = httpx.post(f"{url}{API}/cti/{CTI}", data=data, timeout=15)
    assert r.status_code == 200, r.text


#: What the wall board may do on a key: quit, and Textual's own focus, copy and scrolling.
READ_ONLY = {
    "quit",
    "app.quit",
    "focus_next",
    "app.focus_next",
    "focus_previous",
    "app.focus_previous",
    "screen.copy_text",
}


def pane(pilot: Pilot) -> BoardPane:
    return pilot.app.screen.query_one(BoardPane)


def grid_rows(pilot: Pilot) -> list[list[str]]:
    return table_rows(pilot.app, "#board-grid")


async def open_board(pilot: Pilot) -> BoardPane:
    app = pilot.app
    session = app.session  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: session.agent and session.events == "live")
    await pilot.press("ctrl+f11")
    await wait_for(pilot, lambda: app.current_mode == "wallboard" and pane(pilot).board.loaded)
    return pane(pilot)


def count_loads(client: object) -> list[int]:
    """Counts the board's whole loads (GET /wallboard) from now on; the calls still run."""
    loads = [0]
    load = client.wallboard  # type: ignore[attr-defined]

    async def counted(*args: object, **kwargs: object) -> object:
        loads[0] += 1
        return await load(*args, **kwargs)

    client.wallboard = counted  # type: ignore[attr-defined]
    return loads


async def test_a_cti_event_shows_on_the_board_by_its_event(
    cti_server: EmbeddedBackend, make_app: AppFactory
) -> None:
    url = cti_server.url
    app = make_app(url, login(url, "9001"), settings=console_settings(url))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(pilot)
        loads = count_loads(app.client)
        ref = uuid.uuid4().hex[:12]
        sent = time.monotonic()
        cti(url, event="newCall", callId=ref, direction="in", to="961655",
            **{"user[]": "1003", "from": "13900000042"})  # fmt: skip

        def shown_ringing() -> bool:
            return grid_rows(pilot)[board.order.index("1003")][3].startswith("Ring")

        await wait_for(pilot, shown_ringing)
        took = time.monotonic() - sent
        print(f"CTI event to the board: {took:.3f} s")
        assert loads == [0], "the board reloaded instead of applying the event"
        assert "13900000042" not in str(grid_rows(pilot))  # no caller data on the board
        cti(url, event="hangup", callId=ref, cause="cancel")
        await wait_for(pilot, lambda: board.board.agents["1003"].state != "ringing")


async def test_sort_and_filter_keys(cti_server: EmbeddedBackend, make_app: AppFactory) -> None:
    url = cti_server.url
    app = make_app(url, login(url, "9001"), settings=console_settings(url))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(pilot)
        agents = board.board.agents
        assert len(agents) >= 5

        def numbers() -> list[str]:
            return [r[0] for r in grid_rows(pilot)]

        await pilot.press("ctrl+o", "ctrl+o")  # state -> time in state -> agent number
        assert board.sort_key == "agent_no"
        by_no = sorted((a.agent_no for a in agents.values()), key=int)
        assert numbers() == by_no
        await pilot.press("ctrl+r")
        assert numbers() == by_no[::-1]
        assert "No. ▼" in str(board.grid().columns[board.grid().ordered_columns[0].key].label)

        await pilot.press("ctrl+t")  # the first team on the board
        team = board.filter.team
        assert team
        assert numbers() == [
            a.agent_no
            for a in sorted(agents.values(), key=lambda a: -int(a.agent_no))
            if a.team == team
        ]
        await pilot.press("ctrl+e")  # and the first state
        assert board.filter.state == "ringing"
        assert all(agents[i].state == "ringing" and agents[i].team == team for i in board.order)
        await pilot.press("escape")
        assert not board.filter.active and len(numbers()) == len(agents)


async def test_enter_on_an_agent_opens_the_seat_actions(
    cti_server: EmbeddedBackend, make_app: AppFactory
) -> None:
    from agent_console.screens.supervisor.seat_actions import SeatActionsScreen

    url = cti_server.url
    app = make_app(url, login(url, "9001"), settings=console_settings(url))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(pilot)
        await pilot.press("down")
        chosen = board.selected()
        assert chosen is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatActionsScreen))
        screen = app.screen
        assert isinstance(screen, SeatActionsScreen)
        assert (screen.agent_id, screen.agent_no) == (chosen.agent_id, chosen.agent_no)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.current_mode == "wallboard" and app.screen.is_current)

        # 中文 at run time: the board's words follow (its language-switch redraw).
        await pilot.press("ctrl+f12")
        await wait_for(pilot, lambda: "坐席状态" in str(board.grid().columns["state"].label))
        heading = str(app.screen.query_one("#board-heading").render())
        assert heading.startswith("排序：按状态") and "名坐席" in heading
        assert str(app.screen.query_one("#figure-ringing-label").render()) == "振铃中"


async def test_enter_typed_behind_arrows_acts_on_the_row_they_reach(
    cti_server: EmbeddedBackend, make_app: AppFactory
) -> None:
    """Enter is in the board's key bar (the grid's own hidden Enter left it to the
    screen) and, typed in one burst behind the arrows, opens the seat they reach (a
    priority Enter acted on the row the cursor had before them)."""
    from agent_console.screens.supervisor.seat_actions import SeatActionsScreen

    url = cti_server.url
    app = make_app(url, login(url, "9001"), settings=console_settings(url))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(pilot)
        bar = str(app.screen.query_one("KeyBar").render())
        assert bar.split()[0] == "Enter", bar
        assert len(board.order) >= 3
        burst(app, ["down", "down", "enter"])
        await wait_for(pilot, lambda: isinstance(app.screen, SeatActionsScreen))
        screen = app.screen
        assert isinstance(screen, SeatActionsScreen)
        assert screen.agent_id == board.order[2]


async def test_an_empty_list_says_so_in_a_sentence(
    cti_server: EmbeddedBackend, make_app: AppFactory
) -> None:
    """No raised hand: the list says so, not a row with the sentence squeezed into the
    number column; the dialog's key bar is its own (Esc), not the board's."""
    from textual.widgets import DataTable, Static

    from agent_console.screens.supervisor.board_lists import HandsList

    url = cti_server.url
    app = make_app(url, login(url, "9001"), settings=console_settings(url))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(pilot)
        app.event_stream.listeners.pop("board", None)  # type: ignore[attr-defined]
        board.board.hands = ()
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, HandsList))
        empty = app.screen.query_one("#board-list-empty", Static)
        assert empty.display and str(empty.render()) == "No hands raised."
        assert not app.screen.query_one("#board-list", DataTable).display
        assert str(app.screen.query_one("KeyBar").render()).split() == ["Esc", "Close"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.current_mode == "wallboard" and app.screen.is_current)


async def test_only_a_supervisor_has_the_wallboard_key(
    cti_server: EmbeddedBackend, make_app: AppFactory
) -> None:
    url = cti_server.url
    app = make_app(url, login(url, "1001"), settings=console_settings(url))
    async with app.run_test(size=(140, 45)) as pilot:
        session = app.session
        await wait_for(pilot, lambda: session.agent and session.events == "live")
        bar = str(app.screen.query_one("KeyBar").render())
        assert "Ctrl+F11" not in bar and "F2" in bar
        # Keys run in order: once F7's follow-ups show, Ctrl+F11 has had its turn (a
        # fixed pause would pass as well if the board were merely slow to come).
        await pilot.press("ctrl+f11", "f7")
        await wait_for(pilot, lambda: app.current_mode == "followups")
        assert "wallboard" not in app._modes  # never registered: never opened


async def test_the_wall_board_takes_no_action_keys(cti_server: EmbeddedBackend) -> None:
    url = cti_server.url
    client = BackendClient(url, login(url, "9900"))
    app = WallApp(console_settings(url), client)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(
            pilot, lambda: isinstance(app.screen, WallScreen) and pane(pilot).board.loaded
        )
        board = pane(pilot)
        before = (board.sort_key, board.filter, [r[0] for r in grid_rows(pilot)])
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions - READ_ONLY, actions
        await pilot.press("ctrl+o", "ctrl+r", "ctrl+t", "ctrl+e", "ctrl+d", "ctrl+b", "enter")
        await pilot.press("f2", "f7", "ctrl+f11", "f1")
        await pilot.pause(0.2)
        assert app.screen_stack[-1] is app.screen and isinstance(app.screen, WallScreen)
        assert len(app.screen_stack) == 2  # the default screen and the board, nothing more
        assert (board.sort_key, board.filter, [r[0] for r in grid_rows(pilot)]) == before
        # Live, like the supervisor's board: a ringing call comes by the event.
        loads = count_loads(client)
        ref = uuid.uuid4().hex[:12]
        sent = time.monotonic()
        cti(url, event="newCall", callId=ref, direction="in", to="961655", **{"user[]": "1002"})

        def shown_ringing() -> bool:
            return grid_rows(pilot)[board.order.index("1002")][3].startswith("Ring")

        await wait_for(pilot, shown_ringing)
        print(f"CTI event to the wall: {time.monotonic() - sent:.3f} s")
        assert loads == [0], "the wall reloaded instead of applying the event"
        cti(url, event="hangup", callId=ref, cause="cancel")

        # A centre longer than the screen: the wall pages through it, then starts over.
        from tests.ui.test_wallboard_snapshots import centre

        board.show_document(centre())
        wall = app.screen
        assert isinstance(wall, WallScreen)
        grid = board.grid()
        await wait_for(pilot, lambda: grid.max_scroll_y > 0)  # the 300 rows laid out
        pages = []
        for _ in range(40):
            before = grid.scroll_y
            wall.next_page()
            # The scroll is applied on a later refresh (later still on a loaded machine).
            await wait_for(pilot, lambda before=before: grid.scroll_y != before)
            pages.append(grid.scroll_y)
            if grid.scroll_y == 0:
                break
        assert pages[0] > 0 and pages[-1] == 0 and len(pages) > 10  # 300 rows, ~15 a page


async def test_the_wall_board_refuses_a_supervisors_sign_in(cti_server: EmbeddedBackend) -> None:
    url = cti_server.url
    client = BackendClient(url, login(url, "9001"))
    app = WallApp(console_settings(url), client)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WallSignIn))
        said = str(app.screen.query_one("#wall-login-error").render())
        assert "wall account only" in said and "supervisor" in said
        assert not pane_loaded(app)


def pane_loaded(app: WallApp) -> bool:
    return any(s.query(BoardPane) and s.query_one(BoardPane).board.loaded for s in app.screen_stack)
