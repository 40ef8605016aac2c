"""Every guard signal recomputed from the landing files in DuckDB SQL, straight from the written
signal definitions (not from the dbt models), so the generator's ground truth is checked on its
own: ``guard_failures`` holds one row per campaign, day and pitfall with ``failed``.

Windows and "live" counts follow the definitions: "7 days" is d-6..d, "28 days" d-27..d,
"live N days" is d - start_date + 1 >= N.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from marketing_health.contract import load_contract
from marketing_health.contract.schema import COLUMN_TYPES
from marketing_health.generate import Manifest

OUTCOME_METRICS = (
    "conversions",
    "revenue",
    "sales",
    "signups",
    "leads",
    "site_visits",
    "brand_lift",
)
SENSITIVE = (
    "health",
    "medical_condition",
    "diagnosis",
    "medication",
    "pregnancy",
    "due_date",
    "fertility",
    "weight",
    "income",
    "salary",
    "debt",
    "credit_score",
    "religion",
    "ethnicity",
    "sexual_orientation",
    "political_view",
    "disability",
    "mental_health",
)
EMAIL_RE = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
PHONE_RE = r"\+[0-9][0-9 ]{7,}[0-9]"
PITFALLS = tuple(f"P{k:02d}" for k in range(1, 24))

_SQL = f"""
CREATE MACRO plist(s) AS
    list_distinct([lower(trim(x)) FOR x IN string_split(coalesce(s, ''), '|') IF trim(x) <> '']);

CREATE TABLE cal AS
SELECT c.campaign_id, c.start_date, c.end_date, lower(trim(c.utm_campaign)) AS utm,
       lower(c.hashtag) AS hashtag, plist(c.planned_channels) AS planned,
       CAST(t.d AS DATE) AS d, CAST(t.d AS DATE) - c.start_date + 1 AS day_number
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

-- P01 -----------------------------------------------------------------------------------------
CREATE TABLE targets AS
SELECT campaign_id, lower(trim(split_part(part, '=', 1))) AS dim,
       plist(split_part(part, '=', 2)) AS vals
FROM (SELECT campaign_id, unnest(string_split(target_audience, ';')) AS part
      FROM campaigns WHERE target_audience IS NOT NULL);
CREATE TABLE creator_dims AS
SELECT creator_id, 'age' AS dim, plist(audience_age_bands) AS vals FROM creators
UNION ALL SELECT creator_id, 'country', plist(audience_countries) FROM creators
UNION ALL SELECT creator_id, 'interest', plist(audience_interests) FROM creators;
CREATE TABLE creator_fit AS
SELECT pc.campaign_id, pc.creator_id,
       avg(len(list_intersect(t.vals, coalesce(cd.vals, []))) / len(t.vals)) AS overlap,
       coalesce(len(plist(any_value(cr.brand_safety_flags))), 0) > 0 AS flagged
FROM (SELECT DISTINCT campaign_id, creator_id FROM influencer_posts) AS pc
JOIN targets AS t USING (campaign_id)
LEFT JOIN creator_dims AS cd ON cd.creator_id = pc.creator_id AND cd.dim = t.dim
LEFT JOIN creators AS cr ON cr.creator_id = pc.creator_id
WHERE len(t.vals) > 0
GROUP BY ALL;
CREATE TABLE sig_creator_fit AS
SELECT cal.campaign_id, cal.d,
       count(DISTINCT f.creator_id) FILTER (WHERE f.overlap < 0.5) AS misaligned_creators,
       count(DISTINCT f.creator_id) FILTER (WHERE f.flagged) AS flagged_creators,
       min(f.overlap) AS min_audience_overlap
FROM cal
JOIN influencer_posts AS i ON i.campaign_id = cal.campaign_id
    AND i.post_date BETWEEN cal.d - 27 AND cal.d
JOIN creator_fit AS f ON f.campaign_id = i.campaign_id AND f.creator_id = i.creator_id
GROUP BY ALL;

