"""A supervisor's hand on every seat (issue 16), on both engines: state set from the
floor (refused during a call), a seat signed out (its stream told why and ended at
once), floor messages until read (only by their addressee), tickets reassigned; each
in the audit log, each refused to every other role, no input a 5xx."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.api.test_stream_sessions import EndingStream, bearer, next_of, open_stream
from tests.conftest import API, DemoDatabase, login, start_backend

SUPERVISOR_ROUTES = [
    ("PUT", "/agents/1003/state", {"state": "not_ready", "reason": "meeting"}),
    ("POST", "/agents/1003/sign-out", {"reason": "end of shift"}),
    ("POST", "/agents/1003/messages", {"text": "hello"}),
    ("POST", "/tickets/1/reassign", {"agent_id": "1002"}),
]


@pytest.fixture(scope="module")
def floor(demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A backend of this module's own (it signs seats out); the default 15 s heartbeat,
    so a stream that ends within a few seconds ended because of the sign-out event."""
    backend: EmbeddedBackend = start_backend(demo_db, tmp_path_factory.mktemp("floor"))
    yield backend.url
    backend.stop()


def as_(url: str, agent_id: str) -> httpx.Client:
    return httpx.Client(base_url=url + API, headers=bearer(login(url, agent_id)), timeout=10)


def audit(boss: httpx.Client, action: str, target: str) -> list[dict]:
    r = boss.get("/audit", params={"action": action, "target": target})
    assert r.status_code == 200, r.text
    return r.json()["items"]


@pytest.mark.parametrize("role_account", ["1001", "2001", "3001", "5001"])
def test_every_other_role_is_refused(floor: str, role_account: str) -> None:
    with as_(floor, role_account) as someone:
        for method, path, body in SUPERVISOR_ROUTES:
            r = someone.request(method, path, json=body)
            assert r.status_code == 403, (method, path, r.text)
        # Every seat reads its own floor messages; field stations keep to their tickets.
        unread = someone.get("/messages/unread").status_code
        assert unread == (403 if role_account == "5001" else 200)


