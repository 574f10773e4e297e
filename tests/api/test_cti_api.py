"""The phone system's door (Zammad's generic CTI push API, POST /api/v1/cti/{token}) on a
real server, on both engines: each event form-encoded and as JSON, agents named by number,
extension and name, a call answered at one agent stops ringing at the others (read from
the other agent's real event stream), a call nobody answered is a missed call with a
callback, wrong tokens get the 404 of an unknown path, repeated events change nothing,
junk gets no 5xx; and a PBX-side client others wrote (py-zammad-cti) drives it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.server.demo import demo_rows
from tests.api.event_tap import EventTap
from tests.conftest import API, DemoDatabase, login, start_backend

TOKEN = "cti-" + uuid.uuid4().hex
KNOWN = demo_rows("callers.toml", "caller")[0]  # demo caller 1


@pytest.fixture(scope="module")
def pbx_server(demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    args = ["--cti-token", TOKEN, "--events-heartbeat", "0.3"]
    backend = start_backend(demo_db, tmp_path_factory.mktemp("cti"), args)
    yield backend
    backend.stop()


def agent(url: str, agent_id: str) -> httpx.Client:
    token = login(url, agent_id)
    return httpx.Client(base_url=url + API, headers={"Authorization": f"Bearer {token}"})


def ref() -> str:
    return uuid.uuid4().hex


def cti(url: str, data: Any = None, *, json: Any = None, token: str = TOKEN) -> httpx.Response:
    return httpx.post(f"{url}{API}/cti/{token}", data=data, json=json, timeout=15)


class Tap(EventTap):
    """One agent's real event stream, with the call events picked by call_ref."""

    def __init__(self, url: str, agent_id: str) -> None:
        super().__init__(agent(url, agent_id))

    def events(self, kind: str, call_ref: str) -> list[dict]:
        return [d for d in self.of(kind) if d.get("call_ref") == call_ref]

    def wait(self, kind: str, call_ref: str, timeout: float = 15) -> dict:
        return self.first(
            f"{kind} for {call_ref}",
            lambda t, d: t == kind and d.get("call_ref") == call_ref,
            timeout,
        )


