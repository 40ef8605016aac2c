-- The yardstick for the pipeline's speed: the marts the guards read, written by hand as one
-- DuckDB script straight over the landing files, with none of the pipeline's bookkeeping
-- (no contract check, quarantine, load ledger, staging files, dbt tests or documentation).
--
-- It computes, with the pipeline's definitions (dbt_project/models), the campaign x channel x
-- day fact, the two headline measures (integration and KPI coverage) and the guard signals
-- over the channel exports: P09 integration (sig_integration), P10 conversation
-- (sig_conversation) and the consent counts behind P13 privacy (int_campaign_consent_days).
-- The guard signals over the plan-side exports (goals, budgets, partners, PR, creators ...)
-- read a few rows per campaign and are left to the pipeline.
--
-- ${landing}, ${as_of_date} and the hashing key's pads ${pii_inner_pad} / ${pii_outer_pad} are
-- filled in by marketing_health.bench.baseline.

-- ---------------------------------------------------------------------------------------------
-- Plan: the latest delivery of the campaign plan and the declared KPIs
-- ---------------------------------------------------------------------------------------------
create or replace table campaign_files as
select
    *,
    regexp_extract(filename, '([0-9]{4}-[0-9]{2}-[0-9]{2})[/\\][^/\\]*$$', 1)::date
        as delivery_day,
from read_csv(
    '${landing}/campaigns/*/*.csv',
    header = true, filename = true, all_varchar = true
);

create or replace table campaigns as
with latest as (
    select * from campaign_files
    where delivery_day = (select max(delivery_day) from campaign_files)
),
listed as (
    select
        trim(campaign_id) as campaign_id,
        start_date::date as start_date,
        end_date::date as end_date,
        list_sort(list_distinct(
            [lower(trim(channel)) for channel in string_split(planned_channels, '|')
                if trim(channel) <> '']
        )) as channels,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        nullif(trim(hashtag), '') as hashtag,
    from latest
    qualify row_number() over (partition by trim(campaign_id) order by filename desc) = 1
)
select
    campaign_id,
    start_date,
    end_date,
    list_filter(channels, lambda c: c in ('social', 'email', 'paid', 'influencer'))
        as planned_channels,
    utm_campaign,
    hashtag,
from listed;

create or replace table kpis as
with kpi_files as (
    select
        *,
        regexp_extract(filename, '([0-9]{4}-[0-9]{2}-[0-9]{2})[/\\][^/\\]*$$', 1)::date
            as delivery_day,
    from read_csv('${landing}/kpis/*/*.csv', header = true, filename = true, all_varchar = true)
),
named as (
    select
        trim(campaign_id) as campaign_id,
        regexp_replace(lower(trim(metric)), '[\s\-]+', '_', 'g') as metric,
        nullif(trim(target_value), '')::decimal(18, 4) as target_value,
        nullif(trim(due_date), '')::date as due_date,
        filename,
    from kpi_files
    where delivery_day = (select max(delivery_day) from kpi_files)
),
kpi_metrics (metric, kpi_class, observed_by) as (
    values
        ('conversions', 'outcome', 'conversions'),
        ('revenue', 'outcome', 'revenue'),
        ('sales', 'outcome', 'revenue'),
        ('signups', 'outcome', 'conversions'),
        ('leads', 'outcome', 'conversions'),
        ('site_visits', 'outcome', 'clicks'),
        ('brand_lift', 'outcome', null),
        ('impressions', 'vanity', 'impressions'),
        ('reach', 'vanity', null),
        ('views', 'vanity', null),
        ('likes', 'vanity', 'likes'),
        ('followers', 'vanity', null),
        ('engagements', 'vanity', 'engagements'),
        ('shares', 'vanity', 'shares'),
        ('comments', 'vanity', 'comments')
)
select
    named.campaign_id || ':' || named.metric as kpi_id,
    named.campaign_id,
    kpi_metrics.observed_by,
    named.target_value,
    named.due_date,
    coalesce(kpi_metrics.kpi_class = 'outcome', false) as is_outcome,
    named.target_value is not null and named.due_date is not null as has_target_and_due_date,
