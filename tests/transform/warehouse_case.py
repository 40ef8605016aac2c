"""A small hand-made raw warehouse for the transform tests.

Three live campaigns and two that must stay out of the daily marts, each row chosen for an
edge case the marts have to get right. Expected values in the tests are computed by hand from
the rows below; the comments next to the rows say which case they cover.

- CMP-RUN   2024-05-01..05-31, plans social|email|paid|influencer: integrated, a mixed
            creator roster, an undisclosed creator post, consent edge cases, a finding of
            raw personal data.
- CMP-SOLO  2024-05-05..05-20, plans social|paid but only posts on social, no hashtag, only
            vanity KPIs, an undisclosed sponsored post on the brand account.
- CMP-MICRO 2024-05-08..06-30, plans influencer only, nano/micro creators only, no KPIs, no
            owner channel, captions missing (hashtag share left out).
- CMP-LATER starts after the night reported on; CMP-OLD only exists in an older plan delivery.

Rows name their delivery day where it matters (plan snapshots); every other row is stamped as
delivered the day after its data day, the way the nightly exports arrive.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketing_health.contract import load_contract
from marketing_health.contract.ddl import create_warehouse_tables
from marketing_health.settings import Paths
from marketing_health.transform import DbtRunSummary
from marketing_health.warehouse import connect

AS_OF_DATE = "2024-05-10"

RAW_ROWS = """
insert into raw.campaigns (_delivery_day, campaign_id, campaign_name, brand, owner_team,
    owner_slack_channel, start_date, end_date, budget, reserve_budget, currency,
    planned_channels, utm_campaign, storyline, hashtag, target_audience) values
-- an older plan delivery: CMP-OLD and the old name of CMP-SOLO must not survive
('2024-05-01', 'CMP-OLD', 'Winter clearance', 'Stride', 'Growth', '#growth', '2024-04-01',
    '2024-05-30', 5000, 0, 'EUR', 'social', 'winter', null, null, null),
('2024-05-01', 'CMP-SOLO', 'Old name', 'Stride', 'Brand', '#old', '2024-05-05', '2024-05-20',
    2000, 0, 'EUR', 'social', 'solo', null, null, null),
-- the latest delivery; ids, channels and utm need trimming and lower-casing
('2024-05-06', ' CMP-RUN ', 'Run the City', 'Stride', 'Growth EMEA', '#growth-emea',
    '2024-05-01', '2024-05-31', 10000, 1000, null, 'Social| email |paid|influencer|social',
    ' Spring_Run ', 'Everyone runs their city', '#RunTheCity', 'age=25-34;country=DE'),
('2024-05-06', 'CMP-SOLO', 'Solo social', 'Stride', 'Brand', '#brand-team', '2024-05-05',
    '2024-05-20', 2000, 200, 'eur', 'social|paid|tv', 'solo', null, null, null),
('2024-05-06', 'CMP-MICRO', 'Micro push', 'Stride', null, null, '2024-05-08', '2024-06-30',
    3000, null, 'EUR', 'influencer', 'micro_push', null, '#MicroPush', null),
('2024-05-06', 'CMP-LATER', 'Summer', 'Stride', 'Growth', '#growth', '2024-06-01',
    '2024-06-30', 1000, 100, 'EUR', 'social|email', 'summer', null, '#Summer', null);

insert into raw.kpis (_delivery_day, campaign_id, metric, target_value, due_date) values
-- the older KPI delivery gave CMP-SOLO an outcome KPI; the latest one does not
('2024-05-01', 'CMP-SOLO', 'conversions', 50, '2024-05-20'),
('2024-05-06', 'CMP-RUN', 'conversions', 100, '2024-05-31'),
('2024-05-06', 'CMP-RUN', 'Revenue', 1000, '2024-05-31'),
('2024-05-06', 'CMP-RUN', 'impressions', 100000, null),
('2024-05-06', 'CMP-RUN', 'Site Visits', null, '2024-05-31'),
('2024-05-06', 'CMP-RUN', 'nps', 50, '2024-05-31'),
('2024-05-06', 'CMP-SOLO', 'likes', 500, '2024-05-20'),
('2024-05-06', 'CMP-SOLO', 'impressions', 10000, '2024-05-20');

