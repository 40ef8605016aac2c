{#-
    Every guard parameter of every campaign in the plan: the catalogue default, unless an
    override reaches the campaign. The most specific scope wins (campaign, then brand, then
    channel, then the default) and within one scope the entry listed first in
    config/guard_overrides.yaml, as for thresholds (guards/overrides.py). Signal models read
    one value through the macro guard_param(pitfall_id, name).

    guard_param is a correlated lookup, row by row of the calling model: DuckDB turns it into a
    join, PostgreSQL runs it per row, so there the table gets an index on the lookup's key
    (without it a signal mart over millions of rows scanned it millions of times); its
    statistics come from the project's post-hook (macros/cross_db_statistics.sql).
-#}
{% if target.type == 'postgres' %}
{{ config(indexes=[{'columns': ['campaign_id', 'pitfall_id', 'name']}]) }}
{% endif %}
with

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

settings as (

    select * from {{ source('params', 'guard_parameter_settings') }}

),

campaign_channels as (

    select
        campaign_id,
        unnest(planned_channels) as channel

    from campaigns

),

reaching as (

    select campaigns.campaign_id, settings.*
    from campaigns
    inner join settings on settings.scope = 'default'

    union all

    select campaigns.campaign_id, settings.*
    from campaigns
    inner join settings
        on settings.scope = 'campaign'
        and settings.target = campaigns.campaign_id

    union all

    -- brands compare as the overrides file does: case and runs of spaces do not matter
    select campaigns.campaign_id, settings.*
    from campaigns
    inner join settings
        on settings.scope = 'brand'
        and settings.target = lower(regexp_replace(trim(campaigns.brand), '\s+', ' ', 'g'))

    union all

    select campaign_channels.campaign_id, settings.*
    from campaign_channels
    inner join settings
        on settings.scope = 'channel'
        and settings.target = campaign_channels.channel

),

ranked as (

    select
        campaign_id,
        pitfall_id,
        name,
        value,
        scope,
        row_number() over (
            partition by campaign_id, pitfall_id, name
            order by scope_rank, precedence
        ) as choice

    from reaching

),

final as (

    select
        campaign_id,
        pitfall_id,
        name,
        cast(value as double precision) as value,
        scope

    from ranked
    where choice = 1

)

select * from final
