"""`agent-console report` end to end against the real server over the known facts of
tests/api/quality_data.py (figures worked out by hand there and in test_quality_api)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from agent_console.backend_process import EmbeddedBackend
from agent_console.cli import main
from tests.api.quality_data import start_known
from tests.conftest import DemoDatabase, MemoryKeyring, login

RANGE = ["--from", "2026-03-02", "--to", "2026-03-03"]


@pytest.fixture(scope="module")
def known(
    demo_db: DemoDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    backend, _ids = start_known(demo_db, tmp_path_factory.mktemp("report"))
    yield backend
    backend.stop()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(args)
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_csv_per_agent_by_day(
    known: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AGENT_CONSOLE_TOKEN", login(known.url, "9001"))
    code, out, err = run(["report", *RANGE, "--format", "csv", "--backend", known.url], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    got = {(r["period"], r["agent_no"]): r for r in rows}
    assert sorted(got) == [("2026-03-02", "1001"), ("2026-03-03", "1001"), ("2026-03-03", "1002")]
    first = got[("2026-03-02", "1001")]
    assert (first["team"], first["calls"], first["aht_s"], first["acw_s"]) == (
        "A",
        "2",
        "120",
        "40",
    )
    assert (first["satisfaction"], first["callbacks_due"], first["callbacks_on_time"]) == (
        "5",
        "2",
        "1",
    )
    assert (first["callbacks_on_time_share"], first["repeat_7d"], first["fcr"]) == (
        "0.5",
        "1",
        "0.5",
    )
    later = got[("2026-03-03", "1001")]
    assert (later["calls"], later["aht_s"], later["callbacks_on_time_share"]) == ("0", "", "")


def test_markdown_per_team_by_week_from_the_stored_sign_in(
    known: EmbeddedBackend,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("AGENT_CONSOLE_TOKEN", raising=False)
    monkeypatch.setenv("AGENT_CONSOLE_BACKEND", known.url)
    memory_keyring.set_password("agent-console", known.url, login(known.url, "9001"))
    args = ["report", *RANGE, "--format", "md", "--by", "week", "--group", "team"]
    code, out, err = run(args, capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("| period | team | calls | satisfaction |")
    assert lines[2:] == [
        "| 2026-03-02 | A | 2 | 4 | 2 | 2 | 1 | 0.5 | 1 | 0.6667 | 120 | 40 |",
        "| 2026-03-02 | B | 1 | 4 | 1 | 1 | 1 | 1 | 0 | 1 | 120 | - |",
    ]


def test_a_bad_date_an_agent_and_no_sign_in_are_told_clearly(
    known: EmbeddedBackend,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AGENT_CONSOLE_BACKEND", known.url)
    monkeypatch.setenv("AGENT_CONSOLE_TOKEN", login(known.url, "1001"))
    code, _out, err = run(["report", "--from", "2026-3-2", "--to", "2026-03-03"], capsys)
    assert code == 2 and "--from must be a date as YYYY-MM-DD, not '2026-3-2'" in err
    code, _out, err = run(["report", "--from", "2026-03-04", "--to", "2026-03-03"], capsys)
    assert code == 2 and "--to is before --from" in err
    code, out, err = run(["report", *RANGE], capsys)
    assert code == 3 and "the report is for supervisors" in err and out == ""
    monkeypatch.delenv("AGENT_CONSOLE_TOKEN")
    code, _out, err = run(["report", *RANGE], capsys)
    assert code == 3 and "not signed in" in err and "AGENT_CONSOLE_TOKEN" in err