from named
inner join campaigns on named.campaign_id = campaigns.campaign_id
left join kpi_metrics on named.metric = kpi_metrics.metric
qualify row_number() over (
    partition by named.campaign_id, named.metric order by named.filename desc
) = 1;

create or replace table campaign_days as
select
    campaign_id,
    date_day,
    start_date,
    greatest(start_date, date_day - 13) as integration_window_start,
    date_day - 6 as recent_window_start,
from (
    select
        campaign_id,
        start_date,
        unnest(generate_series(
            start_date, least(end_date, date '${as_of_date}'), interval 1 day
        ))::date as date_day,
    from campaigns
    where start_date <= date '${as_of_date}'
);

-- ---------------------------------------------------------------------------------------------
-- Channel activity: each export read once, the latest report of each row kept
-- ---------------------------------------------------------------------------------------------
create or replace table activities as
with
social as (
    select
        'social' as channel,
        trim(campaign_id) as campaign_id,
        post_date as activity_date,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        nullif(trim(post_text), '') as message_text,
        impressions, likes + comments + shares as engagements, likes, comments, shares,
        0 as clicks, 0 as conversions, 0 as revenue, 0 as spend, 0 as influencer_fee,
        0 as email_delivered, 0 as email_opens,
    from read_csv('${landing}/social_posts/*/*.csv', header = true, filename = true, columns = {
        'post_date': 'date', 'platform': 'varchar', 'post_id': 'varchar',
        'campaign_id': 'varchar', 'post_format': 'varchar', 'post_text': 'varchar',
        'impressions': 'bigint', 'likes': 'bigint', 'comments': 'bigint', 'shares': 'bigint',
        'brand_replies': 'bigint', 'utm_campaign': 'varchar', 'is_sponsored': 'boolean',
        'has_disclosure': 'boolean'
    })
    qualify row_number() over (
        partition by post_date, lower(trim(platform)), trim(post_id) order by filename desc
    ) = 1
),
email as (
    select
        'email' as channel,
        trim(campaign_id) as campaign_id,
        send_date as activity_date,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        null as message_text,
        0 as impressions, 0 as engagements, 0 as likes, 0 as comments, 0 as shares,
        clicks, conversions, 0 as revenue, 0 as spend, 0 as influencer_fee,
        delivered as email_delivered, opens as email_opens,
    from read_csv('${landing}/email_sends/*/*.csv', header = true, filename = true, columns = {
        'send_date': 'date', 'send_id': 'varchar', 'campaign_id': 'varchar',
        'variant': 'varchar', 'personalisation_tokens': 'varchar', 'delivered': 'bigint',
        'opens': 'bigint', 'clicks': 'bigint', 'conversions': 'bigint',
        'unsubscribes': 'bigint', 'complaints': 'bigint', 'utm_campaign': 'varchar'
    })
    qualify row_number() over (
        partition by trim(send_id), lower(trim(variant)) order by filename desc
    ) = 1
),
paid as (
    select
        'paid' as channel,
        trim(campaign_id) as campaign_id,
        ad_date as activity_date,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        null as message_text,
        impressions, 0 as engagements, 0 as likes, 0 as comments, 0 as shares,
        clicks, conversions, revenue, spend, 0 as influencer_fee,
        0 as email_delivered, 0 as email_opens,
    from read_csv('${landing}/paid_ads/*/*.csv', header = true, filename = true, columns = {
        'ad_date': 'date', 'platform': 'varchar', 'account_id': 'varchar',
        'campaign_id': 'varchar', 'platform_campaign_id': 'varchar',
        'ad_group_id': 'varchar', 'spend': 'decimal(18,4)', 'currency': 'varchar',
        'impressions': 'bigint', 'clicks': 'bigint', 'conversions': 'decimal(18,4)',
        'revenue': 'decimal(18,4)', 'utm_campaign': 'varchar'
    })
    qualify row_number() over (
        partition by ad_date, lower(trim(platform)), trim(account_id),
            trim(platform_campaign_id), trim(ad_group_id)
        order by filename desc
    ) = 1
),
influencer as (
    select
        'influencer' as channel,
        trim(campaign_id) as campaign_id,
        post_date as activity_date,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        nullif(trim(caption), '') as message_text,
        impressions, engagements, 0 as likes, 0 as comments, 0 as shares,
        0 as clicks, 0 as conversions, 0 as revenue, 0 as spend, fee as influencer_fee,
        0 as email_delivered, 0 as email_opens,
    from read_csv(
        '${landing}/influencer_posts/*/*.csv', header = true, filename = true, columns = {
            'post_date': 'date', 'campaign_id': 'varchar', 'creator_id': 'varchar',
            'creator_handle': 'varchar', 'platform': 'varchar', 'post_id': 'varchar',
            'tier': 'varchar', 'followers': 'bigint', 'audience_summary': 'varchar',
            'is_sponsored': 'boolean', 'has_disclosure': 'boolean',
            'deliverable_due_date': 'date', 'delivered_date': 'date',
            'fee': 'decimal(18,4)', 'impressions': 'bigint', 'engagements': 'bigint',
            'caption': 'varchar', 'utm_campaign': 'varchar', 'post_status': 'varchar'
        }
    )
    qualify row_number() over (
        partition by trim(campaign_id), trim(creator_id), trim(post_id) order by filename desc
    ) = 1
),
unioned as (
    select * from social
    union all by name select * from email
    union all by name select * from paid
    union all by name select * from influencer
)
select
    unioned.channel,
    unioned.campaign_id,
    unioned.activity_date,
    coalesce(unioned.utm_campaign = campaigns.utm_campaign, false) as is_tracked,
    unioned.message_text is not null as has_message,
    case
        when unioned.message_text is null then null
        when campaigns.hashtag is null then false
        else contains(lower(unioned.message_text), lower(campaigns.hashtag))
    end as has_campaign_hashtag,
    unioned.* exclude (channel, campaign_id, activity_date, utm_campaign, message_text),
