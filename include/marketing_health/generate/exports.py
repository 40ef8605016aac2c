"""Sample data written the way marketing tools export it, so the demo and the tests load the
same files users drop: Meta Ads Manager reports (UTF-8 with BOM, account total first, currency
in the spend header), Google Ads "Excel .csv" (UTF-16, tabs, title and date-range lines,
``1,234.00`` numbers, ``--``, a Total row), Mailchimp sent-to lists (one file per campaign) and
the creator report template.

Only rows an export can carry without losing anything the contract holds are written this
way, so a landing zone in ``vendor`` or ``mixed`` style loads into the same warehouse numbers
as the ``contract`` style of the same seed. Other sources, and paid rows of platforms without
an export here, stay in the contract's columns. Files are written by DuckDB (``COPY``); the
only Python step is re-encoding whole Google Ads files to UTF-16 with their title lines.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from marketing_health.generate import sql

#: ``contract``: every file in the contract's columns (the default); ``vendor``: every row an
#: export can carry as that export; ``mixed``: exports on even days, contract files otherwise.
EXPORT_STYLES = ("contract", "vendor", "mixed")
META_INDICATOR = "actions:offsite_conversion.fb_pixel_purchase"


@dataclass(frozen=True)
class ExportWriter:
    source: str
    #: Rows of ``stage_<source>`` written as this export (SQL condition), beside the day filter.
    rows: str
    write: Callable[[duckdb.DuckDBPyConnection, Path, str], None]


def day_filter(style: str, day_column: str) -> str | None:
    """Rows of which days are written as exports; None for none."""
    if style not in EXPORT_STYLES:
        raise ValueError(f"export style must be one of {', '.join(EXPORT_STYLES)}, not {style!r}")
    return {"contract": None, "vendor": "true", "mixed": f"day({day_column}) % 2 = 0"}[style]


def _copy(con: duckdb.DuckDBPyConnection, select: str, target: Path, options: str = "") -> None:
    """One thread: byte-identical files for a seed."""
    con.execute("SET threads = 1")
    try:
        con.execute(
            f"COPY ({select}) TO {sql.quote(str(target))} (FORMAT csv, HEADER true{options})"
        )
    finally:
        con.execute("RESET threads")


def _place(written: Path, landing: Path, source: str, day: str, name: str) -> None:
    folder = landing / source / day
    folder.mkdir(parents=True, exist_ok=True)
    written.replace(folder / name)


def _meta_select(where: str, day: str, currency: str) -> str:
    spent = f"Amount spent ({currency})"
    rows = (
        f'SELECT 1 AS _part, _ord, ad_date AS "Reporting starts", ad_date AS "Reporting ends", '
        'ad_date AS "Day", account_id AS "Account ID", '
        "campaign_id || ' | Always-on' AS \"Campaign name\", "
        'platform_campaign_id AS "Campaign ID", '
        '\'Ad set \' || right(ad_group_id, 5) AS "Ad set name", ad_group_id AS "Ad set ID", '
        f'spend AS "{spent}", impressions AS "Impressions", '
        'CAST(nullif(clicks, 0) AS VARCHAR) AS "Link clicks", '
        'CAST(nullif(conversions, 0) AS VARCHAR) AS "Results", '
        f"CASE WHEN conversions > 0 THEN '{META_INDICATOR}' END AS \"Result indicator\", "
        'revenue AS "Purchases conversion value", '
        "'utm_source=facebook&utm_medium=paid_social&utm_campaign=' || utm_campaign "
        'AS "URL parameters" '
        f"FROM stage_paid_ads WHERE {where} AND platform = 'meta' "
        f"AND ad_date = DATE '{day}' AND currency = '{currency}'"
    )
    total = (
        'SELECT 0, 0, min("Reporting starts"), max("Reporting ends"), NULL, NULL, NULL, NULL, '
        f'NULL, NULL, sum("{spent}"), sum("Impressions"), NULL, NULL, NULL, '
        'sum("Purchases conversion value"), NULL FROM rows'
    )
    return (
        f"WITH rows AS ({rows}) SELECT * EXCLUDE (_part, _ord) FROM "
        f"(SELECT * FROM rows UNION ALL {total}) ORDER BY _part, _ord"
    )


def write_meta(con: duckdb.DuckDBPyConnection, landing: Path, where: str) -> None:
    """One Ads Manager export per day and account currency, account total first, with BOM."""
    combos = con.execute(
        f"SELECT DISTINCT strftime(ad_date, '%Y-%m-%d'), currency FROM stage_paid_ads "
        f"WHERE {where} AND platform = 'meta' ORDER BY ALL"
    ).fetchall()
    scratch = landing / ".export.csv"
    for day, currency in combos:
        _copy(con, _meta_select(where, day, currency), scratch)
        scratch.write_bytes(b"\xef\xbb\xbf" + scratch.read_bytes())
        _place(scratch, landing, "paid_ads", day, f"meta-ads-{currency.lower()}.csv")


def _number(value_sql: str) -> str:
    """A count with thousands separators: ``1,000``."""
    return "format('{:,}', " + value_sql + ")"


def _money(value_sql: str) -> str:
    """An amount with thousands separators and two decimals: ``1,200.00``."""
    return "format('{:,.2f}', CAST(" + value_sql + " AS DOUBLE))"


def _google_select(where: str, day: str) -> str:
    rows = (
        f"SELECT 1 AS _part, _ord, strftime(ad_date, '%Y-%m-%d') AS \"Day\", "
        'account_id AS "Customer ID", campaign_id || \' | Search\' AS "Campaign", '
        "platform_campaign_id AS \"Campaign ID\", 'Ad group ' || right(ad_group_id, 5) "
        'AS "Ad group", ad_group_id AS "Ad group ID", currency AS "Currency code", '
        f'{_number("impressions")} AS "Impr.", {_number("clicks")} AS "Clicks", '
        "CASE WHEN impressions = 0 THEN '--' "
        "ELSE printf('%.2f%%', 100.0 * clicks / impressions) END AS \"CTR\", "
        f"CASE WHEN clicks = 0 THEN '--' ELSE {_money('spend / clicks')} END "
        'AS "Avg. CPC", '
        f'{_money("spend")} AS "Cost", printf(\'%.2f\', conversions) AS "Conversions", '
        f'{_money("revenue")} AS "Conv. value", '
        "'utm_source=google&utm_medium=cpc&utm_campaign=' || utm_campaign "
        'AS "Final URL suffix", spend, impressions AS _impr, clicks AS _clicks, '
        "conversions AS _conv, revenue AS _rev "
        f"FROM stage_paid_ads WHERE {where} AND platform = 'google' AND ad_date = DATE '{day}'"
    )
    total = (
        "SELECT 2, 0, 'Total: Account', NULL, NULL, NULL, NULL, NULL, NULL, "
        f"{_number('sum(_impr)')}, {_number('sum(_clicks)')}, '--', '--', "
        f"{_money('sum(spend)')}, printf('%.2f', sum(_conv)), "
        f"{_money('sum(_rev)')}, NULL, NULL, NULL, NULL, NULL, NULL FROM rows"
    )
    return (
        f"WITH rows AS ({rows}) SELECT * EXCLUDE (_part, _ord, spend, _impr, _clicks, _conv, "
        f"_rev) FROM (SELECT * FROM rows UNION ALL {total}) ORDER BY _part, _ord"
    )


def write_google(con: duckdb.DuckDBPyConnection, landing: Path, where: str) -> None:
    """One "Excel .csv" per day: UTF-16 with BOM, tab-separated, title and date range above
    the header, a Total row below."""
    days = con.execute(
        f"SELECT DISTINCT ad_date FROM stage_paid_ads WHERE {where} AND platform = 'google' "
        "ORDER BY 1"
    ).fetchall()
    scratch = landing / ".export.tsv"
    for (day,) in days:
        iso = day.isoformat()
        _copy(con, _google_select(where, iso), scratch, ", DELIMITER '\t'")
        shown = f"{day:%B} {day.day}, {day.year}"
        title = f'Ad group report\r\n"{shown} - {shown}"\r\n'
        body = scratch.read_text(encoding="utf-8").replace("\n", "\r\n")
        scratch.write_bytes(b"\xff\xfe" + (title + body).encode("utf-16-le"))
        _place(scratch, landing, "paid_ads", iso, "google-ads-report.csv")


def _partitioned(
    con: duckdb.DuckDBPyConnection,
    select: str,
    landing: Path,
    source: str,
    by: tuple[str, ...],
    name: Callable[[list[str]], str],
) -> None:
    """COPY partitioned by ``by`` (first the day); each file moved to its day folder."""
    scratch = landing / ".export"
    shutil.rmtree(scratch, ignore_errors=True)
    con.execute("SET partitioned_write_max_open_files = 10000")
    _copy(con, select, scratch, f", PARTITION_BY ({', '.join(by)}), WRITE_PARTITION_COLUMNS false")
    for file in sorted(scratch.rglob("*.csv")):
        values = [
            p.name.split("=", 1)[1] for p in file.relative_to(scratch).parents if "=" in p.name
        ]
        values.reverse()
        _place(file, landing, source, values[0], name(values))
    shutil.rmtree(scratch)


def write_mailchimp(con: duckdb.DuckDBPyConnection, landing: Path, where: str) -> None:
    """One sent-to list per campaign send, named after the send, in its send-day folder."""
    select = (
        "SELECT strftime(sent_date, '%Y-%m-%d') AS _day, send_id AS _send, "
        'email AS "Email Address", phone AS "Phone Number", 2 AS "MEMBER_RATING", '
        "CASE WHEN consent_status <> 'unknown' "
        "THEN strftime(consent_at, '%Y-%m-%d %H:%M:%S') END AS \"OPTIN_TIME\", "
        'NULL::VARCHAR AS "CONFIRM_TIME", '
        "strftime(opted_out_at, '%Y-%m-%d %H:%M:%S') AS \"UNSUB_TIME\", "
        "'Europe/Berlin' AS \"TIMEZONE\" "
        f"FROM stage_email_recipients WHERE {where} ORDER BY sent_date, send_id, _ord"
    )
    _partitioned(
        con, select, landing, "email_recipients", ("_day", "_send"), lambda v: f"{v[1]}.csv"
    )


#: Engagements split into the counts a creator report has (the parts add up exactly).
_LIKES, _COMMENTS, _SHARES = 80, 12, 5


def write_creator_report(con: duckdb.DuckDBPyConnection, landing: Path, where: str) -> None:
    yes_no = "CASE WHEN {} THEN 'yes' ELSE 'no' END"
    select = (
        "SELECT strftime(post_date, '%Y-%m-%d') AS _day, campaign_id AS \"Campaign\", "
        'creator_id AS "Creator ID", creator_handle AS "Handle", platform AS "Platform", '
        'post_id AS "Post ID", strftime(post_date, \'%Y-%m-%d\') AS "Post date", '
        'tier AS "Tier", followers AS "Followers", audience_summary AS "Audience", '
        f'{yes_no.format("is_sponsored")} AS "Sponsored", '
        f'{yes_no.format("has_disclosure")} AS "Disclosure", '
        'deliverable_due_date AS "Due date", delivered_date AS "Delivered date", '
        'fee AS "Fee", impressions AS "Impressions", '
        f'engagements * {_LIKES} // 100 AS "Likes", '
        f'engagements * {_COMMENTS} // 100 AS "Comments", '
        f'engagements * {_SHARES} // 100 AS "Shares", '
        f"engagements - engagements * {_LIKES} // 100 - engagements * {_COMMENTS} // 100 "
        f'- engagements * {_SHARES} // 100 AS "Saves", caption AS "Caption", '
        "'https://shop.example/?utm_source=creator&utm_campaign=' || utm_campaign "
        'AS "Tracking link" '
        f"FROM stage_influencer_posts WHERE {where} ORDER BY post_date, _ord"
    )
    _partitioned(
        con, select, landing, "influencer_posts", ("_day",), lambda v: "creator-report.csv"
    )


WRITERS: tuple[ExportWriter, ...] = (
    ExportWriter("paid_ads", "platform = 'meta'", write_meta),
    ExportWriter("paid_ads", "platform = 'google'", write_google),
    ExportWriter("email_recipients", "true", write_mailchimp),
    ExportWriter("influencer_posts", "true", write_creator_report),
)


def exported_rows(source: str, days: str) -> str | None:
    """Condition on ``stage_<source>`` of the rows written as exports (None: none)."""
    kinds = [w.rows for w in WRITERS if w.source == source]
    if not kinds:
        return None
    return f"({days}) AND ({' OR '.join(f'({k})' for k in kinds)})"


def write_exports(
    con: duckdb.DuckDBPyConnection, landing: Path, source: str, days: str, _end: date
) -> None:
    for writer in (w for w in WRITERS if w.source == source):
        writer.write(con, landing, f"({days}) AND ({writer.rows})")