-- P02, P03 ------------------------------------------------------------------------------------
CREATE TABLE sig_campaign_goals AS
SELECT c.campaign_id, count(k.metric) AS declared_kpis,
       count(k.metric) FILTER (WHERE k.metric IN {OUTCOME_METRICS}) AS outcome_kpis,
       count(k.metric) FILTER (WHERE k.metric IN {OUTCOME_METRICS}
                               AND k.target_value > 0 AND k.due_date IS NOT NULL)
           AS outcome_kpis_with_target
FROM campaigns AS c LEFT JOIN kpis AS k USING (campaign_id)
GROUP BY ALL;

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

-- P04 -----------------------------------------------------------------------------------------
CREATE TABLE sig_influencer_management AS
WITH late AS (
    SELECT cal.campaign_id, cal.d, count(*) AS late_deliverables
    FROM cal JOIN influencer_posts AS i ON i.campaign_id = cal.campaign_id
        AND i.post_date <= cal.d
        AND i.deliverable_due_date BETWEEN cal.d - 27 AND cal.d - 1
        AND (i.delivered_date IS NULL OR i.delivered_date > i.deliverable_due_date)
    GROUP BY ALL),
latest AS (
    SELECT cal.campaign_id, cal.d, w.*
    FROM cal JOIN creator_workflow AS w ON w.campaign_id = cal.campaign_id
        AND w.report_date <= cal.d AND w.report_date >= cal.d - 60
    QUALIFY row_number() OVER (
        PARTITION BY cal.campaign_id, cal.d, w.creator_id, w.post_id
        ORDER BY w.report_date DESC) = 1),
flow AS (
    SELECT campaign_id, d,
           max(coalesce(feedback_date, d) - draft_submitted_date)
               FILTER (WHERE draft_submitted_date BETWEEN d - 27 AND d) AS max_feedback_days,
           count(*) FILTER (WHERE went_live_date BETWEEN d - 27 AND d
               AND (brief_sent_date IS NULL OR brief_sent_date > went_live_date))
               AS missing_briefs
    FROM latest GROUP BY ALL)
SELECT cal.campaign_id, cal.d, coalesce(late.late_deliverables, 0) AS late_deliverables,
       flow.max_feedback_days, coalesce(flow.missing_briefs, 0) AS missing_briefs
FROM cal LEFT JOIN late USING (campaign_id, d) LEFT JOIN flow USING (campaign_id, d);

-- P05 -----------------------------------------------------------------------------------------
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

CREATE TABLE post_er AS
SELECT campaign_id, creator_id, post_id, post_date, tier, platform,
       engagements / impressions AS er, engagements, impressions
FROM influencer_posts WHERE impressions > 0;
CREATE TABLE days AS SELECT DISTINCT d FROM cal;
CREATE TABLE tier_norms AS
WITH w AS (SELECT days.d, p.tier, p.er FROM days JOIN post_er AS p
           ON p.post_date BETWEEN days.d - 27 AND days.d),
m AS (SELECT d, tier, median(er) AS med, count(*) AS posts FROM w GROUP BY ALL)
SELECT m.d, m.tier, m.med, median(abs(w.er - m.med)) AS mad, m.posts
FROM m JOIN w USING (d, tier) GROUP BY ALL;
CREATE TABLE sig_engagement AS
SELECT cal.campaign_id, cal.d,
       max(0.6745 * (p.er - n.med) / n.mad) AS max_engagement_z
FROM cal JOIN post_er AS p ON p.campaign_id = cal.campaign_id
    AND p.post_date BETWEEN cal.d - 6 AND cal.d
JOIN tier_norms AS n ON n.d = cal.d AND n.tier = p.tier AND n.posts >= 8 AND n.mad > 0
GROUP BY ALL;