from unioned
inner join campaigns on unioned.campaign_id = campaigns.campaign_id
where unioned.activity_date <= date '${as_of_date}';

create or replace table fct_campaign_channel_daily as
select
    campaign_id,
    channel,
    activity_date,
    count(*) as activities,
    count(*) filter (where is_tracked) as tracked_activities,
    count(*) filter (where has_message) as messages,
    count(*) filter (where has_campaign_hashtag) as messages_with_hashtag,
    cast(sum(impressions) as bigint) as impressions,
    cast(sum(engagements) as bigint) as engagements,
    cast(sum(likes) as bigint) as likes,
    cast(sum(comments) as bigint) as comments,
    cast(sum(shares) as bigint) as shares,
    cast(sum(clicks) as bigint) as clicks,
    cast(sum(conversions) as double) as conversions,
    cast(sum(revenue) as decimal(18, 4)) as revenue,
    cast(sum(spend) as decimal(18, 4)) as spend,
    cast(sum(influencer_fee) as decimal(18, 4)) as influencer_fee,
    cast(sum(email_delivered) as bigint) as email_delivered,
    cast(sum(email_opens) as bigint) as email_opens,
from activities
group by all;

drop table activities;

-- ---------------------------------------------------------------------------------------------
-- Integration: 14 campaign days of channel activity behind each live day
-- ---------------------------------------------------------------------------------------------
create or replace table fct_campaign_integration_daily as
with
planned as (
    select campaign_id, unnest(planned_channels) as channel from campaigns
),
window_days as (
    select
        d.campaign_id,
        d.date_day as as_of_date,
        f.channel,
        f.activity_date,
        f.activities,
        f.tracked_activities,
        f.messages,
        f.messages_with_hashtag,
        planned.channel is not null as is_planned,
    from campaign_days as d
    inner join fct_campaign_channel_daily as f
        on d.campaign_id = f.campaign_id
        and f.activity_date between d.integration_window_start and d.date_day
    left join planned on f.campaign_id = planned.campaign_id and f.channel = planned.channel
    where f.activities > 0
),
per_day as (
    select
        campaign_id,
        as_of_date,
        count(distinct channel) filter (where is_planned) as active_channels,
        sum(activities) as activities,
        sum(tracked_activities) as tracked_activities,
        sum(messages) as messages,
        sum(messages_with_hashtag) as messages_with_hashtag,
    from window_days
    group by all
),
multi as (
    select campaign_id, as_of_date, count(*) filter (where live >= 2) as multi_channel_days,
    from (
        select campaign_id, as_of_date, activity_date, count(distinct channel) as live,
        from window_days
        group by all
    )
    group by all
),
counts as (
    select
        d.campaign_id,
        d.date_day as as_of_date,
        d.date_day - d.integration_window_start + 1 as window_days,
        coalesce(len(c.planned_channels), 0) as planned_channels,
        coalesce(p.active_channels, 0) as active_channels,
        coalesce(m.multi_channel_days, 0) as multi_channel_days,
        coalesce(p.activities, 0) as activities,
        coalesce(p.tracked_activities, 0) as tracked_activities,
        coalesce(p.messages, 0) as messages,
        coalesce(p.messages_with_hashtag, 0) as messages_with_hashtag,
    from campaign_days as d
    inner join campaigns as c on d.campaign_id = c.campaign_id
    left join per_day as p on d.campaign_id = p.campaign_id and d.date_day = p.as_of_date
    left join multi as m on d.campaign_id = m.campaign_id and d.date_day = m.as_of_date
),
components as (
    select
        *,
        case when planned_channels > 0 then active_channels / planned_channels else 0.0 end
            as channel_activation,
        multi_channel_days / window_days as multi_channel_day_share,
        case when activities > 0 then tracked_activities / activities else 0.0 end
            as tracked_share,
        case when messages > 0 then messages_with_hashtag / messages end
            as message_consistency,
    from counts
)
select
    *,
    (
        0.35 * channel_activation + 0.25 * multi_channel_day_share + 0.25 * tracked_share
        + coalesce(0.15 * message_consistency, 0)
    ) / (0.85 + case when message_consistency is not null then 0.15 else 0 end)
        as integration_score,
