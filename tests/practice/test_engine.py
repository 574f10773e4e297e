"""The practice engine without a terminal: whole calls played as event sequences.

A perfect run, a slow run and a wrong run of three shipped scenarios, plus the rules
each relies on (lines on a timer, hints only once, forbidden things, mentor hints).
"""

from __future__ import annotations

import dataclasses

from agent_console.keymap import default_keys, load_base
from agent_console.practice import (
    CallEnded,
    CallerLine,
    Engine,
    HandRaised,
    HintShown,
    HitOpened,
    Keystroke,
    MentorHint,
    NoteAdded,
    QueryTyped,
    ScreenOpened,
    ScriptSaid,
    SmsSent,
    TicketSaved,
    action_keys,
)
from agent_console.practice.debrief import FORBIDDEN_DONE, NOT_DONE, OUT_OF_ORDER, TOO_LATE
from agent_console.practice.engine import fill_facts, step_label
from agent_console.practice.engine_io import Event, Output
from tests.practice.helpers import FakeClock, engine_for, wait


def play(engine: Engine, clock: FakeClock, steps: list[tuple[float, Event]]) -> list[Output]:
    """Feed (seconds later, event) pairs, ticking through the gaps."""
    out: list[Output] = []
    for gap, event in steps:
        out += wait(engine, clock, gap)
        out += engine.feed(event)
    return out


def typed(engine: Engine, text: str) -> None:
    for ch in text:
        engine.feed(Keystroke(ch))


def hints(outputs: list[Output]) -> list[HintShown]:
    return [o for o in outputs if isinstance(o, HintShown)]


def lines(outputs: list[Output]) -> list[CallerLine]:
    return [o for o in outputs if isinstance(o, CallerLine)]


# -- a perfect run: full score, no hints ------------------------------------------------
def test_perfect_half_hot_radiator_scores_full_and_needs_no_hint() -> None:
    engine, clock = engine_for("heat-half-hot")
    out = engine.start()
    assert out == []  # the caller waits for the greeting
    steps: list[tuple[float, Event]] = [
        (1.0, ScreenOpened("scripts")),
        (
            0.5,
            ScriptSaid(
                "greeting", "1", "您好，城发客服2003号为您服务，请问您有什么需要我们帮助的？"
            ),
        ),
        (2.0, ScreenOpened("lookup")),
        (2.0, QueryTyped("lookup", "13904711234", 11)),
        (0.5, HitOpened("caller", "4733367997", "phone")),
        (0.2, ScreenOpened("card")),
        (3.0, ScreenOpened("kb")),
        (1.5, QueryTyped("kb", "气堵", 5)),
        (0.5, HitOpened("article", "heat-air-lock", "title")),
        (6.0, NoteAdded("问过是否装修")),
        (4.0, ScreenOpened("scripts")),
        (1.0, ScriptSaid("closing", "11", "请问还有其他可以帮您的吗？感谢您的来电，再见！")),
        (2.0, CallEnded()),
    ]
    out += play(engine, clock, steps)
    typed(engine, "x" * 37)  # after CallEnded: not counted
    said = lines(out)
    assert [line.id for line in said] == ["opening", "identity", "bleeding", "thanks"]
    assert "13904711234" in said[0].text  # {phone} filled from the facts
    assert "金川新城17号楼3单元1001" in said[1].text
    assert hints(out) == []
    debrief = engine.debrief()
    assert debrief.score == 100 and debrief.missed == ()
    assert debrief.duration == 24.2
    assert debrief.fastest_keystrokes == 38  # closing: the phrase, then the four-more checklist
    assert debrief.fastest_text.startswith("F3 Enter F2 13904711234 Enter F4 qidu␣→气堵 Enter")
    by_id = {i.id: i for i in debrief.items}
    assert by_id["found-caller"].at == 6.0 and by_id["found-caller"].took == 4.5
    assert by_id["no-dispatch"].met and by_id["no-dispatch"].at is None


