"""Where the console keeps things: platformdirs' user dirs (XDG on Linux)."""

from __future__ import annotations

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
