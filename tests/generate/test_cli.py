"""The ``generate`` command, standalone and mounted as a subcommand."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

import pytest

from marketing_health.generate import add_arguments, load_manifest, main, run


def test_main_writes_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--landing", str(tmp_path), "--end-date", "2025-06-30", "--seed", "3", "--days", "30"]
    assert main(args) == 0
    out = capsys.readouterr().out
    for word in ("email_recipients", "social_comments", "channel rows", "P01", "P23"):
        assert word in out
    assert "scenarios.json" in out and "comes and goes" in out
    assert load_manifest(tmp_path).seed == 3

    assert main(args) == 2
    assert "--overwrite" in capsys.readouterr().out
    assert main([*args, "--overwrite", "--seed", "4"]) == 0
    assert load_manifest(tmp_path).seed == 4


def test_mounts_as_a_subcommand_with_configured_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MH_LANDING_DIR", str(tmp_path / "landing"))
    parser = argparse.ArgumentParser(prog="marketing-health")
    sub = parser.add_subparsers(dest="command", required=True)
    generate = sub.add_parser("generate")
    add_arguments(generate)
    generate.set_defaults(func=run)
    args = parser.parse_args(["generate", "--days", "28"])
    assert args.func(args) == 0
    manifest = load_manifest(tmp_path / "landing")
    assert manifest.end_date == date.today() - timedelta(days=1)
    assert manifest.days == 28


def test_help_names_the_scales_for_large_volumes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "10M" in out and "50M" in out


def test_random_scenarios_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--landing", str(tmp_path), "--end-date", "2025-06-30", "--days", "28"]
    assert main([*args, "--random-scenarios", "5", "--scenario-seed", "9"]) == 0
    manifest = load_manifest(tmp_path)
    assert manifest.random_scenarios == 5 and manifest.scenario_seed == 9
    assert len(manifest.scenarios) == 5
    assert "drawn at random (scenario seed 9)" in capsys.readouterr().out


def test_bad_arguments_are_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--landing", str(tmp_path), "--days", "7"]) == 2
    assert "days must be at least" in capsys.readouterr().out


def test_export_style_from_the_command_line_writes_tool_exports(tmp_path: Path) -> None:
    args = ["--landing", str(tmp_path), "--end-date", "2025-06-30", "--days", "28"]
    assert main([*args, "--export-style", "vendor"]) == 0
    day = tmp_path / "paid_ads" / "2025-06-30"
    assert (day / "google-ads-report.csv").read_bytes().startswith(b"\xff\xfe")
    assert (day / "meta-ads-eur.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "influencer_posts" / "2025-06-30" / "creator-report.csv").exists()


def test_team_style_from_the_command_line_writes_the_teams_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--landing", str(tmp_path), "--end-date", "2025-06-30", "--days", "28"]
    assert main([*args, "--random-scenarios", "4", "--team-style", "localised"]) == 0
    manifest = load_manifest(tmp_path)
    # with only four pairs drawn, each team still takes one (its own pitfalls or the next)
    assert [t.key for t in manifest.teams] == ["shanghai", "berlin"]
    out = capsys.readouterr().out
    assert "上海增长团队 (#growth-shanghai, zh-Hans-CN)" in out
    assert "to declare in locales.yaml" in out
    assert list((tmp_path / "campaigns" / "2025-06-30").glob("dach_campaigns_*.csv"))
