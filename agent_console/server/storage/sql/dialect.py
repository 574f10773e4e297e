"""What the two engines spell differently in the SQL they share, said once.

The shared queries (storage/sql) are written once, with `?` for each parameter (by
position: no statement names its parameters), `ON CONFLICT (...) DO UPDATE SET col =
excluded.col` for an upsert (both engines take it as it is), and a literal `%` as
itself. SQLite runs them as they are. PostgreSQL runs them with its own numbered
parameters (`$1, $2, ...`, through psycopg's raw cursor, which hands the statement to
the server as it is: no `%s` to parse, no `%` to double); each statement's numbered
spelling is made once, the first time it runs, and kept (`Dialect.sql`). The dialect
also says the larger-of-two function (`greatest`), how an INSERT hands back the id the
database gave the row (`RETURNING id`, or SQLite's lastrowid); which driver error means
"a unique key or a reference refused the row" each engine's core says (ConstraintViolation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: A quoted literal ('...', '' inside), a quoted name ("..."), or a placeholder: a `?`
#: inside quotes is a question mark, not a parameter.
_QUOTED_OR_MARK = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?")


@lru_cache(maxsize=4096)
def numbered(text: str) -> str:
    """`text` with its `?` placeholders as PostgreSQL's `$1, $2, ...`, in order. Cached:
    the statements come from this package's code, so each is numbered once (a list of
    `?` of another length is another statement)."""
    count = 0

    def mark(m: re.Match[str]) -> str:
        nonlocal count
        if m.group() != "?":
            return m.group()
        count += 1
        return f"${count}"

    return _QUOTED_OR_MARK.sub(mark, text)


@dataclass(frozen=True)
class Dialect:
    """One engine's spelling of the shared SQL."""

    name: str
    #: The SQL function that gives the larger of two values, for a shared statement
    #: that needs one (`f"{self.dialect.greatest}(a, b)"`; none does today).
    greatest: str
    #: Appended to an INSERT whose new id is wanted; "" where the driver reports it.
    returning_id: str
    #: The engine's parameters are numbered (`$1`) rather than `?`.
    numbered: bool

    def sql(self, text: str) -> str:
        """A shared statement (`?` placeholders) in the spelling the engine runs."""
        return numbered(text) if self.numbered else text


SQLITE = Dialect(name="sqlite", greatest="max", returning_id="", numbered=False)
POSTGRES = Dialect(
    name="postgres", greatest="greatest", returning_id=" RETURNING id", numbered=True
)
