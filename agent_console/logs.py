"""The console's log: a rotating file in the user log dir, with phone and ID numbers
masked and no tokens, whatever a message contains.

Masking happens in a filter on the handler, so a careless log call elsewhere still
cannot write a caller's number to disk. `--debug` adds every HTTP request.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from agent_console import paths

LOGGER = "agent_console"
MAX_BYTES = 1_000_000
BACKUPS = 5

_TOKEN = re.compile(r"(?i)(bearer\s+|token[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9._~+/=-]{8,}")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)\d{3,4}(\d{4})(?!\d)")
_LONG_DIGITS = re.compile(r"(?<!\d)(\d{2})\d{5,}(\d{2})(?!\d)")  # accounts, anything else


def mask_text(text: str) -> str:
    """Tokens removed; ID, mobile and landline numbers masked, other long digit runs too."""
    text = _TOKEN.sub(lambda m: m.group(1) + "[hidden]", text)
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    text = _LANDLINE.sub(lambda m: m.group(1) + "***" + m.group(2), text)
    return _LONG_DIGITS.sub(lambda m: m.group(1) + "***" + m.group(2), text)


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


class PrivateRotatingFileHandler(RotatingFileHandler):
    """Opens the log (and each new one after a rotation) as 0600: it holds the
    agent's work, masked or not."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class SeatLogHandler(PrivateRotatingFileHandler):
    """The log file, which remembers why its last write failed (a full disk, a folder
    gone read-only) instead of printing a traceback over the console's screen; the
    console shows `failure()` in its status bar until a write works again."""

    failure: str | None = None
    _failed = False

    def emit(self, record: logging.LogRecord) -> None:
        self._failed = False
        super().emit(record)
        if not self._failed:
            self.failure = None

    def handleError(self, record: logging.LogRecord) -> None:
        self._failed = True
        exc = sys.exc_info()[1]
        self.failure = f"{type(exc).__name__}: {exc}" if exc else "write failed"


def failure() -> str | None:
    """Why the console's log file cannot be written now; None when it works."""
    for handler in logging.getLogger(LOGGER).handlers:
        if isinstance(handler, SeatLogHandler) and handler.failure:
            return handler.failure
    return None


def setup(log_file: Path, debug: bool = False) -> logging.Logger:
    """Log the console's own events to `log_file` (rotated: 5 x 1 MB)."""
    paths.private_dir(log_file.parent)
    handler = SeatLogHandler(log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    logger = close()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    logger.propagate = False
    return logger


def close() -> logging.Logger:
    """Detach and close the log file (a new setup replaces it)."""
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        if isinstance(old, RotatingFileHandler):
            logger.removeHandler(old)
            old.close()
    return logger
