"""A hand-written corpus team: its ``team.yaml`` (verdicts decided by marketing judgement) and
how a night's guard outcomes are scored against it.

The verdicts are the ground truth, written before the pipeline ran. A mistake in the file (an
unknown pitfall id, a misspelt key, a failing campaign with nothing expected to fail) stops the
corpus with an error naming the file and the key: a typo must never turn into a silently
weaker expectation.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

CORPUS_DIR = Path(__file__).resolve().parent
TEAM_FILE = "team.yaml"

#: Keys of team.yaml; the free-text ones describe the team for people reading the corpus.
TEAM_KEYS = frozenset(
    {
        "description",
        "as_of",
        "language",
        "locale_notes",
        "notes",
        "campaigns",
        "expected_quarantine",
    }
)
CAMPAIGN_KEYS = frozenset({"verdict", "expect_fail", "expect_cannot_tell", "why"})
VERDICTS = ("healthy", "failing")

FAIL = "fail"
CANNOT_TELL = "cannot_tell"
#: A guard that wrote no row for the campaign (not live, or the guard did not run at all).
NO_RESULT = "no result"


class TeamFileError(ValueError):
    """team.yaml is not a valid corpus team; the message names the file and the key."""


@dataclass(frozen=True)
class CampaignVerdict:
    """What a marketer says about one campaign on the night judged, and why."""

    campaign_id: str
    verdict: str
    expect_fail: frozenset[str]
    expect_cannot_tell: frozenset[str]
    why: str

    def expected(self, guard_id: str) -> str:
        """``fail``, ``cannot_tell``, or ``not fail`` (pass, not applicable or cannot tell)."""
        if guard_id in self.expect_fail:
            return FAIL
        if guard_id in self.expect_cannot_tell:
            return CANNOT_TELL
        return "not fail"

    def misjudged(self, guard_id: str, actual: str) -> bool:
        expected = self.expected(guard_id)
        if expected in (FAIL, CANNOT_TELL):
            return actual != expected
        return actual == FAIL


@dataclass(frozen=True)
class QuarantineAllowance:
    """Rows a team knowingly delivers that the contract must set aside (e.g. an ambiguous date)."""

    file: str
    column: str | None
    why: str

    def covers(self, file_path: str, column: str | None) -> bool:
        if not fnmatch.fnmatch(file_path, self.file):
            return False
        return self.column is None or (column or "").lower() == self.column.lower()


@dataclass(frozen=True)
class Team:
    """One corpus team folder: landing zone, config folder and verdicts."""

    name: str
    folder: Path
    description: str
    as_of: date
    campaigns: dict[str, CampaignVerdict]
    expected_quarantine: tuple[QuarantineAllowance, ...] = ()

    @property
    def landing_dir(self) -> Path:
        return self.folder / "landing"

    @property
    def config_dir(self) -> Path:
        return self.folder / "config"

    @property
    def failing(self) -> list[CampaignVerdict]:
        return [c for c in self.campaigns.values() if c.verdict == "failing"]


def _strings(where: str, value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TeamFileError(f"{where} must be a list of pitfall ids like [P05], got {value!r}")
    return frozenset(v.strip().upper() for v in value)


def _campaign(
    where: str, campaign_id: str, spec: Any, guard_ids: frozenset[str]
) -> CampaignVerdict:
    if not isinstance(spec, dict):
        raise TeamFileError(f"{where} must be a mapping with verdict, expect_fail and why")
    unknown = sorted(set(spec) - CAMPAIGN_KEYS)
    if unknown:
        raise TeamFileError(
            f"{where}: unknown key(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(CAMPAIGN_KEYS))})"
        )
    verdict = spec.get("verdict")
    if verdict not in VERDICTS:
        raise TeamFileError(
            f"{where}.verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}"
        )
    fails = _strings(f"{where}.expect_fail", spec.get("expect_fail"))
    cannot = _strings(f"{where}.expect_cannot_tell", spec.get("expect_cannot_tell"))
    for key, ids in (("expect_fail", fails), ("expect_cannot_tell", cannot)):
        unknown_ids = sorted(ids - guard_ids)
        if unknown_ids:
            raise TeamFileError(
                f"{where}.{key}: {', '.join(unknown_ids)} is not a guarded pitfall "
                f"(guarded: {', '.join(sorted(guard_ids))})"
            )
    both = sorted(fails & cannot)
    if both:
        raise TeamFileError(
            f"{where}: {', '.join(both)} cannot be expected to fail and to be cannot_tell"
        )
    if verdict == "failing" and not fails:
        raise TeamFileError(
            f"{where}: a failing campaign names the guard(s) it fails in expect_fail"
        )
    if verdict == "healthy" and fails:
        raise TeamFileError(
            f"{where}: a healthy campaign expects no failure, "
            f"but expect_fail lists {', '.join(sorted(fails))}"
        )
    why = spec.get("why")
    if not isinstance(why, str) or not why.strip():
        raise TeamFileError(f"{where}.why: write down the marketing judgement behind the verdict")
    return CampaignVerdict(campaign_id, verdict, fails, cannot, why.strip())


def _allowances(where: str, value: Any) -> tuple[QuarantineAllowance, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TeamFileError(f"{where} must be a list of {{file, column, why}}")
    allowances = []
    for i, item in enumerate(value):
        here = f"{where}[{i}]"
        if not isinstance(item, dict) or not item.get("file") or not item.get("why"):
            raise TeamFileError(f"{here} needs file (a glob under landing/) and why")
        unknown = sorted(set(item) - {"file", "column", "why"})
        if unknown:
            raise TeamFileError(
                f"{here}: unknown key(s) {', '.join(unknown)} (known: column, file, why)"
            )
        allowances.append(
            QuarantineAllowance(str(item["file"]), item.get("column"), str(item["why"]))
        )
    return tuple(allowances)


def load_team(folder: Path, guard_ids: Iterable[str]) -> Team:
    """Read and check ``<folder>/team.yaml`` against the guarded pitfalls of the catalogue."""
    path = folder / TEAM_FILE
    where = (
        str(path.relative_to(CORPUS_DIR.parent.parent))
        if path.is_relative_to(CORPUS_DIR.parent.parent)
        else str(path)
    )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TeamFileError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise TeamFileError(f"{where}: must be a mapping with description, as_of and campaigns")
    unknown = sorted(set(data) - TEAM_KEYS)
    if unknown:
        raise TeamFileError(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(TEAM_KEYS))})"
        )
    as_of = data.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError as exc:
            raise TeamFileError(f"{where}: as_of must be a date YYYY-MM-DD, got {as_of!r}") from exc
    if not isinstance(as_of, date):
        raise TeamFileError(f"{where}: as_of must be the night judged, YYYY-MM-DD")
    campaigns = data.get("campaigns")
    if not isinstance(campaigns, dict) or not campaigns:
        raise TeamFileError(f"{where}: campaigns must map each campaign id to its verdict")
    ids = frozenset(guard_ids)
    verdicts = {
        str(cid): _campaign(f"{where}: campaigns.{cid}", str(cid), spec, ids)
        for cid, spec in campaigns.items()
    }
    return Team(
        name=folder.name,
        folder=folder,
        description=str(data.get("description") or "").strip(),
        as_of=as_of,
        campaigns=verdicts,
        expected_quarantine=_allowances(
            f"{where}: expected_quarantine", data.get("expected_quarantine")
        ),
    )


def team_folders(root: Path = CORPUS_DIR) -> list[Path]:
    """Every folder under tests/corpus holding a team.yaml, in name order."""
    return sorted(p.parent for p in root.glob(f"*/{TEAM_FILE}"))


@dataclass(frozen=True)
class GuardScore:
    """One row of the scorecard: how one guard judged the team's campaigns."""

    guard_id: str
    title: str
    expected_fails: int
    found: int
    false_alerts: int
    false_alerts_on_healthy: int
    cannot_tell_expected: int
    cannot_tell_seen: int
    cannot_tell_matched: int
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def recall(self) -> float | None:
        return self.found / self.expected_fails if self.expected_fails else None