from components;

create or replace table sig_integration as
select
    today.as_of_date,
    today.campaign_id,
    today.integration_score,
    case
        when earlier.integration_score is not null
            then greatest(0.0, earlier.integration_score - today.integration_score)
    end as integration_drop_14d,
from fct_campaign_integration_daily as today
left join fct_campaign_integration_daily as earlier
    on today.campaign_id = earlier.campaign_id
    and earlier.as_of_date = today.as_of_date - 14;

-- ---------------------------------------------------------------------------------------------
-- KPI coverage: running totals per campaign and channel, read by each KPI's column
-- ---------------------------------------------------------------------------------------------
create or replace table channel_metrics_to_date as
with
running as (
    select
        campaign_id,
        channel,
        activity_date,
        sum(activities) over h as activities,
        sum(impressions) over h as impressions,
        sum(engagements) over h as engagements,
        sum(likes) over h as likes,
        sum(comments) over h as comments,
        sum(shares) over h as shares,
        sum(clicks) over h as clicks,
        sum(conversions) over h as conversions,
        sum(revenue) over h as revenue,
        sum(spend) over h as spend,
        sum(influencer_fee) over h as influencer_fee,
        sum(email_delivered) over h as email_delivered,
        sum(email_opens) over h as email_opens,
    from fct_campaign_channel_daily
    window h as (
        partition by campaign_id, channel order by activity_date
        rows between unbounded preceding and current row
    )
),
day_channels as (
    select d.campaign_id, d.date_day, c.channel
    from campaign_days as d
    inner join (select distinct campaign_id, channel from fct_campaign_channel_daily) as c
        on d.campaign_id = c.campaign_id
),
to_date as (
    select
        day_channels.campaign_id,
        day_channels.date_day as as_of_date,
        day_channels.channel,
        columns(running.* exclude (campaign_id, channel, activity_date))::double,
    from day_channels
    asof inner join running
        on day_channels.campaign_id = running.campaign_id
        and day_channels.channel = running.channel
        and day_channels.date_day >= running.activity_date
)
unpivot to_date
on activities, impressions, engagements, likes, comments, shares, clicks, conversions,
    revenue, spend, influencer_fee, email_delivered, email_opens
