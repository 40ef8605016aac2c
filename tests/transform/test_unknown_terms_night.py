"""A whole night on hand-written exports: guards never decide on words no vocabulary knows.

Four campaigns (``unknown_terms_landing/``), each written the way a team's tools export them,
run through every stage in process (ingest, real dbt on a DuckDB file, Great Expectations,
reporting, alerts to files):

- C-GMV declares the KPI "GMV" with a target and a due date: GMV is revenue, an outcome.
- C-SEED declares only 种草指数 ("seeding index"), with a target and a due date: no vocabulary
  knows it, so whether the campaign has an outcome KPI cannot be told.
- C-DIAG personalises an e-mail on diagnosis_type: a health attribute (stem "diagnos").
- C-COLOUR personalises on Lieblingsfarbe, a token no vocabulary knows.

A second night teaches 种草指数 to the pipeline through the team's vocabulary folder.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marketing_health.night import Night, run_night
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

#: The hand-written exports, one folder per source and delivery day.
LANDING = Path(__file__).with_name("unknown_terms_landing")
NIGHT = "2024-05-10"
NEXT_NIGHT = "2024-05-11"


TEAM_KPI_VOCABULARY = """\
version: 1
metrics:
  seeding_index:
    class: outcome
    observed_by: engagements
    terms:
      zh-Hans: [种草指数]
"""


def write_landing(landing: Path) -> None:
    """The team's exports, delivered on the first night (folders <source>/<day>/)."""
    shutil.copytree(LANDING, landing, dirs_exist_ok=True)


UNKNOWN_TERMS_SQL = (
    "select vocabulary, term, source, column_name, file_path, row_count, campaign_ids, "
    "first_delivery_day::varchar, vocabulary_file from marts.fct_unknown_terms "
    "order by vocabulary, term"
)


class HandWrittenNight:
    def __init__(self, paths: Paths, first_unknown_terms: list[tuple]) -> None:
        self.paths = paths
        #: marts.fct_unknown_terms as the first night left it
        self.first_unknown_terms = first_unknown_terms

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        with connect(self.paths.warehouse, read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def result(self, night: str, guard_id: str, campaign_id: str) -> dict[str, Any]:
        ((outcome, evidence, summary),) = self.rows(
            "select outcome, evidence, summary from guards.guard_results "
            "where run_date = ? and guard_id = ? and campaign_id = ?",
            [night, guard_id, campaign_id],
        )
        return {"outcome": outcome, "evidence": json.loads(evidence or "null"), "summary": summary}


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HandWrittenNight]:
    root = tmp_path_factory.mktemp("unknown_terms_night")
    team_vocabularies = root / "team_vocabularies"
    team_vocabularies.mkdir()
    with pytest.MonkeyPatch.context() as env:
        for key in (
            "MH_SLACK_CONN_ID",
            "MH_SLACK_OPS_CONN_ID",
            "AIRFLOW_CONN_SLACK_MARKETING_HEALTH",
            "AIRFLOW_CONN_SLACK_MARKETING_HEALTH_OPS",
            "MH_WAREHOUSE_URL",
        ):
            env.delenv(key, raising=False)
        env.setenv("MH_PII_HASH_KEY", "unknown-terms-test-key")
        env.setenv("MH_GUARD_OVERRIDES", str(root / "no_overrides.yaml"))
        env.setenv("MH_VOCABULARIES_DIR", str(team_vocabularies))
        paths = Paths.under(root / "data")
        write_landing(paths.landing_dir)
        run_night(paths, Night.for_date(NIGHT))
        night = HandWrittenNight(paths, [])
        first_unknown_terms = night.rows(UNKNOWN_TERMS_SQL)
        # the team classifies 种草指数 in its own vocabulary folder before the next night
        (team_vocabularies / "kpi_metrics.yaml").write_text(TEAM_KPI_VOCABULARY, "utf-8")
        run_night(paths, Night.for_date(NEXT_NIGHT))
        yield HandWrittenNight(paths, first_unknown_terms)


