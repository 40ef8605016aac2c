"""``marketing-health generate``: write a sample landing zone from the command line."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from marketing_health.generate import volumes
from marketing_health.generate.exports import EXPORT_STYLES
from marketing_health.generate.landing import LandingZoneExists, generate_landing
from marketing_health.generate.manifest import Manifest
from marketing_health.generate.teams import TEAM_STYLES
from marketing_health.settings import Paths

DESCRIPTION = "Write a deterministic sample landing zone with injected pitfall scenarios."


def _scale_help() -> str:
    sizes = ", ".join(
        f"{label} at ~{volumes.scale_for_rows(rows):.0f}"
        for label, rows in (("1M", 1e6), ("10M", 1e7), ("50M", 5e7))
    )
    per_scale = volumes.estimate_channel_rows(1.0)
    return (
        f"size multiplier (>= 1): {volumes.CAMPAIGNS_PER_SCALE} campaigns and "
        f"~{per_scale / 1000:.0f}k channel rows per unit over 60 days; channel rows {sizes}"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--landing",
        type=Path,
        default=None,
        help="landing zone folder (default: the configured landing_dir, MH_LANDING_DIR)",
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=None,
        help="last day of data, YYYY-MM-DD (default: yesterday)",
    )
    parser.add_argument(
        "--days",
        type=int,
        default=60,
        help=f"days of data up to the end date (default 60, at least {volumes.MIN_DAYS})",
    )
    parser.add_argument("--scale", type=float, default=1.0, help=_scale_help())
    parser.add_argument(
        "--random-scenarios",
        type=int,
        default=None,
        metavar="N",
        help="draw the pitfall of N scenario campaigns (each with a clean twin) at random, "
        "repeats allowed, next to the baselines of the scale: a detection benchmark "
        "(default: one scenario per catalogued pitfall per unit of scale)",
    )
    parser.add_argument(
        "--scenario-seed",
        type=int,
        default=0,
        help="random seed of the pitfall draw of --random-scenarios (default 0)",
    )
    parser.add_argument(
        "--export-style",
        choices=EXPORT_STYLES,
        default="contract",
        help="contract: every file in the landing contract's columns (default); vendor: paid "
        "ads, e-mail recipients and creator posts as Meta Ads Manager, Google Ads, Mailchimp "
        "and the creator report export them; mixed: tool exports on even days only",
    )
    parser.add_argument(
        "--team-style",
        choices=TEAM_STYLES,
        default="none",
        help="none: every campaign planned and posted in English (default); contract: a "
        "Shanghai team and a Berlin team own some scenario pairs, in Chinese and German, on "
        "their platforms; localised: those teams also deliver their own files (per platform, "
        "their number and date formats and words), to read with their locales declared",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the source folders and scenarios.json of an earlier landing zone",
    )


def _report(manifest: Manifest, landing: Path) -> str:
    lines = [f"Sample landing zone in {landing}", "", f"{'source':<18}{'rows':>12}"]
    lines += [f"{source:<18}{rows:>12,}" for source, rows in manifest.rows.items()]
    lines += [f"{'channel rows':<18}{manifest.channel_rows:>12,}", ""]
    lines.append(
        f"{len(manifest.campaign_ids)} campaigns, {manifest.first_day} to {manifest.end_date}; "
        f"{len(manifest.scenarios)} scenarios (each with a clean twin), "
        f"{len(manifest.baseline_campaigns)} baselines"
    )
    if manifest.random_scenarios is not None:
        lines.append(
            f"pitfalls drawn at random (scenario seed {manifest.scenario_seed}): "
            + ", ".join(f"{p} x{n}" for p, n in sorted(Counter(manifest.pitfalls).items()))
        )
    width = max([11, *(len(s.campaign_id) + 2 for s in manifest.scenarios)])
    lines.append(
        f"{'pitfall':<9}{'campaign':<{width}}{'twin':<{width}}{'from':<12}{'fails by':<12}owner"
    )
    lines += [
        f"{s.pitfall:<9}{s.campaign_id:<{width}}{s.twin_campaign_id:<{width}}"
        f"{s.from_day!s:<12}{s.fails_by!s:<12}{s.owner_slack_channel or '(fallback channel)'}"
        + ("  (comes and goes)" if len(s.expected_fail_ranges) > 1 else "")
        for s in manifest.scenarios
    ]
    for team in manifest.teams:
        lines.append(
            f"{team.owner_team} ({team.owner_slack_channel}, {team.locale}): "
            + ", ".join(team.campaign_ids)
        )
        if team.files:
            lines.append("  its files, to declare in locales.yaml: " + "  ".join(team.files))
    lines.append(f"Ground truth: {landing / 'scenarios.json'}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    landing = args.landing or Paths.from_env().landing_dir
    end_date = args.end_date or date.today() - timedelta(days=1)
    try:
        manifest = generate_landing(
            landing,
            seed=args.seed,
            end_date=end_date,
            days=args.days,
            scale=args.scale,
            overwrite=args.overwrite,
            random_scenarios=args.random_scenarios,
            scenario_seed=args.scenario_seed,
            export_style=args.export_style,
            team_style=args.team_style,
        )
    except (ValueError, LandingZoneExists) as exc:
        print(f"generate: {exc}")
        return 2
    print(_report(manifest, landing))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="marketing-health generate", description=DESCRIPTION)
    add_arguments(parser)
    return run(parser.parse_args(argv))
