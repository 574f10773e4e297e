"""The console's log file: rotating, phone and ID numbers masked, never a token."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_console import logs
from agent_console.screens.caller_card import CallerCardScreen
from tests.conftest import AppFactory
from tests.ui.helpers import wait_for


@pytest.fixture(autouse=True)
def no_log_left_open() -> Iterator[None]:
    yield
    logs.close()


def test_numbers_are_masked_and_tokens_hidden() -> None:
    line = (
        "caller 13904711234 id 150102198001011234 landline 0471-6512345 "
        "account 4718085468 Authorization: Bearer abcDEF123456789xyz token=QWERTY12345678"
    )
    masked = logs.mask_text(line)
    for secret in ("13904711234", "198001011", "6512345", "4718085468", "abcDEF", "QWERTY"):
        assert secret not in masked
    assert "139****1234" in masked and "0471-***2345" in masked
    assert "1501**********1234" in masked
    assert logs.mask_text("ticket 42 at 09:30, 3 waiting") == "ticket 42 at 09:30, 3 waiting"


async def test_a_lookup_leaves_a_log_without_the_number_or_the_token(
    make_app: AppFactory, agent_token: str, tmp_path: Path
) -> None:
    log_file = tmp_path / "logs" / "console.log"
    logs.setup(log_file, debug=True)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", *"18004716690", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CallerCardScreen))
    for handler in logging.getLogger(logs.LOGGER).handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "GET /callers" in text and "180****6690" in text
    assert "signed in as 1001" in text
    assert "18004716690" not in text
    assert agent_token not in text and agent_token[:12] not in text


def test_the_log_rotates(tmp_path: Path) -> None:
    log_file = tmp_path / "console.log"
    logger = logs.setup(log_file)
    for i in range(logs.MAX_BYTES // 100 * 2):
        logger.info("line %d %s", i, "x" * 80)
    assert (tmp_path / "console.log.1").exists()
    assert log_file.stat().st_size <= logs.MAX_BYTES
    assert len(list(tmp_path.glob("console.log*"))) <= logs.BACKUPS + 1


def test_a_failing_log_file_is_remembered_not_printed_and_clears_when_it_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20, item 4: a full disk (/dev/full: every write fails with ENOSPC) must not
    print a traceback over the console, and the console must be able to say so."""
    logger = logs.setup(tmp_path / "console.log")
    handler = next(h for h in logger.handlers if isinstance(h, logs.SeatLogHandler))
    logger.info("fine")
    assert logs.failure() is None
    good = handler.stream
    handler.stream = open("/dev/full", "w", encoding="utf-8")  # noqa: SIM115
    try:
        logger.warning("this line cannot be written")
        assert logs.failure() is not None and "No space" in (logs.failure() or "")
        assert "Traceback" not in capsys.readouterr().err
    finally:
        with contextlib.suppress(OSError):  # its buffer cannot be flushed either
            handler.stream.close()
        handler.stream = good
    logger.info("written again")
    assert logs.failure() is None
    logs.close()
