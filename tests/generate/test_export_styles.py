"""Sample data written as tool exports loads into the same warehouse as sample data written in
the contract's columns: the strongest check that the export readers lose nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import pytest

from marketing_health.contract import load_contract
from marketing_health.generate import generate_landing
from marketing_health.ingest import publish, stage_source
from marketing_health.settings import Paths

END = date(2026, 11, 20)
KEY = "test-only-hash-key-0123456789abcdef"
#: The sources the generator writes as tool exports, and the plan their campaigns are found in
#: (the other sources are written the same way in every style).
EXPORTED = ("campaigns", "paid_ads", "email_recipients", "influencer_posts")


def _night(root: Path, style: str) -> tuple[Paths, Counter]:
    """Generate 28 days in ``style``, stage the exported sources, publish; count files per
    export."""
    paths = Paths.under(root)
    paths.data_dir.mkdir(parents=True)
    generate_landing(paths.landing_dir, end_date=END, days=28, export_style=style)
    formats: Counter = Counter()
    for source in EXPORTED:
        for staged in stage_source(source, paths, "night-1", KEY).files:
            assert staged.status == "staged", staged.message
            formats[staged.export_format or "contract"] += 1
    publish(paths, "night-1")
    return paths, formats


def test_mixed_export_style_loads_the_same_rows_as_the_contract_style(tmp_path):
    contract, contract_files = _night(tmp_path / "contract", "contract")
    mixed, mixed_files = _night(tmp_path / "mixed", "mixed")

    assert set(contract_files) == {"contract"}
    assert {
        "Meta Ads Manager ad report",
        "Google Ads report download",
        "Mailchimp audience export (sent-to list)",
        "Creator report (the template of this pipeline)",
    } <= set(mixed_files)
    assert mixed_files["contract"] > 0  # odd days stay in the contract's columns
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{contract.warehouse}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{mixed.warehouse}' AS b (READ_ONLY)")
        for source in (load_contract()[name] for name in EXPORTED):
            cols = ", ".join(f'"{c.warehouse_name}"' for c in source.columns)
            rows = f"SELECT {cols} FROM {{}}.raw.{source.name}"
            only_a, only_b, total = con.execute(
                f"SELECT (SELECT count(*) FROM ({rows.format('a')} EXCEPT ALL {rows.format('b')})),"
                f" (SELECT count(*) FROM ({rows.format('b')} EXCEPT ALL {rows.format('a')})),"
                f" (SELECT count(*) FROM a.raw.{source.name})"
            ).fetchone()
            assert (only_a, only_b) == (0, 0), f"{source.name}: rows differ ({total} rows)"
        quarantined = "SELECT count(*) FROM {}.ops.quarantine"
        assert (
            con.execute(quarantined.format("b")).fetchone()
            == con.execute(quarantined.format("a")).fetchone()
        )


def test_an_unknown_export_style_is_refused(tmp_path):
    with pytest.raises(ValueError, match="export style must be one of contract, vendor, mixed"):
        generate_landing(tmp_path, end_date=END, days=28, export_style="excel")