def test_keystrokes_are_the_keys_pressed_during_the_call() -> None:
    engine, _clock = engine_for("dir-exact-name")
    engine.start()
    engine.feed(ScreenOpened("directory"))
    typed(engine, "hhhtdz")
    engine.feed(Keystroke("enter"))
    engine.feed(CallEnded())
    debrief = engine.debrief()
    assert debrief.keystrokes == 7
    # scripts, enter, directory, hhhtdz, enter, directory.sms, scripts, clos, enter, enter
    assert debrief.fastest_keystrokes == 1 + 1 + 1 + 6 + 1 + 1 + 1 + 4 + 1 + 1


# -- a slow run: idle and slow-path hints with the trainee's keys -------------------------
def test_slow_forgotten_account_run_gets_idle_screen_and_slow_path_hints() -> None:
    engine, clock = engine_for(
        "heat-forgot-account", keymap={**default_keys(), "card.sms": "ctrl+t"}
    )
    engine.start()
    out = wait(engine, clock, 9)  # says nothing: the caller starts at 6 s, the hint at 8 s
    assert [(line.id, line.at) for line in lines(out)] == [("opening", 6.0)]
    assert [(h.id, h.at, h.keys) for h in hints(out)] == [("greet-first", 8.0, "F3")]
    assert "F3 opens the scripts" in hints(out)[0].text
    engine.feed(ScriptSaid("greeting", "1", "您好"))
    out = play(engine, clock, [(1, ScreenOpened("lookup"))])  # looks up before verifying
    assert [(h.id, h.keys) for h in hints(out)] == [("verify-first", "F3")]
    out = play(engine, clock, [(2, ScriptSaid("verification", "4", "请您提供户主姓名和地址"))])
    assert [line.id for line in lines(out)] == ["identity"]
    out = play(engine, clock, [(3, QueryTyped("lookup", "刘建国", 7))])  # the name, not the phone
    assert [(h.id, h.keys) for h in hints(out)] == [("phone-not-name", "F2")]
    assert "13847195522" in hints(out)[0].text
    out = play(engine, clock, [(1, HitOpened("caller", "4701103467", "name"))])
    assert hints(out) == []  # found: the lookup hints are done
    out = wait(engine, clock, 16)  # stalls on the card
    assert [(h.id, h.keys) for h in hints(out)] == [("sms-the-number", "Ctrl+T")]
    out = play(
        engine,
        clock,
        [(2, SmsSent("account", "4701103467", "交费编号 4701103467")), (2, ScriptSaid("closing"))],
    )
    engine.feed(CallEnded())
    debrief = engine.debrief()
    assert debrief.score == 100  # all done in the end, but slowly and with help
    assert debrief.scripted_hints == 4 and debrief.duration > 35
    found = next(i for i in debrief.items if i.id == "found-caller")
    assert found.took is not None and found.took >= 4  # time lost between verify and found


def test_hints_name_the_keys_of_the_active_keymap() -> None:
    laptop = load_base("laptop").keys
    keymap = {**default_keys(), **laptop}
    engine, clock = engine_for("heat-half-hot", keymap=keymap)
    engine.start()
    out = wait(engine, clock, 8)
    shown = hints(out)[0]
    assert shown.keys == action_keys("screen.scripts", keymap) != "F3"
    assert shown.keys in shown.text


def test_hints_come_in_the_trainees_language() -> None:
    engine, clock = engine_for("heat-half-hot", language="zh")
    engine.start()
    assert hints(wait(engine, clock, 8))[0].text.startswith("先问候：按 F3")


def test_a_stalling_trainee_hears_the_caller_move_on() -> None:
    engine, clock = engine_for("heat-forgot-account")
    engine.start()
    engine.feed(ScriptSaid("greeting"))
    out = wait(engine, clock, 24)
    assert "identity" not in [line.id for line in lines(out)]
    out = wait(engine, clock, 1)  # 25 s after the opening line: he says it unasked
    assert [line.id for line in lines(out)] == ["identity"]


