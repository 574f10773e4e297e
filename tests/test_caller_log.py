"""The caller log's rows and the seat's shown state, without a terminal: who, when in the
agent's language, called back or not, newest first; "Ringing" while a call rings (and
never told to the backend); a callback to a number nobody knows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from agent_console import caller_log, i18n
from agent_console.models import Caller, MissedCall, OutboundCall
from agent_console.seat import Change, Ring, SeatCore

NOW = datetime(2026, 12, 6, 15, 30)  # the seat's local time, naive


def iso(local: datetime) -> str:
    """A backend timestamp (UTC ISO) for a naive local time."""
    return local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def missed(call_id: int, at: datetime, **more: object) -> MissedCall:
    data = {"call_id": call_id, "number_masked": "139****0042", "at": iso(at), **more}
    return MissedCall.from_json(data)


def test_a_row_says_who_when_and_whether_called_back() -> None:
    row = caller_log.row(missed(1, NOW - timedelta(minutes=25), queue="heat"), NOW)
    assert row == caller_log.LogRow("15:05 (25 min ago)", "unknown caller", "139****0042",
                                    "heat", "not called back")  # fmt: skip
    known = missed(2, NOW - timedelta(days=1), caller_name="Anna", called_back=True)
    row = caller_log.row(known, NOW)
    assert (row.when, row.who, row.queue, row.called_back) == (
        "yesterday 15:30",
        "Anna",
        "–",
        "✓ called back",
    )
    assert caller_log.row(missed(3, NOW - timedelta(days=3)), NOW).when == "12-03 15:30"
    assert caller_log.row(missed(4, NOW - timedelta(seconds=20)), NOW).when == "15:29 (just now)"


def test_rows_and_summary_follow_the_language() -> None:
    i18n.set_language("zh")
    row = caller_log.row(missed(1, NOW - timedelta(hours=3)), NOW)
    assert (row.when, row.who, row.called_back) == ("12:30（3小时前）", "未知来电人", "未回拨")
    assert caller_log.summary([missed(1, NOW)]) == "未接来电：1 个，未回拨：1 个。"
    i18n.set_language("en")
    assert caller_log.summary([]) == "No missed calls on your hotline."
    calls = [missed(1, NOW), missed(2, NOW, called_back=True)]
    assert caller_log.summary(calls) == "Missed calls: 2, not called back: 1."


def test_newest_first_whatever_the_order_sent() -> None:
    old, new, newer = (missed(i, NOW - timedelta(minutes=m)) for i, m in ((1, 50), (2, 5), (3, 5)))
    assert [c.call_id for c in caller_log.newest_first([old, new, newer])] == [3, 2, 1]


def test_a_withheld_number_cannot_be_called_back() -> None:
    assert caller_log.can_call_back(missed(1, NOW))
    assert not caller_log.can_call_back(missed(2, NOW, number_masked="anonymous"))
    assert not caller_log.can_call_back(missed(3, NOW, number_masked=""))
    assert caller_log.row(missed(3, NOW, number_masked=""), NOW).number == "withheld"


def test_missed_calls_and_outbound_records_are_read_defensively() -> None:
    m = MissedCall.from_json({"call_id": True, "caller_id": "7", "called_back": "yes"})
    assert (m.call_id, m.caller_id, m.called_back, m.caller_name) == (0, None, False, "")
    m = MissedCall.from_json({"call_id": 5, "caller_name": None, "rang_agents": ["1001", None]})
    assert (m.caller_name, m.rang_agents) == ("", ("1001",))
    out = OutboundCall.from_json({"id": 9, "number": "13900000042", "caller_id": None})
    assert (out.id, out.number, out.caller_id) == (9, "13900000042", None)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_status_bar_says_ringing_while_a_call_rings() -> None:
    clock = Clock()
    core = SeatCore(clock=clock, me=lambda: "1001")
    told: list[Change] = []
    core.on_report = told.append
    clock.now += 30
    assert core.shown() == ("ready", 1000.0)
    core.ring(Ring.from_event({"call_id": 41, "number": "13900000042"}))
    clock.now += 4
    assert core.shown() == ("ringing", 1030.0)
    assert core.label(clock.now) == "Ringing 00:04"
    assert core.state.state == "ready" and told == []  # the backend has no "ringing"
    i18n.set_language("zh")
    assert core.label(clock.now) == "振铃中 00:04"
    i18n.set_language("en")
    core.take()
    clock.now += 5
    assert core.shown() == ("on_call", 1034.0) and core.label(clock.now) == "On a call 00:05"
    core.hang_up()
    assert core.shown()[0] == "acw"
    core.wrap_up("answered")
    assert core.shown()[0] == "ready"
    core.ring(Ring.from_event({"call_id": 42, "number": "13900000043"}))
    core.ended(42)  # nobody took it: the agent is as they were
    assert core.shown()[0] == "ready"


def test_a_callback_to_a_number_nobody_knows() -> None:
    core = SeatCore(clock=Clock(), me=lambda: "1001")
    assert core.outbound(None, 77, "13900000042", "139****0042")
    call = core.call
    assert (core.phase, call.direction, call.caller, call.number) == (
        "on_call",
        "out",
        None,
        "13900000042",
    )
    assert call.shown_number() == "139****0042" and core.call_key == "call:77"
    anna = Caller(id=7, name="Anna", phone="180****6690")
    core.hang_up()
    core.wrap_up("callback")
    assert core.outbound(anna, 78, "18004716690")
    assert (core.call.caller_name, core.call.number_masked) == ("Anna", "180****6690")


def test_a_card_ticket_reads_its_category_by_name_in_the_consoles_language() -> None:
    from agent_console.models.caller import Ticket

    row = {"id": 1, "category": "heat.leak.in_flat", "category_name": "户内漏水",
           "category_name_en": "Leak in the flat"}  # fmt: skip
    ticket = Ticket.from_json(row)
    assert (ticket.category_label("zh"), ticket.category_label("en")) == (
        "户内漏水",
        "Leak in the flat",
    )
    assert Ticket.from_json({"id": 2, "category": "x.y"}).category_label("zh") == "x.y"
