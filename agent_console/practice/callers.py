"""The practice callers: the callers the scenarios play, looked up in practice mode in
place of the backend's production callers (which trainees may not read, issue 14).

Shaped like the backend's answers (phone and ID masked, `match` saying how a hit
matched), so the lookup and the caller card work unchanged. Their ids are negative:
nothing that names one (a ticket, an SMS) may reach production as a caller id.
"""

from __future__ import annotations

from collections.abc import Iterable

from agent_console.models import Caller, SearchPage, Unmasked
from agent_console.practice.scenario import CallerRef, Scenario
from agent_console.text import mask_id, mask_phone


def is_practice_id(caller_id: int | None) -> bool:
    return caller_id is not None and caller_id < 0


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class PracticeCallers:
    def __init__(self, scenarios: Iterable[Scenario]) -> None:
        self._refs: dict[int, CallerRef] = {}
        for scenario in scenarios:
            ref = scenario.caller
            if ref is not None and ref not in self._refs.values():
                self._refs[-(len(self._refs) + 1)] = ref

    def _caller(self, caller_id: int, ref: CallerRef, match: str = "") -> Caller:
        return Caller(
            id=caller_id,
            name=ref.name,
            phone=mask_phone(ref.phone),
            account_no=ref.account_no,
            address=ref.address,
            compound=ref.compound,
            language=ref.language,
            id_number=mask_id(ref.id_number) if ref.id_number else "",
            customer_since=ref.customer_since,
            notes=ref.notes,
            served=ref.served,
            station=ref.station,
            match=match,
        )

    def _match(self, ref: CallerRef, query: str) -> str:
        """How `query` finds `ref` (as the backend says it), or "" when it does not."""
        digits, phone = _digits(query), _digits(ref.phone)
        if digits and digits == query.replace(" ", "").replace("-", ""):
            if digits == phone:
                return "phone"
            if digits == ref.account_no:
                return "account"
            if len(digits) >= 3 and phone.startswith(digits):
                return "phone_prefix"
            if len(digits) >= 4 and phone.endswith(digits):
                return "phone_suffix"
            return ""
        text = query.strip().casefold()
        for kind, value in (("name", ref.name), ("compound", ref.compound)):
            if text and text in value.casefold():
                return kind
        return "address" if text and text in ref.address.casefold() else ""

    def find(self, query: str, limit: int = 20) -> SearchPage[Caller]:
        hits: list[Caller] = []
        for caller_id, ref in self._refs.items():
            match = self._match(ref, query)
            if match:
                hits.append(self._caller(caller_id, ref, match))
        return SearchPage(tuple(hits[:limit]))

    def card(self, caller_id: int) -> Caller | None:
        ref = self._refs.get(caller_id)
        return None if ref is None else self._caller(caller_id, ref)

    def unmask(self, caller_id: int) -> Unmasked | None:
        ref = self._refs.get(caller_id)
        return None if ref is None else Unmasked(caller_id, ref.phone, ref.id_number)

    def phone(self, caller_id: int) -> str:
        ref = self._refs.get(caller_id)
        return "" if ref is None else ref.phone
