"""Making untrusted text safe to show: control characters out, nothing interpreted.

Everything that came from the backend or a caller passes through `clean` where
responses are decoded (client) and where records are stored (server). Rendering
as plain text (never as markup) is the screens' half of the rule.
"""

from __future__ import annotations

from typing import Any, cast

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding,
# override and isolate characters that can make text display in another order
# than it is stored (CVE-2021-42574 "Trojan Source").
_STRIPPED = (
    [c for c in range(0x00, 0x20) if c not in (0x09, 0x0A)]
    + [0x7F]
    + list(range(0x80, 0xA0))
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
_TABLE = dict.fromkeys(_STRIPPED)


def clean(value: str) -> str:
    """Return `value` without control characters or bidi overrides."""
    return value.translate(_TABLE)


def clean_tree(value: Any) -> Any:
    """Clean every string inside decoded JSON (keys too), leaving other values alone."""
    if isinstance(value, str):
        return value.translate(_TABLE)
    if isinstance(value, list):
        return [clean_tree(v) for v in cast("list[Any]", value)]
    if isinstance(value, dict):
        return {
            (k.translate(_TABLE) if isinstance(k, str) else k): clean_tree(v)
            for k, v in cast("dict[Any, Any]", value).items()
        }
    return value


def one_line(value: str) -> str:
    """Clean text and fold line breaks and tabs, for table cells and status lines."""
    return " ".join(clean(value).split())


def mask_phone(phone: str) -> str:
    """Mask a phone number the way Chinese call centres read it: 139****1234, 0471-***2345.

    An area code before a dash stays readable; of the rest, the first three digits of
    a mobile number and the last four digits of any number stay.
    """
    area, sep, local = phone.rpartition("-")
    if not sep:
        area, local = "", phone
    if local.isascii() and local.isdigit():  # the usual number: no scan character by character
        n = len(local)  # (a search answers 20 callers: this was a tenth of its time)
        if not sep:
            return phone if n < 7 else f"{local[:3]}{'*' * (n - 7)}{local[-4:]}"
        return f"{area}-{'*' * (n - 4)}{local[-4:]}" if n > 4 else phone
    digits = [i for i, ch in enumerate(local) if ch.isdigit()]
    if len(digits) < 7 and not sep:
        return phone
    keep = set(digits[-4:]) | (set(digits[:3]) if not sep else set[int]())
    masked = "".join("*" if (ch.isdigit() and i not in keep) else ch for i, ch in enumerate(local))
    return f"{area}{sep}{masked}"


def mask_id(number: str) -> str:
    """Mask a resident ID (18 characters: the first and last 4 stay, as centres read
    them back) or a passport number (short: only its last 2 stay, never most of it)."""
    if len(number) <= 8:
        return "*" * len(number)
    if len(number) < 15:
        return "*" * (len(number) - 2) + number[-2:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def group_digits(number: str) -> str:
    """Group a phone number for reading aloud: 0471-651 2345, 139 0471 1234, 400-810-8888."""
    head, sep, tail = number.rpartition("-")
    body = tail if sep else number
    if not body.isdigit():
        return number
    if len(body) == 11 and body.startswith("1"):
        grouped = f"{body[:3]} {body[3:7]} {body[7:]}"
    elif len(body) in (7, 8):
        grouped = f"{body[:-4]} {body[-4:]}"
    else:
        grouped = body
    return f"{head}-{grouped}" if sep else grouped
