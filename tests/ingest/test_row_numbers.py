"""Every loaded and quarantined row keeps the number its file gives it, also when large files
are read in parallel, together with other files of the same header, and their personal data
is hashed on the way."""

from __future__ import annotations

import csv

from ingest_support import DAY, landing_path, query, run_ingest

from marketing_health.ingest import load_night

ROWS = 200_000
BAD_ROW = 150_000


def _recipients(path, rows: int, prefix: str) -> None:
    """``send_id`` names the row; addresses repeat (a mailing list), phones sometimes."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "sent_date",
                "send_id",
                "email",
                "phone",
                "consent_status",
                "consent_at",
                "opted_out_at",
            ]
        )
        for n in range(1, rows + 1):
            status = "maybe" if n == BAD_ROW else "opted_in"
            phone = f"+49 151 {1000000 + n % 5000}" if n % 3 == 0 else ""
            out.writerow(
                [
                    DAY,
                    f"{prefix}{n}",
                    f" Person{n % 40_000}@Example.com ",
                    phone,
                    status,
                    "2026-11-01 09:30:00",
                    "",
                ]
            )


def _check(paths) -> None:
    mismatched = query(
        paths,
        "SELECT count(*) FROM raw.email_recipients "
        "WHERE _row_number <> CAST(regexp_extract(send_id, '[0-9]+$') AS BIGINT)",
    )
    assert mismatched == [(0,)]
    assert query(paths, "SELECT count(*) FROM raw.email_recipients") == [(2 * ROWS - 2,)]
    quarantined = query(
        paths,
        "SELECT file_path, row_number, record::JSON ->> 'send_id' FROM ops.quarantine "
        "ORDER BY file_path",
    )
    assert quarantined == [
        (f"email_recipients/{DAY}/a.csv", BAD_ROW, f"a{BAD_ROW}"),
        (f"email_recipients/{DAY}/b.csv", BAD_ROW, f"b{BAD_ROW}"),
    ]
    reasons = query(paths, "SELECT reason FROM ops.quarantine ORDER BY file_path")
    assert reasons[0][0].startswith(f"email_recipients/{DAY}/a.csv, row {BAD_ROW + 1}, ")


def test_large_files_keep_their_row_numbers_when_staged(paths, pii_key):
    for prefix in "ab":
        _recipients(landing_path(paths, "email_recipients", f"{prefix}.csv"), ROWS, prefix)

    run_ingest(paths, pii_key)

    _check(paths)


def test_large_files_keep_their_row_numbers_when_loaded_directly(paths, pii_key):
    for prefix in "ab":
        _recipients(landing_path(paths, "email_recipients", f"{prefix}.csv"), ROWS, prefix)

    load_night(paths, "night-1", pii_key)

    _check(paths)
    hashes = query(
        paths,
        "SELECT count(DISTINCT email_hash), count(DISTINCT phone_hash) FROM raw.email_recipients",
    )
    assert hashes == [(40_000, 5_000)]
