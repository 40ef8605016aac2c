"""The scenario manifest: the ground truth of a sample landing zone.

End-to-end tests read ``<landing>/scenarios.json`` to know which campaign must trip which guard
from which day, and which campaigns must stay silent. The loader ignores files at the landing
root, so the manifest travels with the files it describes without being loaded as data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

MANIFEST_NAME = "scenarios.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Scenario:
    """One campaign drifting into one guarded pitfall, next to a twin that does not.

    ``from_day`` is the first day the pitfall shows in the data; the guard passes on days before
    it. ``fails_by`` is the first day from which the guard fails on every day up to the end date:
    the same day for guards that judge a day or a short window, later for P09, whose 14-day score
    only reflects the change once its window lies after ``from_day``.
    """

    pitfall: str
    campaign_id: str
    twin_campaign_id: str
    owner_slack_channel: str | None
    from_day: date
    fails_by: date
    description: str

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["from_day"] = self.from_day.isoformat()
        out["fails_by"] = self.fails_by.isoformat()
        return out

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
        )


@dataclass(frozen=True)
class Manifest:
    """What a generated landing zone holds and which guard outcomes it must produce.

    A scenario campaign fails its own guard only; ``clean_campaigns`` (the twins and the
    baselines) pass all five guards on every day of the last 14 days.
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

    @property
    def campaign_ids(self) -> tuple[str, ...]:
        return tuple(sorted({s.campaign_id for s in self.scenarios} | set(self.clean_campaigns)))

    @property
    def channel_rows(self) -> int:
        return sum(n for source, n in self.rows.items() if source not in ("campaigns", "kpis"))

    def scenario(self, pitfall: str) -> Scenario:
        """The first scenario of ``pitfall`` (there is one per pitfall at scale 1)."""
        for s in self.scenarios:
            if s.pitfall == pitfall:
                return s
        raise KeyError(f"no scenario for {pitfall}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "seed": self.seed,
            "scale": self.scale,
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
