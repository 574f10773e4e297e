"""Ticket drafts without a terminal: whose they are, two consoles on one home folder,
a killed console's drafts and hand-overs, and keys that are never spent twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_console.outbox import Outbox
from agent_console.ticket_draft import (
    DraftStore,
    Owner,
    call_key,
    check_key,
    close_call,
    recover_handed_over,
)
from agent_console.ticket_saving import SaveJob, hand_over

A = Owner("http://backend-a", "1001")


def draft(summary: str, key: str = "k1", **more: object) -> dict:
    return {"idempotency_key": key, "summary": summary, "category": "heat", "notes": "", **more}


def body(summary: str) -> dict:
    return {"summary": summary, "category": "heat", "notes": "", "caller_id": None}


def test_a_draft_is_only_ever_loaded_for_its_own_agent_backend_and_call(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(A, call_key(7), draft("call seven"))
    assert store.load(A, call_key(7))["summary"] == "call seven"  # type: ignore[index]
    assert store.load(Owner(A.backend, "2001"), call_key(7)) is None  # another agent
    assert store.load(Owner("http://backend-b", A.agent_id), call_key(7)) is None
    assert store.load(A, call_key(8)) is None  # another call
    assert store.load(A, call_key(None, 42)) is None  # a caller outside a call
    assert store.latest(Owner(A.backend, "2001")) is None
    store.save(A, call_key(None, 42), draft("caller 42"))
    assert store.latest(A)["summary"] == "caller 42"  # type: ignore[index]  # the newest


def test_two_consoles_on_one_home_folder_keep_their_own_drafts(tmp_path: Path) -> None:
    first, second = DraftStore(tmp_path), DraftStore(tmp_path)
    first.save(A, "", draft("typed on the first console"))
    assert first.dir != second.dir and {first.slot, second.slot} == {0, 1}
    assert second.latest(A) is None  # never shown the other console's draft
    second.clear(A, "")  # a blank form on the second console
    second.adopt_orphans()  # a live console's slot is never taken
    assert first.load(A, "")["summary"] == "typed on the first console"  # type: ignore[index]


def test_a_killed_consoles_draft_comes_back_to_the_same_agent(tmp_path: Path) -> None:
    other = DraftStore(tmp_path)  # a second console, still running
    other.save(A, "", draft("the other console's"))
    dead = DraftStore(tmp_path)
    dead.save(A, "caller:5", draft("crashed mid-call", key="k-dead"))
    dead_slot = dead.slot
    dead.close()  # the process died: the kernel dropped its lock
    restarted = DraftStore(tmp_path)  # takes the free slot again
    assert restarted.dir.name == str(dead_slot) == "1"
    got = restarted.latest(A)
    assert got is not None and got["summary"] == "crashed mid-call" and got["call"] == "caller:5"
    # A third console adopts what a dead one left in a slot it does not take.
    restarted.close()
    third = DraftStore(tmp_path)
    assert third.dir.name == "1"
    extra = DraftStore(tmp_path)
    assert extra.adopt_orphans() == 0  # the third holds that slot now
    third.close()
    assert extra.adopt_orphans() == 1
    assert extra.latest(A)["summary"] == "crashed mid-call"  # type: ignore[index]


def test_a_handed_over_ticket_goes_to_the_outbox_once_and_its_draft_never_returns(
    tmp_path: Path,
) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite")
    console = DraftStore(tmp_path / "drafts")
    console.save(A, "", draft("saved then killed", key="k-spent"))
    job = SaveJob(A, "", body("saved then killed"), "k-spent")
    hand_over(console, job)
    assert console.load(A, "") is None  # the draft went with the hand-over
    assert check_key(console, outbox, draft("saved then killed", key="k-spent")) == "drop"
    # This console's own hand-over in flight is never "recovered" under it.
    assert recover_handed_over(console, outbox) == []
    console.close()  # killed before the ticket was created or kept
    restarted = DraftStore(tmp_path / "drafts")
    assert recover_handed_over(restarted, outbox) == ["k-spent"]
    [entry] = outbox.entries()
    assert (entry.idempotency_key, entry.body["summary"]) == ("k-spent", "saved then killed")
    assert recover_handed_over(restarted, outbox) == []  # once
    assert len(outbox.entries()) == 1


@pytest.mark.parametrize("edited", [False, True])
def test_a_crash_between_hand_over_and_draft_delete_never_leaves_a_spent_key(
    tmp_path: Path, edited: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite")
    console = DraftStore(tmp_path / "drafts")
    typed = draft("the ticket", key="k-x")
    console.save(A, "", typed)
    if edited:  # a draft that differs from the handed-over ticket under the same key
        console.save(A, "", draft("the ticket, edited", key="k-x"))

    def killed(*_args: object) -> None:
        raise SystemExit("killed between the two writes")

    monkeypatch.setattr(DraftStore, "clear", killed)
    with pytest.raises(SystemExit):
        hand_over(console, SaveJob(A, "", body("the ticket"), "k-x"))
    monkeypatch.undo()
    console.close()
    restarted = DraftStore(tmp_path / "drafts")
    assert recover_handed_over(restarted, outbox) == ["k-x"]
    left = restarted.latest(A)
    if edited:
        assert left is not None and left["summary"] == "the ticket, edited"
        assert left["idempotency_key"] != "k-x"  # a new key for a new ticket
        assert check_key(restarted, outbox, left) == "keep"
    else:
        assert left is None  # it was that very ticket: in the outbox, not in the form


def test_wrap_up_closes_the_calls_draft_after_asking(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(A, "call:9", draft("half a ticket"))
    assert not close_call(store, A, "call:9")  # unsaved text: ask first
    assert store.load(A, "call:9") is not None
    assert close_call(store, A, "call:9", discard=True)
    assert store.load(A, "call:9") is None
    store.save(A, "call:10", draft("", category=""))
    assert close_call(store, A, "call:10")  # blank: nothing to ask