insert into raw.social_posts (post_date, platform, post_id, campaign_id, post_format,
    post_text, impressions, likes, comments, shares, brand_replies, utm_campaign,
    is_sponsored, has_disclosure) values
('2024-05-02', 'instagram', 'S1', 'CMP-RUN', 'image', 'Join us #runthecity',
    1000, 50, 5, 5, 1, 'spring_run', false, false),
-- sponsored, undisclosed on 05-09, label added on 05-10
('2024-05-09', 'instagram', 'S2', 'CMP-RUN', 'video', 'New route today',
    2000, 100, 10, 10, 0, null, true, false),
('2024-05-10', 'instagram', 'S2', 'CMP-RUN', 'video', 'New route today',
    500, 20, 0, 0, 0, null, true, true),
('2024-05-06', 'tiktok', 'T1', 'CMP-SOLO', 'short_video', 'Hello world',
    100, 10, 1, 0, 0, 'solo', false, false),
-- sponsored post on the brand account without disclosure, no text
('2024-05-08', 'tiktok', 'T2', 'CMP-SOLO', 'short_video', null,
    200, 20, 2, 1, 0, null, true, false);

insert into raw.email_sends (send_date, send_id, campaign_id, variant, personalisation_tokens,
    delivered, opens, clicks, conversions, unsubscribes, complaints, utm_campaign) values
('2024-05-05', 'E1', 'CMP-RUN', 'generic', null, 1000, 300, 50, 5, 2, 0, 'SPRING_RUN'),
('2024-05-05', 'E1', 'CMP-RUN', 'personalised', 'first_name|city', 500, 200, 40, 6, 1, 0,
    'spring_run');

insert into raw.email_recipients (sent_date, send_id, email_hash, consent_status, consent_at,
    opted_out_at) values
('2024-05-05', 'E1', 'h1', 'opted_in', '2024-04-01 10:00', null),
('2024-05-05', 'E1', 'h2', 'unknown', null, null),
('2024-05-05', 'E1', 'h3', 'opted_in', null, null),
('2024-05-05', 'E1', 'h4', 'opted_in', '2024-05-07 09:00', null),
-- opted out three days after the send: not a violation
('2024-05-05', 'E1', 'h5', 'opted_out', '2024-01-01 09:00', '2024-05-08 12:00'),
('2024-05-05', 'E1', 'h6', 'opted_out', '2024-01-01 09:00', '2024-05-01 12:00'),
('2024-05-05', 'E1', 'h7', 'opted_out', null, null),
-- consent given the morning of the send day: fine
('2024-05-05', 'E1', 'h8', 'opted_in', '2024-05-05 07:00', null);

insert into raw.paid_ads (ad_date, platform, account_id, campaign_id, platform_campaign_id,
    ad_group_id, spend, currency, impressions, clicks, conversions, revenue, utm_campaign)
values
('2024-05-09', 'meta', 'A1', 'CMP-RUN', 'P1', 'G1', 200, 'EUR', 10000, 100, 10, 500,
    'spring_run'),
('2024-05-10', 'meta', 'A1', 'CMP-RUN', 'P1', 'G1', 100, 'EUR', 5000, 40, 4, 200, 'other'),
-- after the night reported on: must not appear anywhere
('2024-05-11', 'meta', 'A1', 'CMP-RUN', 'P1', 'G1', 999, 'EUR', 99999, 999, 99, 9999,
    'spring_run'),
-- a campaign the plan does not know
('2024-05-09', 'google', 'A2', 'CMP-GHOST', 'P9', 'G9', 50, 'EUR', 100, 1, 0, 0, null);

insert into raw.influencer_posts (post_date, campaign_id, creator_id, creator_handle,
    platform, post_id, tier, followers, is_sponsored, has_disclosure, deliverable_due_date,
    delivered_date, fee, impressions, engagements, caption, utm_campaign) values
