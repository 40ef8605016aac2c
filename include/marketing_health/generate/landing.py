"""Writes a whole sample landing zone and its scenario manifest."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from marketing_health.contract import Contract, load_contract
from marketing_health.generate import (
    commerce,
    creators,
    emails,
    exports,
    influencer,
    paid,
    partners,
    planning,
    social,
    team_files,
    teams,
    vocab,
    volumes,
)
from marketing_health.generate.injections import INJECTIONS
from marketing_health.generate.manifest import MANIFEST_NAME, Manifest
from marketing_health.generate.plan import Plan, build_plan
from marketing_health.generate.writer import Stage

#: Campaigns generated together. Fixed, because the random streams are drawn per chunk: a
#: different chunk size would give different (equally valid) data for the same seed.
CHUNK_CAMPAIGNS = 256
#: Scratch folder inside the landing zone while it is written (same disk, so files move cheaply).
WORK_DIR_NAME = ".generating"

#: Random stream per purpose, so adding a column to one source does not reshuffle the others.
_STREAMS = {
    "plan": 0,
    "creators": 1,
    "paid_ads": 2,
    "social_posts": 3,
    "email": 4,
    "influencer": 5,
    "inventory": 6,
    "attribution": 7,
    "planning": 8,
    "scenarios": 9,
}

_CAMPAIGN_JOIN = "JOIN plan_campaigns AS c ON c.ci = f.ci"
_POOL_JOIN = " JOIN creator_pool AS p ON p.pool = f.creator"


class LandingZoneExists(FileExistsError):
    """The target folder already holds landing files."""


def _check_arguments(days: int, scale: float, random_scenarios: int | None) -> None:
    if days < volumes.MIN_DAYS:
        raise ValueError(
            f"days must be at least {volumes.MIN_DAYS}: shorter windows cannot show every "
            "scenario entering its pitfall after clean days"
        )
    if not scale >= 1:
        raise ValueError(
            "scale must be at least 1: scale 1 is the smallest landing zone that still holds "
            "every scenario and its twin"
        )
    if random_scenarios is not None and random_scenarios < 0:
        raise ValueError("random_scenarios must be at least 0 (or None for one per pitfall)")


def _clear(landing_dir: Path, contract: Contract, overwrite: bool) -> None:
    existing = [landing_dir / s.name for s in contract if (landing_dir / s.name).exists()]
    manifest = landing_dir / MANIFEST_NAME
    if manifest.exists():
        existing.append(manifest)
    if existing and not overwrite:
        names = ", ".join(p.name for p in existing)
        raise LandingZoneExists(
            f"{landing_dir} already holds landing files ({names}); choose an empty folder or "
            "pass overwrite=True (--overwrite) to replace them"
        )
    for path in existing:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _campaign_lookup(plan: Plan) -> pd.DataFrame:
    frame = plan.campaigns[["campaign_id", "utm_campaign", "hashtag", "currency"]].copy()
    frame.insert(0, "ci", np.arange(plan.size, dtype=np.int32))
    frame["brand_handle"] = np.array([b.handle for b in vocab.BRANDS])[plan.brand]
    frame["sku_prefix"] = np.array(vocab.SKU_PREFIXES)[plan.brand]
    frame["locale"] = np.array([t.locale for t in vocab.THEMES])[plan.theme]
    # Team campaigns: copy and disclosure tags in the team's language, the team's platforms.
    frame["tag_locale"] = "en"
    frame["team_key"] = ""
    for k, team in enumerate(teams.load_teams()):
        mine = plan.locale_team == k
        frame.loc[mine, ["locale", "tag_locale", "team_key"]] = [team.language] * 2 + [team.key]
    return frame


def _identity(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """A plan file staged as it is: ``_ord`` keeps the plan's row order."""
    staged = frame.copy()
    staged.insert(0, "_ord", np.arange(len(frame), dtype=np.int64))
    return staged, {name: f"f.{name}" for name in frame.columns}


