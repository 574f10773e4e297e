"""When Ctrl+Q asks first: decided without a terminal."""

from __future__ import annotations

from agent_console.agent_state import ACW, NOT_READY, ON_CALL, READY
from agent_console.models import Caller
from agent_console.quit_guard import quit_risk
from agent_console.seat.call import CallContext


def test_an_idle_seat_quits_without_a_question() -> None:
    assert not quit_risk(CallContext(), READY, ticket_has_text=False)
    assert not quit_risk(CallContext(), NOT_READY, ticket_has_text=False)


def test_a_call_the_console_knows_of_asks_and_names_the_caller() -> None:
    call = CallContext()
    call.set_caller(Caller(id=7, name="王芳", phone="139****5566"))
    risk = quit_risk(call, READY, ticket_has_text=False)
    assert risk and risk.on_call and not risk.unsaved_ticket
    assert (risk.caller_name, risk.caller_phone) == ("王芳", "139****5566")


def test_a_ringing_number_or_the_seats_state_is_a_call_too() -> None:
    ringing = CallContext()
    ringing.begin("13904711234")
    assert quit_risk(ringing, READY, ticket_has_text=False).on_call
    for state in (ON_CALL, ACW):
        assert quit_risk(CallContext(), state, ticket_has_text=False).on_call


def test_ticket_text_not_saved_asks() -> None:
    risk = quit_risk(CallContext(), READY, ticket_has_text=True)
    assert risk and risk.unsaved_ticket and not risk.on_call
