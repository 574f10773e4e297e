"""The supervisor's screens: the wallboard (and the wall screen's board), a hand on
every seat (seat actions)."""