def _stage_channels(stage: Stage, plan: Plan, pool: pd.DataFrame, seed: int) -> None:
    """Every daily export, chunk by chunk of campaigns."""
    weekday = (plan.first_day.weekday() + np.arange(plan.days)) % 7
    first = plan.first_day
    renderers = {
        "paid_ads": (paid.columns(first), _CAMPAIGN_JOIN),
        "social_posts": (social.columns(first), _CAMPAIGN_JOIN),
        "social_comments": (social.comment_columns(first), _CAMPAIGN_JOIN),
        "email_sends": (emails.send_columns(first), _CAMPAIGN_JOIN),
        "email_recipients": (emails.recipient_columns(first), ""),
        "influencer_posts": (influencer.columns(first), _CAMPAIGN_JOIN + _POOL_JOIN),
        "creator_workflow": (influencer.workflow_columns(first), _CAMPAIGN_JOIN + _POOL_JOIN),
        "inventory": (commerce.inventory_columns(first), _CAMPAIGN_JOIN),
        "attribution": (commerce.attribution_columns(first), _CAMPAIGN_JOIN),
    }
    ords = dict.fromkeys(renderers, 0)

    def rng(stream: str, chunk: int) -> np.random.Generator:
        return np.random.default_rng([seed, _STREAMS[stream], chunk])

    def add(source: str, frame: pd.DataFrame) -> None:
        columns, joins = renderers[source]
        stage.append(source, frame, columns, joins)
        ords[source] += len(frame)

    for chunk, lo in enumerate(range(0, plan.size, CHUNK_CAMPAIGNS)):
        camp = np.arange(lo, min(lo + CHUNK_CAMPAIGNS, plan.size))
        activity = {
            "paid_ads": paid.generate(plan, camp, rng("paid_ads", chunk), weekday, ords["paid_ads"])
        }
        activity["social_posts"], activity["social_comments"] = social.generate(
            plan,
            camp,
            rng("social_posts", chunk),
            weekday,
            (ords["social_posts"], ords["social_comments"]),
        )
        activity["email_sends"], activity["email_recipients"] = emails.generate(
            plan,
            camp,
            rng("email", chunk),
            weekday,
            (ords["email_sends"], ords["email_recipients"]),
        )
        activity["influencer_posts"], activity["creator_workflow"] = influencer.generate(
            plan,
            camp,
            rng("influencer", chunk),
            weekday,
            (ords["influencer_posts"], ords["creator_workflow"]),
            pool,
        )
        activity["inventory"] = commerce.inventory(
            plan, camp, rng("inventory", chunk), ords["inventory"]
        )
        activity["attribution"] = commerce.attribution(
            plan, camp, rng("attribution", chunk), activity, ords["attribution"]
        )
        for source, frame in activity.items():
            add(source, frame)


def _stage_plan_files(stage: Stage, plan: Plan, pool: pd.DataFrame, seed: int) -> None:
    """The snapshots and the PR log: a few rows per campaign, built for the whole plan."""
    rng = np.random.default_rng([seed, _STREAMS["planning"]])
    files = {
        "campaigns": plan.campaigns,
        "kpis": plan.kpis,
        "creators": creators.snapshot(pool),
        "experiments": planning.experiments(plan, rng),
        "budget_commitments": planning.budget_commitments(plan, rng),
        "channel_owners": planning.channel_owners(plan),
        "brand_positioning": planning.brand_positioning(),
        "pr_items": planning.pr_items(plan, rng),
        "partners": partners.partners(plan),
        "partner_promotions": partners.promotions(plan, rng),
    }
    for source, frame in files.items():
        staged, columns = _identity(frame)
        stage.append(source, staged, columns, "")


def _pair_pitfalls(random_scenarios: int | None, scenario_seed: int) -> np.ndarray | None:
    """Pitfall code of each scenario in random mode (repeats allowed), None otherwise."""
    if random_scenarios is None:
        return None
    rng = np.random.default_rng([scenario_seed, _STREAMS["scenarios"]])
    return rng.integers(0, len(INJECTIONS), size=random_scenarios)


