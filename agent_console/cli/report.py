"""`agent-console report`: the quality figures (GET /quality) for a manager's
spreadsheet, as CSV or a Markdown table on stdout, signed in as a supervisor (the
stored sign-in of `agent-console login`, or AGENT_CONSOLE_TOKEN)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from agent_console.cli.common import AddParser, command, fail

if TYPE_CHECKING:
    import argparse

FIGURES = (
    "calls",
    "satisfaction",
    "satisfaction_n",
    "callbacks_due",
    "callbacks_on_time",
    "callbacks_on_time_share",
    "repeat_7d",
    "fcr",
    "aht_s",
    "acw_s",
)


def add_parsers(add: AddParser) -> None:
    report = add(
        "report",
        help="quality figures per agent or team (satisfaction, callbacks on time, "
        "first-contact resolution, handling times) as CSV or Markdown",
    )
    report.add_argument("--from", dest="first", required=True, metavar="DATE", help="YYYY-MM-DD")
    report.add_argument("--to", dest="last", required=True, metavar="DATE", help="YYYY-MM-DD")
    report.add_argument("--format", choices=("csv", "md"), default="csv")
    report.add_argument("--by", choices=("day", "week"), default="day")
    report.add_argument("--group", choices=("agent", "team"), default="agent")
    report.add_argument("--backend", metavar="URL", help="backend URL (default: from the config)")
    command(report, cmd_report)


def parse_day(text: str, option: str) -> date:
    """A YYYY-MM-DD option, or exit 2 saying which option and what was wrong."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} must be a date as YYYY-MM-DD, not {text!r}", code=2)


def columns(group: str) -> list[str]:
    who = ["agent_no", "name", "team"] if group == "agent" else ["team"]
    return ["period", *who, *FIGURES]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def to_csv(rows: list[dict[str, Any]], group: str) -> str:
    """One header line and a line per row; an empty cell where a figure has no data."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = columns(group)
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(n)) for n in names])
    return out.getvalue()


def _md(value: Any) -> str:
    """A table cell: names are text, so a pipe or a line break cannot break the table."""
    text = _cell(value)
    text = " ".join(text.splitlines()).replace("\\", "\\\\").replace("|", "\\|")
    return text if text else "-"


def to_markdown(rows: list[dict[str, Any]], group: str) -> str:
    names = columns(group)
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(_md(row.get(n)) for n in names) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def cmd_report(args: argparse.Namespace) -> int:
    import asyncio
    import dataclasses

    from agent_console import auth
    from agent_console.cli.common import settings
    from agent_console.client import BackendClient, BackendError, BackendUnavailable

    first, last = parse_day(args.first, "--from"), parse_day(args.last, "--to")
    if last < first:
        fail("--to is before --from", code=2)
    config = settings(args.config)
    if args.backend:
        config = dataclasses.replace(
            config, backend=dataclasses.replace(config.backend, url=args.backend)
        )
    token, _source = auth.token_for(config.backend.url)
    if token is None:
        fail(
            f"not signed in to {config.backend.url}: run `agent-console login` as a "
            f"supervisor, or set {auth.ENV_TOKEN}",
            code=3,
        )
    params = {"from": first.isoformat(), "to": last.isoformat(), "by": args.by}
    params["group"] = args.group

    async def fetch() -> Any:
        client = BackendClient.from_settings(config, token)
        try:
            return await client.request("GET", "/quality", params=params)
        finally:
            await client.aclose()

    try:
        body = asyncio.run(fetch())
    except BackendUnavailable as exc:
        fail(exc.message)
    except BackendError as exc:
        if exc.status == 403:
            fail("the report is for supervisors: sign in as one (agent-console login)", code=3)
        if exc.status == 401:
            fail("the sign-in has ended or was revoked: run `agent-console login` again", code=3)
        fail(exc.message, code=2 if exc.status == 422 else 1)
    items = cast("dict[str, Any]", body).get("items") if isinstance(body, dict) else None
    rows = cast("list[dict[str, Any]]", items) if isinstance(items, list) else []
    text = to_csv(rows, args.group) if args.format == "csv" else to_markdown(rows, args.group)
    print(text, end="")
    return 0
