"""Which days a night's dbt build writes again, decided before the build and handed to dbt in
a table.

dbt reads the night from ``transform.night`` rather than from a var: a var that changes every
night changes dbt's parsed project, so every night parsed the whole project again. The same
row says from which day the incremental daily models (the signal marts, the measures and the
intermediate models under them) are rebuilt: the rest of their history stays as the nights
before wrote it.

That first day is the earliest of

* the night itself (a re-run replaces its own rows, nothing is counted twice);
* the day after the last night built (nights skipped are caught up; a night judged again
  after later ones were built is the last one: the next night rebuilds the days after it);
* the earliest activity day (the contract's ``day_column``, or an earlier date of the row
  that ``restate_days.yaml`` names for its source) of the rows delivered since the last build,
  and of every earlier delivery of the same rows: a late file for an earlier day, or a row
  moved to another day, rewrites the days it touches and every day after them.

Some changes reach every day, so the whole history is rebuilt:

* a plan-side export (a snapshot: campaigns, KPIs, creators ...) whose latest delivery says
  something else than at the last build, because the plan applies to every day of a campaign;
* changed settings the stage writes before the build (the ``SETTINGS_SCHEMAS``: a word a team
  taught tonight re-reads every day's posts);
* a corrected re-delivery (a file replaced: its old rows are gone from ``raw``).

A first build, a changed dbt project (models, macros, tests, settings) or an explicit request
runs ``dbt build --full-refresh``, which also rebuilds the incremental staging tables.
After a successful build its plan is appended to ``transform.builds``, which the next night
compares against.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from marketing_health.contract import load_contract
from marketing_health.contract.schema import Source
from marketing_health.warehouse import engine_of

SCHEMA = "transform"
#: Schemas of small tables the transform stage writes before every build and the models read
#: on every day (the vocabularies, the guard parameters): a change in them rewrites every day.
SETTINGS_SCHEMAS = ("vocab", "params")
NIGHT_TABLE = f"{SCHEMA}.night"
BUILDS_TABLE = f"{SCHEMA}.builds"
#: ``transform.night``: what the models read (``macros/as_of_date.sql``).
_NIGHT_COLUMNS = "as_of_date DATE, restate_from DATE, loaded_since TIMESTAMP, reason VARCHAR"
_BUILD_COLUMNS = {
    "as_of_date": "DATE",
    "restate_from": "DATE",
    "full_refresh": "BOOLEAN",
    "reason": "VARCHAR",
    "loaded_through": "TIMESTAMP",
    "project_fingerprint": "VARCHAR",
    "settings_fingerprint": "VARCHAR",
    "snapshot_fingerprints": "VARCHAR",
    "built_at": "TIMESTAMP",
}
#: Per event source, date columns besides its day_column that name days a row counts on.
RESTATE_DAYS_FILE = Path(__file__).with_name("restate_days.yaml")
#: Folders and files of the dbt project whose content decides what the models compute.
_PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "tests")


@dataclass(frozen=True)
class NightPlan:
    """What tonight's build writes, and the state the next night compares against."""

    as_of_date: str
    #: First day the incremental daily models write again; None: every day.
    restate_from: str | None
    #: ``dbt build --full-refresh``: every incremental model, staging included, from nothing.
    full_refresh: bool
    #: Why the build starts where it does, for the task log.
    reason: str
    #: Newest ``_loaded_at`` among the raw rows this build reads.
    loaded_through: datetime | None
    #: The last build's ``loaded_through``: rows loaded after it are new tonight (None: all).
    loaded_since: datetime | None
    project_fingerprint: str
    settings_fingerprint: str
    snapshot_fingerprints: dict[str, str] = field(default_factory=dict)

    @property
    def restates_every_day(self) -> bool:
        return self.full_refresh or self.restate_from is None

    def describe(self) -> str:
        if self.full_refresh:
            return f"full rebuild ({self.reason})"
        if self.restate_from is None:
            return f"every day rebuilt ({self.reason})"
        if self.restate_from == self.as_of_date:
            return f"only {self.as_of_date} rebuilt ({self.reason})"
        return f"days {self.restate_from} to {self.as_of_date} rebuilt ({self.reason})"


