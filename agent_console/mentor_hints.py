"""A mentor's hints on the trainee's screen: a `practice_hint` from the events stream is
shown at once and marked seen; while the stream is down the unseen ones are fetched
(the desk asks every few seconds); at a call's start, hints left unseen from earlier
calls are marked seen, not shown. A failed request is left for the next try: the call
goes on. No Textual: the desk (screens/practice/desk.py) runs the requests as workers
and draws what `show` is given."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from agent_console.client.errors import BackendError, BackendUnavailable

if TYPE_CHECKING:
    from agent_console.client.practice import PracticeCalls
    from agent_console.practice_call import PracticeCall, Shown

#: Runs a request in the background (a worker), in a named group.
Run = Callable[[Coroutine[Any, Any, None], str], None]


class MentorHints:
    def __init__(
        self,
        call: PracticeCall,
        client: PracticeCalls,
        show: Callable[[Shown | None, str], None],
        trainee: Callable[[], bool],
        run: Run,
    ) -> None:
        self.call = call
        self.client = client
        self.show = show  # (what changed in the call's view, the mentor's name)
        self.trainee = trainee  # only a trainee's hints are kept and marked seen
        self.run = run

    def arrived(self, data: dict[str, Any]) -> None:
        """A `practice_hint` from the events stream (or a poll): shown at once."""
        hint = self.call.take_mentor_hint(data)
        if hint is None:
            return
        self.show(self.call.mentor_hint(hint), hint.mentor)
        if hint.id and self.trainee():
            self.run(self._mark_seen(hint.id), "practice-hints-seen")

    async def _mark_seen(self, hint_id: int) -> None:
        with contextlib.suppress(BackendUnavailable, BackendError):
            await self.client.mark_hint_seen(hint_id)

    async def catch_up(self, skip: bool) -> None:
        """Hints sent while the stream was down. `skip`: at a call's start, hints left
        unseen from earlier calls are marked seen, not shown."""
        if not self.trainee():
            return
        try:
            hints = await self.client.practice_hints(unseen=True, after=self.call.last_hint_id)
        except (BackendUnavailable, BackendError):
            return
        for hint in hints:
            if skip:
                self.call.last_hint_id = max(self.call.last_hint_id, hint.id)
                await self._mark_seen(hint.id)
            else:
                self.arrived({"id": hint.id, "text": hint.text, "mentor_name": hint.mentor_name})