-- P06 -----------------------------------------------------------------------------------------
CREATE TABLE sig_format_mix AS
SELECT cal.campaign_id, cal.d,
       CASE WHEN cal.day_number >= 28 THEN
           (SELECT count(DISTINCT (s.platform, s.post_format)) FROM social_posts AS s
            WHERE s.campaign_id = cal.campaign_id AND s.post_date BETWEEN cal.d - 55 AND cal.d)
           + (SELECT count(DISTINCT i.platform) FROM influencer_posts AS i
              WHERE i.campaign_id = cal.campaign_id AND i.post_date BETWEEN cal.d - 55 AND cal.d)
       END AS formats_tried_8w
FROM cal;

-- P07, P10 ------------------------------------------------------------------------------------
CREATE TABLE comment_days AS
SELECT cal.campaign_id, cal.d,
       count(*) FILTER (WHERE k.comment_date >= cal.d - 6) AS comments_7d,
       count(*) FILTER (WHERE k.comment_date >= cal.d - 6
                        AND k.brand_replied_at < cal.d + 1) AS replied_7d,
       median(epoch(k.brand_replied_at - k.commented_at) / 3600.0)
           FILTER (WHERE k.comment_date >= cal.d - 6 AND k.brand_replied_at < cal.d + 1)
           AS median_reply_hours,
       count(*) FILTER (WHERE k.comment_date >= cal.d - 6 AND k.sentiment = 'negative')
           AS negative_7d,
       count(*) FILTER (WHERE k.comment_date >= cal.d - 6 AND k.sentiment = 'negative'
                        AND (k.brand_replied_at IS NULL OR k.brand_replied_at >= cal.d + 1))
           AS unanswered_negative_7d,
       count(*) FILTER (WHERE k.comment_date < cal.d - 6) AS comments_base,
       count(*) FILTER (WHERE k.comment_date < cal.d - 6 AND k.sentiment = 'negative')
           AS negative_base
FROM cal JOIN social_comments AS k ON k.campaign_id = cal.campaign_id
    AND k.comment_date BETWEEN cal.d - 34 AND cal.d
GROUP BY ALL;

CREATE TABLE sig_pr_support AS
SELECT cal.campaign_id, cal.d,
       (SELECT count(*) FROM influencer_posts AS i WHERE i.campaign_id = cal.campaign_id
        AND i.post_date BETWEEN cal.d - 27 AND cal.d) AS influencer_posts_28d,
       (SELECT count(*) FROM pr_items AS p WHERE p.campaign_id = cal.campaign_id
        AND p.published_date BETWEEN cal.start_date AND cal.d) AS pr_items_to_date,
       coalesce(k.comments_7d, 0) AS comments_7d,
       k.negative_7d / nullif(k.comments_7d, 0) AS negative_share_7d,
       k.negative_base / nullif(k.comments_base, 0) AS negative_share_baseline,
       coalesce(k.unanswered_negative_7d, 0) AS unanswered_negative_7d,
       coalesce(k.negative_7d, 0) AS negative_7d
FROM cal LEFT JOIN comment_days AS k USING (campaign_id, d);

CREATE TABLE sig_conversation AS
SELECT cal.campaign_id, cal.d, coalesce(k.comments_7d, 0) AS comments_7d,
       CASE WHEN k.comments_7d >= 5 THEN k.replied_7d / k.comments_7d END AS reply_rate,
       k.median_reply_hours
FROM cal LEFT JOIN comment_days AS k USING (campaign_id, d);

-- P08 -----------------------------------------------------------------------------------------
CREATE TABLE platform_norms AS
SELECT days.d, p.platform, median(p.er) AS baseline, count(*) AS posts
FROM days JOIN post_er AS p ON p.post_date BETWEEN days.d - 27 AND days.d
GROUP BY ALL;
CREATE TABLE sig_creator_content AS
WITH w AS (
    SELECT cal.campaign_id, cal.d, i.creator_id, i.platform, i.engagements, i.impressions
    FROM cal JOIN influencer_posts AS i ON i.campaign_id = cal.campaign_id
        AND i.post_date BETWEEN cal.d - 27 AND cal.d),