@dataclass(frozen=True)
class _LastBuild:
    as_of_date: date
    loaded_through: datetime | None
    project_fingerprint: str
    settings_fingerprint: str
    snapshot_fingerprints: dict[str, str]


def project_fingerprint(project_dir: Path) -> str:
    """A digest of every file of the dbt project that shapes the tables, and of dbt's version:
    when it changes, history computed by the old project is rebuilt."""
    from dbt.version import __version__ as dbt_version

    digest = hashlib.sha256(dbt_version.encode())
    for part in _PROJECT_PARTS:
        root = project_dir / part
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                digest.update(str(path.relative_to(project_dir)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_fingerprint(con: Any) -> str:
    """A digest of every table in the ``SETTINGS_SCHEMAS``, whatever wrote it."""
    tables = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        f" WHERE table_schema IN ({', '.join('?' for _ in SETTINGS_SCHEMAS)})"
        " ORDER BY table_schema, table_name",
        list(SETTINGS_SCHEMAS),
    ).fetchall()
    digest = hashlib.sha256()
    for schema, table in tables:
        rows = con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall()
        digest.update(f"{schema}.{table}:{rows_fingerprint(rows)}".encode())
    return digest.hexdigest()


def rows_fingerprint(rows: Iterable[Iterable[Any]]) -> str:
    """A digest of rows regardless of their order."""
    digest = hashlib.sha256()
    for line in sorted(repr(tuple(row)) for row in rows):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def plan_night(
    con: Any,
    as_of_date: str,
    *,
    project_fingerprint: str,
    full_refresh: bool = False,
) -> NightPlan:
    """Decide which days tonight's build writes (see the module docstring for the rules).

    A handful of queries whatever the number of sources: each reads the rows loaded since the
    last build (DuckDB skips the older row groups) or the small snapshot and settings tables.
    """
    existing = _existing_tables(con)
    sources = [s for s in load_contract() if s.raw_table in existing]
    night = date.fromisoformat(as_of_date)
    last = _last_build(con, existing)
    since = last.loaded_through if last else None
    previous = last.snapshot_fingerprints if last else {}
    snapshots, changed = _snapshot_fingerprints(con, sources, previous, since)
    plan = _Plan(
        as_of_date,
        _loaded_through(con, sources),
        since,
        project_fingerprint,
        settings_fingerprint(con),
        snapshots,
    )
    if full_refresh:
        return plan.full("asked for")
    if last is None:
        return plan.full("first build of this warehouse")
    if last.project_fingerprint != project_fingerprint:
        return plan.full("the dbt project changed since the last build")
    replaced = _replaced_since(con, since, existing)
    if replaced:
        return plan.every_day(f"corrected re-delivery of {', '.join(replaced)}")
    if changed:
        return plan.every_day(f"plan-side export changed: {', '.join(changed)}")
    if last.settings_fingerprint != plan.settings_fingerprint:
        return plan.every_day("a vocabulary or a guard parameter changed")
    start, reason = night, "tonight"
    if last.as_of_date + timedelta(days=1) < start:
        start, reason = last.as_of_date + timedelta(days=1), f"last night built {last.as_of_date}"
    for name, day in _earliest_days_delivered_since(con, sources, since, existing):
        if day < start:
            start, reason = day, f"{name} rows delivered for {day}"
    return plan.from_day(start.isoformat(), reason)


@dataclass
class _Plan:
    as_of_date: str
    loaded_through: datetime | None
    loaded_since: datetime | None
    project_fingerprint: str
    settings_fingerprint: str
    snapshot_fingerprints: dict[str, str] = field(default_factory=dict)

    def _make(self, restate_from: str | None, full_refresh: bool, reason: str) -> NightPlan:
        return NightPlan(
            as_of_date=self.as_of_date,
            restate_from=restate_from,
            full_refresh=full_refresh,
            reason=reason,
            loaded_through=self.loaded_through,
            loaded_since=None if full_refresh else self.loaded_since,
            project_fingerprint=self.project_fingerprint,
            settings_fingerprint=self.settings_fingerprint,
            snapshot_fingerprints=self.snapshot_fingerprints,
        )

    def full(self, reason: str) -> NightPlan:
        return self._make(None, True, reason)

    def every_day(self, reason: str) -> NightPlan:
        return self._make(None, False, reason)

    def from_day(self, day: str, reason: str) -> NightPlan:
        return self._make(day, False, reason)


def write_night(con: Any, plan: NightPlan) -> None:
    """(Re)write ``transform.night``: the one row the models read the night from."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    con.execute(f"DROP TABLE IF EXISTS {NIGHT_TABLE}")
    con.execute(f"CREATE TABLE {NIGHT_TABLE} ({_NIGHT_COLUMNS})")
    con.execute(
        f"INSERT INTO {NIGHT_TABLE} VALUES (CAST(? AS DATE), CAST(? AS DATE),"
        " CAST(? AS TIMESTAMP), ?)",
        [plan.as_of_date, plan.restate_from, plan.loaded_since, plan.describe()],
    )


def record_build(con: Any, plan: NightPlan) -> None:
    """Append a successful build to ``transform.builds``: what the next night compares with.

    A full refresh for an earlier night than the last one built leaves the tables holding that
    night's history only; the next night starts after it either way.
    """
    _create_builds(con)
    columns = ", ".join(_BUILD_COLUMNS)
    marks = ", ".join(f"CAST(? AS {_sql_type(t, con)})" for t in _BUILD_COLUMNS.values())
    con.execute(
        f"INSERT INTO {BUILDS_TABLE} ({columns}) VALUES ({marks})",
        [
            plan.as_of_date,
            plan.restate_from,
            plan.full_refresh,
            plan.reason,
            plan.loaded_through,
            plan.project_fingerprint,
            plan.settings_fingerprint,
            json.dumps(plan.snapshot_fingerprints, sort_keys=True),
            datetime.now(),
        ],
    )


def _sql_type(duckdb_type: str, con: Any) -> str:
    from marketing_health.warehouse import sql_type

    return sql_type(duckdb_type, engine_of(con))


def _create_builds(con: Any) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    body = ", ".join(f"{n} {_sql_type(t, con)}" for n, t in _BUILD_COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS {BUILDS_TABLE} ({body})")


def _existing_tables(con: Any) -> set[str]:
    rows = con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables"
        " WHERE table_schema IN ('raw', 'ops', ?)",
        [SCHEMA],
    ).fetchall()
    return {r[0] for r in rows}


def _last_build(con: Any, existing: set[str]) -> _LastBuild | None:
    if BUILDS_TABLE not in existing:
        return None
    row = con.execute(
        f"SELECT as_of_date, loaded_through, project_fingerprint, settings_fingerprint,"
        f" snapshot_fingerprints FROM {BUILDS_TABLE} ORDER BY built_at DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    as_of, loaded, project, settings, snapshots = row
    return _LastBuild(
        as_of_date=_as_date(as_of) or date.min,
        loaded_through=loaded,
        project_fingerprint=project,
        settings_fingerprint=settings,
        snapshot_fingerprints=json.loads(snapshots or "{}"),
    )


def _loaded_through(con: Any, sources: list[Source]) -> datetime | None:
    if not sources:
        return None
    parts = " UNION ALL ".join(f"SELECT max(_loaded_at) AS t FROM {s.raw_table}" for s in sources)
    row = con.execute(f"SELECT max(t) FROM ({parts}) AS loads").fetchone()
    return row[0] if row else None


def _since(since: datetime | None, column: str = "_loaded_at") -> tuple[str, list[Any]]:
    if since is None:
        return "TRUE", []
    return f"{column} > CAST(? AS TIMESTAMP)", [since]


def _delivered_since(con: Any, sources: list[Source], since: datetime | None) -> set[str]:
    """The sources with rows loaded since ``since``, in one query."""
    if not sources:
        return set()
    where, param = _since(since)
    parts = [
        f"SELECT '{s.name}' AS source FROM {s.raw_table} WHERE {where} LIMIT 1" for s in sources
    ]
    rows = con.execute(
        " UNION ALL ".join(f"SELECT * FROM ({p}) AS s{i}" for i, p in enumerate(parts)),
        param * len(parts),
    ).fetchall()
    return {r[0] for r in rows}


def _snapshot_fingerprint(con: Any, source: Source) -> str:
    """The latest delivery of a snapshot (what staging keeps), whatever file it came in."""
    columns = ", ".join(c.warehouse_name for c in source.columns)
    rows = con.execute(
        f"SELECT {columns} FROM {source.raw_table}"
        f" WHERE _delivery_day = (SELECT max(_delivery_day) FROM {source.raw_table})"
    ).fetchall()
    return rows_fingerprint(rows)


def _snapshot_fingerprints(
    con: Any, sources: list[Source], previous: dict[str, str], since: datetime | None
) -> tuple[dict[str, str], list[str]]:
    """Fingerprints of every snapshot's latest delivery, recomputed for those delivered since
    the last build (or never fingerprinted), and the names of those whose content changed."""
    snapshots = [s for s in sources if s.kind == "snapshot"]
    delivered = _delivered_since(con, [s for s in snapshots if s.name in previous], since)
    fingerprints, changed = dict(previous), []
    for source in snapshots:
        if source.name in previous and source.name not in delivered:
            continue
        fingerprint = _snapshot_fingerprint(con, source)
        if fingerprint != previous.get(source.name):
            changed.append(source.name)
        fingerprints[source.name] = fingerprint
    return fingerprints, changed


def _earliest_days_delivered_since(
    con: Any, sources: list[Source], since: datetime | None, existing: set[str]
) -> list[tuple[str, date]]:
    """Per event source (and for the privacy findings), the earliest activity day among rows
    delivered since ``since`` and every earlier delivery of the same rows (by the contract's
    key): where a moved row used to count. One query."""
    where, param = _since(since)
    parts: list[str] = []
    params: list[Any] = []
    for source in sources:
        if source.kind != "event" or source.day_column is None:
            continue
        day = ", ".join([f"coalesce({source.day_column}, _delivery_day)", *_day_columns(source)])
        day = f"least({day})"
        new_rows = f"SELECT {day} AS day FROM {source.raw_table} WHERE {where}"
        if source.day_column in source.key:
            days, used = new_rows, param
        else:
            keys = ", ".join(source.key)
            days = (
                f"{new_rows} UNION ALL SELECT {day} FROM {source.raw_table} WHERE ({keys}) IN"
                f" (SELECT {keys} FROM {source.raw_table} WHERE {where})"
            )
            used = param * 2
        parts.append(f"SELECT '{source.name}' AS source, min(day) AS day FROM ({days}) AS d")
        params += used
    if "ops.pii_findings" in existing:
        found_where, found_param = _since(since, "found_at")
        parts.append(
            "SELECT 'personal data found in' AS source, min(data_day) AS day"
            f" FROM ops.pii_findings WHERE {found_where}"
        )
        params += found_param
    if not parts:
        return []
    rows = con.execute(" UNION ALL ".join(parts), params).fetchall()
    return sorted((name, d) for name, day in rows if (d := _as_date(day)) is not None)


def _day_columns(source: Source) -> list[str]:
    return restate_days(str(RESTATE_DAYS_FILE)).get(source.name, [])


class RestateDaysError(ValueError):
    """restate_days.yaml names a source or column the landing contract does not have."""


@cache
def restate_days(path: str) -> dict[str, list[str]]:
    """The extra day columns per event source, checked against the landing contract."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    sources = {s.name: s for s in load_contract()}
    for name, columns in entries.items():
        source = sources.get(name)
        if source is None or source.kind != "event":
            raise RestateDaysError(f"{path}: {name!r} is no event source of the landing contract")
        known = {c.warehouse_name: c.type for c in source.columns}
        for column in columns or []:
            if known.get(column) not in ("date", "timestamp"):
                raise RestateDaysError(
                    f"{path}: {name}.{column} is no date column of the landing contract"
                )
    return {name: list(columns or []) for name, columns in entries.items()}


def _replaced_since(con: Any, since: datetime | None, existing: set[str]) -> list[str]:
    if "ops.load_ledger" not in existing:
        return []
    where, params = _since(since, "loaded_at")
    rows = con.execute(
        "SELECT DISTINCT source FROM ops.load_ledger"
        f" WHERE lower(status) = 'replaced' AND {where} ORDER BY source",
        params,
    ).fetchall()
    return [r[0] for r in rows]


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
