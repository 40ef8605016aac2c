"""Every generated file satisfies the landing contract and the landing layout."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from marketing_health.contract import load_contract
from marketing_health.generate import MANIFEST_NAME, Manifest, volumes

CONTRACT = load_contract()
SOURCES = [s.name for s in CONTRACT]
RAW_FORMATS = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "timestamp": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$",
    "boolean": r"^(true|false)$",
    "integer": r"^-?\d+$",
    "decimal": r"^-?\d+(\.\d+)?$",
}


def _files(landing_dir: Path, source: str) -> list[Path]:
    return sorted((landing_dir / source).glob("*/*"))


def test_landing_root_holds_sources_and_manifest_only(landing_dir: Path) -> None:
    assert sorted(p.name for p in landing_dir.iterdir()) == sorted([*SOURCES, MANIFEST_NAME])


@pytest.mark.parametrize("source", SOURCES)
def test_layout_is_source_day_source_csv(
    landing_dir: Path, manifest: Manifest, source: str
) -> None:
    files = _files(landing_dir, source)
    assert files
    for f in files:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.parent.name)
        assert f.name == f"{source}.csv"
    if CONTRACT[source].kind == "snapshot":
        assert [f.parent.name for f in files] == [manifest.end_date.isoformat()]


@pytest.mark.parametrize("source", SOURCES)
def test_header_is_the_contract_columns(landing_dir: Path, source: str) -> None:
    expected = ",".join(c.name for c in CONTRACT[source].columns)
    for f in _files(landing_dir, source):
        with open(f, encoding="utf-8") as fh:
            assert fh.readline().rstrip("\n") == expected, f


@pytest.mark.parametrize("source", SOURCES)
def test_values_cast_to_contract_types(
    db: duckdb.DuckDBPyConnection, manifest: Manifest, source: str
) -> None:
    # The tables were read from every file with the contract's types: a bad value fails there.
    assert db.execute(f"SELECT count(*) FROM {source}").fetchone()[0] == manifest.rows[source]


@pytest.mark.parametrize("source", SOURCES)
def test_raw_text_formats(landing_dir: Path, source: str) -> None:
    """ISO dates, ISO timestamps, true/false booleans, plain numbers, as text in the file."""
    checks = {
        col.name: pattern
        for col in CONTRACT[source].columns
        if (pattern := RAW_FORMATS.get(col.type)) is not None
    }
    if not checks:
        return  # text only
    glob = str(landing_dir / source / "*" / "*.csv")
    counts = ", ".join(
        f"count(*) FILTER (WHERE NOT regexp_matches({name}, '{pattern}'))"
        for name, pattern in checks.items()
    )
    with duckdb.connect() as con:
        bad = con.execute(
            f"SELECT {counts} FROM read_csv('{glob}', header = true, all_varchar = true)"
        ).fetchone()
    assert dict(zip(checks, bad, strict=True)) == dict.fromkeys(checks, 0)


@pytest.mark.parametrize("source", SOURCES)
def test_enums_nulls_and_minimums(db: duckdb.DuckDBPyConnection, source: str) -> None:
    checks = []
    for col in CONTRACT[source].columns:
        if not col.nullable:
            checks.append(f"{col.name} IS NULL")
        if col.enum:
            checks.append(f"lower({col.name}) NOT IN {tuple(col.enum)!r}")
        if col.min is not None:
            checks.append(f"{col.name} < {col.min}")
        if col.type == "text":
            checks.append(f"{col.name} = ''")
    counts = ", ".join(f"count(*) FILTER (WHERE {check})" for check in checks)
    bad = db.execute(f"SELECT {counts} FROM {source}").fetchone()
    assert dict(zip(checks, bad, strict=True)) == dict.fromkeys(checks, 0)


@pytest.mark.parametrize("source", SOURCES)
def test_keys_are_unique(db: duckdb.DuckDBPyConnection, source: str) -> None:
    spec = CONTRACT[source]
    key = ", ".join(k.removesuffix("_hash") if k.endswith("_hash") else k for k in spec.key)
    total, distinct = db.execute(
        f"SELECT count(*), count(DISTINCT ({key})) FROM {source}"
    ).fetchone()
    assert total == distinct


@pytest.mark.parametrize("source", [s.name for s in CONTRACT if s.kind == "event"])
def test_event_rows_sit_in_their_day_folder(db: duckdb.DuckDBPyConnection, source: str) -> None:
    day = CONTRACT[source].day_column
    misplaced = db.execute(
        f"SELECT count(*) FROM {source} "
        f"WHERE NOT ends_with(parse_dirpath(filename), '/' || strftime({day}, '%Y-%m-%d'))"
    ).fetchone()[0]
    assert misplaced == 0


def test_every_source_has_rows(manifest: Manifest) -> None:
    assert {s: n for s, n in manifest.rows.items() if n == 0} == {}


def test_channel_rows_are_the_channel_tools_event_exports() -> None:
    exports = {s.name for s in CONTRACT if s.kind == "event" and s.channel != "plan"}
    assert set(volumes.CHANNEL_SOURCES) == exports


def test_pipe_separated_lists(db: duckdb.DuckDBPyConnection) -> None:
    channels = db.execute(
        "SELECT DISTINCT unnest(string_split(planned_channels, '|')) FROM campaigns"
    ).fetchall()
    assert {c for (c,) in channels} == {"social", "email", "paid", "influencer"}
    tokens = db.execute(
        "SELECT count(*) FROM email_sends WHERE personalisation_tokens IS NOT NULL "
        "AND NOT regexp_matches(personalisation_tokens, '^[a-z_]+(\\|[a-z_]+)*$')"
    ).fetchone()[0]
    assert tokens == 0
    lists = db.execute(
        r"""
        SELECT count(*) FILTER (WHERE NOT regexp_matches(audience_countries,
                                '^[A-Z]{2}(\|[A-Z]{2})*$')),
               count(*) FILTER (WHERE NOT regexp_matches(audience_age_bands,
                                '^\d{2}-\d{2}(\|\d{2}-\d{2})*$')),
               count(*) FILTER (WHERE NOT regexp_matches(audience_interests, '^[a-z_]+\|[a-z_]+$'))
        FROM creators
        """
    ).fetchone()
    assert lists == (0, 0, 0)
    segments = db.execute(
        "SELECT count(*) FROM partners WHERE NOT regexp_matches(target_segments, "
        "'^[a-z_]+(\\|[a-z_]+)*$') OR NOT regexp_matches(brand_values, '^[a-z_]+(\\|[a-z_]+)*$')"
    ).fetchone()[0]
    assert segments == 0


def test_unicode_survives_the_round_trip(db: duckdb.DuckDBPyConnection, manifest: Manifest) -> None:
    name, hashtag = db.execute(
        "SELECT campaign_name, hashtag FROM campaigns WHERE campaign_id = ?",
        [manifest.unicode_campaign_id],
    ).fetchone()
    assert "双十一" in name and hashtag == "#双十一"
    tagged = db.execute(
        "SELECT count(*) FROM social_posts "
        "WHERE campaign_id = ? AND contains(post_text, '#双十一')",
        [manifest.unicode_campaign_id],
    ).fetchone()[0]
    assert tagged > 0