c AS (
    SELECT campaign_id, d, creator_id, count(*) AS posts,
           sum(engagements) / nullif(sum(impressions), 0) AS er, mode(platform) AS platform
    FROM w GROUP BY ALL)
SELECT c.campaign_id, c.d,
       count(*) FILTER (WHERE c.posts >= 2 AND c.er < 0.5 * n.baseline)
           AS underperforming_creators
FROM c LEFT JOIN platform_norms AS n ON n.d = c.d AND n.platform = c.platform AND n.posts >= 8
GROUP BY ALL;

-- P09 -----------------------------------------------------------------------------------------
CREATE TABLE sig_integration AS
WITH w AS (SELECT campaign_id, d, planned, greatest(start_date, d - 13) AS w0 FROM cal),
agg AS (
    SELECT w.campaign_id, w.d, w.d - w.w0 + 1 AS window_days,
           count(DISTINCT a.channel) FILTER (WHERE list_contains(w.planned, a.channel))
               AS active_planned,
           len(any_value(w.planned)) AS planned_count,
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
    SELECT agg.campaign_id, agg.d, active_planned / planned_count AS channel_activation,
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
CREATE TABLE sig_integration_drop AS
SELECT a.campaign_id, a.d, greatest(0, b.integration_score - a.integration_score)
    AS integration_drop_14d
FROM sig_integration AS a LEFT JOIN sig_integration AS b
    ON b.campaign_id = a.campaign_id AND b.d = a.d - 14;

-- P11 -----------------------------------------------------------------------------------------
CREATE TABLE sig_channel_ownership AS
WITH active AS (
    SELECT DISTINCT cal.campaign_id, cal.d, a.channel
    FROM cal JOIN act_daily AS a ON a.campaign_id = cal.campaign_id
        AND a.day BETWEEN cal.d - 13 AND cal.d),
owned AS (
    SELECT active.*, nullif(trim(o.owner), '') AS owner
    FROM active LEFT JOIN channel_owners AS o
        ON o.campaign_id = active.campaign_id AND o.channel = active.channel)
SELECT campaign_id, d, count(*) AS active_channels,
       count(*) FILTER (WHERE owner IS NULL) AS ownerless_active_channels,
       count(DISTINCT owner) AS owners,
       CAST(count(*) >= 4 AND count(DISTINCT owner) = 1 AS INT) AS single_owner_overload
FROM owned GROUP BY ALL;

-- P12, P14 ------------------------------------------------------------------------------------
CREATE TABLE sends_tokens AS
SELECT *, plist(personalisation_tokens) AS tokens,
       len(list_intersect(plist(personalisation_tokens), {list(SENSITIVE)})) > 0 AS sensitive
FROM email_sends;
CREATE TABLE sig_personalisation AS
WITH p28 AS (
    SELECT cal.campaign_id, cal.d, count(*) FILTER (WHERE s.sensitive) AS sensitive_token_sends,
           max(len(s.tokens)) AS max_tokens
    FROM cal JOIN sends_tokens AS s ON s.campaign_id = cal.campaign_id
        AND s.variant = 'personalised' AND s.send_date BETWEEN cal.d - 27 AND cal.d
    GROUP BY ALL),
r7 AS (
    SELECT cal.campaign_id, cal.d, sum(s.unsubscribes) AS unsub, sum(s.delivered) AS delivered
    FROM cal JOIN email_sends AS s ON s.campaign_id = cal.campaign_id
        AND s.variant = 'personalised' AND s.send_date BETWEEN cal.d - 6 AND cal.d
    GROUP BY ALL),
base AS (
    SELECT cal.campaign_id, cal.d, sum(s.unsubscribes) AS unsub, sum(s.delivered) AS delivered
    FROM cal JOIN email_sends AS s ON s.campaign_id = cal.campaign_id
        AND s.send_date BETWEEN cal.d - 34 AND cal.d - 7
    GROUP BY ALL)
SELECT p28.campaign_id, p28.d, p28.sensitive_token_sends, p28.max_tokens,
       CASE WHEN r7.delivered >= 200 AND base.delivered >= 500 AND base.unsub > 0
            THEN (r7.unsub / r7.delivered) / (base.unsub / base.delivered) END
           AS unsub_rate_ratio
FROM p28 LEFT JOIN r7 USING (campaign_id, d) LEFT JOIN base USING (campaign_id, d);

CREATE TABLE sig_personalisation_value AS
WITH v AS (
    SELECT cal.campaign_id, cal.d,
           sum(s.delivered) FILTER (WHERE s.variant = 'generic') AS dg,
           sum(s.conversions) FILTER (WHERE s.variant = 'generic') AS cg,
           sum(s.delivered) FILTER (WHERE s.variant = 'personalised') AS dp,
           sum(s.conversions) FILTER (WHERE s.variant = 'personalised') AS cp
    FROM cal JOIN email_sends AS s ON s.campaign_id = cal.campaign_id
        AND s.send_date BETWEEN cal.d - 27 AND cal.d
    GROUP BY ALL)
SELECT campaign_id, d,
       CASE WHEN dg >= 1000 AND dp >= 1000 AND cg > 0 THEN (cp / dp) / (cg / dg) - 1 END
           AS personalisation_uplift
FROM v;

-- P13 -----------------------------------------------------------------------------------------
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
    UNION ALL SELECT campaign_id, post_date, caption FROM influencer_posts
    UNION ALL SELECT campaign_id, comment_date, comment_text FROM social_comments)
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

