"""The cyclic garbage collector, paused while the console starts.

Start-up makes ~100,000 objects (Textual, the console's modules, the first screen)
that almost all live as long as the console, and the collector walked them again and
again as they were made: 150 collections, 60-120 ms of a 550-1,000 ms start (gc
callbacks, under a pty against a running backend; a bare Textual app pays 30-50 ms).
So the `agent-console` entry pauses it before the first import, and the console
resumes it after its first paint, with one full collection in the first pause of the
agent's typing, before the other screens are mounted in the background (screens/
screen_mounts.py; ~100,000 objects, 40-80 of them garbage, 50-120 ms), or after
RESUME_LATEST seconds whatever happens. Every other command resumes it at once.

Once every screen is mounted, what exists lives as long as the console, and a full
collection walked all of it again (~118,000 objects: 88-93 ms, the loop stopped, a key
typed then waited for it). The console freezes it then (`freeze`): the next full
collections walk only what came after (0.0 ms right after, in the same process).
"""

from __future__ import annotations

import gc

#: The console resumes the collector after this long at the latest (seconds from its
#: first paint), even while the agent types.
RESUME_LATEST = 30.0

_paused = False
_ours = False  # pause() took the collector over: the console's own process


def pause() -> None:
    """Stop collecting cycles (objects are still freed by reference counting)."""
    global _paused, _ours
    if gc.isenabled():
        gc.disable()
        _paused = _ours = True


def resume() -> None:
    """Collect once and collect as usual from now on; only if pause() stopped it
    (a test's process, or an embedding program, keeps its own settings)."""
    global _paused
    if _paused:
        _paused = False
        gc.collect()  # everything made while paused, at once, not at a random later key
        gc.enable()


def paused() -> bool:
    return _paused


def freeze() -> None:
    """Leave what exists now out of every later collection (once every screen is
    mounted); only in the process whose collector pause() took over."""
    if _ours and not _paused:
        gc.freeze()
