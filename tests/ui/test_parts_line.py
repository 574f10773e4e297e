"""One line of named parts (screens/widgets/parts_line.py), as the status bar and the call
strip draw it: parts left to right, the right part against the edge when it fits, the
text plain whatever it holds."""

from __future__ import annotations

from textual.app import App, ComposeResult

from agent_console.screens.widgets.parts_line import PartsLine


class Line(PartsLine):
    ORDER = ("who", "state")
    RIGHT = "clock"


class LineApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Line()


def drawn(line: PartsLine) -> str:
    return line.render_line(0).text


async def test_parts_are_drawn_in_order_with_the_right_part_against_the_edge() -> None:
    app = LineApp()
    async with app.run_test(size=(40, 5)) as pilot:
        line = app.query_one(Line)
        line.show("state", "● Ready", "bold")
        line.show("who", "1001 李静")
        line.show("clock", "10:30:00")
        await pilot.pause()
        assert drawn(line) == " 1001 李静 ● Ready" + " " * 13 + " 10:30:00"
        assert line.placed() == {"who": (0, 10), "state": (10, 18), "clock": (31, 40)}
        line.show("state", "")  # a part without text takes no room
        await pilot.pause()
        assert drawn(line).startswith(" 1001 李静 ")
        assert "state" not in line.placed()


async def test_the_right_part_gives_way_when_the_others_fill_the_line() -> None:
    app = LineApp()
    async with app.run_test(size=(20, 5)) as pilot:
        line = app.query_one(Line)
        line.show("who", "1001 Enkhjargal Bold")
        line.show("clock", "10:30:00")
        await pilot.pause()
        assert "10:30:00" not in drawn(line)
        assert "clock" not in line.placed()


async def test_a_parts_text_is_text_not_markup() -> None:
    app = LineApp()
    async with app.run_test(size=(60, 5)) as pilot:
        line = app.query_one(Line)
        line.show("who", "[@click=app.quit]x[/] [b]bold[/b]")
        await pilot.pause()
        assert "[@click=app.quit]x[/] [b]bold[/b]" in drawn(line)
        assert app.is_running
