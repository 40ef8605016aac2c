"""The scenario manifest: the ground truth of a sample landing zone.

End-to-end tests read ``<landing>/scenarios.json`` to know which campaign must trip which guard
from which day, and which campaigns must stay silent. The loader ignores files at the landing
root, so the manifest travels with the files it describes without being loaded as data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from marketing_health.generate.volumes import CHANNEL_SOURCES

MANIFEST_NAME = "scenarios.json"
FORMAT_VERSION = 2


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


@dataclass(frozen=True)
class Episode:
    """Days the pitfall shows in the data; ``to_day`` None: it lasts to the end date."""

    from_day: date
    to_day: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"from_day": _day(self.from_day), "to_day": _day(self.to_day)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Episode:
        return cls(date.fromisoformat(data["from_day"]), _parse(data.get("to_day")))


@dataclass(frozen=True)
class DayRange:
    """Nights ``start`` to ``to``, both included (``from`` / ``to`` in the file)."""

    start: date
    to: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.to

    def to_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.to.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DayRange:
        return cls(date.fromisoformat(data["from"]), date.fromisoformat(data["to"]))


@dataclass(frozen=True)
class SampleTeam:
    """A sample team that works in its own language (``team_style`` other than ``none``).

    ``campaign_ids`` are its campaigns (scenario pairs, so each still has its twin).
    ``locale`` is how its files write numbers and dates, ``files`` are globs (relative to the
    landing zone) that find the files it delivers itself: empty when its rows are written in
    the contract's files like everyone else's. A locales declaration (``config/locales.yaml``
    ``files:``) maps these globs to the locale.
    """

    key: str
    owner_team: str
    owner_slack_channel: str
    locale: str
    campaign_ids: tuple[str, ...]
    files: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "owner_team": self.owner_team,
            "owner_slack_channel": self.owner_slack_channel,
            "locale": self.locale,
            "campaign_ids": list(self.campaign_ids),
            "files": list(self.files),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SampleTeam:
        return cls(
            key=data["key"],
            owner_team=data["owner_team"],
            owner_slack_channel=data["owner_slack_channel"],
            locale=data["locale"],
            campaign_ids=tuple(data["campaign_ids"]),
            files=tuple(data.get("files", [])),
        )


@dataclass(frozen=True)
class Scenario:
    """One campaign drifting into one pitfall, next to a twin that does not.

    ``from_day`` is the first day the pitfall shows in the data; the guard passes on days before
    it. ``fails_by`` is the first night the guard must fail, its window taken into account: the
    same day for guards whose window shows the first affected row, later for windows that need
    to fill (P09's 14 days, P10's 7) or signals that only apply after weeks of activity.
    ``episodes`` are the spans the pitfall is in the data (one open span for a lasting pitfall,
    several for one that comes and goes). ``expected_fail_ranges`` are the nights the guard must
    fail, ``expected_pass_ranges`` the nights it must not (pass or not applicable); nights in
    neither are transitional while a window fills. ``check`` is the signal column the scenario
    drives past its threshold.
    """

    pitfall: str
    campaign_id: str
    twin_campaign_id: str
    owner_slack_channel: str | None
    from_day: date
    fails_by: date
    description: str
    check: str = ""
    episodes: tuple[Episode, ...] = ()
    expected_fail_ranges: tuple[DayRange, ...] = ()
    expected_pass_ranges: tuple[DayRange, ...] = ()

    def must_fail(self, day: date) -> bool:
        return any(day in r for r in self.expected_fail_ranges)

    def must_pass(self, day: date) -> bool:
        return any(day in r for r in self.expected_pass_ranges)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pitfall": self.pitfall,
            "campaign_id": self.campaign_id,
            "twin_campaign_id": self.twin_campaign_id,
            "owner_slack_channel": self.owner_slack_channel,
            "from_day": self.from_day.isoformat(),
            "fails_by": self.fails_by.isoformat(),
            "check": self.check,
            "episodes": [e.to_dict() for e in self.episodes],
            "expected_fail_ranges": [r.to_dict() for r in self.expected_fail_ranges],
            "expected_pass_ranges": [r.to_dict() for r in self.expected_pass_ranges],
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        return cls(
            pitfall=data["pitfall"],
            campaign_id=data["campaign_id"],
            twin_campaign_id=data["twin_campaign_id"],
            owner_slack_channel=data.get("owner_slack_channel"),
            from_day=date.fromisoformat(data["from_day"]),
            fails_by=date.fromisoformat(data["fails_by"]),
            description=data["description"],
            check=data.get("check", ""),
            episodes=tuple(Episode.from_dict(e) for e in data.get("episodes", [])),
            expected_fail_ranges=tuple(
                DayRange.from_dict(r) for r in data.get("expected_fail_ranges", [])
            ),
            expected_pass_ranges=tuple(
                DayRange.from_dict(r) for r in data.get("expected_pass_ranges", [])
            ),
        )


@dataclass(frozen=True)
class Manifest:
    """What a generated landing zone holds and which guard outcomes it must produce.

    A scenario campaign fails its own guard only; ``clean_campaigns`` (the twins and the
    baselines) pass every guard on every day of the last 14 days. ``random_scenarios`` is
    the number of scenarios drawn at random (with ``scenario_seed``), None when the scenarios
    go through the catalogue one pitfall after the other.
    """

    seed: int
    scale: float
    days: int
    first_day: date
    end_date: date
    scenarios: tuple[Scenario, ...]
    clean_campaigns: tuple[str, ...]
    baseline_campaigns: tuple[str, ...]
    unicode_campaign_id: str
    unowned_campaign_id: str
    rows: dict[str, int] = field(default_factory=dict)
    random_scenarios: int | None = None
    scenario_seed: int = 0
    teams: tuple[SampleTeam, ...] = ()

    @property
    def campaign_ids(self) -> tuple[str, ...]:
        return tuple(sorted({s.campaign_id for s in self.scenarios} | set(self.clean_campaigns)))

    @property
    def pitfalls(self) -> tuple[str, ...]:
        """Pitfall of every scenario, in manifest order (repeats in random mode)."""
        return tuple(s.pitfall for s in self.scenarios)

    @property
    def channel_rows(self) -> int:
        return sum(n for source, n in self.rows.items() if source in CHANNEL_SOURCES)

    def scenario(self, pitfall: str) -> Scenario:
        """The first scenario of ``pitfall`` (there is one per pitfall at scale 1)."""
        for s in self.scenarios:
            if s.pitfall == pitfall:
                return s
        raise KeyError(f"no scenario for {pitfall}")

    def team(self, key: str) -> SampleTeam:
        """The sample team ``key`` (``shanghai``, ``berlin``)."""
        for t in self.teams:
            if t.key == key:
                return t
        raise KeyError(f"no sample team {key!r} (generated with team_style 'none'?)")

    def to_dict(self) -> dict[str, Any]:
        data = {
            "format_version": FORMAT_VERSION,
            "seed": self.seed,
            "scale": self.scale,
            "random_scenarios": self.random_scenarios,
            "scenario_seed": self.scenario_seed,
            "days": self.days,
            "first_day": self.first_day.isoformat(),
            "end_date": self.end_date.isoformat(),
            "campaigns": len(self.campaign_ids),
            "rows": dict(self.rows),
            "channel_rows": self.channel_rows,
            "scenarios": [s.to_dict() for s in self.scenarios],
            "clean_campaigns": list(self.clean_campaigns),
            "baseline_campaigns": list(self.baseline_campaigns),
            "unicode_campaign_id": self.unicode_campaign_id,
            "unowned_campaign_id": self.unowned_campaign_id,
        }
        if self.teams:  # absent from landing zones without sample teams, as before
            data["teams"] = [t.to_dict() for t in self.teams]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            seed=int(data["seed"]),
            scale=float(data["scale"]),
            days=int(data["days"]),
            first_day=date.fromisoformat(data["first_day"]),
            end_date=date.fromisoformat(data["end_date"]),
            scenarios=tuple(Scenario.from_dict(s) for s in data["scenarios"]),
            clean_campaigns=tuple(data["clean_campaigns"]),
            baseline_campaigns=tuple(data["baseline_campaigns"]),
            unicode_campaign_id=data["unicode_campaign_id"],
            unowned_campaign_id=data["unowned_campaign_id"],
            rows={k: int(v) for k, v in data.get("rows", {}).items()},
            random_scenarios=data.get("random_scenarios"),
            scenario_seed=int(data.get("scenario_seed", 0)),
            teams=tuple(SampleTeam.from_dict(t) for t in data.get("teams", [])),
        )

    def write(self, landing_dir: Path) -> Path:
        path = Path(landing_dir) / MANIFEST_NAME
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        return path


def load_manifest(landing_dir: Path) -> Manifest:
    """Read the manifest a generated landing zone carries at its root."""
    path = Path(landing_dir) / MANIFEST_NAME
    with open(path, encoding="utf-8") as fh:
        return Manifest.from_dict(json.load(fh))