def test_an_idle_hint_waits_for_real_idleness_and_fires_once() -> None:
    engine, clock = engine_for("heat-half-hot")
    engine.start()
    wait(engine, clock, 7)
    engine.feed(Keystroke("a"))  # activity restarts the wait
    assert hints(wait(engine, clock, 7)) == []
    assert [h.id for h in hints(wait(engine, clock, 1))] == ["greet-first"]
    assert "greet-first" not in [h.id for h in hints(wait(engine, clock, 60))]  # never twice


# -- a wrong run: what was missed, and why ---------------------------------------------
def test_wrong_night_leak_run_shows_what_was_missed() -> None:
    engine, clock = engine_for("heat-night-leak")
    engine.start()
    steps: list[tuple[float, Event]] = [
        (2, ScriptSaid("greeting", "2", "您好，城发客服夜间值班")),
        (3, ScreenOpened("lookup")),
        (2, QueryTyped("lookup", "周海燕", 6)),  # the name while it floods
        (3, HitOpened("caller", "4701402398", "name")),
        (40, ScreenOpened("ticket")),
        (30, TicketSaved("heat.no_heat.whole_flat", "HS-XC", "high", "hotline", "暖气漏水")),
        (5, NoteAdded("让她关楼道阀门，再关户内")),  # the order reversed
        (5, CallEnded()),
    ]
    out = play(engine, clock, steps)
    assert "no-name-search" in [h.id for h in hints(out)]
    assert "ticket-now" in [h.id for h in hints(out)]
    debrief = engine.debrief()
    missed = {i.id: i.why for i in debrief.missed}
    assert missed == {
        "valve-article": NOT_DONE,
        "dispatched": NOT_DONE,  # wrong category and priority: not the leak ticket
        "valve-order": NOT_DONE,
        "safety": NOT_DONE,
        "closing": NOT_DONE,
    }
    assert debrief.score == 15  # greeting 5 + found 10
    assert debrief.items[0].why_text() == ""
    assert next(i for i in debrief.missed if i.id == "safety").why_text() == "not done"


def test_a_leak_ticket_after_two_minutes_is_too_late() -> None:
    engine, clock = engine_for("heat-night-leak")
    engine.start()
    wait(engine, clock, 130)
    engine.feed(TicketSaved("heat.leak.in_flat", "HS-XC", "urgent", "hotline", "户内跑水"))
    engine.feed(CallEnded())
    item = next(i for i in engine.debrief().items if i.id == "dispatched")
    assert (item.met, item.why) == (False, TOO_LATE)
    assert item.why_text() == "done after 130 s; expected within 120 s"


def test_dispatching_what_the_caller_can_fix_is_marked() -> None:
    engine, _clock = engine_for("heat-half-hot")
    engine.start()
    engine.feed(TicketSaved("heat.no_heat.partial", "HS-JC", "normal", "hotline", "半热"))
    engine.feed(CallEnded())
    item = next(i for i in engine.debrief().items if i.id == "no-dispatch")
    assert (item.met, item.why) == (False, FORBIDDEN_DONE)


def test_looking_up_before_verifying_loses_the_verify_item() -> None:
    engine, clock = engine_for("heat-forgot-account")
    engine.start()
    play(
        engine,
        clock,
        [
            (1, HitOpened("caller", "4701103467", "phone")),
            (1, ScriptSaid("verification", "4", "请提供户主姓名")),
        ],
    )
    item = next(i for i in engine.debrief().items if i.id == "verify")
    assert (item.met, item.why) == (False, OUT_OF_ORDER)


def test_listing_numbers_match_by_digits_and_sms_counts_as_found() -> None:
    engine, _clock = engine_for("dir-exact-name")
    engine.start()
    engine.feed(SmsSent("directory", "04715455440", "呼和浩特东站 0471-5455440"))
    assert {"found", "sent"} <= set(engine.state.met)


