"""The practice panel's view of a call, and mentor hints on the trainee's screen, without
a terminal (agent_console/practice_call.py, agent_console/mentor_hints.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from agent_console.client.errors import BackendUnavailable
from agent_console.mentor_hints import MentorHints
from agent_console.models.practice import PracticeHint
from agent_console.practice import CallEnded, ScriptSaid, Tick
from agent_console.practice_call import PracticeCall, Shown
from tests.practice.helpers import engine_for


def test_the_callers_lines_gather_in_the_view_and_a_new_one_moves_the_step() -> None:
    call = PracticeCall()
    engine, _clock = engine_for("heat-half-hot")
    assert call.start(engine) == Shown()  # the caller waits for the greeting
    assert call.live and call.view.scenario is engine.scenario and call.view.lines == []
    shown = call.feed(ScriptSaid("greeting", "1", "您好"))
    assert shown == Shown(new_line=True)
    assert [line.id for line in call.view.lines] == ["opening"] and call.view.step == 1
    call.feed(CallEnded())
    assert not call.live and call.feed(ScriptSaid("closing")) is None


def test_a_scripted_hint_goes_once_what_it_asked_for_is_done() -> None:
    call = PracticeCall()
    engine, clock = engine_for("heat-forgot-account")
    call.start(engine)
    for _ in range(9):  # silence: the greet-first hint comes at 8 s
        clock.now += 1
        call.feed(Tick())
    assert call.view.hint is not None and call.view.hint.id == "greet-first"
    assert call.feed(ScriptSaid("greeting", "1", "您好")) is not None
    assert call.view.hint is None


def test_a_mentor_hint_is_taken_once_and_rings() -> None:
    call = PracticeCall()
    call.start(engine_for("dir-exact-name")[0])
    hint = call.take_mentor_hint({"id": 17, "text": "试试拼音首字母", "mentor_name": "M"})
    assert hint is not None and (hint.id, hint.mentor) == (17, "M")
    assert call.take_mentor_hint({"id": 17, "text": "试试拼音首字母"}) is None  # again
    assert call.take_mentor_hint({"id": 9, "text": "older"}) is None
    assert call.take_mentor_hint({"id": "x", "text": "bad id"}) is None
    assert call.take_mentor_hint({"id": 18, "text": ""}) is None
    assert call.mentor_hint(hint) == Shown(bell=True)
    assert call.view.hint is not None and call.view.hint.source == "mentor"


def test_a_mentor_hint_between_calls_shows_without_the_engine() -> None:
    call = PracticeCall()
    hint = call.take_mentor_hint({"id": 3, "text": "下一通先核实身份"})
    assert hint is not None
    assert call.mentor_hint(hint) == Shown()
    assert call.view.hint is not None and call.view.hint.text == "下一通先核实身份"


class FakeHints:
    """The two practice requests MentorHints makes (a test double of the client:
    the real ones are exercised against the server in tests/ui/test_practice_ui.py)."""

    def __init__(self, unseen: list[PracticeHint], down: bool = False) -> None:
        self.unseen = unseen
        self.down = down
        self.seen: list[int] = []

    async def practice_hints(self, *, unseen: bool, after: int) -> list[PracticeHint]:
        if self.down:
            raise BackendUnavailable("down")
        return [h for h in self.unseen if h.id > after]

    async def mark_hint_seen(self, hint_id: int) -> None:
        self.seen.append(hint_id)


def hint(hint_id: int, text: str) -> PracticeHint:
    return PracticeHint.from_json({"id": hint_id, "text": text, "mentor_name": "M"})


JOBS: list[Coroutine[Any, Any, None]] = []


def settle(first: Coroutine[Any, Any, None] | None = None) -> None:
    """`first`, then every request it (or an arrived hint) started, to the end."""

    async def all_jobs() -> None:
        if first is not None:
            await first
        while JOBS:
            await JOBS.pop(0)

    asyncio.run(all_jobs())


def hints_for(client: FakeHints, trainee: bool = True) -> tuple[MentorHints, list[str]]:
    """MentorHints over `client`; what it shows, as "mentor:text" lines."""
    shown: list[str] = []

    def show(_shown: Shown | None, mentor: str) -> None:
        view_hint = call.view.hint
        shown.append(f"{mentor}:{view_hint.text if view_hint else ''}")

    def run(job: Coroutine[Any, Any, None], _group: str) -> None:
        JOBS.append(job)  # the desk's worker: run by settle()

    call = PracticeCall()
    mentor = MentorHints(call, client, show, lambda: trainee, run)  # type: ignore[arg-type]
    return mentor, shown


def test_hints_sent_while_the_stream_was_down_are_shown_and_old_ones_skipped() -> None:
    client = FakeHints([hint(4, "先核实"), hint(5, "再查询")])
    mentor, shown = hints_for(client)
    settle(mentor.catch_up(skip=True))  # a call starts: earlier hints are not shown
    assert shown == [] and client.seen == [4, 5] and mentor.call.last_hint_id == 5
    client.unseen.append(hint(6, "发短信"))
    mentor.arrived({"id": 6, "text": "发短信", "mentor_name": "M"})  # the stream was faster
    settle()
    settle(mentor.catch_up(skip=False))  # ... than the poll: shown once
    client.unseen.append(hint(7, "结束语"))
    settle(mentor.catch_up(skip=False))
    assert shown == ["M:发短信", "M:结束语"] and client.seen == [4, 5, 6, 7]


def test_no_catch_up_for_a_non_trainee_or_while_the_backend_is_down() -> None:
    mentor, shown = hints_for(FakeHints([hint(1, "x")]), trainee=False)
    settle(mentor.catch_up(skip=False))
    assert shown == []
    mentor, shown = hints_for(FakeHints([hint(1, "x")], down=True))
    settle(mentor.catch_up(skip=False))  # no error: the next poll tries again
    assert shown == []
