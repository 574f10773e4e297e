"""Ticket drafts kept on disk while the agent types, and tickets handed over for saving,
so nothing is lost to a screen switch, a crash or a power cut. No Textual here.

A draft belongs to one console's ticket: its backend, its agent, its call (or caller
outside a call) and the console that holds it. Each console takes a *slot*
(`<data>/drafts/<n>/`, held by an OS lock on `<n>.lock` for the console's life), so
two consoles on one home folder never read, overwrite or delete each other's drafts
(issue 20, item 2). The kernel drops the lock when a console dies, SIGKILL included:
the next console takes the slot (the lowest free one) and finds the drafts there, and
drafts in any other free slot are moved into it, so the same agent on the same
backend gets a crashed console's draft back. A draft is only ever loaded for its own
(backend, agent): another agent, another backend, or nobody signed in never sees it.

Ctrl+S *hands the ticket over* before anything goes on the wire: the ticket (body and
Idempotency-Key) is written to `saving-<key>.json` (fsync), and only then is the form's
draft deleted. The key is spent from that moment, and the form goes on with a new
one. The hand-over file is deleted once the ticket is created or kept in the outbox.
A crash at any moment in between leaves the hand-over file, and the next console puts
it in the outbox with its key (`recover_handed_over`): the backend creates it once, or
answers "already made" if the first request did arrive. A crash between writing the
hand-over file and deleting the draft leaves a draft with that spent key:
`restore_draft` sees the key handed over (or in the outbox) and drops the draft when
it is that very ticket, or gives it a new key when it differs (it never can hold a
key already used for another ticket).

Every file is replaced atomically (temporary file, fsync, rename): a crash mid-write
leaves the previous version, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from agent_console import paths
from agent_console.models.fields import as_object

DRAFT_DIR = "drafts"
SLOTS = 64
HANDED = "saving-"


@dataclass(frozen=True)
class Owner:
    """Whose drafts: one agent against one backend."""

    backend: str
    agent_id: str


def call_key(call_id: object = None, caller_id: object = None) -> str:
    """The call a draft belongs to: the call's id, else the caller's, else "" (none)."""
    if call_id is not None:
        return f"call:{call_id}"
    if caller_id is not None:
        return f"caller:{caller_id}"
    return ""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _write(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".draft-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the rename itself on disk (power cut)
        dirfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return as_object(data)


def _try_lock(path: Path) -> IO[str] | None:
    """An exclusive, non-blocking OS lock on `path`; None when another console holds it."""
    paths.private_file(path)
    f = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the console's life
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return None
    return f


class DraftStore:
    """One console's drafts and hand-overs, in the slot it holds."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or paths.data_dir() / DRAFT_DIR
        self.slot: int | None = None
        self._lock: IO[str] | None = None
        self.mine: set[str] = set()  # keys handed over by this console, in this life

    # -- the slot ----------------------------------------------------------------------
    @property
    def dir(self) -> Path:
        """This console's folder; takes the lowest free slot on first use (OSError if the
        data folder cannot be written)."""
        if self._lock is None:
            paths.private_dir(self.root)  # 0700: drafts hold caller notes
            for n in range(SLOTS):
                lock = _try_lock(self.root / f"{n}.lock")
                if lock is not None:
                    self._lock, self.slot = lock, n
                    break
            else:
                raise OSError(f"all {SLOTS} draft slots in {self.root} are in use")
        path = self.root / str(self.slot)
        paths.private_dir(path)
        return path

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()  # releases the slot
            self._lock, self.slot = None, None

    def adopt_orphans(self) -> int:
        """Move the files of slots no console holds (their console died) into this one;
        a draft already here wins. Returns how many files moved."""
        mine, moved = self.dir, 0
        for lock_file in sorted(self.root.glob("*.lock")):
            if lock_file.stem == str(self.slot) or not lock_file.stem.isdigit():
                continue
            lock = _try_lock(lock_file)
            if lock is None:
                continue  # a live console's slot: never touched
            try:
                for f in sorted((self.root / lock_file.stem).glob("*.json")):
                    target = mine / f.name
                    if target.exists():
                        continue
                    f.replace(target)
                    moved += 1
            except OSError:
                pass  # left for the next console
            finally:
                lock.close()
        return moved

    # -- drafts ------------------------------------------------------------------------
    def _file(self, owner: Owner, call: str) -> Path:
        return self.dir / f"{_digest(owner.backend, owner.agent_id, call)}.json"

    def save(self, owner: Owner, call: str, draft: dict[str, Any]) -> None:
        data = dict(draft, backend=owner.backend, agent_id=owner.agent_id, call=call)
        data["saved_at"] = time.time()
        _write(self._file(owner, call), data)

    def load(self, owner: Owner, call: str) -> dict[str, Any] | None:
        """The draft of this owner's call, or None (none, unreadable, or someone else's)."""
        data = _read(self._file(owner, call))
        if data is None or (data.get("backend"), data.get("agent_id"), data.get("call")) != (
            owner.backend,
            owner.agent_id,
            call,
        ):
            return None
        return data

    def latest(self, owner: Owner) -> dict[str, Any] | None:
        """This owner's most recent draft of any call (after a crash, no call is known)."""
        found = [
            d
            for f in self.dir.glob("*.json")
            if not f.name.startswith(HANDED)
            and (d := _read(f)) is not None
            and (d.get("backend"), d.get("agent_id")) == (owner.backend, owner.agent_id)
        ]
        return max(found, key=lambda d: float(d.get("saved_at") or 0), default=None)

    def clear(self, owner: Owner, call: str) -> None:
        self._file(owner, call).unlink(missing_ok=True)

    # -- hand-overs --------------------------------------------------------------------
    def _handed_file(self, key: str) -> Path:
        return self.dir / f"{HANDED}{_digest(key)}.json"

    def hand_over(self, owner: Owner, call: str, ticket: dict[str, Any]) -> None:
        """Ctrl+S: the ticket (body, idempotency_key, label) on disk before it is sent;
        then the form's draft goes (its key is spent). In this order: see the module."""
        self.mine.add(ticket["idempotency_key"])
        _write(self._handed_file(ticket["idempotency_key"]), dict(ticket, **_whose(owner)))
        self.clear(owner, call)

    def handed_over_done(self, key: str) -> None:
        """The ticket was created, or kept in the outbox: the hand-over file goes."""
        self._handed_file(key).unlink(missing_ok=True)

    def handed_over(self) -> Iterator[tuple[Path, dict[str, Any]]]:
        """Hand-overs left by a console that died (never this console's own in flight)."""
        for f in sorted(self.dir.glob(f"{HANDED}*.json")):
            if (data := _read(f)) is not None and data.get("idempotency_key") not in self.mine:
                yield f, data

    def drafts(self) -> Iterator[tuple[Path, dict[str, Any]]]:
        for f in sorted(self.dir.glob("*.json")):
            if not f.name.startswith(HANDED) and (data := _read(f)) is not None:
                yield f, data

    def spent(self, key: str) -> dict[str, Any] | None:
        """The hand-over of this key, if it is waiting here."""
        return _read(self._handed_file(key))