-- P15, P16, P17, P18 --------------------------------------------------------------------------
CREATE TABLE sig_short_video AS
SELECT cal.campaign_id, cal.d,
       count(DISTINCT (s.platform, s.post_id)) AS short_video_posts,
       count(DISTINCT s.platform) AS short_video_platforms
FROM cal LEFT JOIN social_posts AS s ON s.campaign_id = cal.campaign_id
    AND s.post_date BETWEEN cal.d - 27 AND cal.d AND s.post_format = 'short_video'
WHERE list_contains(cal.planned, 'social')
GROUP BY ALL;

CREATE TABLE sig_experiments AS
SELECT cal.campaign_id, cal.d,
       count(e.experiment_id) AS experiments_live_30d
FROM cal LEFT JOIN experiments AS e ON e.campaign_id = cal.campaign_id
    AND e.variants >= 2 AND e.status IN ('running', 'completed', 'stopped')
    AND e.start_date <= cal.d AND coalesce(e.end_date, cal.d) >= cal.d - 29
WHERE cal.day_number >= 14
GROUP BY ALL;

CREATE TABLE sig_budget_reserve AS
SELECT cal.campaign_id, cal.d, any_value(c.budget) AS budget, sum(b.committed_amount) AS committed,
       CASE WHEN any_value(c.budget) = 0 THEN NULL
            WHEN count(b.commitment_id) > 0
                THEN (any_value(c.budget) - sum(b.committed_amount)) / any_value(c.budget)
            ELSE any_value(c.reserve_budget) / any_value(c.budget) END AS reserve_share
FROM cal JOIN campaigns AS c USING (campaign_id)
LEFT JOIN budget_commitments AS b ON b.campaign_id = cal.campaign_id
    AND b.committed_date <= cal.d
GROUP BY ALL;

CREATE TABLE sig_story AS
SELECT campaign_id,
       CAST(coalesce(trim(storyline), '') <> '' AS INT)
       + CAST(coalesce(trim(hashtag), '') <> '' AS INT) AS story_elements
FROM campaigns;

