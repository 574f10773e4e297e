"""The session cache alone (server/session_cache.py): how long an entry is trusted."""

from __future__ import annotations

from agent_console.server.session_cache import SessionCache

ROW = {"id": "1001", "role": "agent", "expires_at": "2026-12-06T20:00:00Z"}
BEFORE, AFTER = "2026-12-06T19:59:59Z", "2026-12-06T20:00:00Z"


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_an_entry_is_trusted_for_ttl_seconds_then_read_again() -> None:
    clock = Clock()
    cache = SessionCache(ttl=2.0, clock=clock)
    cache.put("h", ROW, cache.generation)
    clock.t += 1.9
    assert cache.get("h", BEFORE) == ROW
    clock.t += 0.1
    assert cache.get("h", BEFORE) is None
    assert len(cache) == 0


def test_an_entry_never_outlives_the_session_expiry() -> None:
    cache = SessionCache(ttl=60.0, clock=Clock())
    cache.put("h", ROW, cache.generation)
    assert cache.get("h", BEFORE) == ROW
    assert cache.get("h", AFTER) is None  # expires_at > now, as the SQL compares


def test_forgetting_a_token_or_an_agent_drops_only_theirs() -> None:
    cache = SessionCache(clock=Clock())
    cache.put("a1", ROW, cache.generation)
    cache.put("a2", ROW, cache.generation)
    cache.put("b", {**ROW, "id": "1002"}, cache.generation)
    cache.forget_token("a1")
    assert cache.get("a1", BEFORE) is None and cache.get("a2", BEFORE) is not None
    cache.forget_agent("1001")
    assert cache.get("a2", BEFORE) is None
    assert cache.get("b", BEFORE) == {**ROW, "id": "1002"}


def test_a_caller_gets_a_copy_and_the_size_is_bounded() -> None:
    cache = SessionCache(size=2, clock=Clock())
    cache.put("h", ROW, cache.generation)
    got = cache.get("h", BEFORE)
    assert got is not None
    got["role"] = "supervisor"  # a route adding to its agent does not change the entry
    assert cache.get("h", BEFORE) == ROW
    cache.put("i", ROW, cache.generation)
    cache.put("j", ROW, cache.generation)
    assert len(cache) == 2 and cache.get("h", BEFORE) is None  # the oldest went


def test_ttl_zero_keeps_nothing() -> None:
    cache = SessionCache(ttl=0)
    cache.put("h", ROW, cache.generation)
    assert cache.get("h", BEFORE) is None


def test_a_row_read_before_a_sign_out_is_not_kept_after_it() -> None:
    """The read raced the sign-out: putting it back would answer a revoked token."""
    cache = SessionCache(clock=Clock())
    before_read = cache.generation
    cache.forget_token("h")  # the sign-out lands while the row is being read
    cache.put("h", ROW, before_read)
    assert cache.get("h", BEFORE) is None
    cache.put("h", ROW, cache.generation)  # a read that started after it is kept
    assert cache.get("h", BEFORE) == ROW


def test_nothing_is_answered_while_the_process_might_miss_a_sign_out() -> None:
    """`fresh` is the shared listener's lease: without it, every request reads."""
    listening = [True]
    cache = SessionCache(clock=Clock(), fresh=lambda: listening[0])
    cache.put("h", ROW, cache.generation)
    assert cache.get("h", BEFORE) == ROW
    listening[0] = False
    assert cache.get("h", BEFORE) is None
    cache.clear()
    listening[0] = True
    assert cache.get("h", BEFORE) is None