into name metric_column value metric_value_to_date;

create or replace table fct_campaign_kpi_coverage_daily as
with
kpi_counts as (
    select
        campaign_id,
        count(*) as declared_kpis,
        count(*) filter (where has_target_and_due_date) as kpis_with_target,
        count(*) filter (where is_outcome) as outcome_kpis,
    from kpis
    group by all
),
kpi_actuals as (
    select
        d.campaign_id,
        d.date_day as as_of_date,
        d.start_date,
        k.kpi_id,
        k.is_outcome,
        k.has_target_and_due_date,
        k.target_value,
        k.due_date,
        coalesce(sum(m.metric_value_to_date), 0) as actual_to_date,
    from campaign_days as d
    inner join kpis as k on d.campaign_id = k.campaign_id
    left join channel_metrics_to_date as m
        on d.campaign_id = m.campaign_id
        and d.date_day = m.as_of_date
        and k.observed_by = m.metric_column
    group by all
),
kpi_pacing as (
    select
        *,
        case
            when not (is_outcome and has_target_and_due_date) then null
            when target_value = 0 then 1.0
            else least(1.0, actual_to_date / (target_value * least(1.0, greatest(0.01,
                (as_of_date - start_date + 1) / greatest(due_date - start_date + 1, 1)
            ))))
        end as pace,
    from kpi_actuals
),
kpi_day_totals as (
    select
        campaign_id,
        as_of_date,
        count(*) filter (where actual_to_date > 0) as observed_kpis,
        count(pace) as paced_kpis,
        avg(pace) as mean_pace,
    from kpi_pacing
    group by all
),
channel_feeds as (
    select
        m.campaign_id,
        m.as_of_date,
        m.channel,
        bool_or(m.metric_column = 'activities' and m.metric_value_to_date > 0) as is_active,
        bool_or(k.kpi_id is not null and m.metric_value_to_date > 0) as is_feeding_kpi,
    from channel_metrics_to_date as m
    left join kpis as k on m.campaign_id = k.campaign_id and m.metric_column = k.observed_by
    group by all
),
channel_feed_totals as (
    select
        campaign_id,
        as_of_date,
        count(*) filter (where is_active) as active_channels,
        count(*) filter (where is_active and is_feeding_kpi) as kpi_feeding_channels,
    from channel_feeds
    group by all
),
components as (
    select
        d.campaign_id,
        d.date_day as as_of_date,
        coalesce(kc.declared_kpis, 0) as declared_kpis,
        coalesce(kc.kpis_with_target, 0) as kpis_with_target,
        coalesce(kc.outcome_kpis, 0) as outcome_kpis,
        coalesce(kt.observed_kpis, 0) as observed_kpis,
        coalesce(ft.active_channels, 0) as active_channels,
        coalesce(ft.kpi_feeding_channels, 0) as kpi_feeding_channels,
        coalesce(kt.paced_kpis, 0) as paced_outcome_kpis,
        coalesce(kt.mean_pace, 0.0) as pacing,
    from campaign_days as d
    left join kpi_counts as kc on d.campaign_id = kc.campaign_id
    left join kpi_day_totals as kt
        on d.campaign_id = kt.campaign_id and d.date_day = kt.as_of_date
    left join channel_feed_totals as ft
        on d.campaign_id = ft.campaign_id and d.date_day = ft.as_of_date
)
select
    *,
    cast(
        0.25 * (case when declared_kpis > 0 then kpis_with_target / declared_kpis else 0 end)
        + 0.25 * (case when declared_kpis > 0 then outcome_kpis / declared_kpis else 0 end)
        + 0.20 * (case when declared_kpis > 0 then observed_kpis / declared_kpis else 0 end)
        + 0.15 * (
            case when active_channels > 0 then kpi_feeding_channels / active_channels else 0 end
        )
        + 0.15 * pacing
        as double
    ) as kpi_coverage,
from components;

drop table channel_metrics_to_date;