-- P19, P20, P22 -------------------------------------------------------------------------------
CREATE TABLE sig_partner_fit AS
WITH ladder AS (SELECT ['budget', 'mass', 'premium', 'luxury'] AS tiers)
SELECT p.campaign_id, count(*) AS partners,
       count(*) FILTER (WHERE
           abs(list_position(l.tiers, lower(p.price_tier))
               - list_position(l.tiers, lower(bp.price_tier))) >= 2
           OR len(list_intersect(plist(p.target_segments), plist(bp.target_segments))) = 0
           OR len(list_intersect(plist(p.brand_values), plist(bp.conflicting_values))) > 0
       ) AS misfit_partners
FROM partners AS p JOIN campaigns AS c USING (campaign_id)
JOIN brand_positioning AS bp ON bp.brand = c.brand, ladder AS l
GROUP BY ALL;

CREATE TABLE promo_days AS
SELECT DISTINCT p.campaign_id, p.partner_id, CAST(t.d AS DATE) AS day
FROM partner_promotions AS p, range(p.start_date, p.end_date + INTERVAL 1 DAY, INTERVAL 1 DAY)
    AS t(d);
CREATE TABLE sig_partner_sync AS
WITH per_partner AS (
    SELECT pa.campaign_id, pa.partner_id,
           count(pd.day) FILTER (WHERE pd.day BETWEEN c.start_date AND c.end_date)
               / (c.end_date - c.start_date + 1) AS calendar_overlap
    FROM partners AS pa JOIN campaigns AS c USING (campaign_id)
    LEFT JOIN promo_days AS pd ON pd.campaign_id = pa.campaign_id
        AND pd.partner_id = pa.partner_id
    WHERE pa.partner_id <> 'self'
    GROUP BY pa.campaign_id, pa.partner_id, c.start_date, c.end_date)
SELECT pp.campaign_id, min(pp.calendar_overlap) AS min_partner_overlap,
       (SELECT count(*) FROM partner_promotions AS pr JOIN campaigns AS c2 USING (campaign_id)
        WHERE pr.campaign_id = pp.campaign_id
          AND NOT contains(lower(coalesce(pr.key_message, '')), lower(c2.hashtag)))
           AS message_mismatches
FROM per_partner AS pp GROUP BY ALL;

CREATE TABLE sig_partner_terms AS
SELECT campaign_id,
       count(*) FILTER (WHERE NOT contract_signed
                        OR coalesce(trim(success_metrics), '') = ''
                        OR coalesce(trim(exit_conditions), '') = '') AS partners_missing_terms
FROM partners WHERE partner_id <> 'self' GROUP BY ALL;

-- P21, P23 ------------------------------------------------------------------------------------
CREATE TABLE sig_supply AS
SELECT cal.campaign_id, cal.d,
       count(*) FILTER (WHERE v.stock_date BETWEEN cal.d - 6 AND cal.d
                        AND (v.units_in_stock = 0 OR v.units_backordered > 0))
           AS stockout_days_7d
FROM cal JOIN inventory AS v ON v.campaign_id = cal.campaign_id AND v.stock_date <= cal.d
GROUP BY ALL;

CREATE TABLE sig_roi AS
WITH model_to_date AS (
    SELECT cal.campaign_id, cal.d, a.model, count(*) AS model_rows,
           sum(a.attributed_revenue) AS revenue, sum(a.cost) AS cost
    FROM cal JOIN attribution AS a ON a.campaign_id = cal.campaign_id
        AND a.attribution_date BETWEEN cal.start_date AND cal.d
    GROUP BY cal.campaign_id, cal.d, a.model
    QUALIFY row_number() OVER (PARTITION BY cal.campaign_id, cal.d ORDER BY count(*) DESC,
        list_position(['data_driven', 'mmm', 'linear', 'last_click', 'first_click'], a.model))
        = 1),
