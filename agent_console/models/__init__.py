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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what WHERE loads at run time, for the type checker (re-exported)
    from agent_console.models.agent import Agent as Agent
    from agent_console.models.agent import AgentStatus as AgentStatus
    from agent_console.models.caller import Caller as Caller
    from agent_console.models.caller import Ticket as Ticket
    from agent_console.models.caller import Unmasked as Unmasked
    from agent_console.models.calls import MissedCall as MissedCall
    from agent_console.models.calls import OutboundCall as OutboundCall
    from agent_console.models.directory import Listing as Listing
    from agent_console.models.floor import FloorMessage as FloorMessage
    from agent_console.models.kb import Article as Article
    from agent_console.models.kb import ArticleHit as ArticleHit
    from agent_console.models.kb import KbFlag as KbFlag
    from agent_console.models.practice import PracticeHint as PracticeHint
    from agent_console.models.practice import PracticeItem as PracticeItem
    from agent_console.models.practice import PracticeResult as PracticeResult
    from agent_console.models.practice import RaisedHand as RaisedHand
    from agent_console.models.quality import Coaching as Coaching
    from agent_console.models.quality import CoachingResult as CoachingResult
    from agent_console.models.quality import Review as Review
    from agent_console.models.quality import ReviewTicket as ReviewTicket
    from agent_console.models.quality import ScorecardItem as ScorecardItem
    from agent_console.models.scripts import Guide as Guide
    from agent_console.models.scripts import GuideChoice as GuideChoice
    from agent_console.models.scripts import GuideStep as GuideStep
    from agent_console.models.scripts import Hotline as Hotline
    from agent_console.models.scripts import Script as Script
    from agent_console.models.search import SearchPage as SearchPage
    from agent_console.models.tickets import Category as Category
    from agent_console.models.tickets import LoopTicket as LoopTicket
    from agent_console.models.tickets import Sms as Sms
    from agent_console.models.tickets import Station as Station
    from agent_console.models.tickets import TicketEvent as TicketEvent


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
    "FloorMessage": "floor",
    "ScorecardItem": "quality",
    "Review": "quality",
    "ReviewTicket": "quality",
    "Coaching": "quality",
    "CoachingResult": "quality",
}

# Spelled out (pyright reads no computed __all__); tests/test_models_layout.py keeps it
# equal to WHERE.
__all__ = [
    "Agent",
    "AgentStatus",
    "Article",
    "ArticleHit",
    "Caller",
    "Category",
    "Coaching",
    "CoachingResult",
    "FloorMessage",
    "Guide",
    "GuideChoice",
    "GuideStep",
    "Hotline",
    "KbFlag",
    "Listing",
    "LoopTicket",
    "MissedCall",
    "OutboundCall",
    "PracticeHint",
    "PracticeItem",
    "PracticeResult",
    "RaisedHand",
    "Review",
    "ReviewTicket",
    "ScorecardItem",
    "Script",
    "SearchPage",
    "Sms",
    "Station",
    "Ticket",
    "TicketEvent",
    "Unmasked",
]


def __getattr__(name: str) -> Any:
    """Import the model's area module on first use (PEP 562), then keep the class here."""
    try:
        module = WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
