"""Running search probes (see search_plan) against SQLite indexes and FTS5 tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent_console.server.search_plan import Probe
from agent_console.server.storage.sqlite.core import SQLiteCore
from agent_console.server.textkeys import prefix_upper_bound


class ProbeRunner(SQLiteCore):
    def run_probes(
        self,
        table: str,
        fts_table: str,
        columns: Mapping[str, str],
        probes: Sequence[Probe],
        limit: int,
    ) -> list[tuple[int, str]]:
        """Ids and match kinds, best kind first, each id once, at most `limit`.

        `columns` maps a probe's logical column to the indexed column; suffix probes
        use the column's reversed twin `<column>_rev`.
        """
        seen: dict[int, str] = {}
        for probe in probes:
            if len(seen) >= limit:
                break
            for ident in self._probe_ids(table, fts_table, columns, probe, limit):
                if ident not in seen:
                    seen[ident] = probe.kind
                    if len(seen) >= limit:
                        break
        return list(seen.items())

    def _probe_ids(
        self,
        table: str,
        fts_table: str,
        columns: Mapping[str, str],
        probe: Probe,
        limit: int,
    ) -> list[int]:
        if probe.how == "fts":
            sql = f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ? LIMIT ?"
            params: tuple[object, ...] = (f"{probe.column} : {probe.value}", limit)
        else:
            col = columns[probe.column]
            if probe.how == "suffix":
                col = f"{col.removesuffix('_digits')}_rev"
            if probe.how == "exact":
                sql = f"SELECT id FROM {table} WHERE {col} = ? LIMIT ?"
                params = (probe.value, limit)
            else:
                sql = (
                    f"SELECT id FROM {table} WHERE {col} >= ? AND {col} < ? ORDER BY {col} LIMIT ?"
                )
                params = (probe.value, prefix_upper_bound(probe.value), limit)
        return [r[0] for r in self.db.execute(sql, params).fetchall()]

    def fetch_in_order(self, select: str, ids: Sequence[int]) -> dict[int, dict]:
        """Rows for `ids` by id; `select` ends with `WHERE <alias>.id IN ` and gets the list."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r["id"]: dict(r) for r in self.db.execute(f"{select} ({marks})", tuple(ids))}
