"""Value types every route and request body shares, so that no input reaches the
database in a form it cannot hold (issue 14: no input makes a 5xx).

- Ids are bounded by PostgreSQL's INTEGER (the tighter engine; SQLite raised
  OverflowError at 2**63): a larger id is a 422, never a 500.
- A number in a JSON body is a JSON number, not `true`/`false` (StrictInt).
- A PATCH field that is sent must carry a value: `null` is a 422 that names it
  (schemas.Patch).
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le
from pydantic import StrictInt

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER ids; ids never come near it

#: A row id in a path or query (text there, so not strict: "42" is 42).
Id = Annotated[int, Ge(1), Le(MAX_ID)]
#: A row id in a JSON body: a number, never a boolean.
BodyId = Annotated[StrictInt, Ge(1), Le(MAX_ID)]