('2024-05-04', 'CMP-RUN', 'CR1', '@mia', 'instagram', 'I1', 'micro', 40000, true, true,
    '2024-05-04', '2024-05-04', 300, 5000, 400, 'Loving it #RunTheCity #ad', 'spring_run'),
('2024-05-09', 'CMP-RUN', 'CR2', '@bigsam', 'tiktok', 'I2', 'macro', 800000, true, false,
    '2024-05-09', '2024-05-09', 700, 50000, 2000, 'Morning run', null),
('2024-05-08', 'CMP-MICRO', 'CR3', '@nina', 'instagram', 'M1', 'nano', 8000, true, true,
    '2024-05-08', '2024-05-08', 100, 800, 80, null, 'micro_push'),
('2024-05-09', 'CMP-MICRO', 'CR4', '@omar', 'tiktok', 'M2', 'micro', 30000, true, true,
    '2024-05-09', '2024-05-09', 250, 3000, 150, null, 'MICRO_PUSH '),
('2024-05-10', 'CMP-MICRO', 'CR3', '@nina', 'instagram', 'M3', 'nano', 8000, false, false,
    '2024-05-10', '2024-05-10', 150, 900, 90, null, null);

insert into ops.pii_findings (source, file_path, row_number, column_name, kind, campaign_id,
    data_day, found_at, run_id) values
('social_posts', 'social_posts/2024-05-10/export.csv', 1, 'post_text', 'email', 'CMP-RUN',
    '2024-05-09', '2024-05-10 06:00', 'run-1'),
-- the same finding reported again when the file was loaded a second time
('social_posts', 'social_posts/2024-05-10/export.csv', 1, 'post_text', 'email', 'CMP-RUN',
    '2024-05-09', '2024-05-11 06:00', 'run-2'),
-- outside the 7-day window of 05-10, inside the one of 05-04
('influencer_posts', 'influencer_posts/2024-05-02/export.csv', 3, 'caption', 'phone',
    'CMP-RUN', '2024-05-01', '2024-05-02 06:00', 'run-0'),
-- no campaign on the row: cannot be attributed
('social_posts', 'social_posts/2024-05-10/export.csv', 9, 'post_text', 'phone', null,
    '2024-05-09', '2024-05-10 06:00', 'run-1');
"""


def stamp_provenance_sql() -> str:
    """Fill the provenance columns the rows above leave empty, one statement per raw table."""
    statements = []
    for source in load_contract():
        day = f"{source.day_column} + 1" if source.day_column else "date '2024-05-01'"
        statements.append(
            f"""
            update {source.raw_table} set
                _delivery_day = coalesce(_delivery_day, {day}),
                _file_path = coalesce(
                    _file_path,
                    '{source.name}/' || strftime(coalesce(_delivery_day, {day}), '%Y-%m-%d')
                    || '/export.csv'
                ),
                _row_number = coalesce(_row_number, 1),
                _checksum = coalesce(_checksum, '{source.name}-checksum'),
                _loaded_at = coalesce(_loaded_at, coalesce(_delivery_day, {day}) + interval 6 hour)
            """
        )
    return ";\n".join(statements)


@dataclass(frozen=True)
class BuiltWarehouse:
    paths: Paths
    summary: DbtRunSummary

    def rows(self, sql: str) -> list[tuple]:
        with connect(self.paths.warehouse, read_only=True) as con:
            return con.execute(sql).fetchall()

    def row(self, sql: str) -> tuple:
        rows = self.rows(sql)
        assert len(rows) == 1, f"expected one row, got {len(rows)}: {rows}"
        return rows[0]

    def signal(self, mart: str, columns: str, campaign: str, day: str) -> tuple:
        """One campaign's row of a signal mart on one night."""
        return self.row(
            f"select {columns} from marts.{mart}"
            f" where campaign_id = '{campaign}' and as_of_date = '{day}'"
        )


def build_raw_warehouse(paths: Paths, sql: str = RAW_ROWS) -> None:
    with connect(paths.warehouse) as con:
        create_warehouse_tables(con, load_contract())
        con.execute(sql)
        con.execute(stamp_provenance_sql())