def test_gmv_with_target_and_date_is_an_outcome_kpi(nights: HandWrittenNight) -> None:
    assert nights.result(NIGHT, "P02", "C-GMV")["outcome"] == "pass"


def test_only_an_unknown_kpi_name_means_the_goal_guard_cannot_tell(
    nights: HandWrittenNight,
) -> None:
    result = nights.result(NIGHT, "P02", "C-SEED")
    assert result["outcome"] == "cannot_tell"
    assert result["evidence"]["unknown_terms"] == "unknown KPI names: 种草指数"
    assert result["evidence"]["unknown_kpis_with_target"] == 1
    assert "Cannot tell" in result["summary"] and "种草指数" in result["summary"]
    # not judged tonight: no failure, no alert-worthy state, left out of the health score
    ((state,),) = nights.rows(
        "select state from marts.fct_guard_states "
        "where run_date = ? and guard_id = 'P02' and campaign_id = 'C-SEED'",
        [NIGHT],
    )
    assert state == "cannot_tell"
    ((failed, cannot_tell),) = nights.rows(
        "select list_contains(failed_guards, 'P02'), guards_cannot_tell "
        "from marts.fct_campaign_health_daily where run_date = ? and campaign_id = 'C-SEED'",
        [NIGHT],
    )
    assert failed is False and cannot_tell >= 1


def test_the_unknown_names_are_listed_with_the_file_they_came_from(
    nights: HandWrittenNight,
) -> None:
    lieblingsfarbe = (
        "sensitive_attributes", "Lieblingsfarbe", "email_sends", "personalisation_tokens",
        f"email_sends/{NIGHT}/sends.csv", 1, "C-COLOUR", NIGHT,
        "config/vocabularies/sensitive_attributes.yaml",
    )  # fmt: skip
    # GMV and diagnosis_type are known; the KPI name and the token are not, each with its file
    assert nights.first_unknown_terms == [
        (
            "kpi_metrics", "种草指数", "kpis", "metric", f"kpis/{NIGHT}/kpis.csv", 1, "C-SEED",
            NIGHT, "config/vocabularies/kpi_metrics.yaml",
        ),
        lieblingsfarbe,
    ]  # fmt: skip
    # the mart is the current state: once the team knows 种草指数 it is no longer listed
    assert nights.rows(UNKNOWN_TERMS_SQL) == [lieblingsfarbe]


def test_a_sensitive_token_in_a_compound_name_fails_the_personalisation_guard(
    nights: HandWrittenNight,
) -> None:
    result = nights.result(NIGHT, "P12", "C-DIAG")
    assert result["outcome"] == "fail"
    assert result["evidence"]["sensitive_token_sends"] == 1
    (send,) = result["evidence"]["sensitive_examples"]
    assert send["kind"] == "sensitive_send" and "diagnosis_type" in send["tokens"], send


def test_an_unknown_token_alone_means_the_personalisation_guard_cannot_tell(
    nights: HandWrittenNight,
) -> None:
    result = nights.result(NIGHT, "P12", "C-COLOUR")
    assert result["outcome"] == "cannot_tell"
    assert result["evidence"]["unknown_terms"] == "unknown personalisation tokens: lieblingsfarbe"
    checks = {c["column"]: c["outcome"] for c in result["evidence"]["checks"]}
    assert checks["sensitive_token_sends"] == "cannot_tell"
    # campaigns without personalised sends have nothing to judge
    assert nights.result(NIGHT, "P12", "C-GMV")["outcome"] == "not_applicable"


def test_a_name_the_team_adds_to_its_vocabulary_is_judged_the_next_night(
    nights: HandWrittenNight,
) -> None:
    assert nights.result(NEXT_NIGHT, "P02", "C-SEED")["outcome"] == "pass"
    ((state, previous),) = nights.rows(
        "select state, previous_outcome from marts.fct_guard_states "
        "where run_date = ? and guard_id = 'P02' and campaign_id = 'C-SEED'",
        [NEXT_NIGHT],
    )
    assert (state, previous) == ("ok", None)  # the cannot-tell night judged nothing
    assert nights.result(NEXT_NIGHT, "P12", "C-COLOUR")["outcome"] == "cannot_tell"
