"""Plain dataclasses shared by the client and the screens (no Textual, no HTTP).

`from_json` takes already-cleaned JSON (see client) and tolerates extra fields, so a
newer backend does not break an older console.

One module per area. Creating a frozen dataclass costs about a millisecond (Python
compiles its generated methods), so `from agent_console.models import Caller` loads
only the area module that defines Caller, when it is first asked for: start-up pays
for the models the lookup screen uses, the rest load with their screens. A new model
goes into its area's module and into WHERE below (tests/test_models_layout.py checks).
"""

from __future__ import annotations

import importlib
from typing import Any

#: Model name -> the module under agent_console.models that defines it.
WHERE = {
    "Agent": "agent",
    "AgentStatus": "agent",
    "Ticket": "caller",
    "Caller": "caller",
    "Unmasked": "caller",
    "SearchPage": "search",
    "Listing": "directory",
    "ArticleHit": "kb",
    "Article": "kb",
    "KbFlag": "kb",
    "Script": "scripts",
    "GuideChoice": "scripts",
    "GuideStep": "scripts",
    "Guide": "scripts",
    "Hotline": "scripts",
    "Category": "tickets",
    "Station": "tickets",
    "Sms": "tickets",
    "TicketEvent": "tickets",
    "LoopTicket": "tickets",
    "PracticeItem": "practice",
    "PracticeResult": "practice",
    "RaisedHand": "practice",
    "PracticeHint": "practice",
    "MissedCall": "calls",
    "OutboundCall": "calls",
}

__all__ = sorted(WHERE)


def __getattr__(name: str) -> Any:
    """Import the model's area module on first use (PEP 562), then keep the class here."""
    try:
        module = WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