def is_blank(draft: dict[str, Any]) -> bool:
    """Nothing the agent typed (the form's defaults alone are not a draft)."""
    return not any(draft.get(k) for k in ("summary", "notes", "callback_due", "category"))


def close_call(store: DraftStore, owner: Owner, call: str, *, discard: bool = False) -> bool:
    """Wrap-up closes the call's draft: True when it is closed (none, blank, or
    `discard`); False while it holds unsaved text: ask the agent, then save it or call
    again with discard=True. A saved ticket's draft is gone already (hand_over)."""
    draft = store.load(owner, call)
    if draft is not None and not is_blank(draft) and not discard:
        return False
    store.clear(owner, call)
    return True


class Outboxish(Protocol):
    def enqueue(
        self,
        *,
        backend: str,
        agent_id: str,
        method: str,
        path: str,
        body: Any,
        idempotency_key: str,
        label: str = "",
    ) -> object: ...
    def get_by_key(self, key: str) -> Any: ...


def recover_handed_over(store: DraftStore, outbox: Outboxish) -> list[str]:
    """At sign-in: tickets a dead console handed over (Ctrl+S) and never saw created or
    kept go into the outbox with their own key, so each reaches the backend exactly
    once; a draft left holding one of those keys is dropped (it is that ticket) or
    given a new key (it differs). Returns the keys put in the outbox."""
    from agent_console.outbox import KeyConflict

    store.adopt_orphans()
    recovered: dict[str, dict[str, Any]] = {}
    for path, t in list(store.handed_over()):
        key = str(t.get("idempotency_key") or "")
        try:
            outbox.enqueue(
                backend=str(t["backend"]),
                agent_id=str(t["agent_id"]),
                method="POST",
                path="/tickets",
                body=t["body"],
                idempotency_key=key,
                label=str(t.get("label") or ""),
            )
        except KeyConflict:
            pass  # the outbox holds another ticket under this key: it is sent; this is moot
        except KeyError:
            pass  # not a hand-over this console wrote: nothing to send
        recovered[key] = t["body"] if isinstance(t.get("body"), dict) else {}
        path.unlink(missing_ok=True)
    for path, draft in list(store.drafts()):
        body = recovered.get(str(draft.get("idempotency_key") or ""))
        if body is None:
            continue
        if same_ticket(draft, body):
            path.unlink(missing_ok=True)
        else:
            _write(path, dict(draft, idempotency_key=new_key()))
    return list(recovered)


def check_key(store: DraftStore, outbox: Outboxish | None, draft: dict[str, Any]) -> str:
    """What to do with a draft found on disk: "keep", "drop" (its ticket was handed over
    or kept already: it is that ticket) or "rekey" (its key is spent on another)."""
    key = str(draft.get("idempotency_key") or "")
    if not key:
        return "rekey"
    handed = store.spent(key)
    body = handed.get("body") if handed else None
    if body is None and outbox is not None and (entry := outbox.get_by_key(key)) is not None:
        body = entry.body
    saved = as_object(body)
    if saved is None:
        return "keep"
    return "drop" if same_ticket(draft, saved) else "rekey"


def same_ticket(draft: dict[str, Any], body: dict[str, Any]) -> bool:
    """Is the form's draft the ticket that was saved (the fields the agent typed)?"""
    caller_id = (as_object(draft.get("caller")) or {}).get("id")
    station = draft.get("station_id") or ""
    return (
        str(draft.get("summary") or "").strip() == str(body.get("summary") or "")
        and str(draft.get("notes") or "") == str(body.get("notes") or "")
        and str(draft.get("category") or "") == str(body.get("category") or "")
        and str(draft.get("priority") or "") == str(body.get("priority") or "")
        and str(draft.get("source") or "") == str(body.get("source") or "")
        and str(station) == str(body.get("station_id") or "")
        and caller_id == body.get("caller_id")
    )


def _whose(owner: Owner) -> dict[str, str]:
    return {"backend": owner.backend, "agent_id": owner.agent_id}


def new_key() -> str:
    return str(uuid.uuid4())