def test_unknown_agent_and_bad_input(floor: str) -> None:
    with as_(floor, "9001") as boss:
        for method, path, body in SUPERVISOR_ROUTES[:3]:
            r = boss.request(method, path.replace("1003", "no-such"), json=body)
            assert r.status_code == 404, (path, r.text)
        too_long = boss.post("/agents/1003/messages", json={"text": "长" * 201})
        assert too_long.status_code == 422
        assert "text" in too_long.json()["error"]["fields"]
        for text in ("", "   ", "\x00\x07\x1b", None, 5, "x" * 10_000):
            r = boss.post("/agents/1003/messages", json={"text": text})
            assert r.status_code == 422, (text, r.text)
        bad_states = [
            {"state": "not_ready"},  # no reason
            {"state": "on_call"},  # not the supervisor's to set
            {"state": "ready", "reason": "x" * 41},
            {},
        ]
        for body in bad_states:
            r = boss.put("/agents/1003/state", json=body)
            assert r.status_code == 422, (body, r.text)
        reassigns = [{}, {"agent_id": "1002", "station": "HS-XC"}, {"station": "NOPE"}]
        ticket = boss.post(
            "/tickets",
            json={"category": "heat.no_heat.partial", "summary": "暖气不热"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        ).json()["id"]
        for body in [*reassigns, {"agent_id": "2001"}, {"agent_id": "nobody"}]:
            r = boss.post(f"/tickets/{ticket}/reassign", json=body)
            assert r.status_code == 422, (body, r.text)
        r = boss.post("/tickets/999999/reassign", json={"agent_id": "1002"})
        assert r.status_code == 404
        assert boss.post("/agents/9001/sign-out", json={}).status_code == 422


def test_a_message_stays_until_its_addressee_reads_it(floor: str) -> None:
    with as_(floor, "9001") as boss, as_(floor, "1003") as agent, as_(floor, "1001") as other:
        stream = open_stream(floor, str(agent.headers["Authorization"])[7:])
        try:
            text = "[b]请[/b] 回电 <i>1002</i>\u202e"  # markup and a bidi override
            r = boss.post("/agents/1003/messages", json={"text": text})
            assert r.status_code == 201, r.text
            sent = r.json()
            assert sent["text"] == "[b]请[/b] 回电 <i>1002</i>"  # kept as text, cleaned
            assert (sent["from_agent_no"], sent["read_at"]) == ("9001", None)
            heard = next_of(stream, "floor_message")["event"]["data"]
            assert heard == sent
            assert sent in agent.get("/messages/unread").json()["items"]
            assert sent not in other.get("/messages/unread").json()["items"]
            assert other.post(f"/messages/{sent['id']}/read").status_code == 404
            read = agent.post(f"/messages/{sent['id']}/read")
            assert read.status_code == 200 and read.json()["read_at"]
            again = agent.post(f"/messages/{sent['id']}/read").json()
            assert again["read_at"] == read.json()["read_at"]  # the first reading counts
            assert sent["id"] not in [
                m["id"] for m in agent.get("/messages/unread").json()["items"]
            ]
            assert audit(boss, "floor_message", "agent:1003")
            assert len(audit(boss, "floor_message_read", f"message:{sent['id']}")) == 1
            assert agent.post("/messages/0/read").status_code == 422
            assert agent.post("/messages/2147483647/read").status_code == 404
        finally:
            stream.close()


def test_state_from_the_floor_and_refused_during_a_call(floor: str) -> None:
    with as_(floor, "9001") as boss, as_(floor, "1002") as agent:
        stream = open_stream(floor, str(agent.headers["Authorization"])[7:])
        try:
            r = boss.put("/agents/1002/state", json={"state": "not_ready", "reason": "meeting"})
            assert r.status_code == 200, r.text
            assert (r.json()["state"], r.json()["reason"]) == ("not_ready", "meeting")
            told = next_of(stream, "seat_state_forced")["event"]["data"]
            assert (told["state"], told["reason"], told["by_no"]) == (
                "not_ready",
                "meeting",
                "9001",
            )
            assert told["by_name"]
            assert audit(boss, "seat_state", "agent:1002")[0]["detail"] == "not_ready meeting"
            assert agent.put("/agents/me/state", json={"state": "on_call"}).status_code == 200
            for method, path, body in SUPERVISOR_ROUTES[:2]:
                busy = boss.request(method, path.replace("1003", "1002"), json=body)
                assert busy.status_code == 409, busy.text
                assert busy.json()["error"]["code"] == "agent_busy"
            states = {s["agent_id"]: s for s in boss.get("/agents/states").json()["items"]}
            assert states["1002"]["state"] == "on_call"  # untouched
            assert agent.get("/auth/me").status_code == 200  # still signed in
            assert agent.put("/agents/me/state", json={"state": "ready"}).status_code == 200
            r = boss.put("/agents/1002/state", json={"state": "ready", "reason": "ignored"})
            assert (r.json()["state"], r.json()["reason"]) == ("ready", "")
        finally:
            stream.close()


def test_sign_out_tells_why_and_ends_every_session_at_once(floor: str) -> None:
    with as_(floor, "9001") as boss:
        tokens = [login(floor, "1003"), login(floor, "1003")]
        stream = EndingStream(floor, tokens[0])
        assert stream.next()["type"] == "hello"
        try:
            r = boss.post("/agents/1003/sign-out", json={"reason": "end of shift"})
            assert r.status_code == 200, r.text
            assert r.json()["state"] == "offline"
            told = next_of(stream, "signed_out")["event"]["data"]
            assert (told["reason"], told["by_no"]) == ("end of shift", "9001")
            assert stream.ended.wait(5), "the stream waited for its heartbeat (15 s)"
            for token in tokens:
                assert httpx.get(f"{floor}{API}/auth/me", headers=bearer(token)).status_code == 401
            assert audit(boss, "seat_sign_out", "agent:1003")[0]["detail"].endswith(
                "; end of shift"
            )
        finally:
            stream.close()


def test_reassign_to_an_agent_or_a_station(floor: str) -> None:
    with as_(floor, "9001") as boss, as_(floor, "1001") as owner, as_(floor, "1002") as heir:
        made = owner.post(
            "/tickets",
            json={"category": "heat.no_heat.partial", "summary": "暖气半热"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert made.status_code == 201, made.text
        ticket = made.json()["id"]
        stream = open_stream(floor, str(heir.headers["Authorization"])[7:])
        try:
            r = boss.post(
                f"/tickets/{ticket}/reassign", json={"agent_id": "1002", "reason": "leave"}
            )
            assert r.status_code == 200, r.text
            assert r.json()["created_by"] == "1002"
            told = next_of(stream, "ticket_reassigned")["event"]["data"]
            assert (told["ticket_id"], told["by_no"], told["reason"]) == (ticket, "9001", "leave")
            history = heir.get(f"/tickets/{ticket}").json()["history"]
            assert history[-1]["change"]["reassigned"] == {
                "field": "created_by",
                "from": "1001",
                "to": "1002",
            }
            r = boss.post(f"/tickets/{ticket}/reassign", json={"station": "HS-HM"})
            assert r.status_code == 200 and r.json()["station_id"] == "HS-HM"
            assert len(audit(boss, "ticket_reassign", f"ticket:{ticket}")) == 2
        finally:
            stream.close()
