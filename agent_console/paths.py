"""Where the console keeps things: platformdirs' user dirs (XDG on Linux).

Seat files (the console log, the outbox of unsent tickets with caller notes, the
ticket draft) are the agent's alone: 0600 files in 0700 folders (issue 14).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "agent-console"


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def log_dir() -> Path:
    from platformdirs import user_log_path

    return user_log_path(APP_NAME)


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def private_dir(folder: Path) -> Path:
    """Make `folder` (and missing parents) and keep it 0700: only the agent reads what
    the seat writes there. Folders that exist are tightened too (an older version
    made them 0755)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix" and folder.stat().st_mode & 0o077:
        os.chmod(folder, 0o700)
    return folder


def private_file(path: Path) -> Path:
    """Create `path` as 0600 if missing (tighten it if it exists), in a 0700 folder,
    before a library opens it with its own default mode."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return path
