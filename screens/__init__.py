"""One module per hotkey screen, each with its bindings and its stylesheet beside it."""
