"""Keys named in hints and the debrief, from the active keymap by action id.

Hints never hard-code a key: "open the lookup (F2)" says whatever key the trainee's
keymap binds to `screen.lookup`. The fastest path is counted in keystrokes the same
way the console counts the trainee's: one per key event (a chord such as Ctrl+S is
one), one per typed character.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from agent_console.actions import BY_ID
from agent_console.keymap import key_display
from agent_console.practice.scenario import PathStep


def known_action(action_id: str) -> bool:
    return action_id in BY_ID


def action_description(action_id: str) -> str:
    """The catalogue's English description (an msgid) of an action."""
    spec = BY_ID.get(action_id)
    return spec.description if spec is not None else action_id


def action_keys(action_id: str, keymap: Mapping[str, str]) -> str:
    """The first key bound to `action_id`, spelled for people; "" when none is bound."""
    bound = keymap.get(action_id, "")
    first = next((k for k in bound.split(",") if k.strip()), "")
    return key_display(first) if first else ""


@dataclass(frozen=True)
class SpelledStep:
    keys: str  # what to press, e.g. "F2" or "4701103467" or "Enter"
    what: str  # the action's description, or "" for typed text and plain keys
    keystrokes: int


def spell_step(step: PathStep, keymap: Mapping[str, str]) -> SpelledStep:
    if step.kind == "type":
        return SpelledStep(step.value, "", len(step.value))
    if step.kind == "ime":
        return SpelledStep(f"{step.value.replace(' ', '␣')}→{step.text}", "", len(step.value))
    if step.kind == "key":
        return SpelledStep(key_display(step.value), "", 1)
    keys = action_keys(step.value, keymap)
    what = action_description(step.value)
    return SpelledStep(keys or f"⟨{what}⟩", what, 1)


def spell_path(path: tuple[PathStep, ...], keymap: Mapping[str, str]) -> list[SpelledStep]:
    return [spell_step(step, keymap) for step in path]


def path_keystrokes(path: tuple[PathStep, ...]) -> int:
    """Keystrokes of a path: independent of which keys the keymap binds."""
    return sum(len(s.value) if s.kind in ("type", "ime") else 1 for s in path)


def path_text(spelled: list[SpelledStep]) -> str:
    """One line an instructor can read out: 'F3 Enter F2 4701103467 Enter …'."""
    return " ".join(s.keys for s in spelled)
