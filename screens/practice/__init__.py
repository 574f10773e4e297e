"""Practice mode's screens: the desk (session logic), the panel on every screen, the
call-note box, the menu, the debrief, progress, and the mentor's room."""