def wait_for(check: Callable[[], Any], what: str, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return result


def new_call(url: str, call_ref: str, users: list[str], number: str = "", **more: str) -> None:
    """A newCall, form-encoded as most PBX scripts send it (user[] repeated)."""
    data = {"event": "newCall", "from": number or KNOWN["phone"], "to": "961655"}
    data |= {"direction": "in", "callId": call_ref, "user[]": users, **more}
    r = cti(url, data)
    assert (r.status_code, r.json()) == (200, {}), r.text


# -- each event, form-encoded and JSON ------------------------------------------------------
def test_new_call_rings_every_agent_named_by_number_extension_or_name(pbx_server: Any) -> None:
    call_ref = ref()
    with Tap(pbx_server.url, "1001") as one, Tap(pbx_server.url, "1002") as two:
        new_call(pbx_server.url, call_ref, ["801", "高雅琴"], queue="heating")  # ext, name
        pop1, pop2 = one.wait("incoming_call", call_ref), two.wait("incoming_call", call_ref)
    assert pop1["call_id"] == pop2["call_id"]  # one call, ringing at both
    assert pop1["number"] == KNOWN["phone"] and pop1["number_masked"] != KNOWN["phone"]
    assert pop1["caller_id"] == 1 and pop1["caller_name"] == KNOWN["name"]
    assert (pop1["direction"], pop1["queue"], pop1["hotline"]) == ("in", "heating", "961655")

    call_ref = ref()
    with Tap(pbx_server.url, "1003") as three:
        new_call(pbx_server.url, call_ref, ["1003"], number="13700000001")  # agent number
        pop = three.wait("incoming_call", call_ref)
    assert (pop["caller_id"], pop["caller_name"], pop["hotline"]) == (None, None, "114")


def test_json_events_and_plain_repeated_user(pbx_server: Any) -> None:
    call_ref = ref()
    with Tap(pbx_server.url, "1001") as one, Tap(pbx_server.url, "1002") as two:
        body = {"event": "newCall", "from": "0471-6961655", "to": "961655", "direction": "in"}
        r = cti(pbx_server.url, json={**body, "callId": call_ref, "user": ["1001", "802"]})
        assert (r.status_code, r.json()) == (200, {})
        call_id = one.wait("incoming_call", call_ref)["call_id"]
        assert two.wait("incoming_call", call_ref)["call_id"] == call_id
        r = cti(pbx_server.url, json={"event": "answer", "callId": call_ref, "user[]": ["李静"]})
        assert (r.status_code, r.json()) == (200, {})
        assert two.wait("call_answered", call_ref)["agent_id"] == "1001"
        hangup = {"event": "hangup", "callId": call_ref, "cause": "normalClearing"}
        assert cti(pbx_server.url, json=hangup).json() == {}
        ended = one.wait("call_ended", call_ref)
    assert ended == two.wait("call_ended", call_ref)
    assert (ended["call_id"], ended["answered"], ended["agent_id"]) == (call_id, True, "1001")
    assert ended["cause"] == "normalClearing"

    # Plain repeated `user` form fields (py-zammad-cti and many scripts send these).
    call_ref = ref()
    with Tap(pbx_server.url, "1002") as two:
        data = {"event": "newCall", "from": "13900000002", "callId": call_ref, "user": ["802"]}
        assert cti(pbx_server.url, data).json() == {}
        two.wait("incoming_call", call_ref)


def test_answer_at_one_agent_stops_it_ringing_at_the_others(pbx_server: Any) -> None:
    call_ref = ref()
    with Tap(pbx_server.url, "1001") as one, Tap(pbx_server.url, "1002") as two:
        new_call(pbx_server.url, call_ref, ["801", "802"])
        call_id = one.wait("incoming_call", call_ref)["call_id"]
        two.wait("incoming_call", call_ref)
        data = {"event": "answer", "callId": call_ref, "answeringNumber": "802"}
        assert cti(pbx_server.url, data).json() == {}
        answered = one.wait("call_answered", call_ref)  # the other agent's stream
        assert (answered["call_id"], answered["agent_id"]) == (call_id, "1002")
        assert two.wait("call_answered", call_ref)["agent_id"] == "1002"
        # 1001 cannot take it any more; 1002 has it.
        with agent(pbx_server.url, "1001") as li:
            r = li.post(f"/calls/{call_id}/answer")
            assert (r.status_code, r.json()["error"]["code"]) == (409, "already_answered")
        data = {"event": "hangup", "callId": call_ref, "cause": "normalClearing"}
        assert cti(pbx_server.url, data).json() == {}
        assert one.wait("call_ended", call_ref)["agent_id"] == "1002"


# -- missed calls, the caller log, callbacks -----------------------------------------------
def test_hangup_before_answer_is_a_missed_call_with_a_callback(pbx_server: Any) -> None:
    call_ref, number = ref(), f"1390{uuid.uuid4().int % 10**7:07d}"
    with Tap(pbx_server.url, "1001") as one, agent(pbx_server.url, "1002") as gao:
        new_call(pbx_server.url, call_ref, ["801", "802"], number=number)
        call_id = one.wait("incoming_call", call_ref)["call_id"]
        data = {"event": "hangup", "callId": call_ref, "cause": "cancel", "from": number}
        assert cti(pbx_server.url, data).json() == {}
        ended = one.wait("call_ended", call_ref)
        assert (ended["answered"], ended["agent_id"], ended["cause"]) == (False, None, "cancel")

        items = gao.get("/calls/missed").json()["items"]  # 1002 is on the same hotline
        missed = next(m for m in items if m["call_id"] == call_id)
        assert missed["rang_agents"] == ["1001", "1002"] and missed["called_back"] is False
        assert missed["number_masked"] != number and missed["number_masked"][-4:] == number[-4:]
        assert items.index(missed) == 0  # newest first

        back = gao.post("/calls/outbound", json={"call_id": call_id, "reason": "callback"})
        assert back.status_code == 201, back.text
        out = back.json()
        assert (out["number"], out["direction"], out["reason"]) == (number, "out", "callback")
        assert (out["agent_id"], out["reached"]) == ("1002", None)
        r = gao.post(f"/calls/{out['id']}/result", json={"reached": False})
        assert (r.json()["reached"], r.json()["state"]) == (False, "ended")
        items = gao.get("/calls/missed").json()["items"]
        assert next(m for m in items if m["call_id"] == call_id)["called_back"] is True
        # Another agent's callback record is not 1001's to settle.
        with agent(pbx_server.url, "1001") as li:
            assert li.post(f"/calls/{out['id']}/result", json={"reached": True}).status_code == 404


def test_callback_to_a_known_caller(pbx_server: Any) -> None:
    with agent(pbx_server.url, "1001") as li:
        r = li.post("/calls/outbound", json={"caller_id": 1, "reason": "callback", "ticket_id": 1})
        assert r.status_code == 201, r.text
        out = r.json()
        assert (out["number"], out["caller_id"], out["state"]) == (KNOWN["phone"], 1, "answered")
        r = li.post(f"/calls/{out['id']}/result", json={"reached": True})
        assert (r.json()["reached"], r.json()["state"]) == (True, "answered")
        assert li.post("/calls/outbound", json={"reason": "callback"}).status_code == 422
        assert li.post("/calls/outbound", json={"caller_id": 10**6}).status_code == 422
        for field in ("caller_id", "call_id", "ticket_id"):  # no row id that big
            body = {"caller_id": 1, field: 2**40}
            assert li.post("/calls/outbound", json=body).status_code == 422


def test_outbound_calls_and_a_hangup_that_says_who_answered(pbx_server: Any) -> None:
    out_ref, customer = ref(), "13900000005"
    with Tap(pbx_server.url, "1001") as one, agent(pbx_server.url, "1001") as li:
        # The agent dials from extension 801: the PBX names the agent and the number called.
        data = {"event": "newCall", "from": "801", "to": customer, "direction": "out"}
        assert cti(pbx_server.url, {**data, "callId": out_ref, "user[]": "801"}).json() == {}
        pop = one.wait("incoming_call", out_ref)
        assert (pop["direction"], pop["number"]) == ("out", customer)
        hangup = {"event": "hangup", "callId": out_ref, "cause": "noAnswer"}
        assert cti(pbx_server.url, hangup).json() == {}
        assert one.wait("call_ended", out_ref)["answered"] is False
        missed = [m["call_ref"] for m in li.get("/calls/missed").json()["items"]]
        assert out_ref not in missed  # not reached is not missed

        # A PBX that sends no `answer`: the hangup names who had the call.
        in_ref = ref()
        new_call(pbx_server.url, in_ref, ["801", "802"])
        one.wait("incoming_call", in_ref)
        hangup = {"event": "hangup", "callId": in_ref, "cause": "normalClearing"}
        assert cti(pbx_server.url, {**hangup, "answeringNumber": "801"}).json() == {}
        assert one.wait("call_answered", in_ref)["agent_id"] == "1001"
        ended = one.wait("call_ended", in_ref)
        assert (ended["answered"], ended["agent_id"]) == (True, "1001")
        missed = [m["call_ref"] for m in li.get("/calls/missed").json()["items"]]
        assert in_ref not in missed


# -- the console's own answer and hangup ----------------------------------------------------
def test_console_answers_and_hangs_up(pbx_server: Any) -> None:
    call_ref = ref()
    with (
        Tap(pbx_server.url, "1002") as two,
        agent(pbx_server.url, "1001") as li,
        agent(pbx_server.url, "1003") as su,
    ):
        new_call(pbx_server.url, call_ref, ["801", "802"])
        call_id = two.wait("incoming_call", call_ref)["call_id"]
        assert su.post(f"/calls/{call_id}/answer").status_code == 404  # never rang there
        assert li.post(f"/calls/{call_id}/hangup").status_code == 409  # not answered yet
        r = li.post(f"/calls/{call_id}/answer")
        assert (r.status_code, r.json()["state"], r.json()["answered_by"]) == (
            200,
            "answered",
            "1001",
        )
        assert two.wait("call_answered", call_ref)["agent_id"] == "1001"
        assert li.post(f"/calls/{call_id}/answer").status_code == 200  # again: no change
        with agent(pbx_server.url, "1002") as gao:
            assert gao.post(f"/calls/{call_id}/hangup").status_code == 403  # not hers
        r = li.post(f"/calls/{call_id}/hangup")
        assert (r.status_code, r.json()["state"]) == (200, "ended")
        ended = two.wait("call_ended", call_ref)
        assert (ended["answered"], ended["agent_id"]) == (True, "1001")
    assert len(two.events("call_answered", call_ref)) == 1


def test_simulated_calls_ring_the_same_way(pbx_server: Any) -> None:
    with Tap(pbx_server.url, "1003") as three, agent(pbx_server.url, "9001") as boss:
        r = boss.post("/calls/simulate", json={"agent_id": "1003", "caller_id": 1})
        assert r.status_code == 201, r.text
        call = r.json()
        assert call["call_ref"].startswith("sim-") and call["state"] == "ringing"
        pop = three.wait("incoming_call", call["call_ref"])
        assert (pop["call_id"], pop["caller_id"], pop["caller_name"]) == (
            call["id"],
            1,
            KNOWN["name"],
        )


def test_calls_are_for_those_who_take_calls(pbx_server: Any) -> None:
    call_ref = ref()
    with Tap(pbx_server.url, "1001") as one:
        # A trainee and a station named by the PBX are not rung; the agent is.
        new_call(pbx_server.url, call_ref, ["2001", "5001", "801"])
        call_id = one.wait("incoming_call", call_ref)["call_id"]
    for who in ("2001", "5001"):
        with agent(pbx_server.url, who) as c:
            assert c.get("/calls/missed").status_code == 403
            assert c.post(f"/calls/{call_id}/answer").status_code == 403
            assert c.post("/calls/outbound", json={"caller_id": 1}).status_code == 403


# -- tokens, repeats, junk --------------------------------------------------------------------
def test_wrong_or_unset_token_is_the_404_of_an_unknown_path(
    pbx_server: Any, server: EmbeddedBackend
) -> None:
    unknown = httpx.post(f"{pbx_server.url}{API}/no-such-path", data={"event": "newCall"})
    assert unknown.status_code == 404
    data = {"event": "newCall", "from": "13900000003", "callId": ref(), "user[]": "801"}
    for token in ("wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper(), "%00"):
        r = cti(pbx_server.url, data, token=token)
        assert (r.status_code, r.json()) == (404, unknown.json())
    r = httpx.post(f"{server.url}{API}/cti/{TOKEN}", data=data)  # a server with no token
    assert (r.status_code, r.json()) == (404, unknown.json())


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from agent_console.server.routes import cti as route

    compared: list[tuple[bytes, bytes]] = []
    real = route.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(route.hmac, "compare_digest", spy)
    assert route.token_matches("abc", "abc") and not route.token_matches("abd", "abc")
    assert compared == [(b"abc", b"abc"), (b"abd", b"abc")]
    assert not route.token_matches("", "") and not route.token_matches("x", "")


def test_repeated_events_change_nothing(pbx_server: Any) -> None:
    call_ref = ref()
    with Tap(pbx_server.url, "1001") as one:
        new_call(pbx_server.url, call_ref, ["801"])
        new_call(pbx_server.url, call_ref, ["801", "802"])  # a retry, even a different one
        for _ in range(2):
            data = {"event": "answer", "callId": call_ref, "answeringNumber": "801"}
            assert cti(pbx_server.url, data).json() == {}
        for cause in ("normalClearing", "normalClearing", "cancel"):
            data = {"event": "hangup", "callId": call_ref, "cause": cause}
            assert cti(pbx_server.url, data).json() == {}
        ended = one.wait("call_ended", call_ref)
        # A later call's pop arrives after anything the repeats would have published.
        marker = ref()
        new_call(pbx_server.url, marker, ["801"])
        one.wait("incoming_call", marker)
        kinds = ("incoming_call", "call_answered", "call_ended")
        assert [len(one.events(k, call_ref)) for k in kinds] == [1, 1, 1]
        assert ended["cause"] == "normalClearing"
        with agent(pbx_server.url, "1002") as gao:  # the retry did not ring 1002
            r = gao.post(f"/calls/{ended['call_id']}/answer")
            assert r.status_code == 404


def test_unknown_call_ids_are_answered_and_logged(pbx_server: Any) -> None:
    log = Path(pbx_server.log_file)
    for event in ("answer", "hangup"):
        call_ref = "never-" + ref()
        r = cti(pbx_server.url, {"event": event, "callId": call_ref, "cause": "cancel"})
        assert (r.status_code, r.json()) == (200, {})
        wait_for(lambda ref=call_ref: ref in log.read_text(), f"the log line for {call_ref}")


JUNK: list[dict[str, Any]] = [
    {"data": {}},
    {"data": {"event": "newCall"}},  # no callId
    {"data": {"event": "ring", "callId": "x"}},
    {"data": {"event": "newCall", "callId": "x" * 5000, "user[]": ["801"] * 500}},
    {"data": {"event": "hangup", "callId": ref(), "cause": "exploded\x00\x1b[31m"}},
    {"data": {"event": "newCall", "callId": ref(), "direction": "sideways", "user": "nobody"}},
    {"data": {f"f{i}": "v" for i in range(300)}},
    {"content": b"event=newCall&callId=\xff\xfe", "headers": {"content-type": "text/plain"}},
    {"content": b"{not json", "headers": {"content-type": "application/json"}},
    {"json": ["event", "newCall"]},
    {"json": {"event": ["newCall"], "callId": {"a": 1}}},
    {"json": {"event": "newCall", "callId": 12345, "from": None, "user": [{"x": 1}, 801]}},
    {"json": {"event": "answer", "callId": True, "answeringNumber": 1.5}},
    {"content": b"x" * 70_000, "headers": {"content-type": "application/x-www-form-urlencoded"}},
]


@pytest.mark.parametrize("request_kwargs", JUNK)
def test_junk_gets_no_server_error(pbx_server: Any, request_kwargs: dict[str, Any]) -> None:
    r = httpx.post(f"{pbx_server.url}{API}/cti/{TOKEN}", timeout=15, **request_kwargs)
    assert r.status_code < 500, r.text
    assert isinstance(r.json(), dict)


# -- a PBX-side client others wrote ------------------------------------------------------------
def test_py_zammad_cti_client_drives_a_call(pbx_server: Any) -> None:
    # Imported, not importorskip: the test extras install it, and CI must run this.
    import zammad_cti  # type: ignore[import-untyped]

    client = zammad_cti.CTIClient(url=f"{pbx_server.url}{API}/cti/{TOKEN}")
    call_ref, number = ref(), KNOWN["phone"]
    with Tap(pbx_server.url, "1001") as one, Tap(pbx_server.url, "1002") as two:
        assert client.new_call(number, "961655", "in", call_ref, ["801", "802"], "heat") == {}
        pop = one.wait("incoming_call", call_ref)
        assert two.wait("incoming_call", call_ref)["call_id"] == pop["call_id"]
        assert (pop["caller_id"], pop["queue"]) == (1, "heat")
        assert client.answer(number, "961655", "in", call_ref, answering_number="801") == {}
        assert two.wait("call_answered", call_ref)["agent_id"] == "1001"
        assert client.hangup(number, "961655", "in", call_ref, "normalClearing", "801") == {}
        ended = two.wait("call_ended", call_ref)
    assert (ended["answered"], ended["agent_id"], ended["cause"]) == (
        True,
        "1001",
        "normalClearing",
    )

    # A call nobody took, by the same client: the caller log has it.
    missed_ref = ref()
    client.new_call("13900000004", "961655", "in", missed_ref, "802")
    client.hangup("13900000004", "961655", "in", missed_ref, "noAnswer")
    with agent(pbx_server.url, "1001") as li:
        items = li.get("/calls/missed").json()["items"]
    assert any(m["call_ref"] == missed_ref and m["cause"] == "noAnswer" for m in items)


def test_the_call_an_agent_is_on_is_there_for_a_console_that_starts_mid_call(
    pbx_server: Any,
) -> None:
    """GET /calls/current: the answered call that has not ended (a console restarted
    mid-call, or a PBX that lost the hangup, takes it up and ends it with F10)."""
    call_ref = ref()
    with agent(pbx_server.url, "3001") as mentor, agent(pbx_server.url, "2001") as trainee:
        assert mentor.get("/calls/current").json() == {"call": None}
        new_call(pbx_server.url, call_ref, ["831"])
        assert mentor.get("/calls/current").json() == {"call": None}  # ringing: not yet
        cti(pbx_server.url, {"event": "answer", "callId": call_ref, "answeringNumber": "831"})
        call = mentor.get("/calls/current").json()["call"]
        assert (call["call_ref"], call["number"], call["caller_name"]) == (
            call_ref,
            KNOWN["phone"],
            KNOWN["name"],
        )
        assert call["number_masked"] != KNOWN["phone"] and call["answered_at"]
        r = mentor.post(f"/calls/{call['call_id']}/hangup")  # F10 at the console
        assert (r.status_code, r.json()["state"]) == (200, "ended")
        assert mentor.get("/calls/current").json() == {"call": None}
        assert trainee.get("/calls/current").status_code == 403
        # A simulated call has nobody on its line once its console has gone: not taken up.
        with agent(pbx_server.url, "9001") as boss:
            r = boss.post("/calls/simulate", json={"agent_id": "3001", "caller_id": 1})
            assert r.status_code == 201, r.text
        assert mentor.post(f"/calls/{r.json()['id']}/answer").status_code == 200
        assert mentor.get("/calls/current").json() == {"call": None}
        assert mentor.post(f"/calls/{r.json()['id']}/hangup").status_code == 200
