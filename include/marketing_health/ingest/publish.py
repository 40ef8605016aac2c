"""The Airflow way, step 2: the one writer. Applies every source staged for a run.

Each source is applied in one transaction with its ledger rows
(:func:`~marketing_health.ingest.apply.apply_source`), so a crash leaves every source of the
night either fully loaded (and recorded) or untouched, and a retry carries on where it
stopped: files already committed are recognised by their checksum. A file whose rows do not add
up in the warehouse is refused and the task fails naming it, after the other files are in.
A full disk stops the task with a message naming the source being written (untouched: its
transaction is rolled back) and the sources already in (see ``space.py``).

On a PostgreSQL warehouse the rows travel set-based too: an in-memory DuckDB reads the staged
Parquet files and ``COPY ... FROM STDIN`` streams them into the source's transaction.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from marketing_health.contract.ddl import create_warehouse_tables
from marketing_health.contract.schema import Contract, load_contract
from marketing_health.ingest.apply import add_new_columns, apply_source, log_outcome
from marketing_health.ingest.outputs import Relations
from marketing_health.ingest.reconcile import ReconcileError
from marketing_health.ingest.report import PublishReport, StageReport
from marketing_health.ingest.space import no_space_left
from marketing_health.ingest.sql import literal
from marketing_health.ingest.stage import MANIFEST, staging_folder
from marketing_health.settings import Paths
from marketing_health.warehouse import connect, engine_of

log = logging.getLogger(__name__)


def publish(
    paths: Paths, run_id: str, *, contract: Contract | None = None, keep_staged: bool = False
) -> PublishReport:
    """Load the sources staged for ``run_id`` into ``raw.*``, ``ops.quarantine`` and
    ``ops.pii_findings`` and record each file in ``ops.load_ledger``.

    The staging folder of the run is removed once every source is applied (unless
    ``keep_staged``); it is kept when publishing fails, for the retry.
    """
    contract = contract or load_contract()
    run_folder = staging_folder(paths, run_id)
    manifests = _read_manifests(run_folder, contract)
    report = PublishReport(
        run_id=run_id,
        warehouse=paths.warehouse_label,
        missing_sources=[s.name for s in contract if s.name not in manifests],
        schema_drift={n: m.schema_drift for n, m in manifests.items() if m.schema_drift},
        unchanged_files=sum(m.unchanged_files for m in manifests.values()),
    )
    if report.missing_sources:
        log.warning("Nothing staged for %s in run %s", ", ".join(report.missing_sources), run_id)
    refused: list[ReconcileError] = []
    now = datetime.now(UTC).replace(tzinfo=None)
    with connect(paths) as con, _reader(con) as side:
        create_warehouse_tables(con, contract)
        for source in contract:
            manifest = manifests.get(source.name)
            if manifest is None:
                continue
            relations = staged_relations(run_folder / source.name, manifest)
            try:
                add_new_columns(con, source)
                applied = apply_source(
                    con, side or con, source, manifest.files, relations, run_id, now
                )
            except Exception as exc:
                written = sorted(
                    {f.source for f in report.files if f.status in ("loaded", "replaced")}
                )
                full = no_space_left(exc, source.name, paths.warehouse_label, written)
                if full is None:
                    raise
                log.error("%s", full)
                raise full from exc
            for outcome in applied.files:
                log_outcome(outcome)
            report.files += applied.files
            refused += applied.refused
    log.info("%s", report.summary())
    if refused:
        for error in refused:
            log.error("%s", error)
        raise refused[0]
    if not keep_staged:
        shutil.rmtree(run_folder, ignore_errors=True)
    return report


def _read_manifests(run_folder: Path, contract: Contract) -> dict[str, StageReport]:
    manifests = {}
    for source in contract:
        path = run_folder / source.name / MANIFEST
        if path.exists():
            manifests[source.name] = StageReport.from_dict(json.loads(path.read_text("utf-8")))
    return manifests


def staged_relations(folder: Path, manifest: StageReport) -> Relations:
    """The staged Parquet files of one source as the rows of each table."""

    def parquet(kind: str) -> str:
        name = manifest.outputs.get(kind)
        if name is None:  # nothing was read: nothing to load
            return "SELECT * FROM (SELECT NULL AS file_path, NULL AS _file_path) WHERE false"
        return f"SELECT * FROM read_parquet({literal(str(folder / name))})"

    return Relations(parquet("rows"), parquet("quarantine"), parquet("pii_findings"))


@contextmanager
def _reader(con: Any) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """An in-memory DuckDB that reads staged Parquet for a PostgreSQL warehouse."""
    if engine_of(con) != "postgres":
        yield None
        return
    with duckdb.connect(":memory:") as side:
        side.execute("SET TimeZone = 'UTC'")
        yield side