# -- mentors, hands, the end of the call ----------------------------------------------
def test_mentor_hints_are_shown_once_and_counted() -> None:
    engine, _clock = engine_for("dir-exact-name")
    engine.start()
    out = engine.feed(MentorHint("试试拼音首字母", "17"))
    again = engine.feed(MentorHint("试试拼音首字母", "17"))  # delivered twice (reconnect)
    assert [(h.source, h.text, h.id) for h in hints(out)] == [("mentor", "试试拼音首字母", "17")]
    assert hints(again) == []
    engine.feed(CallEnded())
    assert engine.debrief().mentor_hints == 1 and engine.debrief().scripted_hints == 0


def test_a_raised_hand_says_the_scenario_and_step() -> None:
    engine, _clock = engine_for("heat-half-hot")
    engine.start()
    engine.feed(ScriptSaid("greeting"))
    assert engine.hand() == {"scenario_id": "heat-half-hot", "step": "1:opening"}
    # As the mentor's room shows it: lines heard of all, and the caller's last line.
    opening = engine.scenario.lines[0]
    label = step_label(engine.scenario, "1:opening")
    assert label == f"1/{len(engine.scenario.lines)} · " + fill_facts(
        opening.text, engine.scenario.facts
    )
    assert "{" not in label  # the scenario's facts filled in
    assert step_label(engine.scenario, "0:") == f"0/{len(engine.scenario.lines)}"
    assert step_label(engine.scenario, "2:gone") == "2:gone"  # another version of the file
    engine.feed(HandRaised())
    engine.feed(CallEnded())
    assert engine.debrief().hands == 1


def test_nothing_happens_after_the_call_ended() -> None:
    engine, clock = engine_for("heat-half-hot")
    engine.start()
    engine.feed(CallEnded())
    assert engine.feed(ScriptSaid("greeting")) == []
    assert wait(engine, clock, 60) == []
    assert engine.state.ended and engine.state.step == 0 and engine.debrief().duration == 0


def test_the_same_events_give_the_same_call() -> None:
    def run() -> tuple[list[Output], dict]:
        engine, clock = engine_for("heat-unserved")
        out = engine.start()
        out += play(
            engine,
            clock,
            [
                (3, ScriptSaid("greeting", "1", "您好")),
                (20, QueryTyped("lookup", "赵志强", 3)),
                (2, HitOpened("caller", "4701208874", "name")),
                (30, CallEnded()),
            ],
        )
        return out, engine.debrief().to_json()

    assert run() == run()


def test_the_debrief_json_carries_items_and_timeline() -> None:
    engine, clock = engine_for("dir-exact-name")
    engine.start()
    play(engine, clock, [(1, ScriptSaid("greeting", "1", "您好")), (2, CallEnded())])
    body = engine.debrief().to_json(drill_id="d1")
    assert body["scenario_id"] == "dir-exact-name" and body["drill_id"] == "d1"
    assert [i["id"] for i in body["items"]] == ["greeting", "found", "sent", "closing"]
    assert body["items"][0] | {"label": ""} == {
        "id": "greeting",
        "label": "",
        "skill": "greeting",
        "weight": 15,
        "met": True,
        "at_s": 1.0,
        "took_s": 1.0,
        "why": "",
    }
    kinds = [t["kind"] for t in body["timeline"]]
    assert kinds == ["ScriptSaid", "CallerLine", "CallEnded"]


def test_state_reports_points_so_far() -> None:
    engine, _clock = engine_for("dir-exact-name")
    engine.start()
    engine.feed(ScriptSaid("greeting"))
    state = engine.state
    assert dataclasses.asdict(state) | {"elapsed": 0} == {
        "scenario_id": "dir-exact-name",
        "elapsed": 0,
        "step": 1,
        "step_id": "ask",
        "met": ("greeting",),
        "points": 15,
        "keystrokes": 0,
        "hints": 0,
        "ended": False,
    }
