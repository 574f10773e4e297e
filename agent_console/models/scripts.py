"""Call scripts, guided scripts and the hotlines they belong to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent_console.models.fields import as_int, as_str, objects


@dataclass(frozen=True)
class Script:
    id: int
    hotline: str
    stage: str
    language: str
    title: str
    body: str
    time_of_day: str = "any"
    sort: int = 0

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Script:
        return cls(
            id=int(d["id"]),
            hotline=as_str(d, "hotline"),
            stage=as_str(d, "stage"),
            language=as_str(d, "language", "zh"),
            title=as_str(d, "title"),
            body=as_str(d, "body"),
            time_of_day=as_str(d, "time_of_day", "any"),
            sort=as_int(d, "sort"),
        )


@dataclass(frozen=True)
class GuideChoice:
    label: str
    note: str
    next: str

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> GuideChoice:
        return cls(label=as_str(d, "label"), note=as_str(d, "note"), next=as_str(d, "next"))


@dataclass(frozen=True)
class GuideStep:
    id: str
    say: str
    extras: tuple[str, ...] = ()
    choices: tuple[GuideChoice, ...] = ()
    summary: str = ""
    priority: str = ""
    category: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> GuideStep:
        return cls(
            id=as_str(d, "id"),
            say=as_str(d, "say"),
            extras=tuple(str(e) for e in d.get("extras") or ()),
            choices=tuple(GuideChoice.from_json(c) for c in objects(d.get("choices"))),
            summary=as_str(d, "summary"),
            priority=as_str(d, "priority"),
            category=as_str(d, "category"),
        )

    @property
    def is_end(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class Guide:
    """A guided script: steps to walk the caller through, ending in a ticket pre-fill."""

    id: int
    slug: str
    hotline: str
    language: str
    title: str
    start: str
    steps: tuple[GuideStep, ...]
    keywords: tuple[str, ...] = ()
    category: str = ""
    priority: str = "normal"
    summary: str = ""
    sort: int = 0

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Guide:
        return cls(
            id=int(d["id"]),
            slug=as_str(d, "slug"),
            hotline=as_str(d, "hotline"),
            language=as_str(d, "language", "zh"),
            title=as_str(d, "title"),
            start=as_str(d, "start"),
            steps=tuple(GuideStep.from_json(s) for s in objects(d.get("steps"))),
            keywords=tuple(str(k) for k in d.get("keywords") or ()),
            category=as_str(d, "category"),
            priority=as_str(d, "priority", "normal"),
            summary=as_str(d, "summary"),
            sort=as_int(d, "sort"),
        )

    def step(self, step_id: str) -> GuideStep | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class Hotline:
    code: str
    kind: str = ""
    name_zh: str = ""
    name_en: str = ""
    centre_zh: str = ""
    centre_en: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Hotline:
        return cls(
            code=as_str(d, "code"),
            kind=as_str(d, "kind"),
            name_zh=as_str(d, "name_zh"),
            name_en=as_str(d, "name_en"),
            centre_zh=as_str(d, "centre_zh"),
            centre_en=as_str(d, "centre_en"),
        )

    def centre(self, language: str) -> str:
        return self.centre_en if language == "en" else self.centre_zh
