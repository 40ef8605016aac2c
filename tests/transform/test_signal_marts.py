"""Signal marts and the two measures against values computed by hand from conftest's rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketing_health.guards.examples import parse_examples, render_examples
from marketing_health.i18n import translator

from .warehouse_case import AS_OF_DATE, BuiltWarehouse

W_ACTIVATION, W_MULTI, W_TRACKED, W_MESSAGE = 0.35, 0.25, 0.25, 0.15


def _signal(built: BuiltWarehouse, mart: str, columns: str, campaign: str, day: str = AS_OF_DATE):
    """One signal row; a column of examples (a JSON array of objects) as the English alert
    shows it."""
    row = built.row(
        f"select {columns} from marts.{mart}"
        f" where campaign_id = '{campaign}' and as_of_date = '{day}'"
    )
    return tuple(_as_shown(value) for value in row)


def _as_shown(value: object) -> object:
    examples = parse_examples(value)
    return value if examples is None else render_examples(examples, translator(None))


def test_campaign_goals_counts_kpis_by_class(built_warehouse: BuiltWarehouse) -> None:
    cols = (
        "declared_kpis, vanity_kpis, outcome_kpis, outcome_kpis_with_target, unknown_kpis,"
        " unknown_kpis_with_target, unknown_kpi_names"
    )
    # conversions and revenue have target and due date; "Site Visits" has no target; nps is a
    # name the KPI vocabulary does not know, with a target and a due date
    assert _signal(built_warehouse, "sig_campaign_goals", cols, "CMP-RUN") == (
        5, 1, 3, 2, 1, 1, "nps"
    )  # fmt: skip
    # only vanity KPIs in the latest KPI delivery (the older one's conversions KPI is gone)
    assert _signal(built_warehouse, "sig_campaign_goals", cols, "CMP-SOLO") == (
        2, 2, 0, 0, 0, 0, ""
    )  # fmt: skip
    assert _signal(built_warehouse, "sig_campaign_goals", cols, "CMP-MICRO") == (
        0, 0, 0, 0, 0, 0, ""
    )  # fmt: skip


def test_unknown_terms_lists_the_kpi_name_no_vocabulary_knows(
    built_warehouse: BuiltWarehouse,
) -> None:
    rows = built_warehouse.rows(
        "select vocabulary, term, source, column_name, file_path, row_count, campaign_ids,"
        " vocabulary_file from marts.fct_unknown_terms"
    )
    # every other word of the hand-made exports is known: Revenue, "Site Visits", first_name,
    # city, instagram, tiktok, meta, google, image, video, short_video
    assert rows == [
        (
            "kpi_metrics", "nps", "kpis", "metric", "kpis/2024-05-06/export.csv", 1, "CMP-RUN",
            "config/vocabularies/kpi_metrics.yaml",
        )
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        ("CMP-RUN", "2024-05-03", (Decimal(0), None, 0, 0)),  # no creator yet
        ("CMP-RUN", "2024-05-08", (Decimal(300), 1.0, 1, 0)),  # the micro creator only
        ("CMP-RUN", AS_OF_DATE, (Decimal(1000), 0.3, 2, 1)),  # a macro creator joined
        ("CMP-MICRO", AS_OF_DATE, (Decimal(500), 1.0, 2, 0)),  # nano + micro only
        ("CMP-SOLO", AS_OF_DATE, (Decimal(0), None, 0, 0)),
    ],
)
def test_influencer_mix_to_date(
    built_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = "influencer_spend, nano_micro_spend_share, creators, mid_plus_creators"
    assert _signal(built_warehouse, "sig_influencer_mix", cols, campaign, day) == expected


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # the brand's post S2 got its label on 05-10; the creator post I2 never did
        ("CMP-RUN", AS_OF_DATE, (3, 1, "TikTok post I2 by @bigsam")),
        (
            "CMP-RUN",
            "2024-05-09",
            (3, 2, "Instagram post S2 on the brand account and TikTok post I2 by @bigsam"),
        ),
        ("CMP-RUN", "2024-05-03", (0, 0, "")),
        ("CMP-SOLO", AS_OF_DATE, (1, 1, "TikTok post T2 on the brand account")),
        ("CMP-MICRO", AS_OF_DATE, (2, 0, "")),  # M3 is not sponsored
    ],
)
def test_sponsored_disclosure_last_seven_days(
    built_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = "sponsored_posts, undisclosed_sponsored_posts, undisclosed_examples"
    assert _signal(built_warehouse, "sig_sponsored_disclosure", cols, campaign, day) == expected


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # unknown, opted in without time, consent after the send; opted out before the send,
        # opted out without time; one finding in the window (reported twice, counted once).
        # h5 opted out after the send and h8 consented that morning: not violations.
        ("CMP-RUN", AS_OF_DATE, (3, 2, 1, 6)),
        ("CMP-RUN", "2024-05-04", (0, 0, 1, 1)),  # the 05-01 finding, before the send
        ("CMP-SOLO", AS_OF_DATE, (0, 0, 0, 0)),
    ],
)
def test_privacy_last_seven_days(
    built_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = "sends_without_consent, sends_after_opt_out, raw_personal_data_found, privacy_violations"
    assert _signal(built_warehouse, "sig_privacy", cols, campaign, day) == expected


def test_integration_of_an_integrated_campaign(built_warehouse: BuiltWarehouse) -> None:
    row = _signal(
        built_warehouse,
        "sig_integration",
        "active_channels, planned_channels, channel_activation, multi_channel_day_share,"
        " tracked_share, message_consistency, integration_score",
        "CMP-RUN",
    )
    # window 05-01..05-10: all 4 planned channels active; 05-09 and 05-10 have 2+ channels
    # live; 5 of 9 activities tracked; 2 of 5 texts carry #RunTheCity
    expected_score = W_ACTIVATION * 1 + W_MULTI * 0.2 + W_TRACKED * 5 / 9 + W_MESSAGE * 0.4
    assert row[:2] == (4, 4)
    assert row[2:] == pytest.approx((1.0, 0.2, 5 / 9, 0.4, expected_score))


def test_integration_of_a_single_channel_campaign(built_warehouse: BuiltWarehouse) -> None:
    row = _signal(
        built_warehouse,
        "sig_integration",
        "active_channels, planned_channels, channel_activation, multi_channel_day_share,"
        " tracked_share, message_consistency, integration_score",
        "CMP-SOLO",
    )
    # social only of social|paid (tv is not followed); no hashtag -> consistency 0
    assert row[:2] == (1, 2)
    assert row[2:] == pytest.approx((0.5, 0.0, 0.5, 0.0, 0.3))


def test_integration_without_text_reweights(built_warehouse: BuiltWarehouse) -> None:
    row = _signal(
        built_warehouse,
        "sig_integration",
        "channel_activation, multi_channel_day_share, tracked_share, message_consistency,"
        " integration_score",
        "CMP-MICRO",
    )
    expected_score = (W_ACTIVATION * 1 + W_TRACKED * 2 / 3) / (W_ACTIVATION + W_MULTI + W_TRACKED)
    assert row[3] is None
    assert row[:3] == pytest.approx((1.0, 0.0, 2 / 3))
    assert row[4] == pytest.approx(expected_score)


def test_integration_mart_and_signal_agree(built_warehouse: BuiltWarehouse) -> None:
    assert built_warehouse.row(
        "select count(*) from marts.sig_integration s"
        " join marts.fct_campaign_integration_daily f using (campaign_id, as_of_date)"
        " where s.integration_score is distinct from f.integration_score"
    ) == (0,)


def test_kpi_coverage(built_warehouse: BuiltWarehouse) -> None:
    cols = "declared_share, outcome_share, observed_share, channel_feed_share, pacing, kpi_coverage"
    # CMP-RUN on day 10 of 31: 25 conversions of 100 and 700 revenue of 1000 to date
    elapsed = 10 / 31
    pacing = (min(1, 25 / (100 * elapsed)) + min(1, 700 / (1000 * elapsed))) / 2
    run = (0.6, 0.6, 0.8, 1.0, pacing)
    run_coverage = 0.25 * 0.6 + 0.25 * 0.6 + 0.20 * 0.8 + 0.15 * 1.0 + 0.15 * pacing
    got = _signal(built_warehouse, "fct_campaign_kpi_coverage_daily", cols, "CMP-RUN")
    assert got == pytest.approx((*run, run_coverage))
    # vanity KPIs only, both with target and due date and both moving on social
    got = _signal(built_warehouse, "fct_campaign_kpi_coverage_daily", cols, "CMP-SOLO")
    assert got == pytest.approx((1.0, 0.0, 1.0, 1.0, 0.0, 0.6))
    got = _signal(built_warehouse, "fct_campaign_kpi_coverage_daily", cols, "CMP-MICRO")
    assert got == pytest.approx((0.0, 0.0, 0.0, 0.0, 0.0, 0.0))