days28 AS (
    SELECT cal.campaign_id, cal.d, count(DISTINCT a.attribution_date) AS attribution_days_28d
    FROM cal LEFT JOIN attribution AS a ON a.campaign_id = cal.campaign_id
        AND a.attribution_date BETWEEN cal.d - 27 AND cal.d
    GROUP BY ALL)
SELECT cal.campaign_id, cal.d, days28.attribution_days_28d,
       (m.revenue - m.cost) / nullif(m.cost, 0) AS roi,
       (m.revenue - m.cost) / nullif(m.cost, 0) - coalesce(c.target_roi, 0) AS roi_vs_target
FROM cal JOIN campaigns AS c USING (campaign_id)
JOIN days28 USING (campaign_id, d)
LEFT JOIN model_to_date AS m USING (campaign_id, d)
WHERE cal.day_number >= 14;

-- Every guard, one row per campaign, day and pitfall ------------------------------------------
CREATE TABLE guard_failures AS
WITH f AS (
    SELECT cal.campaign_id, cal.d,
        coalesce(p01.misaligned_creators > 0 OR p01.flagged_creators > 0, false) AS p01,
        coalesce(g.outcome_kpis_with_target < 1, false) AS p02,
        coalesce(m.nano_micro_spend_share > 0.8, false) AS p03,
        coalesce(p04.late_deliverables > 0, false) OR coalesce(p04.max_feedback_days > 3, false)
            OR coalesce(p04.missing_briefs > 0, false) AS p04,
        coalesce(s.undisclosed_sponsored_posts > 0, false)
            OR coalesce(z.max_engagement_z > 3, false) AS p05,
        coalesce(p06.formats_tried_8w < 3, false) AS p06,
        CASE WHEN p07.influencer_posts_28d > 0 OR p07.comments_7d > 0 THEN
            (p07.influencer_posts_28d > 0 AND p07.pr_items_to_date = 0)
            OR coalesce(p07.comments_7d >= 10 AND p07.negative_share_7d > 0.2
               AND p07.negative_share_7d > 2 * coalesce(p07.negative_share_baseline, 0)
               AND p07.unanswered_negative_7d > 0.5 * p07.negative_7d, false)
        ELSE false END AS p07,
        coalesce(p08.underperforming_creators > 0, false) AS p08,
        coalesce(i.integration_score < 0.5, false)
            OR coalesce(idrop.integration_drop_14d > 0.3, false) AS p09,
        coalesce(p10.reply_rate < 0.2, false) OR coalesce(p10.median_reply_hours > 24, false)
            AS p10,
        coalesce(p11.ownerless_active_channels > 0 OR p11.single_owner_overload > 0, false)
            AS p11,
        coalesce(p12.sensitive_token_sends > 0 OR p12.max_tokens > 3, false)
            OR coalesce(p12.unsub_rate_ratio > 2, false) AS p12,
        pr.sends_without_consent + pr.sends_after_opt_out + pr.raw_personal_data_found > 0
            AS p13,
        coalesce(p14.personalisation_uplift <= 0, false) AS p14,
        coalesce(p15.short_video_posts < 1 OR p15.short_video_platforms < 2, false) AS p15,
        coalesce(p16.experiments_live_30d < 2, false) AS p16,
        coalesce(p17.reserve_share < 0.1, false) AS p17,
        coalesce(p18.story_elements < 2, false) AS p18,
        coalesce(p19.misfit_partners > 0, false) AS p19,
        coalesce(p20.min_partner_overlap < 0.5 OR p20.message_mismatches > 0, false) AS p20,
        coalesce(p21.stockout_days_7d > 0, false) AS p21,
        coalesce(p22.partners_missing_terms > 0, false) AS p22,
        coalesce(p23.attribution_days_28d < 1, false) OR coalesce(p23.roi_vs_target < 0, false)
            AS p23
    FROM cal
    LEFT JOIN sig_creator_fit AS p01 USING (campaign_id, d)
    LEFT JOIN sig_campaign_goals AS g USING (campaign_id)
    LEFT JOIN sig_influencer_mix AS m USING (campaign_id, d)
    LEFT JOIN sig_influencer_management AS p04 USING (campaign_id, d)
    LEFT JOIN sig_sponsored_disclosure AS s USING (campaign_id, d)
    LEFT JOIN sig_engagement AS z USING (campaign_id, d)
    LEFT JOIN sig_format_mix AS p06 USING (campaign_id, d)
    LEFT JOIN sig_pr_support AS p07 USING (campaign_id, d)
    LEFT JOIN sig_creator_content AS p08 USING (campaign_id, d)
    LEFT JOIN sig_integration AS i USING (campaign_id, d)
    LEFT JOIN sig_integration_drop AS idrop USING (campaign_id, d)
    LEFT JOIN sig_conversation AS p10 USING (campaign_id, d)
    LEFT JOIN sig_channel_ownership AS p11 USING (campaign_id, d)
    LEFT JOIN sig_personalisation AS p12 USING (campaign_id, d)
    LEFT JOIN sig_privacy AS pr USING (campaign_id, d)
    LEFT JOIN sig_personalisation_value AS p14 USING (campaign_id, d)
    LEFT JOIN sig_short_video AS p15 USING (campaign_id, d)
    LEFT JOIN sig_experiments AS p16 USING (campaign_id, d)
    LEFT JOIN sig_budget_reserve AS p17 USING (campaign_id, d)
    LEFT JOIN sig_story AS p18 USING (campaign_id)
    LEFT JOIN sig_partner_fit AS p19 USING (campaign_id)
    LEFT JOIN sig_partner_sync AS p20 USING (campaign_id)
    LEFT JOIN sig_supply AS p21 USING (campaign_id, d)
    LEFT JOIN sig_partner_terms AS p22 USING (campaign_id)
    LEFT JOIN sig_roi AS p23 USING (campaign_id, d))
