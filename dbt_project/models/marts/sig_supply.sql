{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P21: were promoted products out of stock or backordered in the last window_days (7 by
    default, the catalogue's P21 parameter, per campaign through guard_param)?
-#}
with

campaign_days as (

    -- each day with its campaign's P21 window_days: a column the window join bounds on
    {{ campaign_days_with_params('P21', ['window_days'], integer_names=['window_days']) }}

),

inventory as (

    select * from {{ ref('stg_commerce__inventory') }}

),

product_first_counts as (

    select
        inventory.campaign_id,
        inventory.product_id,
        min(inventory.stock_date) as first_stock_date

    from inventory
    group by
        inventory.campaign_id,
        inventory.product_id

),

products_to_date as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) as products

    from campaign_days
    inner join product_first_counts
        on campaign_days.campaign_id = product_first_counts.campaign_id
        and product_first_counts.first_stock_date <= campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

window_stockouts as (

    -- one row per product and day it could not be sold as promised
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        inventory.product_id,
        count(*) as stockout_days

    from campaign_days
    inner join inventory
        on campaign_days.campaign_id = inventory.campaign_id
        and inventory.stock_date between campaign_days.date_day
        - campaign_days.window_days + 1
        and campaign_days.date_day
        and (inventory.units_in_stock = 0 or inventory.units_backordered > 0)
    group by
        campaign_days.campaign_id,
        campaign_days.date_day,
        inventory.product_id

),

stockout_totals as (

    select
        window_stockouts.campaign_id,
        window_stockouts.as_of_date,
        sum(window_stockouts.stockout_days) as stockout_days_7d,
        count(*) as stockout_products,
        array_agg(
            {{ example_object('stockout_product', [
                ('product_id', 'window_stockouts.product_id'),
                ('days', 'cast(window_stockouts.stockout_days as bigint)'),
            ]) }}
            order by window_stockouts.stockout_days desc, window_stockouts.product_id
        ) as stockout_labels

    from window_stockouts
    group by
        window_stockouts.campaign_id,
        window_stockouts.as_of_date

),

final as (

    -- no stock count for the campaign yet: supply cannot be judged
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when products_to_date.products > 0
                then cast(coalesce(stockout_totals.stockout_days_7d, 0) as bigint)
        end as stockout_days_7d,
        coalesce(products_to_date.products, 0) as products,
        coalesce(stockout_totals.stockout_products, 0) as stockout_products,
        -- not a parameter: the alert names up to three products as examples
        {{ example_list('stockout_totals.stockout_labels[1:3]') }} as stockout_examples,
        -- the campaign's window, so the alert says which days it counted
        cast(
            {{ guard_param('P21', 'window_days', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as window_days

    from campaign_days
    left join products_to_date
        on campaign_days.campaign_id = products_to_date.campaign_id
        and campaign_days.date_day = products_to_date.as_of_date
    left join stockout_totals
        on campaign_days.campaign_id = stockout_totals.campaign_id
        and campaign_days.date_day = stockout_totals.as_of_date

)

select * from final
