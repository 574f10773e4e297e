"""What the agent sees (issue 17, leftovers), on the real App against the real server:
the directory's columns fit 80 columns, the key bar under a dialog follows the
language switch, the practice debrief's rubric follows it too."""

from __future__ import annotations

from agent_console import i18n
from agent_console.app import AgentConsole
from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient
from agent_console.screens.practice.debrief import DebriefScreen
from agent_console.screens.practice.menu import PracticeMenuScreen
from agent_console.screens.widgets.key_bar import KeyBar
from tests.conftest import AppFactory, console_settings, login
from tests.ui.helpers import answers, static_text, table_rows, wait_for
from tests.ui.screen_scan import screen_lines

HEADERS = {
    "en": ["Match", "Organisation", "Department", "Number", "Address"],
    "zh": ["匹配", "单位", "部门", "号码", "地址"],
}


def table_lines(app: object, language: str) -> tuple[str, str]:
    """The directory's header line and its first hit line as shown."""
    lines = screen_lines(app)  # type: ignore[arg-type]
    top = next(i for i, line in enumerate(lines) if line.split()[:1] == HEADERS[language][:1])
    return lines[top], lines[top + 1]


def headed(app: object) -> bool:
    """The table's header is drawn, in the language the console is in now."""
    language = i18n.language()
    return HEADERS[language][4] in table_lines(app, language)[0]


async def test_directory_columns_fit_80_columns_in_both_languages(
    make_app: AppFactory,
) -> None:
    """At 80x24 every header is whole and a long address ends in "…" (it ran off the
    edge: `Addre`); at 140x45 the same hits show whole; after Ctrl+F12 the Chinese
    headers are whole too."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press("f6", *"医院")
        await wait_for(pilot, lambda: answers(app, "医院") and table_rows(app, "#directory-hits"))
        address = table_rows(app, "#directory-hits")[0][4]
        for language in ("en", "zh"):
            await wait_for(pilot, lambda: headed(app))
            head, first = table_lines(app, language)
            assert head.split() == HEADERS[language], head
            assert first.rstrip().endswith("…") and address not in first, first
            assert len(first.rstrip()) <= 78
            if language == "en":
                await pilot.press("ctrl+f12")
                assert i18n.language() == "zh"

        await pilot.resize_terminal(140, 45)
        await wait_for(pilot, lambda: address in table_lines(app, "zh")[1])
        assert "…" not in table_lines(app, "zh")[1]


def trainee(url: str, scenario: str = "") -> AgentConsole:
    """Trainee 2001 in practice mode (as `agent-console demo --agent 2001`)."""
    return AgentConsole(
        console_settings(url),
        BackendClient(url, login(url, "2001")),
        practice=True,
        remember_login=False,
        practice_start=scenario,
    )


def key_bar(app: AgentConsole) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_the_practice_menu_has_its_own_key_bar_in_the_language_shown(
    server: EmbeddedBackend,
) -> None:
    """Under the menu the bar showed the screen below's keys (Esc Clear, Ctrl+N New),
    which do not work there; it is the menu's own, and follows Ctrl+F12 at once."""
    app = trainee(server.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PracticeMenuScreen))
        # What the terminal shows (the bar's own render can be ahead of the next paint).
        await wait_for(pilot, lambda: "Close" in screen_lines(app)[-1])
        assert "Clear" not in screen_lines(app)[-1] and "Close" in key_bar(app)
        await pilot.press("ctrl+f12")
        assert i18n.language() == "zh"
        assert isinstance(app.screen, PracticeMenuScreen)
        await wait_for(pilot, lambda: "关闭" in screen_lines(app)[-1])
        assert "Close" not in screen_lines(app)[-1]


async def test_the_debrief_rubric_follows_the_language_switch(
    fresh_server: EmbeddedBackend,
) -> None:
    """Played in English, switched to Chinese on the debrief: the rubric labels, the
    missed lines and the title are the scenario's Chinese ones (they stayed English)."""
    app = trainee(fresh_server.url, "dir-exact-name")
    async with app.run_test(size=(110, 36)) as pilot:
        await wait_for(pilot, lambda: app.desk.live)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen))
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        (scenario,) = [s for s in app.desk.scenarios() if s.id == "dir-exact-name"]
        labels = {
            lang: [m.label.pick(lang) for m in scenario.rubric if m.label] for lang in ("en", "zh")
        }
        assert labels["en"][0].isascii() and not labels["zh"][0].isascii()

        def rubric() -> list[str]:
            return [row[1] for row in table_rows(app, "#debrief-items")]

        # The rows fill after the screen is up (under load, a tick or more later).
        await wait_for(pilot, lambda: rubric() == labels["en"])
        await pilot.press("ctrl+f12")
        assert i18n.language() == "zh"
        await wait_for(pilot, lambda: rubric() == labels["zh"])
        assert labels["zh"][0] in static_text(app, "#debrief-missed")  # nothing was done
        assert scenario.title.pick("zh") in static_text(app, "#debrief-title")


async def test_lookup_columns_fit_80_columns(make_app: AppFactory) -> None:
    """F2 at 80x24: the compound / address ends in "…" inside the screen (it ran off
    the edge, `如意小区 · 赛罕区大`), the header whole."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.session.agent is not None)
        await pilot.press(*"王")
        await wait_for(pilot, lambda: answers(app, "王") and table_rows(app, "#lookup-hits"))
        place = table_rows(app, "#lookup-hits")[0][5]
        lines = screen_lines(app)
        top = next(i for i, line in enumerate(lines) if line.split()[:1] == ["Match"])
        assert lines[top].rstrip().endswith("Compound / address"), lines[top]
        first = lines[top + 1].rstrip()
        assert place not in first and first.endswith("…"), first
