"""The scoring harness of the hand-written corpus: each team's real night, run once.

A team folder (``tests/corpus/<team>/``) holds a landing zone written by hand as the team's
tools export it, the team's config folder and ``team.yaml`` with the verdicts. The harness
copies the landing zone into a private data folder, points the pipeline at the team's config
(locales, vocabularies, alerting, guard overrides), runs every stage of the night in process
(real DuckDB file, dbt, Great Expectations; digests written to files, as with no Slack
connection), then reads what the guards decided. Nothing is generated and nothing is faked.

Each team runs once per session, on first use; the scorecard is printed (``pytest -s``) and
written to ``var/test-artifacts/corpus/<team>.txt``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from marketing_health.alerts.blocks import unescape
from marketing_health.alerts.delivery import channel_file_stem
from marketing_health.alerts.digest import normalise_channel
from marketing_health.alerts.policy import load_policy
from marketing_health.catalogue.model import load_catalogue
from marketing_health.night import Night, run_night
from marketing_health.settings import REPO_ROOT, Paths, fallback_channel
from marketing_health.warehouse import connect

from .corpus_team import (
    FAIL,
    NO_RESULT,
    Team,
    load_team,
    render_grid,
    render_scorecard,
    score,
    team_folders,
)

PII_KEY = "corpus-tests-key-not-a-secret"
#: Environment the night reads: the team's config folder, where present (see ``_team_env``).
CONFIG_FILES = {
    "MH_LOCALES_CONFIG": "locales.yaml",
    "MH_VOCABULARIES_DIR": "vocabularies",
    "MH_ALERTING_CONFIG": "alerting.yaml",
    "MH_GUARD_OVERRIDES": "guard_overrides.yaml",
}
#: Slack connections and settings that would send digests away instead of writing them.
UNSET = (
    "MH_SLACK_CONN_ID",
    "MH_SLACK_OPS_CONN_ID",
    "AIRFLOW_CONN_SLACK_MARKETING_HEALTH",
    "AIRFLOW_CONN_SLACK_MARKETING_HEALTH_OPS",
    "MH_WAREHOUSE_URL",
    "MH_FALLBACK_SLACK_CHANNEL",
    "MH_OPS_SLACK_CHANNEL",
)


def guard_titles() -> dict[str, str]:
    """Guarded pitfall id -> title, in catalogue order."""
    return {p.id: p.title for p in load_catalogue().guarded}


def corpus_teams() -> list[Team]:
    """Every team of the corpus, its team.yaml checked (collection fails on a broken file)."""
    ids = guard_titles().keys()
    return [load_team(folder, ids) for folder in team_folders()]


def artifacts_dir() -> Path:
    root = Path(os.getenv("MH_TEST_ARTIFACTS") or REPO_ROOT / "var" / "test-artifacts")
    target = root / "corpus"
    target.mkdir(parents=True, exist_ok=True)
    return target


@dataclass(frozen=True)
class PlannedCampaign:
    campaign_id: str
    campaign_name: str
    owner_team: str | None
    owner_slack_channel: str | None


@dataclass(frozen=True)
class CorpusNight:
    """What one team's night decided, read back from the warehouse and the digest files."""

    team: Team
    paths: Paths
    #: (guard_id, campaign_id) -> outcome; campaign "*" marks a guard that could not run.
    outcomes: dict[tuple[str, str], str]
    summaries: dict[tuple[str, str], str]
    plan: dict[str, PlannedCampaign]
    #: (file_path, status, rows_quarantined, message) per file the night loaded or refused.
    ledger: list[tuple[str, str, int, str]]
    #: (file_path, row_number, column_name, reason) per quarantined row.
    quarantine: list[tuple[str, int, str, str]]
    #: campaign id -> the channel its alerts go to.
    channels: dict[str, str]
    scorecard: str

    def outcome(self, guard_id: str, campaign_id: str) -> str:
        return self.outcomes.get((guard_id, campaign_id), NO_RESULT)

    def summary(self, guard_id: str, campaign_id: str) -> str:
        return self.summaries.get((guard_id, campaign_id)) or self.summaries.get(
            (guard_id, "*"), ""
        )

    def digest_text(self, channel: str) -> str:
        """Everything the channel's digest says: the plain text and every block's text."""
        folder = self.paths.run_dir(self.team.as_of.isoformat()) / "alerts"
        stem = channel_file_stem(channel)
        texts = []
        txt = folder / f"{stem}.txt"
        if txt.exists():
            texts.append(txt.read_text(encoding="utf-8"))
        payload = folder / f"{stem}.json"
        if payload.exists():
            texts.extend(
                unescape(t) for t in _texts(json.loads(payload.read_text(encoding="utf-8")))
            )
        return "\n".join(texts)

    def digest_files(self) -> list[str]:
        folder = self.paths.run_dir(self.team.as_of.isoformat()) / "alerts"
        return sorted(p.name for p in folder.glob("*.txt")) if folder.exists() else []


def _texts(node: Any) -> list[str]:
    """Every ``text`` string in a Block Kit payload."""
    if isinstance(node, dict):
        found = [node["text"]] if isinstance(node.get("text"), str) else []
        for value in node.values():
            found += _texts(value)
        return found
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def _team_env(team: Team, mp: pytest.MonkeyPatch, scratch: Path) -> None:
    for key in UNSET:
        mp.delenv(key, raising=False)
    mp.setenv("MH_PII_HASH_KEY", PII_KEY)
    for key, name in CONFIG_FILES.items():
        target = team.config_dir / name
        if target.exists():
            mp.setenv(key, str(target))
        else:
            mp.delenv(key, raising=False)
    if not (team.config_dir / "guard_overrides.yaml").exists():
        # the catalogue's thresholds, not whatever the repository's own file holds today
        mp.setenv("MH_GUARD_OVERRIDES", str(scratch / "no-guard-overrides.yaml"))