def score(
    team: Team,
    titles: Mapping[str, str],
    outcomes: Mapping[tuple[str, str], str],
) -> list[GuardScore]:
    """Score each guard: ``outcomes`` is (guard_id, campaign_id) -> outcome of the night."""
    rows = []
    for gid, title in titles.items():
        counts: dict[str, int] = {}
        expected = found = false_alerts = on_healthy = ct_expected = ct_seen = ct_matched = 0
        for cid, verdict in team.campaigns.items():
            actual = outcomes.get((gid, cid), NO_RESULT)
            counts[actual] = counts.get(actual, 0) + 1
            wanted = verdict.expected(gid)
            if wanted == FAIL:
                expected += 1
                found += actual == FAIL
            elif actual == FAIL:
                false_alerts += 1
                on_healthy += verdict.verdict == "healthy"
            ct_expected += wanted == CANNOT_TELL
            ct_seen += actual == CANNOT_TELL
            ct_matched += wanted == CANNOT_TELL and actual == CANNOT_TELL
        rows.append(
            GuardScore(
                gid,
                title,
                expected,
                found,
                false_alerts,
                on_healthy,
                ct_expected,
                ct_seen,
                ct_matched,
                counts,
            )
        )
    return rows


#: One character per outcome in the campaign x guard grid.
GRID_MARKS = {FAIL: "F", "pass": ".", "not_applicable": "-", CANNOT_TELL: "?", "error": "E"}


