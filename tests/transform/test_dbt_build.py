"""The dbt project on a small hand-made warehouse: build result, grain, plan and channel facts."""

from __future__ import annotations

from datetime import date

from .warehouse_case import AS_OF_DATE, BuiltWarehouse

SIGNAL_MARTS = (
    "sig_campaign_goals",
    "sig_influencer_mix",
    "sig_sponsored_disclosure",
    "sig_integration",
    "sig_privacy",
)


def test_build_passes_every_model_and_data_test(built_warehouse: BuiltWarehouse) -> None:
    summary = built_warehouse.summary
    assert summary.success, summary.summary()
    assert summary.failures == ()
    assert summary.skipped == ()
    # one column_tests_on_new_rows per tested model; unit tests and one-by-one column tests
    # run in CI (test_ci_dbt_tests.py)
    assert summary.status_counts.get("pass", 0) >= 60
    assert summary.status_counts.get("success", 0) >= 60  # models


def test_signal_marts_have_one_row_per_live_campaign_day(built_warehouse: BuiltWarehouse) -> None:
    # CMP-RUN 05-01..05-10, CMP-SOLO 05-05..05-10, CMP-MICRO 05-08..05-10; CMP-LATER has
    # not started, CMP-OLD left the plan.
    expected = {"CMP-RUN": 10, "CMP-SOLO": 6, "CMP-MICRO": 3}
    for mart in (
        *SIGNAL_MARTS,
        "fct_campaign_integration_daily",
        "fct_campaign_kpi_coverage_daily",
    ):
        rows = built_warehouse.rows(
            f"select campaign_id, count(*), max(as_of_date) from marts.{mart} group by 1"
        )
        assert {r[0]: r[1] for r in rows} == expected, mart
        assert {r[2] for r in rows} == {date.fromisoformat(AS_OF_DATE)}, mart


def test_signal_mart_columns_are_the_ones_the_guards_read(built_warehouse: BuiltWarehouse) -> None:
    required = {
        "sig_campaign_goals": [
            "as_of_date", "campaign_id", "declared_kpis", "vanity_kpis", "outcome_kpis",
            "outcome_kpis_with_target",
        ],
        "sig_influencer_mix": [
            "as_of_date", "campaign_id", "influencer_spend", "nano_micro_spend_share",
            "creators", "mid_plus_creators",
        ],
        "sig_sponsored_disclosure": [
            "as_of_date", "campaign_id", "sponsored_posts", "undisclosed_sponsored_posts",
            "undisclosed_examples",
        ],
        "sig_integration": [
            "as_of_date", "campaign_id", "integration_score", "channel_activation",
            "active_channels", "planned_channels", "multi_channel_day_share", "tracked_share",
            "message_consistency",
        ],
        "sig_privacy": [
            "as_of_date", "campaign_id", "sends_without_consent", "sends_after_opt_out",
            "raw_personal_data_found", "privacy_violations",
        ],
    }  # fmt: skip
    for mart, columns in required.items():
        found = built_warehouse.rows(
            "select column_name, data_type from information_schema.columns "
            f"where table_schema = 'marts' and table_name = '{mart}' order by ordinal_position"
        )
        assert [name for name, _ in found[: len(columns)]] == columns, mart
        # counts arrive as BIGINT and shares as DOUBLE: pandas reads them as numbers; examples
        # are JSON arrays the alert writes in the team's language
        types = {t for _, t in found} - {"DATE", "VARCHAR"}
        assert types <= {"BIGINT", "DOUBLE", "DECIMAL(18,4)", "JSON"}, (mart, types)


def test_dim_campaigns_keeps_the_latest_plan_cleaned(built_warehouse: BuiltWarehouse) -> None:
    rows = built_warehouse.rows(
        "select campaign_id, campaign_name, owner_slack_channel, currency, planned_channels,"
        " planned_channel_count, other_planned_channels, utm_campaign"
        " from marts.dim_campaigns order by campaign_id"
    )
    assert rows == [
        ("CMP-LATER", "Summer", "#growth", "EUR", ["email", "social"], 2, [], "summer"),
        ("CMP-MICRO", "Micro push", None, "EUR", ["influencer"], 1, [], "micro_push"),
        (
            "CMP-RUN",
            "Run the City",
            "#growth-emea",
            "EUR",
            ["email", "influencer", "paid", "social"],
            4,
            [],
            "spring_run",
        ),
        ("CMP-SOLO", "Solo social", "#brand-team", "EUR", ["paid", "social"], 2, ["tv"], "solo"),
    ]


def test_channel_daily_sums_activity_up_to_the_night(built_warehouse: BuiltWarehouse) -> None:
    assert built_warehouse.row(
        "select count(*), max(activity_date), count(distinct campaign_id)"
        " from marts.fct_campaign_channel_daily"
    ) == (13, date(2024, 5, 10), 3)  # nothing after 05-10, nothing of CMP-GHOST
    assert built_warehouse.row(
        "select activities, tracked_activities, email_delivered, email_opens, clicks, conversions"
        " from marts.fct_campaign_channel_daily"
        " where campaign_id = 'CMP-RUN' and channel = 'email'"
    ) == (2, 2, 1500, 500, 90, 11.0)
    assert built_warehouse.row(
        "select activities, tracked_activities, messages, messages_with_hashtag, impressions,"
        " engagements, likes from marts.fct_campaign_channel_daily"
        " where campaign_id = 'CMP-RUN' and channel = 'social' and activity_date = '2024-05-09'"
    ) == (1, 0, 1, 0, 2000, 120, 100)
    spend, revenue = built_warehouse.row(
        "select sum(spend), sum(revenue) from marts.fct_campaign_channel_daily"
        " where campaign_id = 'CMP-RUN' and channel = 'paid'"
    )
    assert (float(spend), float(revenue)) == (300.0, 700.0)
