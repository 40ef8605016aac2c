"""Tool exports written by the tests from the documented shape of each export, and a one-night
ingest (stage the sources concerned, publish once) to load them through the real pipeline."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from marketing_health.ingest import StagedFile, publish, stage_source
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

DAY = "2026-11-20"
KEY = "test-only-hash-key-0123456789abcdef"


def landing_file(paths: Paths, source: str, name: str, day: str = DAY) -> Path:
    folder = paths.landing_dir / source / day
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerows(rows)
    return buffer.getvalue()


def write_export(
    path: Path,
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\n",
) -> Path:
    """``encoding`` as a tool writes it: ``utf-8``, ``utf-8-sig`` (BOM) or ``utf-16`` (BOM, LE)."""
    path.write_bytes(csv_text(rows, delimiter, newline).encode(encoding))
    return path


def write_workbook(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def load(paths: Paths, *sources: str, run_id: str = "night-1") -> dict[str, list[StagedFile]]:
    """Stage the sources, publish once; returns the staged files per source."""
    staged = {s: stage_source(s, paths, run_id, KEY).files for s in sources}
    publish(paths, run_id)
    return staged


def query(paths: Paths, sql: str, params: list | None = None) -> list[tuple]:
    with connect(paths.warehouse, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def one(paths: Paths, sql: str, params: list | None = None):
    (row,) = query(paths, sql, params)
    return row[0] if len(row) == 1 else row


def write_plan(paths: Paths, campaigns: list[tuple[str, str, str]], day: str = DAY) -> None:
    """A campaign plan (contract columns) with (campaign_id, utm_campaign, hashtag) rows."""
    header = [
        "campaign_id", "campaign_name", "brand", "owner_team", "owner_slack_channel",
        "start_date", "end_date", "budget", "reserve_budget", "planned_channels",
        "utm_campaign", "storyline", "hashtag", "target_audience",
    ]  # fmt: skip
    rows = [header] + [
        [cid, f"Campaign {cid}", "Northwind", "growth", "#growth", "2026-10-01", "2026-12-31",
         "10000", "1000", "social|paid|email|influencer", utm, "A story", tag, ""]
        for cid, utm, tag in campaigns
    ]  # fmt: skip
    write_export(landing_file(paths, "campaigns", "plan.csv", day), rows)
