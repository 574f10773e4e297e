"""Where trainees lose time: aggregates over stored practice results.

Plain Python over the rows storage returns, so every engine gives the same answers.
A rubric item's `took_s` is how long that step took (since the step done before it);
averaged per item and per skill it shows where a trainee's calls go slow, and its
miss rate what they forget.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import Any

Row = dict[str, Any]


def _mean(values: list[float]) -> float | None:
    return round(fmean(values), 1) if values else None


def _tally(groups: dict[Any, dict[str, Any]], key: Any, item: Row, extra: Row) -> None:
    g = groups.setdefault(key, {**extra, "attempts": 0, "missed": 0, "took": []})
    g["attempts"] += 1
    g["missed"] += 0 if item["met"] else 1
    if item.get("took_s") is not None:
        g["took"].append(float(item["took_s"]))


def _finish(g: dict[str, Any]) -> Row:
    took = g.pop("took")
    g["miss_rate"] = round(g["missed"] / g["attempts"], 3) if g["attempts"] else 0.0
    g["mean_took_s"] = _mean(took)
    return g


def _slow_first(row: Row) -> tuple[bool, float]:
    took = row["mean_took_s"]
    return (took is None, -(took or 0.0))


def progress(results: list[Row]) -> Row:
    """One trainee's progress from their results (newest first, each with items)."""
    items: dict[tuple[str, str], dict[str, Any]] = {}
    skills: dict[str, dict[str, Any]] = {}
    scenarios: dict[str, list[Row]] = defaultdict(list)
    for r in results:
        scenarios[r["scenario_id"]].append(r)
        for item in r.get("items", []):
            extra = {"scenario_id": r["scenario_id"], "item_id": item["id"]}
            extra |= {"label": item.get("label", ""), "skill": item.get("skill", "")}
            _tally(items, (r["scenario_id"], item["id"]), item, extra)
            if item.get("skill"):
                _tally(skills, item["skill"], item, {"skill": item["skill"]})
    where = sorted((_finish(g) for g in items.values()), key=_slow_first)
    by_skill = sorted(
        (_finish(g) for g in skills.values()),
        key=lambda s: (-s["miss_rate"], *_slow_first(s)),
    )
    over_par = [r["duration_s"] - r["par_s"] for r in results if r.get("par_s")]
    ratios = [
        r["keystrokes"] / r["fastest_keystrokes"]
        for r in results
        if r.get("fastest_keystrokes") and r.get("keystrokes")
    ]
    return {
        "results": len(results),
        "mean_score": _mean([r["score"] for r in results]),
        "best_score": max((r["score"] for r in results), default=None),
        "last_score": results[0]["score"] if results else None,
        "mean_duration_s": _mean([r["duration_s"] for r in results]),
        "mean_over_par_s": _mean(over_par),
        "keystroke_ratio": round(fmean(ratios), 2) if ratios else None,
        "hints_per_call": _mean([r["hints"] + r["mentor_hints"] for r in results]),
        "trend": [r["score"] for r in reversed(results[:20])],
        "where_time_goes": where,
        "skills": by_skill,
        "scenarios": [
            {
                "scenario_id": sid,
                "title": rows[0]["title"],
                "attempts": len(rows),
                "best_score": max(r["score"] for r in rows),
                "last_score": rows[0]["score"],
                "mean_duration_s": _mean([r["duration_s"] for r in rows]),
                "par_s": rows[0]["par_s"],
            }
            for sid, rows in scenarios.items()
        ],
    }


def compare(trainees: list[Row], results: dict[str, list[Row]]) -> list[Row]:
    """One line per trainee, for a mentor: scores, speed, and the weakest skill."""
    out: list[Row] = []
    for t in trainees:
        p = progress(results.get(t["id"], []))
        slowest = next((s for s in sorted(p["skills"], key=_slow_first) if s["mean_took_s"]), None)
        weakest = next((s for s in p["skills"] if s["missed"]), None)
        out.append(
            {
                "trainee_id": t["id"],
                "trainee_name": t["name"],
                **{
                    k: p[k]
                    for k in (
                        "results",
                        "mean_score",
                        "last_score",
                        "mean_duration_s",
                        "mean_over_par_s",
                        "keystroke_ratio",
                        "hints_per_call",
                    )
                },
                "weakest_skill": weakest["skill"] if weakest else None,
                "slowest_skill": slowest["skill"] if slowest else None,
            }
        )
    return out
