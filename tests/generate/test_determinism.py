"""Same arguments, same bytes: a sample landing zone is reproducible from its seed."""

from __future__ import annotations

from pathlib import Path

from marketing_health.generate import Manifest, generate_landing


def test_same_arguments_give_identical_files(
    tmp_path: Path, landing_dir: Path, manifest: Manifest, end_date, digest
) -> None:
    again = generate_landing(tmp_path, seed=manifest.seed, end_date=end_date)
    assert again == manifest
    first, second = digest(landing_dir), digest(tmp_path)
    assert len(first) > 100
    assert first == second


def test_another_seed_gives_other_data(
    tmp_path: Path, landing_dir: Path, manifest: Manifest, end_date, digest
) -> None:
    other = generate_landing(tmp_path, seed=manifest.seed + 1, end_date=end_date)
    ours, theirs = digest(landing_dir), digest(tmp_path)
    shared = set(ours) & set(theirs)
    assert shared
    assert all(ours[p] != theirs[p] for p in shared if p.endswith("_recipients.csv"))
    assert other.scenarios != manifest.scenarios


def test_random_scenarios_are_reproducible(
    tmp_path: Path, random_landing, end_date, digest
) -> None:
    landing_dir, manifest = random_landing
    again = generate_landing(
        tmp_path / "again",
        seed=manifest.seed,
        end_date=end_date,
        days=manifest.days,
        random_scenarios=manifest.random_scenarios,
        scenario_seed=manifest.scenario_seed,
    )
    assert again == manifest
    assert digest(landing_dir) == digest(tmp_path / "again")
    other = generate_landing(
        tmp_path / "other",
        seed=manifest.seed,
        end_date=end_date,
        days=manifest.days,
        random_scenarios=manifest.random_scenarios,
        scenario_seed=manifest.scenario_seed + 1,
    )
    assert other.pitfalls != manifest.pitfalls