def render_grid(
    team: Team, guard_ids: Sequence[str], outcomes: Mapping[tuple[str, str], str]
) -> list[str]:
    """Campaign x guard: F fail, . pass, - not applicable, ? cannot tell, blank no result; a
    ``*`` after the mark where the outcome is not the verdict's."""
    lines = ["", "Campaign x guard (F fail, . pass, - n/a, ? cannot tell; * = not the verdict):"]
    lines.append(f"{'':<14} " + " ".join(f"{g[1:]:>3}" for g in guard_ids))
    for cid, verdict in team.campaigns.items():
        cells = []
        for gid in guard_ids:
            actual = outcomes.get((gid, cid), NO_RESULT)
            mark = GRID_MARKS.get(actual, " ")
            cells.append(f"{mark + ('*' if verdict.misjudged(gid, actual) else ''):>3}")
        lines.append(f"{cid[:14]:<14} " + " ".join(cells) + f"   {verdict.verdict}")
    return lines


def render_scorecard(
    team: Team,
    scores: Sequence[GuardScore],
    mismatches: Sequence[str],
    load_notes: Sequence[str],
    grid: Sequence[str] = (),
) -> str:
    """The per-guard table people read after a corpus run (pytest -s and the artifact file)."""
    healthy = sum(c.verdict == "healthy" for c in team.campaigns.values())
    lines = [
        f"Corpus team {team.name}, night {team.as_of.isoformat()}: "
        f"{len(team.campaigns)} campaign(s), "
        f"{healthy} healthy, {len(team.campaigns) - healthy} failing",
        "",
        f"{'guard':<5} {'title':<42} {'expected':>8} {'found':>5} {'recall':>6} "
        f"{'false alerts':>12} {'on healthy':>10} {'cannot tell exp/seen':>20}  outcomes",
    ]
    total_expected = total_found = total_false = total_false_healthy = 0
    for s in scores:
        recall = "-" if s.recall is None else f"{s.recall:.0%}"
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(s.outcomes.items()))
        lines.append(
            f"{s.guard_id:<5} {s.title[:42]:<42} {s.expected_fails:>8} {s.found:>5} {recall:>6} "
            f"{s.false_alerts:>12} {s.false_alerts_on_healthy:>10} "
            f"{f'{s.cannot_tell_expected}/{s.cannot_tell_seen}':>20}  {outcomes}"
        )
        total_expected += s.expected_fails
        total_found += s.found
        total_false += s.false_alerts
        total_false_healthy += s.false_alerts_on_healthy
    recall = f"{total_found / total_expected:.0%}" if total_expected else "-"
    lines.append(
        f"{'all':<5} {'':<42} {total_expected:>8} {total_found:>5} {recall:>6} "
        f"{total_false:>12} {total_false_healthy:>10}"
    )
    lines += list(grid)
    lines += ["", "Misjudged (campaign, guard: expected -> actual):"]
    lines += [f"  {m}" for m in mismatches] or ["  none"]
    lines += ["", "Landing zone:"]
    lines += [f"  {n}" for n in load_notes] or ["  every file loaded whole"]
    return "\n".join(lines) + "\n"
