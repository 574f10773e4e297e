"""What a rubric skill is called on screen (the mentor's comparison names a trainee's
weakest and slowest). Skills are ids in the scenarios (agent_console/practice/rules.py:
a script stage, or the kind of check); the known ones have words in both languages, a
scenario's own skill is shown as its id."""

from __future__ import annotations

from agent_console.i18n import N_, _

SKILLS = {
    "greeting": N_("Greeting"),
    "verification": N_("Verification"),
    "hold": N_("Hold"),
    "closing": N_("Closing"),
    "lookup": N_("Lookup"),
    "directory": N_("Directory"),
    "knowledge": N_("Knowledge base"),
    "sms": N_("SMS"),
    "ticket": N_("Ticket"),
    "advice": N_("Advice"),
    "navigation": N_("Navigation"),
}


def skill_label(skill: str) -> str:
    """The skill in the UI's language; an id nobody named stays as it is."""
    msgid = SKILLS.get(skill)
    return _(msgid) if msgid else skill
