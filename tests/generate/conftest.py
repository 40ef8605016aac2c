"""Fixtures for the sample landing-zone tests: generated landing zones and an independent
computation of the five guard signals from the files, in DuckDB SQL, following the signal
definitions the dbt marts implement."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from marketing_health.contract import load_contract
from marketing_health.contract.schema import COLUMN_TYPES
from marketing_health.generate import Manifest, generate_landing

END_DATE = date(2025, 6, 30)

OUTCOME_METRICS = (
    "conversions",
    "revenue",
    "sales",
    "signups",
    "leads",
    "site_visits",
    "brand_lift",
)
EMAIL_RE = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
PHONE_RE = r"\+[0-9][0-9 ]{7,}[0-9]"

_SIGNALS = f"""
CREATE TABLE cal AS
SELECT c.campaign_id, c.start_date, lower(trim(c.utm_campaign)) AS utm, lower(c.hashtag) AS hashtag,
       CAST(t.d AS DATE) AS d
FROM campaigns AS c, range($first, $last + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
WHERE c.start_date <= t.d AND t.d <= c.end_date;

CREATE TABLE act AS
SELECT campaign_id, post_date AS day, 'social' AS channel, utm_campaign, post_text AS txt
FROM social_posts
UNION ALL SELECT campaign_id, send_date, 'email', utm_campaign, NULL FROM email_sends
UNION ALL SELECT campaign_id, ad_date, 'paid', utm_campaign, NULL FROM paid_ads
UNION ALL SELECT campaign_id, post_date, 'influencer', utm_campaign, caption FROM influencer_posts;

CREATE TABLE act_daily AS
SELECT a.campaign_id, a.day, a.channel, count(*) AS acts,
       count(*) FILTER (WHERE lower(trim(a.utm_campaign)) = c.utm) AS tracked,
       count(a.txt) AS texts,
       count(*) FILTER (WHERE contains(lower(a.txt), c.hashtag)) AS tagged
FROM act AS a JOIN (SELECT DISTINCT campaign_id, utm, hashtag FROM cal) AS c USING (campaign_id)
GROUP BY ALL;

CREATE TABLE sig_integration AS
WITH w AS (SELECT campaign_id, d, greatest(start_date, d - 13) AS w0 FROM cal),
agg AS (
    SELECT w.campaign_id, w.d, w.d - w.w0 + 1 AS window_days,
           count(DISTINCT a.channel) AS active_channels,
           coalesce(sum(a.acts), 0) AS acts, coalesce(sum(a.tracked), 0) AS tracked,
           coalesce(sum(a.texts), 0) AS texts, coalesce(sum(a.tagged), 0) AS tagged
    FROM w LEFT JOIN act_daily AS a ON a.campaign_id = w.campaign_id AND a.day BETWEEN w.w0 AND w.d
    GROUP BY ALL),
multi AS (
    SELECT w.campaign_id, w.d, count(*) FILTER (WHERE l.channels >= 2) AS multi_days
    FROM w LEFT JOIN (
        SELECT campaign_id, day, count(*) AS channels FROM act_daily GROUP BY ALL
    ) AS l ON l.campaign_id = w.campaign_id AND l.day BETWEEN w.w0 AND w.d
    GROUP BY ALL),
parts AS (
    SELECT agg.campaign_id, agg.d, active_channels, active_channels / 4 AS channel_activation,
           multi_days / window_days AS multi_channel_day_share,
           CASE WHEN acts = 0 THEN 0 ELSE tracked / acts END AS tracked_share,
           CASE WHEN texts = 0 THEN NULL ELSE tagged / texts END AS message_consistency
    FROM agg JOIN multi USING (campaign_id, d))
SELECT *,
       CASE WHEN message_consistency IS NULL
            THEN (0.35 * channel_activation + 0.25 * multi_channel_day_share
                  + 0.25 * tracked_share) / 0.85
            ELSE 0.35 * channel_activation + 0.25 * multi_channel_day_share
                 + 0.25 * tracked_share + 0.15 * message_consistency
       END AS integration_score
FROM parts;

CREATE TABLE sig_influencer_mix AS
SELECT cal.campaign_id, cal.d, sum(i.fee) AS influencer_spend,
       sum(i.fee) FILTER (WHERE i.tier IN ('nano', 'micro')) / nullif(sum(i.fee), 0)
           AS nano_micro_spend_share,
       count(DISTINCT i.creator_id) AS creators,
       count(DISTINCT i.creator_id) FILTER (WHERE i.tier IN ('mid', 'macro', 'celebrity'))
           AS mid_plus_creators
FROM cal LEFT JOIN influencer_posts AS i
    ON i.campaign_id = cal.campaign_id AND i.post_date <= cal.d
GROUP BY ALL;

CREATE TABLE sig_sponsored_disclosure AS
WITH sp AS (
    SELECT campaign_id, post_date AS day, 'social:' || platform || ':' || post_id AS k,
           has_disclosure
    FROM social_posts WHERE is_sponsored
    UNION ALL
    SELECT campaign_id, post_date, 'creator:' || creator_id || ':' || post_id, has_disclosure
    FROM influencer_posts WHERE is_sponsored)
SELECT cal.campaign_id, cal.d, count(DISTINCT sp.k) AS sponsored_posts,
       count(DISTINCT sp.k) FILTER (WHERE NOT sp.has_disclosure) AS undisclosed_sponsored_posts
FROM cal LEFT JOIN sp ON sp.campaign_id = cal.campaign_id AND sp.day BETWEEN cal.d - 6 AND cal.d
GROUP BY ALL;

CREATE TABLE recipient_flags AS
SELECT s.campaign_id, r.sent_date AS day,
       CAST(r.consent_status = 'unknown' OR (r.consent_status = 'opted_in'
            AND (r.consent_at IS NULL OR CAST(r.consent_at AS DATE) > r.sent_date)) AS INT)
           AS without_consent,
       CAST(coalesce(CAST(r.opted_out_at AS DATE) < r.sent_date, false)
            OR (r.consent_status = 'opted_out' AND r.opted_out_at IS NULL) AS INT)
           AS after_opt_out
FROM email_recipients AS r JOIN (SELECT DISTINCT send_id, campaign_id FROM email_sends) AS s
    USING (send_id);

CREATE TABLE pii_daily AS
SELECT campaign_id, day, count(*) AS found FROM (
    SELECT campaign_id, post_date AS day, post_text AS txt FROM social_posts
    UNION ALL SELECT campaign_id, post_date, caption FROM influencer_posts)
WHERE regexp_matches(txt, '{EMAIL_RE}') OR regexp_matches(txt, '{PHONE_RE}')
GROUP BY ALL;

CREATE TABLE sig_privacy AS
WITH mail AS (
    SELECT campaign_id, day, sum(without_consent) AS without_consent,
           sum(after_opt_out) AS after_opt_out
    FROM recipient_flags GROUP BY ALL)
SELECT cal.campaign_id, cal.d,
       coalesce(sum(m.without_consent), 0) AS sends_without_consent,
       coalesce(sum(m.after_opt_out), 0) AS sends_after_opt_out,
       coalesce((SELECT sum(p.found) FROM pii_daily AS p WHERE p.campaign_id = cal.campaign_id
                 AND p.day BETWEEN cal.d - 6 AND cal.d), 0) AS raw_personal_data_found
FROM cal LEFT JOIN mail AS m
    ON m.campaign_id = cal.campaign_id AND m.day BETWEEN cal.d - 6 AND cal.d
GROUP BY ALL;

CREATE TABLE sig_campaign_goals AS
SELECT c.campaign_id, count(k.metric) AS declared_kpis,
       count(k.metric) FILTER (WHERE k.metric IN {OUTCOME_METRICS}) AS outcome_kpis,
       count(k.metric) FILTER (WHERE k.metric IN {OUTCOME_METRICS}
                               AND k.target_value > 0 AND k.due_date IS NOT NULL)
           AS outcome_kpis_with_target
FROM campaigns AS c LEFT JOIN kpis AS k USING (campaign_id)
GROUP BY ALL;

CREATE TABLE guard_failures AS
SELECT cal.campaign_id, cal.d,
       g.outcome_kpis_with_target < 1 AS p02,
       coalesce(m.nano_micro_spend_share > 0.8, false) AS p03,
       s.undisclosed_sponsored_posts > 0 AS p05,
       i.integration_score < 0.5 AS p09,
       p.sends_without_consent + p.sends_after_opt_out + p.raw_personal_data_found > 0 AS p13
FROM cal
JOIN sig_campaign_goals AS g USING (campaign_id)
JOIN sig_influencer_mix AS m USING (campaign_id, d)
JOIN sig_sponsored_disclosure AS s USING (campaign_id, d)
JOIN sig_integration AS i USING (campaign_id, d)
JOIN sig_privacy AS p USING (campaign_id, d);
"""


def typed_columns(source: str) -> str:
    """read_csv ``columns`` struct with the contract's types: reading fails if a value is not
    castable."""
    cols = ", ".join(
        f"'{c.name}': '{COLUMN_TYPES[c.type]}'" for c in load_contract()[source].columns
    )
    return "{" + cols + "}"


def open_landing(landing: Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with one table per source, read from every file of the landing zone
    with the contract's types (a value that does not cast fails the read)."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    for source in load_contract():
        glob = str(landing / source.name / "*" / "*.csv")
        con.execute(
            f"CREATE TABLE {source.name} AS SELECT * FROM read_csv('{glob}', header = true, "
            f"columns = {typed_columns(source.name)}, filename = true)"
        )
    return con


@dataclass
class Signals:
    """The five guard signals per campaign and day, computed from the landing files."""

    con: duckdb.DuckDBPyConnection
    manifest: Manifest

    def failing_days(self, campaign_id: str, pitfall: str) -> list[date]:
        rows = self.con.execute(
            f"SELECT d FROM guard_failures WHERE campaign_id = ? AND {pitfall.lower()} ORDER BY d",
            [campaign_id],
        ).fetchall()
        return [r[0] for r in rows]

    def days(self) -> list[date]:
        return [r[0] for r in self.con.execute("SELECT DISTINCT d FROM cal ORDER BY d").fetchall()]

    def last_days(self, n: int = 14) -> list[date]:
        return self.days()[-n:]

    def value(self, sql: str, params: list | None = None):
        return self.con.execute(sql, params or []).fetchone()[0]


def compute_signals(landing: Path, manifest: Manifest) -> Signals:
    con = open_landing(landing)
    for statement in _SIGNALS.split(";"):
        if statement.strip():
            con.execute(
                statement.replace("$first", f"DATE '{manifest.first_day}'").replace(
                    "$last", f"DATE '{manifest.end_date}'"
                )
            )
    return Signals(con, manifest)


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def end_date() -> date:
    """Last day of every landing zone the tests generate."""
    return END_DATE


@pytest.fixture(scope="session")
def signals_of() -> Callable[[Path, Manifest], Signals]:
    """Signal computation for landing zones a test generates itself."""
    return compute_signals


@pytest.fixture(scope="session")
def digest() -> Callable[[Path], dict[str, str]]:
    return tree_digest


@pytest.fixture(scope="session")
def landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    """The default sample landing zone (seed 7, scale 1, 60 days to END_DATE)."""
    root = tmp_path_factory.mktemp("landing")
    return root, generate_landing(root, end_date=END_DATE)


@pytest.fixture(scope="session")
def landing_dir(landing: tuple[Path, Manifest]) -> Path:
    return landing[0]


@pytest.fixture(scope="session")
def manifest(landing: tuple[Path, Manifest]) -> Manifest:
    return landing[1]


@pytest.fixture(scope="session")
def signals(landing_dir: Path, manifest: Manifest) -> Iterator[Signals]:
    result = compute_signals(landing_dir, manifest)
    yield result
    result.con.close()


@pytest.fixture(scope="session")
def db(signals: Signals) -> duckdb.DuckDBPyConnection:
    """Typed views over the default landing zone (plus the signal tables)."""
    return signals.con
