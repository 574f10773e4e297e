"""The catalogue of every action an agent can bind to a key.

One entry per action: its binding id (what keymaps name), the Textual action it
runs, where it applies, and the words the help screen and footer show. Keymaps are
validated against this list; the help screen is generated from it. No Textual here,
so `check-config` can validate a keymap without loading the UI.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_console.i18n import N_


@dataclass(frozen=True)
class ActionSpec:
    id: str
    action: str
    description: str  # an English msgid; shown through the translation layer
    scope: str  # "app" (everywhere) or the screen it belongs to
    priority: bool = False  # handled before the focused widget sees the key
    show: bool = True  # shown in the footer
    short: str = ""  # a shorter msgid for the key bar when the line is full ("" = none)
    # The roles that may use it (agent_console/role_keys.py); empty: everyone signed in.
    # Hidden from the key bar and help (F1) for the others, and refused.
    roles: frozenset[str] = frozenset()


APP = "app"
SUPERVISORS = frozenset({"supervisor"})
# Reviews: a supervisor's of everyone, an agent's or trainee's of their own calls.
REVIEW_ROLES = frozenset({"supervisor", "mentor", "agent", "trainee"})

CATALOGUE: tuple[ActionSpec, ...] = (
    # Screen hotkeys are priority bindings: the switch happens before any key typed
    # after it is delivered, so type-ahead lands in the new screen.
    ActionSpec("app.help", "app.help", N_("Help: all keys"), APP, priority=True, short=N_("Help")),
    ActionSpec("screen.lookup", "app.open_screen('lookup')", N_("Lookup"), APP, priority=True),
    ActionSpec("screen.scripts", "app.open_screen('scripts')", N_("Scripts"), APP, priority=True),
    ActionSpec(
        "screen.kb", "app.open_screen('kb')", N_("Knowledge"), APP, priority=True, short=N_("KB")
    ),
    ActionSpec("screen.ticket", "app.open_screen('ticket')", N_("Ticket"), APP, priority=True),
    ActionSpec("app.quit", "app.quit", N_("Quit"), APP, priority=True, show=False),
    # Tab as a priority binding: Textual's own Tab bubbles up from the focused field
    # after the keys queued behind it, so "1001<Tab>demo" typed in one burst landed in
    # one field. Nothing in the console takes Tab itself (the notes box moves focus).
    ActionSpec(
        "app.next_field", "app.focus_next", N_("Next field"), APP, priority=True, show=False
    ),
    ActionSpec(
        "app.previous_field",
        "app.focus_previous",
        N_("Previous field"),
        APP,
        priority=True,
        show=False,
    ),
    # Lookup
    ActionSpec("lookup.down", "move(1)", N_("Next hit"), "lookup", show=False),
    ActionSpec("lookup.up", "move(-1)", N_("Previous hit"), "lookup", show=False),
    ActionSpec("lookup.page_down", "page(1)", N_("Page down"), "lookup", show=False),
    ActionSpec("lookup.page_up", "page(-1)", N_("Page up"), "lookup", show=False),
    # Esc that clears a search box is a priority binding too: as the screen's own
    # binding it ran only after the keys typed behind it had reached the box (bubbling
    # up from the Input is a later message), so "Esc 1234王芳" typed at once was wiped.
    ActionSpec("lookup.clear", "clear", N_("Clear"), "lookup", priority=True),
    ActionSpec("card.back", "back", N_("Back to results"), "card", short=N_("Back")),
    # Lookup, caller card, directory, new caller, screen-pop
    ActionSpec(
        "screen.directory",
        "app.open_screen('directory')",
        N_("Directory"),
        APP,
        priority=True,
    ),
    ActionSpec("lookup.history_back", "history(-1)", N_("Earlier query"), "lookup", show=False),
    ActionSpec("lookup.history_forward", "history(1)", N_("Later query"), "lookup", show=False),
    ActionSpec("lookup.new_caller", "new_caller", N_("New caller"), "lookup", short=N_("New")),
    ActionSpec("card.unmask", "unmask", N_("Show full phone/ID"), "card", short=N_("Unmask")),
    ActionSpec("card.sms", "sms", N_("SMS account no."), "card", short=N_("SMS")),
    ActionSpec("directory.down", "move(1)", N_("Next listing"), "directory", show=False),
    ActionSpec("directory.up", "move(-1)", N_("Previous listing"), "directory", show=False),
    ActionSpec("directory.page_down", "page(1)", N_("Page down"), "directory", show=False),
    ActionSpec("directory.page_up", "page(-1)", N_("Page up"), "directory", show=False),
    ActionSpec(
        "directory.history_back", "history(-1)", N_("Earlier query"), "directory", show=False
    ),
    ActionSpec(
        "directory.history_forward", "history(1)", N_("Later query"), "directory", show=False
    ),
    ActionSpec("directory.clear", "clear", N_("Clear"), "directory", priority=True),
    ActionSpec("directory.note", "note", N_("Number to notes"), "directory", short=N_("To notes")),
    ActionSpec("directory.sms", "sms", N_("SMS to caller"), "directory", short=N_("SMS")),
    ActionSpec(
        "newcaller.save", "save", N_("Save caller"), "newcaller", priority=True, short=N_("Save")
    ),
    ActionSpec("newcaller.cancel", "cancel", N_("Cancel"), "newcaller"),
    # Scripts
    ActionSpec("scripts.down", "move(1)", N_("Next line"), "scripts", show=False),
    ActionSpec("scripts.up", "move(-1)", N_("Previous line"), "scripts", show=False),
    ActionSpec(
        "scripts.clear", "clear", N_("Clear filter"), "scripts", priority=True, short=N_("Clear")
    ),
    ActionSpec("scripts.language", "switch_language", N_("中文/English"), "scripts"),
    ActionSpec("scripts.guides", "toggle_guides", N_("Guides only"), "scripts", short=N_("Guides")),
    ActionSpec("scripts.four_more", "four_more", N_("Four more (四多)"), "scripts"),
    ActionSpec("scripts.refresh", "refresh", N_("Refresh phrases"), "scripts", show=False),
    # Guided script (digits 1-9 pick an answer; data, not bindable actions)
    ActionSpec("guide.down", "move(1)", N_("Next answer"), "guide", show=False),
    ActionSpec("guide.up", "move(-1)", N_("Previous answer"), "guide", show=False),
    ActionSpec("guide.choose", "choose", N_("Answer / open ticket"), "guide", short=N_("Answer")),
    ActionSpec("guide.undo", "undo", N_("Undo answer"), "guide", short=N_("Undo")),
    ActionSpec("guide.leave", "leave", N_("Back to phrases"), "guide", short=N_("Back")),
    # The four-more checklist before closing
    ActionSpec("four.down", "move(1)", N_("Next item"), "four", show=False),
    ActionSpec("four.up", "move(-1)", N_("Previous item"), "four", show=False),
    ActionSpec("four.toggle", "tick_highlighted", N_("Tick"), "four"),
    ActionSpec("four.done", "done", N_("Done"), "four"),
    ActionSpec("four.cancel", "cancel", N_("Cancel"), "four"),
    # A question before what cannot be taken back (an SMS, quitting during a call)
    ActionSpec("confirm.yes", "yes", N_("Yes, go ahead"), "confirm", short=N_("Yes")),
    ActionSpec("confirm.no", "no", N_("No, go back"), "confirm", short=N_("No")),
    # Knowledge base
    ActionSpec("kb.down", "move(1)", N_("Next article"), "kb", show=False),
    ActionSpec("kb.up", "move(-1)", N_("Previous article"), "kb", show=False),
    ActionSpec("kb.clear", "clear", N_("Clear"), "kb", priority=True),
    ActionSpec("kb.sms", "sms", N_("SMS the answer"), "kb", short=N_("SMS")),
    ActionSpec("kb.hotline", "cycle_hotline", N_("Hotline filter"), "kb", short=N_("Hotline")),
    ActionSpec("kb.tag", "cycle_tag", N_("Tag filter"), "kb", short=N_("Tag")),
    ActionSpec("article.back", "back", N_("Back to hits"), "article", short=N_("Back")),
    ActionSpec("article.sms", "sms", N_("SMS the answer"), "article", short=N_("SMS")),
    ActionSpec("article.flag", "flag", N_("Flag outdated/wrong"), "article", short=N_("Flag")),
    ActionSpec("flag.down", "move(1)", N_("Next reason"), "flag", show=False),
    ActionSpec("flag.up", "move(-1)", N_("Previous reason"), "flag", show=False),
    ActionSpec("flag.cancel", "cancel", N_("Cancel"), "flag"),
    # Ticket entry
    ActionSpec("ticket.save", "save", N_("Save ticket"), "ticket", priority=True, short=N_("Save")),
    ActionSpec("ticket.discard", "discard", N_("New blank ticket"), "ticket", short=N_("New")),
    # The closed loop and the seat
    ActionSpec(
        "screen.followups",
        "app.open_screen('followups')",
        N_("Follow-ups"),
        APP,
        priority=True,
    ),
    ActionSpec(
        "seat.state",
        "app.seat_state",
        N_("Ready / not ready"),
        APP,
        priority=True,
        short=N_("State"),
    ),
    ActionSpec(
        "seat.wrap_up",
        "app.wrap_up",
        N_("Hang up / wrap up"),
        APP,
        priority=True,
        short=N_("Hang up"),
    ),
    # The current call: take a ringing call / back to its card, from anywhere.
    ActionSpec(
        "call.card",
        "app.call_card",
        N_("The call: take / its card"),
        APP,
        priority=True,
        short=N_("Call"),
    ),
    ActionSpec("followups.open", "open", N_("Open ticket"), "followups"),
    ActionSpec(
        "followups.call_back", "call_back", N_("Call back now"), "followups", short=N_("Call back")
    ),
    ActionSpec("followups.refresh", "reload", N_("Refresh"), "followups"),
    ActionSpec("loopticket.note", "note", N_("Call note"), "loopticket"),
    ActionSpec(
        "loopticket.callback", "callback", N_("Callback result"), "loopticket", short=N_("Result")
    ),
    ActionSpec(
        "loopticket.close",
        "close_ticket",
        N_("Satisfaction + close"),
        "loopticket",
        short=N_("Close"),
    ),
    ActionSpec("loopticket.back", "back", N_("Back"), "loopticket"),
    ActionSpec("loopform.save", "submit", N_("Save"), "loopform", priority=True),
    ActionSpec("loopform.cancel", "cancel", N_("Cancel"), "loopform"),
    ActionSpec("seatpick.cancel", "cancel", N_("Cancel"), "seatpick"),
    # Practice mode and mentors. One app action runs them all, so the App
    # stays a registry: screens/practice/desk.py does the work.
    ActionSpec("call.note", "app.practice('note')", N_("Note"), APP, priority=True),
    ActionSpec(
        "practice.raise_hand",
        "app.practice('hand')",
        N_("Raise hand"),
        APP,
        priority=True,
    ),
    # A practice call is hung up with seat.wrap_up (F10): one hang-up key in both modes.
    ActionSpec(
        "screen.mentor", "app.practice('mentor')", N_("Mentor"), APP, priority=True, show=False
    ),
    ActionSpec(
        "practice.progress",
        "app.practice('progress')",
        N_("Progress"),
        APP,
        priority=True,
        show=False,
    ),
    ActionSpec("debrief.next", "next", N_("Next call"), "debrief"),
    ActionSpec("debrief.close", "close", N_("Back to the console"), "debrief", short=N_("Back")),
    ActionSpec("progress.close", "close", N_("Close"), "progress"),
    ActionSpec("mentor.down", "move(1)", N_("Next trainee"), "mentor", show=False),
    ActionSpec("mentor.up", "move(-1)", N_("Previous trainee"), "mentor", show=False),
    ActionSpec("mentor.canned", "canned", N_("Canned hint"), "mentor"),
    ActionSpec("mentor.take", "take", N_("Take the hand"), "mentor"),
    ActionSpec("mentor.refresh", "refresh", N_("Refresh"), "mentor", show=False),
    # The supervisor's wallboard (issue 16): shown to supervisors only (App.check_action).
    ActionSpec(
        "screen.wallboard",
        "app.wallboard",
        N_("Wallboard"),
        APP,
        priority=True,
        short=N_("Board"),
        roles=SUPERVISORS,
    ),
    # First, so it is the last of the board's keys to give way at 80 columns. Not a
    # priority binding (an Enter typed behind arrows would act before they moved the
    # cursor): the board's grid leaves Enter to the screen (board_pane.BoardGrid).
    ActionSpec("wallboard.seat", "seat", N_("Seat actions"), "wallboard", short=N_("Seat")),
    ActionSpec("wallboard.hands", "hands", N_("Raised hands"), "wallboard", short=N_("Hands")),
    ActionSpec(
        "wallboard.overdue", "overdue", N_("Overdue callbacks"), "wallboard", short=N_("Overdue")
    ),
    ActionSpec("wallboard.sort", "sort", N_("Sort by next column"), "wallboard", short=N_("Sort")),
    ActionSpec(
        "wallboard.reverse", "reverse", N_("Reverse order"), "wallboard", short=N_("Reverse")
    ),
    ActionSpec(
        "wallboard.hotline",
        "filter('hotline')",
        N_("Hotline filter"),
        "wallboard",
        short=N_("Hotline"),
    ),
    ActionSpec(
        "wallboard.team", "filter('team')", N_("Team filter"), "wallboard", short=N_("Team")
    ),
    ActionSpec(
        "wallboard.state", "filter('state')", N_("State filter"), "wallboard", short=N_("State")
    ),
    ActionSpec("wallboard.clear", "clear", N_("Clear filter"), "wallboard", short=N_("Clear")),
    ActionSpec("boardlist.close", "close", N_("Close"), "boardlist"),
    # From the floor (issue 16): the message on the strip is read; a supervisor hands
    # the ticket on (to an agent or a field station).
    ActionSpec(
        "floor.read",
        "app.floor_read",
        N_("Mark the floor message read"),
        APP,
        priority=True,
        show=False,
    ),
    ActionSpec("seatactions.close", "close", N_("Close"), "seatactions"),
    ActionSpec("reassign.close", "close", N_("Close"), "reassign"),
    ActionSpec(
        "ticket.reassign",
        "reassign",
        N_("Reassign ticket (supervisors)"),
        "loopticket",
        short=N_("Reassign"),
    ),
    # The quality loop (issue 16): a supervisor draws and scores reviews and assigns
    # practice from a weak item; an agent reads their own reviews and that practice.
    ActionSpec(
        "screen.reviews",
        "app.open_screen('reviews')",
        N_("Reviews"),
        APP,
        priority=True,
        roles=REVIEW_ROLES,
    ),
    ActionSpec("reviews.open", "open", N_("Open review"), "reviews", short=N_("Open")),
    ActionSpec(
        "reviews.sample",
        "sample",
        N_("Draw a sample"),
        "reviews",
        short=N_("Sample"),
        roles=SUPERVISORS,
    ),
    ActionSpec(
        "reviews.filter", "cycle_filter", N_("Open / scored"), "reviews", short=N_("Filter")
    ),
    ActionSpec("reviews.refresh", "reload", N_("Refresh"), "reviews", show=False),
    ActionSpec(
        "review.save",
        "save",
        N_("Save review"),
        "review",
        priority=True,
        short=N_("Save"),
        roles=SUPERVISORS,
    ),
    ActionSpec(
        "review.assign",
        "assign",
        N_("Assign practice"),
        "review",
        short=N_("Practice"),
        roles=SUPERVISORS,
    ),
    ActionSpec("review.back", "back", N_("Back to the list"), "review", short=N_("Back")),
    ActionSpec("sample.draw", "draw", N_("Draw"), "sample", priority=True),
    # Enter as a priority binding: the field moves before the keys typed behind it.
    ActionSpec(
        "sample.next", "next_field", N_("Next field / draw"), "sample", priority=True, show=False
    ),
    ActionSpec("sample.cancel", "cancel", N_("Cancel"), "sample"),
    ActionSpec("assign.cancel", "cancel", N_("Cancel"), "assign"),
    # The UI language, switched at run time. Both names in the msgid, so an
    # agent who cannot read the current language still finds it in help (F1).
    ActionSpec(
        "app.language", "app.language", N_("Language / 语言"), APP, priority=True, show=False
    ),
)

BY_ID: dict[str, ActionSpec] = {a.id: a for a in CATALOGUE}


def in_scope(scope: str) -> list[ActionSpec]:
    return [a for a in CATALOGUE if a.scope == scope]
