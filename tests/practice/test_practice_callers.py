"""Practice mode looks callers up among the scenarios' callers, never in production
(trainees may not read production callers, issue 14): the client answers the lookup,
the card and unmasking itself, and a practice caller's id never reaches the backend."""

from __future__ import annotations

import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient, BackendError
from agent_console.practice import shipped_scenarios
from agent_console.practice.callers import PracticeCallers
from tests.conftest import login


def test_the_shipped_scenarios_callers_are_found_as_the_backend_would_find_them() -> None:
    callers = PracticeCallers(shipped_scenarios())
    (hit,) = callers.find("13904711234").items
    assert (hit.name, hit.match, hit.compound, hit.served) == ("王秀英", "phone", "金川新城", True)
    assert hit.id < 0 and "1234" in hit.phone and hit.phone != "13904711234"  # masked
    assert [h.match for h in callers.find("4701208874").items] == ["account"]
    assert callers.find("4701208874").items[0].served is False  # heat-unserved
    assert [h.name for h in callers.find("1234").items] == ["王秀英"]  # last digits
    assert {h.name for h in callers.find("金川新城").items} == {"王秀英", "曹振华"}
    assert callers.find("13800000000").items == ()
    card = callers.card(hit.id)
    assert card is not None and card.account_no == "4733367997" and card.notes
    unmasked = callers.unmask(hit.id)
    assert unmasked is not None and unmasked.phone == "13904711234"


async def test_a_trainee_in_practice_looks_up_saves_and_texts_without_production(
    fresh_server: EmbeddedBackend,
) -> None:
    url = fresh_server.url
    client = BackendClient(url, login(url, "2001"))
    try:
        client.practice_callers = PracticeCallers(shipped_scenarios())
        page = await client.find_callers("13847195522")
        (hit,) = page.items
        card = await client.get_caller(hit.id)
        assert (card.name, card.compound) == ("刘建国", "如意小区")
        data = {"caller_id": hit.id, "category": "heat.no_heat.partial", "summary": "练习"}
        ticket = await client.create_ticket({**data, "area": "practice"}, "practice-key-1")
        assert ticket.caller_id is None  # the practice caller stays on the seat
        sms = await client.send_sms("您的交费编号 4701103467", caller_id=hit.id, practice=True)
        assert sms.to.endswith("5522")  # sent to the number, in the practice area
        # Without the practice callers the same trainee is refused production's.
        client.practice_callers = None
        with pytest.raises(BackendError) as refused:
            await client.find_callers("13847195522")
        assert refused.value.status == 403
    finally:
        await client.aclose()


async def test_an_unknown_practice_caller_is_a_404_refusal_not_a_crash() -> None:
    # Port 9 (discard): nothing may be asked of a backend for a practice caller.
    client = BackendClient("http://127.0.0.1:9", "token")
    client.practice_callers = PracticeCallers(shipped_scenarios())
    try:
        for call in (client.get_caller, client.unmask_caller):
            with pytest.raises(BackendError) as refused:
                await call(-999999)
            assert (refused.value.status, refused.value.code) == (404, "not_found")
    finally:
        await client.aclose()
