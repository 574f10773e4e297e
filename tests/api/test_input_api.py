"""No input makes a 5xx (issue 14): ids beyond what the database holds, `null` where a
value is required, far dates and booleans posing as integers are 4xx answers that
name the field."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import API, login

HUGE = [2**31, 2**63, 2**64, 10**30]


@pytest.fixture(scope="module")
def supervisor(server: EmbeddedBackend) -> Iterator[httpx.Client]:
    auth = {"Authorization": f"Bearer {login(server.url, '9001')}"}
    with httpx.Client(base_url=server.url + API, headers=auth) as client:
        yield client


@pytest.fixture(scope="module")
def trainee(server: EmbeddedBackend) -> Iterator[httpx.Client]:
    auth = {"Authorization": f"Bearer {login(server.url, '2001')}"}
    with httpx.Client(base_url=server.url + API, headers=auth) as client:
        yield client


def new_ticket(api: httpx.Client, **fields: object) -> dict:
    body = {"category": "heat.no_heat", "summary": "input test", **fields}
    r = api.post("/tickets", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return r.json()


def test_ids_too_large_for_the_database_are_404_or_422(
    api: httpx.Client, supervisor: httpx.Client, trainee: httpx.Client
) -> None:
    ticket = new_ticket(api)
    for n in HUGE:
        asks = [
            (api, "GET", f"/callers/{n}", None),
            (api, "POST", f"/callers/{n}/unmask", {"reason": "x"}),
            (api, "GET", f"/tickets/{n}", None),
            (api, "PATCH", f"/tickets/{n}", {"note": "x"}),
            (api, "GET", f"/tickets?caller_id={n}", None),
            (api, "GET", f"/sms?caller_id={n}", None),
            (api, "GET", f"/kb/articles/{n}", None),
            (api, "POST", f"/kb/articles/{n}/flags", {"reason": "wrong", "comment": "x"}),
            (supervisor, "PATCH", f"/kb/articles/{n}", {"title": "x"}),
            (supervisor, "PUT", f"/kb/articles/{n}", {"title": "x", "body": "y"}),
            (supervisor, "GET", f"/kb/flags?article_id={n}", None),
            (supervisor, "PATCH", f"/kb/flags/{n}", {"status": "resolved"}),
            (supervisor, "PATCH", f"/scripts/{n}", {"title": "x"}),
            (supervisor, "DELETE", f"/scripts/{n}", None),
            (api, "GET", f"/guides/{n}", None),
            (supervisor, "GET", f"/practice/results/{n}", None),
            (supervisor, "PATCH", f"/practice/hands/{n}", {"status": "taken"}),
            (trainee, "DELETE", f"/practice/hands/{n}", None),
            (trainee, "PATCH", f"/practice/hints/{n}", {"seen": True}),
            (trainee, "GET", f"/practice/hints?after={n}", None),
            (api, "POST", "/tickets", {"caller_id": n, "category": "heat.no_heat", "summary": "s"}),
            (api, "POST", "/sms", {"caller_id": n, "text": "hello"}),
            (api, "PUT", "/agents/me/state", {"state": "ready", "call_id": n}),
            (supervisor, "POST", "/calls/simulate", {"caller_id": n}),
            (supervisor, "POST", "/practice/hints", {"trainee_id": "2001", "text": "t",
                                                     "hand_id": n}),
            (api, "PATCH", f"/tickets/{ticket['id']}", {"satisfaction": n}),
        ]  # fmt: skip
        for client, method, path, body in asks:
            headers = {"Idempotency-Key": str(uuid.uuid4())}
            r = client.request(method, path, json=body, headers=headers)
            assert r.status_code in (404, 422), (method, path, body, r.status_code, r.text)
            assert set(r.json()["error"]) >= {"code", "message"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"priority": None}, "priority"),
        ({"category": None}, "category"),
        ({"status": None}, "status"),
        ({"station_id": None}, "station_id"),
        ({"satisfaction_comment": None}, "satisfaction_comment"),
        ({"note": None}, "note"),
    ],
)
def test_null_in_a_ticket_patch_is_422_naming_the_field(
    api: httpx.Client, change: dict, field: str
) -> None:
    ticket = new_ticket(api)
    r = api.patch(f"/tickets/{ticket['id']}", json=change)
    assert r.status_code == 422, r.text
    assert field in r.json()["error"]["fields"]


def test_null_callback_due_clears_the_callback(api: httpx.Client) -> None:
    ticket = new_ticket(api, callback_due="2030-01-15T09:00:00+08:00")
    assert ticket["callback_due"] == "2030-01-15T01:00:00Z"
    r = api.patch(f"/tickets/{ticket['id']}", json={"callback_due": None})
    assert r.status_code == 200 and r.json()["callback_due"] is None


def test_null_in_article_and_script_patches_is_422_naming_the_field(
    api: httpx.Client, supervisor: httpx.Client
) -> None:
    article_id = api.get("/kb/search", params={"q": ""}).json()["items"][0]["id"]
    for change in ({"title": None}, {"tags": None}, {"body": None}, {"slug": None}):
        r = supervisor.patch(f"/kb/articles/{article_id}", json=change)
        assert r.status_code == 422, (change, r.text)  # not 409 "slug None already exists"
        assert next(iter(change)) in r.json()["error"]["fields"]
    script_id = api.get("/scripts").json()["items"][0]["id"]
    for change in ({"title": None}, {"body": None}, {"sort": None}, {"stage": None}):
        r = supervisor.patch(f"/scripts/{script_id}", json=change)
        assert r.status_code == 422, (change, r.text)
        assert next(iter(change)) in r.json()["error"]["fields"]


@pytest.mark.parametrize(
    "due",
    ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "1900-01-01T00:00:00Z", "soon"],
)
def test_far_or_unreadable_callback_dates_are_422(api: httpx.Client, due: str) -> None:
    body = {"category": "heat.no_heat", "summary": "far date", "callback_due": due}
    r = api.post("/tickets", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 422 and "callback_due" in r.json()["error"]["fields"], r.text
    ticket = new_ticket(api)
    r = api.patch(f"/tickets/{ticket['id']}", json={"callback_due": due})
    assert r.status_code == 422 and "callback_due" in r.json()["error"]["fields"], r.text


def test_booleans_are_not_integers(
    api: httpx.Client, supervisor: httpx.Client, trainee: httpx.Client
) -> None:
    asks = [
        (api, "PUT", "/agents/me/state", {"state": "acw", "call_id": False}, "call_id"),
        (api, "POST", "/tickets", {"caller_id": True, "category": "x", "summary": "s"},
         "caller_id"),
        (api, "POST", "/sms", {"caller_id": True, "text": "hello"}, "caller_id"),
        (supervisor, "POST", "/calls/simulate", {"caller_id": True}, "caller_id"),
        (supervisor, "POST", "/scripts", {"hotline": "114", "stage": "hold", "title": "t",
                                          "body": "b", "sort": True}, "sort"),
        (trainee, "POST", "/practice/results", {"scenario_id": "s", "score": True,
                                                "duration_s": 1}, "score"),
        (trainee, "POST", "/practice/results", {"scenario_id": "s", "score": 1,
                                                "duration_s": False}, "duration_s"),
    ]  # fmt: skip
    for client, method, path, body, field in asks:
        r = client.request(method, path, json=body, headers={"Idempotency-Key": "k" + path})
        assert r.status_code == 422, (path, body, r.text)
        assert field in r.json()["error"]["fields"], r.text


def test_control_characters_in_query_text_are_not_5xx(
    api: httpx.Client, supervisor: httpx.Client, trainee: httpx.Client
) -> None:
    """PostgreSQL refuses NUL in text (a DataError): a query string may carry one."""
    for text in ("\x00", "13\x009", "王\x00", "\x1b[31m"):
        for client, path, param in [
            (api, "/callers", "q"),
            (api, "/directory", "q"),
            (api, "/kb/search", "q"),
            (api, "/kb/search", "tag"),
            (api, "/scripts", "hotline"),
            (api, "/guides", "language"),
            (supervisor, "/audit", "action"),
            (supervisor, "/agents/states", "hotline"),
            (supervisor, "/practice/results", "trainee"),
            (supervisor, "/practice/results", "scenario"),
            (supervisor, "/practice/hints", "trainee"),
        ]:
            r = client.get(path, params={param: text})
            assert r.status_code < 500, (path, param, repr(text), r.text)
    for raw in ("%00", "1%000", "%1B"):
        r = supervisor.patch(f"/agents/{raw}/role", json={"role": "agent"})
        assert r.status_code in (404, 422), r.text
