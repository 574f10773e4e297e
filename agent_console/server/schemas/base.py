"""What every schema shares: strict request bodies, partial updates (`Patch`), cleaned
strings, list answers, and the ticket vocabulary's literal types.

Incoming strings are cleaned of control characters before anything stores them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from agent_console.server.ticket_flow import PRIORITIES, SOURCES, STATUSES
from agent_console.text import clean

Clean = Annotated[str, AfterValidator(clean)]
Role = Literal["agent", "trainee", "mentor", "supervisor", "station", "wall"]
Area = Literal["production", "practice"]
if TYPE_CHECKING:  # pydantic checks the values (ticket_flow's); a checker sees strings
    Priority = Source = Status = PriorityOrEmpty = str
else:
    Priority = Literal[PRIORITIES]
    Source = Literal[SOURCES]
    Status = Literal[STATUSES]
    PriorityOrEmpty = Literal[("", *PRIORITIES)]  # a guide step that sets none


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Patch(Strict):
    """A partial update: only the fields sent change. A field sent as `null` is refused
    by name (422), unless it is in NULLABLE, where null means "clear it"."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise PydanticCustomError(
                "null_not_allowed", "may not be null (leave the field out to keep it)"
            )
        return value


class Items(BaseModel):
    items: list[Any]


class SearchItems(Items):
    """Search hits; `partial` when the search stopped at its time budget (type more)."""

    partial: bool = False
