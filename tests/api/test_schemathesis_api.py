"""Every operation of the OpenAPI document, fuzzed with every role's token by
schemathesis against the real server on loopback (issue 14): no input makes a 5xx,
and every status answered is one the document lists for that operation.

Bounded: three valid and two invalid examples per operation (schemathesis generates
them from the document), each sent with every role's token: ~1,500 requests, about
30 s on a loaded 2-core machine. Two
operations are left out: sign-out (it would end the token the rest of the run uses;
tests/api/test_session_api.py covers it) and the event stream (it never ends;
tests/api/test_events* cover it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from agent_console.backend_process import EmbeddedBackend
from tests.conftest import DemoDatabase, login, start_backend

ROLES = {"1001": "agent", "2001": "trainee", "3001": "mentor", "9001": "supervisor",
         "5001": "station", "9900": "wall"}  # fmt: skip
SKIPPED = {("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/events")}
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}  # per operation


@pytest.fixture
def fuzzed_server(demo_db: DemoDatabase, tmp_path: Path) -> Iterator[EmbeddedBackend]:
    # A search budget the fuzzer cannot spend: it should reach the search code itself.
    args = ["--search-per-minute", "100000", "--search-burst", "100000"]
    backend = start_backend(demo_db, tmp_path / "server", args)
    yield backend
    backend.stop()


def test_no_input_from_any_role_makes_a_5xx_or_an_undocumented_status(
    fuzzed_server: EmbeddedBackend,
) -> None:
    url = fuzzed_server.url
    tokens = {agent: login(url, agent) for agent in ROLES}  # before the fuzzer locks sign-in
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) > 50
    requests = [r for operation in operations for r in generated(operation, url)]
    problems: list[str] = []
    started = time.monotonic()
    with httpx.Client(base_url=url, timeout=30) as http:
        for agent, token in tokens.items():
            for method, path, documented, request in requests:
                headers = {**request.get("headers", {}), "authorization": f"Bearer {token}"}
                r = http.request(**{**request, "headers": headers})
                if r.status_code >= 500 or str(r.status_code) not in documented:
                    problems.append(
                        f"{ROLES[agent]} {method} {path} -> {r.status_code}: "
                        f"{request.get('url')} {str(request.get('json'))[:200]} {r.text[:200]}"
                    )
    problems.sort(key=lambda p: " -> 5" not in p)  # server errors first
    assert not problems, "\n".join(problems[:40])
    assert len(requests) > 2 * 50  # the run really went through the document
    print(f"{len(requests) * len(tokens)} requests in {time.monotonic() - started:.1f} s")


def generated(operation: schemathesis.APIOperation, url: str) -> list[tuple]:
    """(method, path, documented statuses, request) for a few valid and a few invalid
    examples of `operation`; generated once, sent with every role's token."""
    method, path = operation.method.upper(), operation.path
    if (method, path) in SKIPPED:
        return []
    documented = set(operation.definition.raw["responses"])
    out: list[tuple] = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategy = operation.as_strategy(generation_mode=mode, headers={"authorization": "-"})

        @settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        @given(case=strategy)
        def collect(case: schemathesis.Case) -> None:
            request = case.as_transport_kwargs(base_url=url)
            for unused in ("verify", "timeout", "cookies"):
                request.pop(unused, None)
            if "data" in request:  # raw bytes: httpx's name for them
                request["content"] = request.pop("data")
            out.append((method, path, documented, request))

        try:
            collect()
        except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
            assert mode is GenerationMode.NEGATIVE
    return out