-- ---------------------------------------------------------------------------------------------
-- P10 conversation: comments of the last 7 days and how many the brand had answered
-- ---------------------------------------------------------------------------------------------
create or replace table sig_conversation as
with
comments as (
    select
        trim(campaign_id) as campaign_id,
        comment_date,
        commented_at,
        brand_replied_at,
    from read_csv(
        '${landing}/social_comments/*/*.csv', header = true, filename = true, columns = {
            'comment_date': 'date', 'platform': 'varchar', 'post_id': 'varchar',
            'campaign_id': 'varchar', 'comment_id': 'varchar', 'commented_at': 'timestamp',
            'sentiment': 'varchar', 'brand_replied_at': 'timestamp', 'comment_text': 'varchar'
        }
    )
    qualify row_number() over (
        partition by lower(trim(platform)), trim(comment_id) order by filename desc
    ) = 1
),
totals as (
    select
        d.campaign_id,
        d.date_day as as_of_date,
        count(*) as comments_7d,
        count(*) filter (where c.brand_replied_at < d.date_day + 1) as replied_7d,
    from campaign_days as d
    inner join comments as c
        on d.campaign_id = c.campaign_id
        and c.comment_date between d.recent_window_start and d.date_day
    group by all
)
select
    d.date_day as as_of_date,
    d.campaign_id,
    cast(case when t.comments_7d >= 5 then t.replied_7d / t.comments_7d end as double)
        as reply_rate,
    coalesce(t.comments_7d, 0) as comments_7d,
    coalesce(t.replied_7d, 0) as replied_7d,
from campaign_days as d
left join totals as t on d.campaign_id = t.campaign_id and d.date_day = t.as_of_date;

-- ---------------------------------------------------------------------------------------------
-- P13 privacy: recipients mailed per campaign and send day, and how many broke consent rules
-- ---------------------------------------------------------------------------------------------
create or replace table int_campaign_consent_days as
with
send_campaigns as (
    select trim(send_id) as send_id, min(trim(campaign_id)) as campaign_id,
    from read_csv('${landing}/email_sends/*/*.csv', header = true, columns = {
        'send_date': 'date', 'send_id': 'varchar', 'campaign_id': 'varchar',
        'variant': 'varchar', 'personalisation_tokens': 'varchar', 'delivered': 'bigint',
        'opens': 'bigint', 'clicks': 'bigint', 'conversions': 'bigint',
        'unsubscribes': 'bigint', 'complaints': 'bigint', 'utm_campaign': 'varchar'
    })
    group by all
),
recipients as (
    select
        sent_date,
        trim(send_id) as send_id,
        lower(trim(consent_status)) as consent_status,
        consent_at,
        opted_out_at,
    from read_csv(
        '${landing}/email_recipients/*/*.csv', header = true, filename = true, columns = {
            'sent_date': 'date', 'send_id': 'varchar', 'email': 'varchar',
            'phone': 'varchar', 'consent_status': 'varchar', 'consent_at': 'timestamp',
            'opted_out_at': 'timestamp'
        }
    )
    -- personal data: only a keyed hash of the address is ever kept (HMAC-SHA256, as the
    -- pipeline computes it: the key's inner and outer pads are filled in as hex)
    qualify row_number() over (
        partition by trim(send_id), sha256(
            unhex('${pii_outer_pad}')
            || unhex(sha256(unhex('${pii_inner_pad}') || encode(lower(trim(email)))))
        )
        order by filename desc
    ) = 1
)
select
    s.campaign_id,
    r.sent_date,
    count(*) as recipients,
    count(*) filter (
        where r.consent_status = 'unknown'
        or (
            r.consent_status = 'opted_in'
            and (r.consent_at is null or r.consent_at::date > r.sent_date)
        )
    ) as sent_without_consent,
    count(*) filter (
        where coalesce(r.opted_out_at::date < r.sent_date, false)
        or (r.consent_status = 'opted_out' and r.opted_out_at is null)
    ) as sent_after_opt_out,
from recipients as r
inner join send_campaigns as s on r.send_id = s.send_id
inner join campaigns as c on s.campaign_id = c.campaign_id
where r.sent_date <= date '${as_of_date}'
group by all;
