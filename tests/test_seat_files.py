"""Seat files are the agent's alone (issue 14): the console log, the outbox (unsent
tickets with caller notes) and the ticket draft are 0600 files in 0700 folders, also
under a permissive umask, after a log rotation, and when an older version left the
folder 0755 and the file 0644."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_console import logs, paths
from agent_console.outbox import Outbox
from agent_console.ticket_draft import DraftStore, Owner


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: 0644 files, 0755 folders
    yield
    os.umask(old)


def test_the_console_log_is_0600_in_a_0700_folder_also_after_rotation() -> None:
    log_file = paths.log_dir() / "console.log"
    logger = logs.setup(log_file)
    try:
        logger.info("call from 13912345678")
        assert (mode(log_file), mode(log_file.parent)) == (0o600, 0o700)
        for _ in range(logs.MAX_BYTES // 500 + 10):  # past MAX_BYTES: rotates
            logger.info("x" * 500)
        assert (log_file.parent / "console.log.1").exists()
        assert mode(log_file) == 0o600 and mode(log_file.parent / "console.log.1") == 0o600
    finally:
        logs.close()


def test_the_outbox_and_its_wal_are_0600_in_a_0700_folder() -> None:
    box = Outbox(paths.data_dir() / "outbox.db")
    try:
        box.db_mode()
        files = [p for p in box.path.parent.iterdir() if p.name.startswith("outbox.db")]
        assert {p.name for p in files} >= {"outbox.db", "outbox.db-wal"}
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
        assert mode(box.path.parent) == 0o700
    finally:
        box.close()


def test_the_ticket_drafts_are_0600_in_0700_folders() -> None:
    store = DraftStore()
    try:
        owner = Owner("http://127.0.0.1:8765", "1001")
        store.save(owner, "caller:7", {"summary": "no heating", "notes": "caller 13912345678"})
        files = [p for p in store.root.rglob("*") if p.is_file()]
        folders = [store.root, *(p for p in store.root.rglob("*") if p.is_dir())]
        assert files and all(mode(p) == 0o600 for p in files), [(p, mode(p)) for p in files]
        assert all(mode(p) == 0o700 for p in folders), [(p, mode(p)) for p in folders]
    finally:
        store.close()


def test_files_and_folders_an_older_version_left_open_are_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "seat"
    folder.mkdir(mode=0o755)
    (folder / "outbox.db").touch(mode=0o644)
    os.chmod(folder, 0o755)
    os.chmod(folder / "outbox.db", 0o644)
    box = Outbox(folder / "outbox.db")
    box.close()
    assert (mode(folder / "outbox.db"), mode(folder)) == (0o600, 0o700)
