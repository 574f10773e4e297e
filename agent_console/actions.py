"""The catalogue of every action an agent can bind to a key.

One entry per action: its binding id (what keymaps name), the Textual action it
runs, where it applies, and the words the help screen and footer show. Keymaps are
validated against this list; the help screen is generated from it. No Textual here,
so `check-config` can validate a keymap without loading the UI.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionSpec:
    id: str
    action: str
    description: str  # an English msgid; shown through the translation layer
    scope: str  # "app" (everywhere) or the screen it belongs to
    priority: bool = False  # handled before the focused widget sees the key
    show: bool = True  # shown in the footer


APP = "app"

CATALOGUE: tuple[ActionSpec, ...] = (
    # Screen hotkeys are priority bindings: the switch happens before any key typed
    # after it is delivered, so type-ahead lands in the new screen.
    ActionSpec("app.help", "app.help", "Help: all keys", APP, priority=True),
    ActionSpec("screen.lookup", "app.open_screen('lookup')", "Lookup", APP, priority=True),
    ActionSpec("screen.scripts", "app.open_screen('scripts')", "Scripts", APP, priority=True),
    ActionSpec("screen.kb", "app.open_screen('kb')", "Knowledge", APP, priority=True),
    ActionSpec("screen.ticket", "app.open_screen('ticket')", "Ticket", APP, priority=True),
    ActionSpec("app.quit", "app.quit", "Quit", APP, priority=True, show=False),
    # Lookup
    ActionSpec("lookup.down", "move(1)", "Next hit", "lookup", show=False),
    ActionSpec("lookup.up", "move(-1)", "Previous hit", "lookup", show=False),
    ActionSpec("lookup.page_down", "page(1)", "Page down", "lookup", show=False),
    ActionSpec("lookup.page_up", "page(-1)", "Page up", "lookup", show=False),
    ActionSpec("lookup.clear", "clear", "Clear", "lookup"),
    ActionSpec("card.back", "back", "Back to results", "card"),
    # Lookup, caller card, directory, new caller, screen-pop (issue 3)
    ActionSpec("screen.directory", "app.open_screen('directory')", "Directory", APP, priority=True),
    ActionSpec("lookup.history_back", "history(-1)", "Earlier query", "lookup", show=False),
    ActionSpec("lookup.history_forward", "history(1)", "Later query", "lookup", show=False),
    ActionSpec("lookup.new_caller", "new_caller", "New caller", "lookup"),
    ActionSpec("card.unmask", "unmask", "Show full phone/ID", "card"),
    ActionSpec("card.sms", "sms", "SMS account no.", "card"),
    ActionSpec("directory.down", "move(1)", "Next listing", "directory", show=False),
    ActionSpec("directory.up", "move(-1)", "Previous listing", "directory", show=False),
    ActionSpec("directory.page_down", "page(1)", "Page down", "directory", show=False),
    ActionSpec("directory.page_up", "page(-1)", "Page up", "directory", show=False),
    ActionSpec("directory.history_back", "history(-1)", "Earlier query", "directory", show=False),
    ActionSpec("directory.history_forward", "history(1)", "Later query", "directory", show=False),
    ActionSpec("directory.clear", "clear", "Clear", "directory"),
    ActionSpec("directory.note", "note", "Number to notes", "directory"),
    ActionSpec("directory.sms", "sms", "SMS to caller", "directory"),
    ActionSpec("newcaller.save", "save", "Save caller", "newcaller", priority=True),
    ActionSpec("newcaller.cancel", "cancel", "Cancel", "newcaller"),
    # Scripts
    ActionSpec("scripts.down", "move(1)", "Next line", "scripts", show=False),
    ActionSpec("scripts.up", "move(-1)", "Previous line", "scripts", show=False),
    ActionSpec("scripts.clear", "clear", "Clear filter", "scripts"),
    ActionSpec("scripts.language", "switch_language", "中文/English", "scripts"),
    ActionSpec("scripts.guides", "toggle_guides", "Guides only", "scripts"),
    ActionSpec("scripts.four_more", "four_more", "Four more (四多)", "scripts"),
    ActionSpec("scripts.refresh", "refresh", "Refresh phrases", "scripts", show=False),
    # Guided script (digits 1-9 pick an answer; data, not bindable actions)
    ActionSpec("guide.down", "move(1)", "Next answer", "guide", show=False),
    ActionSpec("guide.up", "move(-1)", "Previous answer", "guide", show=False),
    ActionSpec("guide.choose", "choose", "Answer / open ticket", "guide"),
    ActionSpec("guide.undo", "undo", "Undo answer", "guide"),
    ActionSpec("guide.leave", "leave", "Back to phrases", "guide"),
    # The four-more checklist before closing
    ActionSpec("four.down", "move(1)", "Next item", "four", show=False),
    ActionSpec("four.up", "move(-1)", "Previous item", "four", show=False),
    ActionSpec("four.toggle", "toggle", "Tick", "four"),
    ActionSpec("four.done", "done", "Done", "four"),
    ActionSpec("four.cancel", "cancel", "Cancel", "four"),
    # Knowledge base
    ActionSpec("kb.down", "move(1)", "Next article", "kb", show=False),
    ActionSpec("kb.up", "move(-1)", "Previous article", "kb", show=False),
    ActionSpec("kb.clear", "clear", "Clear", "kb"),
    ActionSpec("kb.sms", "sms", "SMS the answer", "kb"),
    ActionSpec("kb.hotline", "cycle_hotline", "Hotline filter", "kb"),
    ActionSpec("kb.tag", "cycle_tag", "Tag filter", "kb"),
    ActionSpec("article.back", "back", "Back to hits", "article"),
    ActionSpec("article.sms", "sms", "SMS the answer", "article"),
    ActionSpec("article.flag", "flag", "Flag outdated/wrong", "article"),
    ActionSpec("flag.down", "move(1)", "Next reason", "flag", show=False),
    ActionSpec("flag.up", "move(-1)", "Previous reason", "flag", show=False),
    ActionSpec("flag.cancel", "cancel", "Cancel", "flag"),
    # Ticket entry
    ActionSpec("ticket.save", "save", "Save ticket", "ticket", priority=True),
    ActionSpec("ticket.discard", "discard", "New blank ticket", "ticket"),
    # The closed loop and the seat (issue 5)
    ActionSpec(
        "screen.followups", "app.open_screen('followups')", "Follow-ups", APP, priority=True
    ),
    ActionSpec("seat.state", "app.seat_state", "Ready / not ready", APP, priority=True),
    ActionSpec("seat.wrap_up", "app.wrap_up", "Hang up / wrap up", APP, priority=True),
    ActionSpec("followups.open", "open", "Open ticket", "followups"),
    ActionSpec("followups.refresh", "reload", "Refresh", "followups"),
    ActionSpec("loopticket.note", "note", "Call note", "loopticket"),
    ActionSpec("loopticket.callback", "callback", "Callback result", "loopticket"),
    ActionSpec("loopticket.close", "close_ticket", "Satisfaction + close", "loopticket"),
    ActionSpec("loopticket.back", "back", "Back", "loopticket"),
    ActionSpec("loopform.save", "submit", "Save", "loopform", priority=True),
    ActionSpec("loopform.cancel", "cancel", "Cancel", "loopform"),
    ActionSpec("seatpick.cancel", "cancel", "Cancel", "seatpick"),
    # Practice mode and mentors (issue 6). One app action runs them all, so the App
    # stays a registry: screens/practice/desk.py does the work.
    ActionSpec("call.note", "app.practice('note')", "Note", APP, priority=True),
    ActionSpec("practice.raise_hand", "app.practice('hand')", "Raise hand", APP, priority=True),
    # A practice call is hung up with seat.wrap_up (F10): one hang-up key in both modes.
    ActionSpec("screen.mentor", "app.practice('mentor')", "Mentor", APP, priority=True, show=False),
    ActionSpec(
        "practice.progress", "app.practice('progress')", "Progress", APP, priority=True, show=False
    ),
    ActionSpec("debrief.next", "next", "Next call", "debrief"),
    ActionSpec("debrief.close", "close", "Back to the console", "debrief"),
    ActionSpec("progress.close", "close", "Close", "progress"),
    ActionSpec("mentor.down", "move(1)", "Next trainee", "mentor", show=False),
    ActionSpec("mentor.up", "move(-1)", "Previous trainee", "mentor", show=False),
    ActionSpec("mentor.canned", "canned", "Canned hint", "mentor"),
    ActionSpec("mentor.take", "take", "Take the hand", "mentor"),
    ActionSpec("mentor.refresh", "refresh", "Refresh", "mentor", show=False),
)

BY_ID: dict[str, ActionSpec] = {a.id: a for a in CATALOGUE}


def scope_of(action_id: str) -> str:
    return BY_ID[action_id].scope


def in_scope(scope: str) -> list[ActionSpec]:
    return [a for a in CATALOGUE if a.scope == scope]
