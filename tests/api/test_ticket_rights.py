"""Who may change a ticket (issue 14): the owner, supervisors and (for their steps) the
dispatched station; anyone else a note only; a closed ticket only by a supervisor's
reopen with a reason, in the audit log; practice tickets only by their trainee and
the mentors, and agents cannot write into the practice area."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.api.test_loop_api import new_ticket
from tests.api.test_session_api import error_of
from tests.api.test_tickets_api import client_for

PEOPLE = ("1001", "1002", "3001", "9001", "5001", "5002", "2001", "2002")


@pytest.fixture(scope="module")
def as_(server: EmbeddedBackend) -> Iterator[dict[str, httpx.Client]]:
    clients = {who: client_for(server, who) for who in PEOPLE}
    yield clients
    for c in clients.values():
        c.close()


def closed_ticket(owner: httpx.Client) -> dict:
    t = new_ticket(owner, station_id="HS-XC")
    for status in ("in_progress", "resolved", "called_back"):
        assert owner.patch(f"/tickets/{t['id']}", json={"status": status}).status_code == 200
    done = {"status": "closed", "satisfaction": 5, "note": "回访满意"}
    r = owner.patch(f"/tickets/{t['id']}", json=done)
    assert r.status_code == 200, r.text
    return r.json()


def test_only_the_owner_and_supervisors_change_others_add_notes(
    as_: dict[str, httpx.Client],
) -> None:
    t = new_ticket(as_["1001"])
    url = f"/tickets/{t['id']}"
    for who in ("1002", "3001"):  # another agent, a mentor
        for change in ({"status": "resolved"}, {"priority": "urgent"}, {"status": "in_progress"}):
            r = as_[who].patch(url, json={**change, "note": "顺手改一下"})
            assert r.status_code == 403 and error_of(r)["code"] == "note_only", (who, change)
        r = as_[who].patch(url, json={"note": f"{who} 补充：住户下午在家"})
        assert r.status_code == 200 and f"{who} 补充" in r.json()["notes"]
    assert as_["1001"].get(url).json()["priority"] == "normal"
    assert as_["1001"].patch(url, json={"priority": "high"}).status_code == 200
    r = as_["9001"].patch(url, json={"priority": "urgent", "status": "in_progress"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    # A station that the ticket is not dispatched to does not even see it.
    assert as_["5001"].patch(url, json={"note": "x"}).status_code == 404


def test_the_dispatched_station_makes_its_steps_only(as_: dict[str, httpx.Client]) -> None:
    t = new_ticket(as_["1001"], station_id="HS-XC")
    url = f"/tickets/{t['id']}"
    assert as_["5002"].patch(url, json={"status": "in_progress"}).status_code == 404
    assert as_["5001"].patch(url, json={"priority": "urgent"}).status_code == 409
    r = as_["5001"].patch(url, json={"status": "in_progress", "note": "已派人"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"


def test_a_closed_ticket_changes_only_by_a_supervisors_reopen(
    as_: dict[str, httpx.Client],
) -> None:
    t = closed_ticket(as_["1001"])
    url = f"/tickets/{t['id']}"
    for who, change in (
        ("1001", {"satisfaction": 1}),  # the owner, afterwards
        ("1001", {"note": "补一句"}),
        ("5001", {"note": "站点补充"}),
        ("9001", {"satisfaction": 1}),  # a supervisor, but not a reopen
        ("9001", {"status": "resolved", "note": "重开"}),
    ):
        r = as_[who].patch(url, json=change)
        assert r.status_code == 409 and error_of(r)["code"] == "ticket_closed", (who, change, r)
    assert as_["1002"].patch(url, json={"status": "in_progress", "note": "重开"}).status_code == 403
    no_reason = as_["9001"].patch(url, json={"status": "in_progress"})
    assert no_reason.status_code == 422 and "note" in error_of(no_reason)["fields"]
    same = as_["9001"].get(url).json()
    assert (same["status"], same["satisfaction"]) == ("closed", 5)

    why = f"住户再次来电仍不热 {uuid.uuid4().hex[:6]}"
    r = as_["9001"].patch(url, json={"status": "in_progress", "note": why})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    audit = as_["9001"].get(
        "/audit", params={"action": "ticket_reopen", "target": f"ticket:{t['id']}"}
    )
    (entry,) = audit.json()["items"]
    assert (entry["agent_id"], entry["detail"]) == ("9001", why)
    # Reopened, it is the owner's again to call back and close.
    assert as_["1001"].patch(url, json={"status": "resolved"}).status_code == 200


def test_practice_tickets_belong_to_their_trainee_and_the_mentors(
    as_: dict[str, httpx.Client],
) -> None:
    t = new_ticket(as_["2001"], area="practice")
    url = f"/tickets/{t['id']}"
    r = as_["2002"].patch(url, json={"status": "resolved"})
    assert r.status_code == 403 and error_of(r)["code"] == "own_only"
    assert as_["2002"].patch(url, json={"note": "x"}).status_code == 403
    for outsider in ("1001", "5001"):
        assert as_[outsider].patch(url, json={"note": "x"}).status_code == 404
    assert as_["3001"].get(url).json()["area"] == "practice"  # the mentor reviews it
    r = as_["3001"].patch(url, json={"note": "导师：先核实地址"})
    assert r.status_code == 200 and "导师" in r.json()["notes"]
    assert as_["2001"].patch(url, json={"status": "resolved"}).status_code == 200


def test_agents_cannot_write_into_the_practice_area(as_: dict[str, httpx.Client]) -> None:
    body = {"category": "heat.no_heat.partial", "summary": "练习", "area": "practice"}
    r = as_["1001"].post("/tickets", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 403 and error_of(r)["code"] == "no_practice"
    sms = {"to": "13800000000", "text": "练习", "kind": "other", "area": "practice"}
    r = as_["1001"].post("/sms", json=sms)
    assert r.status_code == 403 and error_of(r)["code"] == "no_practice"
    assert as_["2001"].post("/sms", json=sms).status_code == 201
    # A trainee's SMS log is the practice area's; production's stays out of it.
    sent = as_["1001"].post("/sms", json={**sms, "area": "production"}).json()
    log = as_["2001"].get("/sms", params={"limit": 200}).json()["items"]
    assert log and all(m["area"] == "practice" for m in log)
    assert sent["id"] not in [m["id"] for m in log]
    assert sent["id"] in [m["id"] for m in as_["1001"].get("/sms").json()["items"]]
