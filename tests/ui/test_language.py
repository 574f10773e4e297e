"""The UI language at run time: Ctrl+F12 (or the command palette) switches every label
between 中文 and English on the real App, and what the agent typed and found stays."""

from __future__ import annotations

import httpx
from rich.cells import cell_len
from textual.command import CommandList
from textual.widgets import DataTable, Input

from agent_console import i18n
from agent_console.backend_process import EmbeddedBackend
from agent_console.screens.help import HelpScreen
from agent_console.screens.widgets.key_bar import KeyBar
from tests.conftest import AppFactory, login
from tests.ui.helpers import static_text, status_part, table_rows, wait_for
from tests.ui.screen_scan import screen_lines


def key_bar_text(app: object) -> str:
    return str(app.screen.query_one(KeyBar).render())  # type: ignore[attr-defined]


def column_labels(app: object, selector: str) -> list[str]:
    table = app.screen.query_one(selector, DataTable)  # type: ignore[attr-defined]
    return [c.label.plain for c in table.columns.values()]


async def test_switch_keeps_the_query_and_hits_and_relabels(
    make_app: AppFactory, api: httpx.Client
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f2", *"王")
        await wait_for(pilot, lambda: table_rows(app, "#lookup-hits"))
        hits = table_rows(app, "#lookup-hits")
        assert "Name" in column_labels(app, "#lookup-hits")
        assert "Clear" in key_bar_text(app)

        await pilot.press("ctrl+f12")
        assert i18n.language() == "zh"
        await wait_for(pilot, lambda: "清空" in key_bar_text(app))
        assert "姓名" in column_labels(app, "#lookup-hits")
        assert "后台在线" in status_part(app, "backend")
        assert app.screen.query_one("#lookup-query", Input).value == "王"
        rows = table_rows(app, "#lookup-hits")
        assert [r[1:3] for r in rows] == [r[1:3] for r in hits]  # same callers, same order
        assert "✗ 不在服务区" in {r[4] for r in rows}  # cells drawn again in Chinese
        assert "条结果" in static_text(app, "#lookup-status")  # the template, drawn again
        assert app.screen.focused is app.screen.query_one("#lookup-query")

        # The other screens were relabelled too, not only the one on show.
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "ticket")
        assert "保存" in key_bar_text(app)  # "Save ticket", short at 80 columns

        await pilot.press("ctrl+f12")
        assert i18n.language() == "en"
        await wait_for(pilot, lambda: "Save" in key_bar_text(app))
        await pilot.press("f2")
        assert "Name" in column_labels(app, "#lookup-hits")
        assert "backend online" in status_part(app, "backend")


async def test_the_headings_of_a_lookup_not_yet_searched_follow_the_switch(
    make_app: AppFactory, server: EmbeddedBackend
) -> None:
    """A trainee's desk before any search, the practice menu closed: the table has
    headings only, and they stayed English after the switch (seen in tmux)."""
    app = make_app(token=login(server.url, "2001"), practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PracticeMenuScreen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Name" in column_labels(app, "#lookup-hits"))
        await pilot.press("ctrl+f12")
        await wait_for(pilot, lambda: "清空" in key_bar_text(app))
        assert "姓名" in column_labels(app, "#lookup-hits")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))  # what the terminal shows, not the model
        assert "姓名" in shown and "Name" not in shown, shown


async def test_help_follows_the_switch_while_open(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("ctrl+f12")
        table = app.screen.query_one("#help-keys", DataTable)
        await wait_for(pilot, lambda: "按键" in [c.label.plain for c in table.columns.values()])
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"帮助：全部按键", "查号", "语言 / Language"} <= actions


async def test_a_picker_open_at_the_switch_shows_its_choices_in_the_new_language(
    make_app: AppFactory,
) -> None:
    """F8's choices were made in the language of the moment and stayed English under a
    Chinese title (seen in tmux); its key bar follows too."""
    from textual.widgets import OptionList

    from agent_console.screens.seat import SeatPicker

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, SeatPicker))
        await pilot.press("down", "ctrl+f12")
        options = app.screen.query_one(OptionList)
        await wait_for(pilot, lambda: "示闲" in str(options.get_option_at_index(0).prompt))
        assert "Ready" not in " ".join(str(o.prompt) for o in options.options)
        assert options.highlighted == 1  # the cursor stays where it was
        assert "选定" in key_bar_text(app)


def highlighted_command(app: object) -> str:
    commands = app.screen.query_one(CommandList)  # type: ignore[attr-defined]
    assert commands.highlighted is not None
    return str(commands.get_option_at_index(commands.highlighted).prompt)


async def test_command_palette_switches_language(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"语言")
        # Enter takes the highlighted command: wait until the palette's search has put
        # the language switch there (a fixed pause was short on a loaded machine).
        await wait_for(pilot, lambda: "语言" in highlighted_command(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: i18n.language() == "zh")
        await wait_for(pilot, lambda: "帮助" in key_bar_text(app))


async def test_key_bar_fits_80_columns_in_both_languages(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        for language in ("en", "zh"):
            if i18n.language() != language:
                await pilot.press("ctrl+f12")
            for screen in ("f2", "f3", "f4", "f5", "f6", "f7"):
                await pilot.press(screen)
                await pilot.pause()
                text = key_bar_text(app)
                assert cell_len(text) <= 80, (language, screen, text)
                assert "…" not in text  # hints left out whole, never cut
                assert "F1" in text  # help, which lists the rest, always stays
                # every screen key stays in sight (issue 17), F-keys in number order
                fkeys = [w for w in text.split() if w.startswith(("F", "Ctrl+F"))]
                want = ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F12"]
                # (an agent has reviews: Ctrl+F7, issue 16)
                assert fkeys == [*want, "Ctrl+F2", "Ctrl+F7"], (language, screen, text)


async def test_a_heading_wider_in_the_new_language_is_not_cut() -> None:
    """Columns sized to their English heading cut the Chinese one without a sign
    ("超标准用" for 超标准用时, the mentor's comparison, seen in tmux)."""
    from textual.app import App, ComposeResult

    from agent_console.screens.language import switch_language

    class Table(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(id="t")

        def on_mount(self) -> None:
            self.query_one(DataTable).add_columns(i18n._("Over par"), i18n._("Keys ×"))
            self.query_one(DataTable).add_row("1", "2")

    app = Table()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        switch_language(app, "zh")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert i18n._("Over par") in shown and i18n._("Keys ×") in shown, shown
