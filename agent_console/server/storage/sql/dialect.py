"""What the two engines spell differently in the SQL they share, said once.

The shared queries (storage/sql) are written in SQLite's spelling: `?` placeholders,
`ON CONFLICT (...) DO UPDATE SET col = excluded.col` for an upsert (both engines take
it as it is), `max(a, b)` of two values. A dialect turns that into its engine's
spelling where the engines differ: placeholders (`%s` for psycopg, a literal `%`
doubled), the two-value maximum (`greatest`), how an INSERT hands back the id the
database gave the row (`RETURNING id`, or SQLite's lastrowid), and which driver
error means "a unique key or a reference refused the row" (see errors_of).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Dialect:
    """One engine's spelling of the shared SQL."""

    name: str
    #: Placeholder of the driver's paramstyle: "?" (qmark) or "%s" (format).
    placeholder: str
    #: The SQL function that gives the larger of two values, for a shared statement
    #: that needs one (`f"{self.dialect.greatest}(a, b)"`; none does today).
    greatest: str
    #: Appended to an INSERT whose new id is wanted; "" where the driver reports it.
    returning_id: str

    def sql(self, text: str) -> str:
        """`text` (SQLite's spelling) in this dialect's spelling."""
        if self.placeholder == "?":
            return text
        return _format_style(text)


SQLITE = Dialect(name="sqlite", placeholder="?", greatest="max", returning_id="")
POSTGRES = Dialect(
    name="postgres", placeholder="%s", greatest="greatest", returning_id=" RETURNING id"
)


@lru_cache(maxsize=2048)
def _format_style(text: str) -> str:
    """`?` outside quotes as `%s`, every `%` as `%%` (psycopg's format paramstyle).
    Quoted text ('...', with '' inside) and quoted names ("...") are copied as they
    are, apart from the doubled `%`: a `?` in a literal is a question mark."""
    out: list[str] = []
    quote = ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        if ch == "%":
            out.append("%%")
        elif ch == "?" and not quote:
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)