SELECT campaign_id, d, upper(pitfall) AS pitfall, failed
FROM (UNPIVOT f ON {", ".join(p.lower() for p in PITFALLS)} INTO NAME pitfall VALUE failed);
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
    """Every guard signal per campaign and day, computed from the landing files."""

    con: duckdb.DuckDBPyConnection
    manifest: Manifest

    def failing_days(self, campaign_id: str, pitfall: str) -> list[date]:
        rows = self.con.execute(
            "SELECT d FROM guard_failures WHERE campaign_id = ? AND pitfall = ? AND failed "
            "ORDER BY d",
            [campaign_id, pitfall],
        ).fetchall()
        return [r[0] for r in rows]

    def failures(self, since: date) -> dict[str, dict[str, list[date]]]:
        """campaign -> pitfall -> failing days from ``since`` on."""
        out: dict[str, dict[str, list[date]]] = {}
        rows = self.con.execute(
            "SELECT campaign_id, pitfall, list(d ORDER BY d) FROM guard_failures "
            "WHERE failed AND d >= ? GROUP BY ALL",
            [since],
        ).fetchall()
        for campaign, pitfall, days in rows:
            out.setdefault(campaign, {})[pitfall] = days
        return out

    def days(self) -> list[date]:
        return [r[0] for r in self.con.execute("SELECT DISTINCT d FROM cal ORDER BY d").fetchall()]

    def last_days(self, n: int = 14) -> list[date]:
        return self.days()[-n:]

    def value(self, sql: str, params: list | None = None):
        return self.con.execute(sql, params or []).fetchone()[0]


def compute_signals(landing: Path, manifest: Manifest) -> Signals:
    con = open_landing(landing)
    for statement in _SQL.split(";\n"):
        if statement.strip():
            con.execute(
                statement.replace("$first", f"DATE '{manifest.first_day}'").replace(
                    "$last", f"DATE '{manifest.end_date}'"
                )
            )
    return Signals(con, manifest)