def _read_night(team: Team, paths: Paths) -> dict[str, Any]:
    day = team.as_of.isoformat()
    with connect(paths, read_only=True) as con:
        results = con.execute(
            "select guard_id, campaign_id, outcome, summary from guards.guard_results "
            "where run_date = ?",
            [day],
        ).fetchall()
        plan = con.execute(
            "select campaign_id, campaign_name, owner_team, owner_slack_channel "
            "from marts.dim_campaigns"
        ).fetchall()
        ledger = con.execute(
            "select file_path, status, coalesce(rows_quarantined, 0), coalesce(message, '') "
            "from ops.load_ledger order by file_path"
        ).fetchall()
        quarantine = con.execute(
            "select file_path, row_number, column_name, reason from ops.quarantine "
            "order by file_path, row_number"
        ).fetchall()
    return {"results": results, "plan": plan, "ledger": ledger, "quarantine": quarantine}


def _route(campaign: PlannedCampaign) -> str:
    """The owner channel, as the digest routes it: plan, then the team's channel, then fallback."""
    owner = normalise_channel(campaign.owner_slack_channel)
    if owner:
        return owner
    team_channel = normalise_channel(load_policy().team(campaign.owner_team).slack_channel)
    return team_channel or normalise_channel(fallback_channel()) or fallback_channel()


def quarantine_line(path: str, row: int, column: str | None, reason: str) -> str:
    """A quarantine record as people read it: its reason already names file, row and column."""
    if reason.startswith(path):
        return reason
    return f"{path}, data row {row}, column {column!r}: {reason}"


def _load_notes(team: Team, ledger: list, quarantine: list) -> list[str]:
    notes = [
        f"{path}: {status}: {message}"
        for path, status, _, message in ledger
        if status == "rejected"
    ]
    for path, row, column, reason in quarantine:
        allowed = any(a.covers(path, column) for a in team.expected_quarantine)
        notes.append(
            quarantine_line(path, row, column, reason) + (" (expected)" if allowed else "")
        )
    return notes


def mismatches(team: Team, outcomes: dict, summaries: dict, titles: dict[str, str]) -> list[str]:
    """One line per (campaign, guard) the night judged otherwise than the team's verdict."""
    lines = []
    for cid, verdict in team.campaigns.items():
        for gid in titles:
            actual = outcomes.get((gid, cid), NO_RESULT)
            if verdict.misjudged(gid, actual):
                said = summaries.get((gid, cid)) or summaries.get((gid, "*"), "")
                lines.append(f"{cid} {gid}: expected {verdict.expected(gid)} -> {actual}. {said}")
    return lines


def run_team_night(team: Team, data_dir: Path) -> CorpusNight:
    """Copy the team's landing zone, run the night under its config, read back the outcome."""
    paths = Paths.under(data_dir)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(team.landing_dir, paths.landing_dir)
    with pytest.MonkeyPatch.context() as mp:
        _team_env(team, mp, data_dir)
        run_night(paths, Night.for_date(team.as_of))
        read = _read_night(team, paths)
        plan = {
            str(cid): PlannedCampaign(str(cid), name, owner_team, channel)
            for cid, name, owner_team, channel in read["plan"]
        }
        channels = {cid: _route(c) for cid, c in plan.items()}
    outcomes = {(g, c): o for g, c, o, _ in read["results"]}
    summaries = {(g, c): s or "" for g, c, _, s in read["results"]}
    titles = guard_titles()
    notes = _load_notes(team, read["ledger"], read["quarantine"])
    scorecard = render_scorecard(
        team,
        score(team, titles, outcomes),
        mismatches(team, outcomes, summaries, titles),
        notes,
        render_grid(team, list(titles), outcomes),
    )
    print("\n" + scorecard)
    (artifacts_dir() / f"{team.name}.txt").write_text(scorecard, encoding="utf-8")
    return CorpusNight(
        team=team,
        paths=paths,
        outcomes=outcomes,
        summaries=summaries,
        plan=plan,
        ledger=[tuple(r) for r in read["ledger"]],
        quarantine=[tuple(r) for r in read["quarantine"]],
        channels=channels,
        scorecard=scorecard,
    )


class CorpusNights:
    """Runs each team's night on first use and keeps it for the session (a failure, too)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._nights: dict[str, CorpusNight | BaseException] = {}

    def __call__(self, team: Team) -> CorpusNight:
        if team.name not in self._nights:
            try:
                self._nights[team.name] = run_team_night(
                    team, self._factory.mktemp(f"corpus_{team.name}")
                )
            except Exception as exc:  # kept, so every test of the team reports the same cause
                self._nights[team.name] = exc
        night = self._nights[team.name]
        if isinstance(night, BaseException):
            raise RuntimeError(
                f"the night of corpus team {team.name} did not complete: {night!r}"
            ) from night
        return night


@pytest.fixture(scope="session")
def corpus_night(tmp_path_factory: pytest.TempPathFactory) -> CorpusNights:
    """``corpus_night(team)``: the team's judged night, run once per session."""
    return CorpusNights(tmp_path_factory)


__all__ = ["FAIL", "CorpusNight", "corpus_teams", "guard_titles"]
