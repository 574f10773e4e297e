"""The ticket draft kept on disk while the agent types, so nothing is lost to a screen
switch, a crash or a power cut. No Textual here.

One small JSON file in the user data dir, replaced atomically (write to a temporary
file, fsync, rename): a crash mid-write leaves the previous draft, never half of one.
The draft carries its Idempotency-Key, so a draft restored after a crash and saved
again can never make a second ticket.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from agent_console import paths

DRAFT_FILE = "ticket-draft.json"


class DraftStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / DRAFT_FILE

    def save(self, draft: dict[str, Any]) -> None:
        paths.private_dir(self.path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".draft-", dir=self.path.parent)  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(draft, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def load(self) -> dict[str, Any] | None:
        """The saved draft, or None (none, or unreadable: never a crash at start-up)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
