"""Callback due times as agents type them: "2h", "30m", "1h30m", "18:00", "tomorrow 9",
"tomorrow 9:30", "明天9点", "今天18点半", "后天10点", "mon 9"... No Textual here.

`parse_due(text, now)` returns the moment (in `now`'s zone) or raises DueError with a
message that says what is understood; the form shows the result beside the field, so
an agent sees "→ Tue 09:00 (in 14 h)" before saving.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from agent_console.i18n import N_, _


class DueError(ValueError):
    """The text is not a time the parser understands (the message says what is)."""


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9, "十": 10}  # fmt: skip
_CN_NUMBER = r"[一二两三四五六七八九]?十[一二三四五六七八九]?|[零一二两三四五六七八九]"
_DAY_WORDS = {
    "today": 0,
    "tod": 0,
    "今天": 0,
    "今": 0,
    "tomorrow": 1,
    "tmr": 1,
    "tom": 1,
    "明天": 1,
    "明": 1,
    "后天": 2,
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DURATION = re.compile(r"^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$")
_CN_DURATION = re.compile(r"^(\d+)\s*(小时|分钟|分|天)后?$")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:：.](\d{2})|点(?:(\d{1,2})分?|(半))?|h)?$")
_PERIOD = {"上午": 0, "早上": 0, "中午": 12, "下午": 12, "晚上": 12, "pm": 12, "am": 0}

HELP = "2h · 30m · 18:00 · tomorrow 9 · 明天9点"


def _cn_number(text: str) -> str:
    """十八 -> 18, 九 -> 9 (hours only need up to 24)."""

    def one(match: re.Match[str]) -> str:
        s = match.group(0)
        if "十" in s:
            tens, _, units = s.partition("十")
            return str(_CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(units, 0))
        return str(_CN_DIGITS[s])

    return re.sub(
        r"[一二两三四五六七八九]?十[一二三四五六七八九]?|[零一二两三四五六七八九]", one, text
    )


def _clock(text: str) -> tuple[int, int] | None:
    period = 0
    for word, shift in _PERIOD.items():
        if text.startswith(word) or text.endswith(word):
            text = text.removeprefix(word).removesuffix(word).strip()
            period = shift
            break
    match = _CLOCK.match(text)
    if not match:
        return None
    hour = int(match.group(1))
    minute = int(match.group(2) or match.group(3) or (30 if match.group(4) else 0))
    if period and hour < 12:
        hour += period
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def parse_due(text: str, now: datetime) -> datetime:
    """The moment `text` means, counted from `now`; DueError if not understood."""
    raw = " ".join(text.strip().lower().split())
    if not raw:
        raise DueError(_("Type when to call back, e.g. {examples}").format(examples=HELP))
    s = _cn_number(raw).replace("后", "") if "后天" not in raw else _cn_number(raw)
    compact = s.replace(" ", "")
    if compact in ("now", "现在", "马上"):
        return now
    match = _DURATION.match(compact)
    if match and any(match.groups()):
        days, hours, minutes = (int(g or 0) for g in match.groups())
        return now + timedelta(days=days, hours=hours, minutes=minutes)
    match = _CN_DURATION.match(compact)
    if match:
        unit = {"小时": "hours", "分钟": "minutes", "分": "minutes", "天": "days"}[match.group(2)]
        return now + timedelta(**{unit: int(match.group(1))})
    day_offset: int | None = None
    rest = compact
    for word in sorted(_DAY_WORDS, key=len, reverse=True):
        if s.startswith(word):
            day_offset, rest = _DAY_WORDS[word], s[len(word) :].strip().replace(" ", "")
            break
    else:
        for i, name in enumerate(_WEEKDAYS):
            if s.startswith(name):
                day_offset = (i - now.weekday()) % 7 or 7
                rest = s.split(" ", 1)[1].replace(" ", "") if " " in s else ""
                break
    if day_offset is not None and not rest:
        rest = "9"  # "tomorrow" alone: the start of the working day
    clock = _clock(rest)
    if clock is None:
        raise DueError(
            _("Not understood: {text!r}. Try {examples}").format(text=text.strip(), examples=HELP)
        )
    moment = now.replace(hour=clock[0], minute=clock[1], second=0, microsecond=0)
    if day_offset is None:
        if moment <= now:  # "9" at 10:00 means tomorrow 9:00
            moment += timedelta(days=1)
    else:
        moment += timedelta(days=day_offset)
    return moment


#: Weekday names as a moment is shown ("Mon 12-07 09:00" / "周一 12-07 09:00"): by the
#: agent's language, not the process's C locale (strftime %a).
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def describe_due(moment: datetime, now: datetime) -> str:
    """ "Tue 09:00 (in 14 h)" / "18:00 (in 2 h 30 min)" / "… (overdue 20 min)", in the
    agent's language (周二 12-08 09:00（14 小时后）)."""
    same_day = moment.date() == now.date()
    when = moment.strftime("%H:%M")
    if not same_day:
        when = f"{_(WEEKDAYS[moment.weekday()])} {moment.strftime('%m-%d')} {when}"
    seconds = int((moment - now).total_seconds())
    span = describe_span(abs(seconds))
    if seconds < 0:
        return _("{when} (overdue {span})").format(when=when, span=span)
    return _("{when} (in {span})").format(when=when, span=span)


def describe_span(seconds: int) -> str:
    """A duration as an agent says it: "42 min", "21 h 42 min", "3 d" (分钟/小时/天)."""
    minutes = seconds // 60
    if minutes < 60:
        return _("{m} min").format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        if minutes:
            return _("{h} h {m} min").format(h=hours, m=minutes)
        return _("{h} h").format(h=hours)
    return _("{d} d").format(d=hours // 24)
