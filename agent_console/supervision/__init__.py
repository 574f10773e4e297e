"""What a supervisor's screens know that is not drawing: the wallboard's state and
figures (board_view). No Textual here, so it is tested without a terminal."""
