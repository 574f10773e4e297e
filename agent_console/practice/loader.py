"""Scenario files: found, read and validated strictly, every problem with its place.

Shipped scenarios live in agent_console/practice/scenarios/*.toml (found through
importlib.resources, so an installed wheel has them); a centre adds its own in a
folder named in the config ([practice] scenarios). A folder's scenario with the id
of a shipped one replaces it. Nothing is half-loaded: any problem in any file
raises ConfigError listing all of them (file:line:col: message).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from agent_console.practice.reader import Context, Reader
from agent_console.practice.references import check_references
from agent_console.practice.rules import read_hints, read_lines, read_milestones, read_path
from agent_console.practice.scenario import (
    HOTLINES,
    LANGUAGES,
    CallerRef,
    ListingRef,
    Scenario,
)
from agent_console.problems import ConfigError, Problem
from agent_console.tomlspan import decode_error, key_positions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ID_PATTERN = r"[a-z0-9][a-z0-9-]*"


def parse_scenario(text: str, label: str) -> Scenario:
    """One scenario from TOML text; raises ConfigError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col, msg = decode_error(exc)
        raise ConfigError([Problem(label, line, col, f"not valid TOML: {msg}")]) from exc
    ctx = Context(label, text, key_positions(text))
    top = Reader(data, (), ctx)
    ident = top.string("id", required=True, pattern=ID_PATTERN)
    title = top.bilingual("title", required=True)
    briefing = top.bilingual("briefing")
    hotline = top.string("hotline", required=True, choices=HOTLINES)
    difficulty = top.integer("difficulty", required=True, lo=1, hi=5, default=1)
    language = top.string("language", required=True, choices=LANGUAGES, default="zh")
    par = top.number("par_seconds", required=True, lo=5, hi=1800)
    tags = top.strings("tags")
    caller = _caller(top.table("caller"))
    listing = _listing(top.table("listing"))
    unlisted_table = top.table("unlisted")
    unlisted = unlisted_table.string("name", required=True) if unlisted_table else ""
    if unlisted_table:
        unlisted_table.finish()
    facts = _facts(top.table("facts"))
    rubric = read_milestones(top.tables("rubric", required=True), scored=True)
    milestones = read_milestones(top.tables("milestone"), scored=False)
    lines = read_lines(top.tables("line", required=True))
    hints = read_hints(top.tables("hint"))
    fastest = read_path(top, "fastest")
    top.finish()
    if ctx.problems or title is None or par is None:
        raise ConfigError(ctx.problems)
    scenario = Scenario(
        id=ident,
        title=title,
        hotline=hotline,
        difficulty=difficulty,
        language=language,
        par_seconds=par,
        lines=lines,
        rubric=rubric,
        fastest=fastest,
        briefing=briefing,
        tags=tags,
        caller=caller,
        listing=listing,
        unlisted=unlisted,
        facts=facts,
        milestones=milestones,
        hints=hints,
        source=label,
    )
    check_references(scenario, ctx)
    if ctx.problems:
        raise ConfigError(ctx.problems)
    return scenario


def _caller(table: Reader | None) -> CallerRef | None:
    if table is None:
        return None
    compound = table.string("compound")
    ref = CallerRef(
        account_no=table.string("account_no", required=True, pattern=r"\d{4,20}"),
        name=table.string("name"),
        phone=table.string("phone", pattern=r"[\d\-+ ]{3,32}"),
        address=table.string("address"),
        compound=compound,
        served=table.boolean("served", default=True) if compound else None,
        station=table.string("station"),
        language=table.string("language", default="zh"),
        id_number=table.string("id_number"),
        customer_since=table.string("customer_since"),
        notes=table.string("notes"),
    )
    table.finish()
    return ref


def _listing(table: Reader | None) -> ListingRef | None:
    if table is None:
        return None
    ref = ListingRef(
        name=table.string("name", required=True),
        number=table.string("number", required=True, pattern=r"[\d\-+ ]{3,32}"),
        department=table.string("department"),
    )
    table.finish()
    return ref


_FACT_KEY = re.compile(r"[a-z][a-z0-9_]*")


def _facts(table: Reader | None) -> dict[str, str]:
    if table is None:
        return {}
    facts: dict[str, str] = {}
    for key in list(table.data):
        if not _FACT_KEY.fullmatch(key):
            table.problem(key, "fact names are lower_case words", at_key=True)
            table.seen.add(key)
            continue
        facts[key] = table.string(key)
    table.finish()
    return facts


def shipped_scenarios() -> list[Scenario]:
    """The scenarios in the package, by file name order."""
    folder = resources.files("agent_console.practice").joinpath("scenarios")
    entries = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name
    )
    return _collect(
        (f"agent_console/practice/scenarios/{f.name}", f.read_text(encoding="utf-8"))
        for f in entries
    )


def load_folder(folder: str | Path) -> list[Scenario]:
    """Every *.toml in `folder` (not recursive), by file name order."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise ConfigError([Problem(str(path), 1, 1, "no such scenario folder")])
    texts: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for file in sorted(path.glob("*.toml")):
        try:
            texts.append((str(file), file.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            problems.append(Problem(str(file), 1, 1, "the file is not UTF-8 text"))
    scenarios: list[Scenario] = []
    try:
        scenarios = _collect(texts)
    except ConfigError as exc:
        problems += exc.problems
    if problems:
        raise ConfigError(problems)
    return scenarios


def load_all(extra_folder: str | Path | None = None) -> list[Scenario]:
    """Shipped scenarios, then the folder's (a folder scenario replaces a shipped one
    with the same id)."""
    scenarios = {s.id: s for s in shipped_scenarios()}
    if extra_folder:
        for s in load_folder(extra_folder):
            scenarios[s.id] = s
    return list(scenarios.values())


def _collect(texts: Iterable[tuple[str, str]]) -> list[Scenario]:
    problems: list[Problem] = []
    found: dict[str, Scenario] = {}
    for label, text in texts:
        try:
            scenario = parse_scenario(text, label)
        except ConfigError as exc:
            problems += exc.problems
            continue
        if scenario.id in found:
            problems.append(
                Problem(
                    label,
                    1,
                    1,
                    f"scenario id {scenario.id!r} is used by {found[scenario.id].source}",
                )
            )
            continue
        found[scenario.id] = scenario
    if problems:
        raise ConfigError(problems)
    return list(found.values())
