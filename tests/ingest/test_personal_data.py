"""Personal data: hashed or redacted in SQL before anything is written, never stored raw."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re

import duckdb
import pytest
from ingest_support import DAY, landing_path, query, rows, run_ingest, write_csv

from marketing_health.ingest import publish, stage_source
from marketing_health.ingest.pii import (
    EMAIL_PATTERN,
    MissingPiiKeyError,
    hmac_sql,
    key_parameters,
    phone_candidates_sql,
    resolve_pii_key,
)
from marketing_health.warehouse import connect

ADDRESS = re.compile(EMAIL_PATTERN)
RAW_EMAILS = ["Jane.Doe@Example.com", "jane.doe@example.com", "bob@example.org", "mia@creators.io"]
RAW_PHONES = ["+49 151 2345678", "0612345678", "+44 (0)20 7946 0958", "(555) 123-4567"]


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def _land_personal_data(paths) -> None:
    recipients = rows("email_recipients", 4)
    recipients[0].update(email=f"  {RAW_EMAILS[0]} ", phone=RAW_PHONES[0])
    recipients[1].update(email=RAW_EMAILS[2], phone="")
    recipients[2].update(email=RAW_EMAILS[3], consent_status="maybe", phone=RAW_PHONES[1])
    recipients[3].update(email=RAW_EMAILS[1], send_id=recipients[0]["send_id"])
    write_csv(landing_path(paths, "email_recipients", "recipients.csv"), recipients)
    posts = rows("social_posts", 4)
    posts[0]["post_text"] = f"DM us or write to {RAW_EMAILS[2]} for the code!"
    posts[1]["post_text"] = f"Questions? Call {RAW_PHONES[2]} or mail {RAW_EMAILS[3]}"
    posts[2].update(post_text=f"Hotline {RAW_PHONES[3]}", impressions="n/a")
    posts[3]["post_text"] = "Launch on 2026-11-20, order 120204385505670650, 1,234,567.00 EUR"
    write_csv(landing_path(paths, "social_posts", "posts.csv"), posts)
    plan = rows("campaigns", 1)
    plan[0]["storyline"] = f"Runners ask {RAW_PHONES[1]} for a pacer"
    write_csv(landing_path(paths, "campaigns", "plan.csv"), plan)


def _leaks(text: str) -> list[str]:
    found = ADDRESS.findall(text)
    found += [p for p in RAW_PHONES if p in text or _digits(p) in re.sub(r"\D", "", text)]
    return found


def _scan_warehouse(paths) -> list[str]:
    """Every VARCHAR or JSON value of every table in the DuckDB file."""
    leaks = []
    with connect(paths.warehouse, read_only=True) as con:
        columns = con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE data_type IN ('VARCHAR', 'JSON') AND NOT internal"
        ).fetchall()
        for schema, table, column in columns:
            values = con.execute(
                f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{schema}"."{table}"'
            ).fetchall()
            leaks += [f"{schema}.{table}.{column}: {v}" for (v,) in values if v and _leaks(v)]
    return leaks


def _scan_staging(paths) -> list[str]:
    leaks = []
    files = sorted(paths.staging_dir.rglob("*"))
    assert any(f.suffix == ".parquet" for f in files)
    for path in files:
        if path.suffix == ".parquet":
            with duckdb.connect() as con:
                values = con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
            text = json.dumps(values, default=str)
        elif path.is_file():
            text = path.read_text(encoding="utf-8")
        else:
            continue
        leaks += [f"{path.name}: {leak}" for leak in _leaks(text)]
    return leaks


def test_no_raw_address_or_number_reaches_staging_warehouse_or_logs(paths, pii_key, caplog):
    assert _leaks(f"x {RAW_EMAILS[0]} y") and _leaks(f"tel. {_digits(RAW_PHONES[2])}")
    _land_personal_data(paths)

    with caplog.at_level(logging.DEBUG, logger="marketing_health"):
        for source in ("email_recipients", "social_posts", "campaigns"):
            stage_source(source, paths, "night-1", pii_key)
        assert _scan_staging(paths) == []
        report = publish(paths, "night-1")

    assert {f.status for f in report.files} == {"loaded"}
    assert _scan_warehouse(paths) == []
    assert _leaks(caplog.text) == []
    assert pii_key not in caplog.text
    assert query(paths, "SELECT count(*) FROM ops.quarantine WHERE source = 'email_recipients'")
    records = query(paths, "SELECT record FROM ops.quarantine WHERE source = 'email_recipients'")
    assert all("email_hash" in r and "@" not in r for (r,) in records)


def test_personal_data_columns_hold_keyed_hashes_of_normalised_values(paths, pii_key):
    _land_personal_data(paths)

    run_ingest(paths, pii_key)

    def digest(value: str) -> str:
        return hmac.new(pii_key.encode(), value.encode(), hashlib.sha256).hexdigest()

    loaded = query(
        paths, "SELECT email_hash, phone_hash FROM raw.email_recipients ORDER BY _row_number"
    )
    assert loaded == [
        (digest("jane.doe@example.com"), digest("+491512345678")),
        (digest("bob@example.org"), None),
    ]
    ((reason,),) = query(
        paths, "SELECT reason FROM ops.quarantine WHERE column_name = 'send_id, email'"
    )
    assert "repeats row 2 (send_id send_id-1, email: the same e-mail address)" in reason


@pytest.mark.parametrize(
    "key",
    [
        "k",
        "test-only-hash-key-0123456789abcdef",
        "x" * 64,
        "y" * 65 + "longer than a block",
        "clé-键",
    ],
    ids=["short", "usual", "one-block", "longer-than-a-block", "non-ascii"],
)
def test_the_keyed_hash_is_rfc_2104_hmac_sha256_computed_in_duckdb(key):
    """The SQL hash equals Python's hmac for keys shorter, as long as and longer than SHA-256's
    block (a longer key is hashed first), and for text in any script."""
    values = ["jane.doe@example.com", "+491512345678", "李娜@例子.中国", ""]
    with duckdb.connect() as con:
        got = [
            con.execute(
                f"SELECT {hmac_sql('$value')}", {**key_parameters(key), "value": v}
            ).fetchone()[0]
            for v in values
        ]
        empty = con.execute(f"SELECT {hmac_sql('NULL::VARCHAR')}", key_parameters(key))
        assert empty.fetchone()[0] is None
    assert got == [hmac.new(key.encode(), v.encode(), hashlib.sha256).hexdigest() for v in values]


def test_free_text_is_redacted_and_each_cell_is_a_privacy_finding(paths, pii_key):
    _land_personal_data(paths)

    run_ingest(paths, pii_key)

    texts = query(paths, "SELECT post_text FROM raw.social_posts ORDER BY _row_number")
    assert texts == [
        ("DM us or write to [redacted e-mail] for the code!",),
        ("Questions? Call [redacted phone] or mail [redacted e-mail]",),
        ("Launch on 2026-11-20, order 120204385505670650, 1,234,567.00 EUR",),
    ]
    findings = query(
        paths,
        "SELECT source, file_path, row_number, column_name, kind, campaign_id, data_day::VARCHAR "
        "FROM ops.pii_findings ORDER BY source, row_number, kind",
    )
    posts, plan = f"social_posts/{DAY}/posts.csv", f"campaigns/{DAY}/plan.csv"
    assert findings == [
        ("campaigns", plan, 1, "storyline", "phone", "C001", DAY),
        ("social_posts", posts, 1, "post_text", "email", "C001", DAY),
        ("social_posts", posts, 2, "post_text", "email", "C002", DAY),
        ("social_posts", posts, 2, "post_text", "phone", "C002", DAY),
        ("social_posts", posts, 3, "post_text", "phone", "C003", DAY),
    ]
    (record,) = query(paths, "SELECT record->>'post_text' FROM ops.quarantine")[0]
    assert record == "Hotline [redacted phone]"


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("call +49 30 1234567 now", ["+49 30 1234567"]),
        ("+44 (0)20 7946 0958", ["+44 (0)20 7946 0958"]),
        ("+1-555-123-4567", ["+1-555-123-4567"]),
        ("0612345678 or 06 12 34 56 78.", ["0612345678", "06 12 34 56 78"]),
        ("(555) 123-4567 / 555.123.4567", ["(555) 123-4567", "555.123.4567"]),
        ("030/1234567 and 0049 30 1234567", ["030/1234567", "0049 30 1234567"]),
        ("on 2026-11-20 and 20.11.2026", []),
        ("id 120204385505670650, post 7318829921", []),
        ("spent 1,234,567.00 EUR or €1234567.89", []),
        ("#RunTheCity2026 +25% in 2026", []),
    ],
)
def test_phone_numbers_are_told_apart_from_dates_ids_and_money(text, phones):
    with duckdb.connect() as con:
        found = con.execute(f"SELECT {phone_candidates_sql('$t')}", {"t": text}).fetchone()[0]
    assert found == phones


def test_pii_key_comes_from_the_environment_first(monkeypatch):
    monkeypatch.setenv("MH_PII_HASH_KEY", "from-env")
    monkeypatch.setenv("AIRFLOW_CONN_MARKETING_HEALTH_PII", "generic://:from-conn@")
    assert resolve_pii_key() == "from-env"


def test_pii_key_falls_back_to_the_airflow_connection(monkeypatch, tmp_path):
    monkeypatch.delenv("MH_PII_HASH_KEY", raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    monkeypatch.setenv("AIRFLOW_CONN_MARKETING_HEALTH_PII", "generic://:from-conn@")
    assert resolve_pii_key() == "from-conn"


def test_missing_pii_key_says_how_to_set_it(monkeypatch, tmp_path):
    monkeypatch.delenv("MH_PII_HASH_KEY", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_MARKETING_HEALTH_PII", raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    with pytest.raises(MissingPiiKeyError, match="MH_PII_HASH_KEY") as err:
        resolve_pii_key()
    assert "marketing_health_pii" in str(err.value)


def test_a_file_without_header_is_rejected_without_quoting_its_first_row(paths, pii_key):
    path = write_csv(
        landing_path(paths, "email_recipients", "no-header.csv"), rows("email_recipients", 2)
    )
    path.write_text("".join(path.read_text().splitlines(keepends=True)[1:]))

    report = stage_source("email_recipients", paths, "night-1", pii_key)

    (rejected,) = report.files
    assert rejected.status == "rejected"
    assert "required columns 'sent_date', 'send_id'" in rejected.message
    assert "it has: 2026-11-20, send_id-1, [redacted e-mail], [redacted phone]" in rejected.message
    assert _leaks(rejected.message) == []
