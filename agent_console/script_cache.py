"""The seat's copy of the scripts, guides and hotlines, so the greeting is on screen with
no network wait and stays there when the backend is down.

One small JSON file per backend in the user cache dir; written atomically; nothing
secret in it (no token, no caller). Read back through the same cleaning as a response.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_console.models import Guide, Hotline, Script
from agent_console.paths import APP_NAME
from agent_console.text import clean_tree

VERSION = 1


@dataclass
class ScriptBundle:
    scripts: list[Script] = field(default_factory=list[Script])
    guides: list[Guide] = field(default_factory=list[Guide])
    hotlines: list[Hotline] = field(default_factory=list[Hotline])
    saved_at: float = 0.0  # time.time() when fetched from the backend; 0 = never
    last_hotline: str = ""  # the signed-in agent's hotline then: used before sign-in

    def centre(self, hotline: str, language: str) -> str:
        found = next((h for h in self.hotlines if h.code == hotline), None)
        return found.centre(language) if found else ""


def cache_path(base_url: str) -> Path:
    from platformdirs import user_cache_path

    digest = hashlib.sha256(base_url.rstrip("/").encode()).hexdigest()[:16]
    return user_cache_path(APP_NAME) / f"scripts-{digest}.json"


def load(base_url: str) -> ScriptBundle | None:
    """The cached bundle, or None when there is none or it cannot be read."""
    try:
        data = clean_tree(json.loads(cache_path(base_url).read_text(encoding="utf-8")))
        if data.get("version") != VERSION:
            return None
        return ScriptBundle(
            scripts=[Script.from_json(s) for s in data["scripts"]],
            guides=[Guide.from_json(g) for g in data["guides"]],
            hotlines=[Hotline.from_json(h) for h in data["hotlines"]],
            saved_at=float(data["saved_at"]),
            last_hotline=str(data.get("last_hotline", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(base_url: str, bundle: ScriptBundle) -> None:
    """Write the bundle atomically (a crash leaves the old file or the new one)."""
    path = cache_path(base_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {
        "version": VERSION,
        "backend": base_url,
        "saved_at": bundle.saved_at or time.time(),
        "last_hotline": bundle.last_hotline,
        "scripts": [dataclasses.asdict(s) for s in bundle.scripts],
        "guides": [dataclasses.asdict(g) for g in bundle.guides],
        "hotlines": [dataclasses.asdict(h) for h in bundle.hotlines],
    }
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
