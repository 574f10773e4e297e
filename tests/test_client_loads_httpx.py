"""The client imports httpx on a thread (client/base.py ClientBase.loaded): on the loop
its ~25-40 ms of imports held the keys an agent typed the moment the console was up.
Each check runs in a fresh interpreter, where httpx is not imported yet."""

from __future__ import annotations

import json
import subprocess
import sys

CHECK = """
import asyncio, json, sys, threading
from agent_console.client.base import ClientBase

assert "httpx" not in sys.modules
importers = []

class Spy:
    def find_spec(self, name, path=None, target=None):
        if name == "httpx":
            importers.append(threading.current_thread() is threading.main_thread())
        return None

sys.meta_path.insert(0, Spy())

async def main():
    client = ClientBase("http://127.0.0.1:9")
    cancelled = asyncio.ensure_future(client.loaded())
    waiting = asyncio.ensure_future(client.loaded())
    await asyncio.sleep(0)
    cancelled.cancel()  # a search given up while httpx loads
    await waiting
    http = client.http
    await client.aclose()
    return cancelled.cancelled(), type(http).__name__

was_cancelled, made = asyncio.run(main())
print(json.dumps({"on_main": importers, "cancelled": was_cancelled, "made": made}))
"""


def test_httpx_is_imported_on_a_thread_and_a_cancelled_wait_does_not_stop_it() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["on_main"] == [False]  # imported once, not on the loop's thread
    assert seen["cancelled"] is True
    assert seen["made"] == "AsyncClient"  # the other request went on to its client
