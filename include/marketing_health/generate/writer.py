"""Stages generated rows in a scratch DuckDB database and writes them as landing files.

Chunks of campaigns are rendered into contract-typed staging tables as they are generated, so
memory holds one chunk at a time and DuckDB spills the rest to its scratch file. Each source is
then written with one partitioned ``COPY`` (one CSV per day) and moved into the landing layout
``<source>/<YYYY-MM-DD>/<source>.csv``. The copy runs on one thread: with several, DuckDB's
partitioned writer interleaves rows in a different order on every run, and byte-identical files
for a seed are the point of a sample landing zone.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from marketing_health.contract import Contract, Source
from marketing_health.generate import exports, sql

if TYPE_CHECKING:
    from marketing_health.generate.team_files import TeamFiles

#: Scratch database memory cap; larger landing zones spill to the scratch folder.
MEMORY_LIMIT = "2GB"


class Stage:
    """Scratch database under ``work_dir``; removed on exit."""

    def __init__(self, work_dir: Path, contract: Contract, first_day: date) -> None:
        self.work_dir = work_dir
        self.contract = contract
        self.first_day = first_day
        self.rows: dict[str, int] = {}

    def __enter__(self) -> Stage:
        if self.work_dir.exists():
            shutil.rmtree(self.work_dir)
        (self.work_dir / "spill").mkdir(parents=True)
        self.con = duckdb.connect(str(self.work_dir / "stage.duckdb"))
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.con.execute(f"SET temp_directory = {sql.quote(str(self.work_dir / 'spill'))}")
        self.con.execute("SET preserve_insertion_order = true")
        self.con.execute("SET enable_progress_bar = false")
        sql.create_macros(self.con, self.first_day)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.con.close()
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def lookup(self, name: str, frame: pd.DataFrame) -> None:
        """A small reference table (campaigns, creators) the renderers join to."""
        self.con.register("lookup_frame", frame)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM lookup_frame")
        self.con.unregister("lookup_frame")

    def append(self, source: str, frame: pd.DataFrame, columns: dict[str, str], joins: str) -> None:
        """Render a generated chunk into contract columns and add it to the source's stage.

        ``columns`` maps every contract column to SQL over the chunk ``f``; a column the
        contract gains or loses fails here, by name, instead of producing a file the loader
        rejects.
        """
        spec = self.contract[source]
        names = [c.name for c in spec.columns]
        if set(columns) != set(names):
            missing, extra = set(names) - set(columns), set(columns) - set(names)
            raise ValueError(
                f"generator for {source} does not match the contract: "
                f"missing {sorted(missing)}, unknown {sorted(extra)}"
            )
        select = ",\n    ".join(
            f"CAST({columns[c.name]} AS {sql.STAGE_TYPES[c.type]}) AS {c.name}"
            for c in spec.columns
        )
        query = f"SELECT f._ord,\n    {select}\nFROM chunk AS f {joins}"
        table = f"stage_{source}"
        self.con.register("chunk", frame)
        try:
            if source in self.rows:
                self.con.execute(f"INSERT INTO {table} {query}")
            else:
                self.con.execute(f"CREATE TABLE {table} AS {query}")
        finally:
            self.con.unregister("chunk")
        self.rows[source] = self.rows.get(source, 0) + len(frame)

    def write(
        self,
        landing_dir: Path,
        end_date: date,
        export_style: str = "contract",
        team_files: TeamFiles | None = None,
    ) -> dict[str, int]:
        """Write every staged source into the landing zone; returns rows written per source.

        With ``export_style`` ``vendor`` or ``mixed``, rows a tool export can carry are
        written as that export (:mod:`marketing_health.generate.exports`), the rest as
        contract files. With ``team_files``, the rows of the sample teams that deliver their
        own files go there instead (:mod:`marketing_health.generate.team_files`).
        """
        out: dict[str, int] = {}
        for spec in self.contract:
            if spec.name not in self.rows:
                continue
            team_rows = team_files.rows(self.con, spec) if team_files else None
            others = f"NOT ({team_rows})" if team_rows else "true"
            if spec.kind == "snapshot":
                folder = landing_dir / spec.name / end_date.isoformat()
                folder.mkdir(parents=True, exist_ok=True)
                self._copy(spec, folder / f"{spec.name}.csv", partitioned=False, where=others)
            else:
                days = exports.day_filter(export_style, spec.day_column or "")
                if days and team_rows:
                    days = f"({days}) AND {others}"
                exported = exports.exported_rows(spec.name, days) if days else None
                where = f"NOT ({exported})" if exported else "true"
                self._write_daily(spec, landing_dir, f"{where} AND {others}")
                if exported and days:
                    exports.write_exports(self.con, landing_dir, spec.name, days, end_date)
            if team_rows and team_files:
                team_files.write(self.con, landing_dir, spec, end_date)
            out[spec.name] = self.con.execute(f"SELECT count(*) FROM stage_{spec.name}").fetchone()[
                0
            ]
        return out

    def _select(self, spec: Source, where: str = "true") -> str:
        cols = ", ".join(
            f"strftime({c.name}, '%Y-%m-%dT%H:%M:%S') AS {c.name}"
            if c.type == "timestamp"
            else c.name
            for c in spec.columns
        )
        order = f"{spec.day_column}, _ord" if spec.kind == "event" else "_ord"
        return f"SELECT {cols} FROM stage_{spec.name} WHERE {where} ORDER BY {order}"

    def _copy(self, spec: Source, target: Path, *, partitioned: bool, where: str = "true") -> None:
        options = "FORMAT csv, HEADER true, DELIMITER ','"
        if partitioned:
            options += (
                f", PARTITION_BY ({spec.day_column}), WRITE_PARTITION_COLUMNS true, "
                f"FILENAME_PATTERN {sql.quote(spec.name)}"
            )
        self.con.execute("SET threads = 1")
        try:
            self.con.execute(
                f"COPY ({self._select(spec, where)}) TO {sql.quote(str(target))} ({options})"
            )
        finally:
            self.con.execute("RESET threads")

    def _write_daily(self, spec: Source, landing_dir: Path, where: str = "true") -> None:
        days = self.con.execute(
            f"SELECT count(DISTINCT {spec.day_column}) FROM stage_{spec.name} WHERE {where}"
        ).fetchone()[0]
        if not days:
            return
        self.con.execute(f"SET partitioned_write_max_open_files = {max(100, days + 8)}")
        staging = self.work_dir / "out" / spec.name
        staging.parent.mkdir(exist_ok=True)
        self._copy(spec, staging, partitioned=True, where=where)
        prefix = f"{spec.day_column}="
        target = landing_dir / spec.name
        target.mkdir(parents=True, exist_ok=True)
        for part in sorted(staging.iterdir()):  # one folder per day, not per row
            files = list(part.iterdir())
            if not part.name.startswith(prefix) or len(files) != 1:
                raise RuntimeError(f"unexpected partition output {part} ({len(files)} files)")
            # Rename the file, then move the whole day folder: no folder is created or removed
            # per day (on some disks that is what a landing zone of many days spends its time on).
            files[0].replace(part / f"{spec.name}.csv")
            part.replace(target / part.name.removeprefix(prefix))
        staging.rmdir()