def generate_landing(
    landing_dir: Path,
    *,
    seed: int = 7,
    end_date: date,
    days: int = 60,
    scale: float = 1.0,
    overwrite: bool = False,
    random_scenarios: int | None = None,
    scenario_seed: int = 0,
    export_style: str = "contract",
    team_style: str = "none",
) -> Manifest:
    """Write a sample landing zone for ``days`` days ending ``end_date`` and return its manifest.

    By default scenarios go through the pitfall catalogue in order: one scenario (and its twin)
    per pitfall per unit of scale. With ``random_scenarios`` N, N scenarios (and N twins) get a
    pitfall drawn at random with ``scenario_seed`` (repeats allowed), next to the baselines of
    the scale: a detection benchmark whose ground truth is the manifest.

    The same arguments always give byte-identical files. ``overwrite`` replaces the source
    folders and manifest of an earlier landing zone in ``landing_dir`` (other files are left
    alone); without it an existing landing zone is an error, so real exports are never
    overwritten by sample data.

    ``export_style`` ``vendor`` writes paid ads, e-mail recipients and creator posts as the
    tools export them (Meta Ads Manager, Google Ads, Mailchimp, the creator report), ``mixed``
    does so on even days only; both load into the same warehouse numbers as ``contract``.

    ``team_style`` ``contract`` gives some scenario pairs to a Shanghai team and a Berlin team
    (``generate/teams.yaml``): their campaigns are planned, named and posted in Chinese and
    German, on the team's platforms. ``localised`` also delivers those teams' rows in their own
    files, as the teams export them (per platform, ``1,234.56`` / ``1.234,56``, ``2026/11/12``
    / ``12.11.2026``, platform and format names in their words), loading into the same rows
    as ``contract``. The manifest lists the teams, their campaigns and the locale each team's
    files are written in. The default ``none`` leaves the sample as it was.
    """
    _check_arguments(days, scale, random_scenarios)
    exports.day_filter(export_style, "day")  # an unknown style fails before anything is written
    teams.check_style(team_style)
    contract = load_contract()
    landing_dir = Path(landing_dir)
    landing_dir.mkdir(parents=True, exist_ok=True)
    _clear(landing_dir, contract, overwrite)

    plan = build_plan(
        np.random.default_rng([seed, _STREAMS["plan"]]),
        scale=scale,
        days=days,
        end_date=end_date,
        pair_pitfalls=_pair_pitfalls(random_scenarios, scenario_seed),
        team_style=team_style,
    )
    pool = creators.creator_pool(np.random.default_rng([seed, _STREAMS["creators"]]))
    with Stage(landing_dir / WORK_DIR_NAME, contract, plan.first_day) as stage:
        stage.lookup("plan_campaigns", _campaign_lookup(plan))
        stage.lookup("creator_pool", pool)
        _stage_plan_files(stage, plan, pool, seed)
        _stage_channels(stage, plan, pool, seed)
        team_writer = (
            team_files.TeamFiles(plan.campaigns, plan.locale_team)
            if team_style == "localised"
            else None
        )
        rows = stage.write(landing_dir, end_date, export_style, team_writer)

    manifest = Manifest(
        seed=seed,
        scale=float(scale),
        days=days,
        first_day=plan.first_day,
        end_date=end_date,
        scenarios=plan.scenarios,
        clean_campaigns=plan.clean_campaigns,
        baseline_campaigns=plan.baseline_campaigns,
        unicode_campaign_id=plan.unicode_campaign_id,
        unowned_campaign_id=plan.unowned_campaign_id,
        rows={s.name: rows.get(s.name, 0) for s in contract},
        random_scenarios=random_scenarios,
        scenario_seed=scenario_seed,
        teams=team_files.manifest_teams(plan.campaigns, plan.locale_team, team_style),
    )
    manifest.write(landing_dir)
    return manifest
