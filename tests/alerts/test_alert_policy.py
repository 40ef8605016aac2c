"""The alerting file: what it sets, and how a wrong one is refused as a whole, by key."""

from __future__ import annotations

import pytest

from marketing_health.alerts import build_digests
from marketing_health.alerts.policy import AlertingConfigError, Team, load_policy
from marketing_health.settings import REPO_ROOT
from marketing_health.warehouse import connect


def test_the_shipped_file_is_valid_and_says_what_users_expect() -> None:
    policy = load_policy(REPO_ROOT / "config" / "alerting.yaml")
    assert policy.repeat_every_nights == 3 and policy.escalate_after_nights == 7
    assert policy.mention_severities == {"critical"}
    assert {"paid_ads", "social_posts", "campaigns"} <= set(policy.freshness)


def test_repeat_and_escalation_nights() -> None:
    policy = load_policy(REPO_ROOT / "config" / "alerting.yaml")
    shown = [n for n in range(1, 15) if policy.is_repeat_night(n)]
    assert shown == [1, 4, 7, 10, 13]
    assert [n for n in range(1, 15) if policy.is_escalation_night(n)] == [7, 10, 13]


def test_team_mentions_are_slack_markup_only_for_checked_ids() -> None:
    assert Team(mention="S0123ABCD").mention_markup == "<!subteam^S0123ABCD>"
    assert Team(mention="U0123ABCD").mention_markup == "<@U0123ABCD>"
    assert Team().mention_markup is None


def test_a_wrong_file_is_refused_with_every_problem_named(tmp_path) -> None:
    path = tmp_path / "alerting.yaml"
    path.write_text(
        """
digest:
  repeat_every_nights: 0
  mention_severities: [urgent]
  colour: red
teams:
  Growth EMEA: {mention: "<!channel>", email: team@example.com}
freshness:
  tiktok_ads: {max_age_days: 1}
  paid_ads: {max_age_days: -1}
routing: {}
""",
        encoding="utf-8",
    )
    with pytest.raises(AlertingConfigError) as err:
        load_policy(path)
    message = str(err.value)
    assert str(path) in message and "8 problem(s)" in message
    for expected in (
        "routing is not a section (known: channels, digest, freshness, language, ops, teams)",
        "digest.repeat_every_nights must be a whole number of nights, 1 or more (found 0)",
        "digest.mention_severities must list severities among info, warning, critical",
        "digest.colour is not a setting",
        "teams.Growth EMEA.mention must be a Slack user group ID (S...) or member ID",
        "teams.Growth EMEA.email is not a setting",
        "freshness.tiktok_ads: no such source in the landing contract",
        "freshness.paid_ads.max_age_days must be a whole number of days, 0 or more",
    ):
        assert expected in message


def test_invalid_yaml_names_the_file_and_the_setting(tmp_path) -> None:
    path = tmp_path / "alerting.yaml"
    path.write_text("digest: [unclosed\n", encoding="utf-8")
    with pytest.raises(AlertingConfigError, match="MH_ALERTING_CONFIG"):
        load_policy(path)


def test_digests_are_not_built_on_a_half_read_file(warehouse, alerting_policy) -> None:
    warehouse.campaign("C1", "Autumn Launch").result("P09", "C1", "Integration 0.2")
    alerting_policy.write_text("teams:\n  Growth EMEA: {mention: everyone}\n", encoding="utf-8")
    with (
        connect(warehouse.path, read_only=True) as con,
        pytest.raises(AlertingConfigError, match=r"teams\.Growth EMEA\.mention"),
    ):
        build_digests(con, warehouse.run_date)
