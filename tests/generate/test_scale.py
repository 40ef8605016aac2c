"""Landing zones grow linearly with scale, and the estimate says by how much."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from marketing_health.generate import (
    LandingZoneExists,
    Manifest,
    estimate_channel_rows,
    generate_landing,
    scale_for_rows,
)
from marketing_health.generate.volumes import CHANNEL_SOURCES, estimate_source_rows


def test_scale_two_doubles_the_rows(tmp_path: Path, manifest: Manifest, end_date) -> None:
    double = generate_landing(tmp_path, end_date=end_date, scale=2)
    assert len(double.campaign_ids) == 96
    assert Counter(double.pitfalls) == {p: 2 for p in manifest.pitfalls}
    assert len(double.clean_campaigns) == 50
    assert len(double.baseline_campaigns) == 4
    for source, rows in double.rows.items():
        if source not in ("brand_positioning", "creators"):
            assert 1.6 <= rows / manifest.rows[source] <= 2.4, source
    assert double.rows["creators"] == manifest.rows["creators"]  # the creator pool is fixed
    assert double.channel_rows == pytest.approx(estimate_channel_rows(2, 60), rel=0.1)


def test_estimate_matches_the_default_landing(manifest: Manifest) -> None:
    assert 150_000 <= manifest.channel_rows <= 300_000
    assert manifest.channel_rows == pytest.approx(estimate_channel_rows(1, 60), rel=0.1)
    estimate = estimate_source_rows(1, 60)
    for source in CHANNEL_SOURCES:
        assert manifest.rows[source] == pytest.approx(estimate[source], rel=0.1), source


def test_estimate_is_linear_and_invertible() -> None:
    assert estimate_channel_rows(100, 60) == pytest.approx(
        10 * estimate_channel_rows(10, 60), rel=0.01
    )
    assert estimate_channel_rows(10, 120) == pytest.approx(
        2 * estimate_channel_rows(10, 60), rel=0.05
    )
    for rows in (1e6, 1e7, 5e7):
        assert estimate_channel_rows(scale_for_rows(rows), 60) == pytest.approx(rows, rel=0.01)


@pytest.mark.parametrize(
    ("days", "scale", "random_scenarios"), [(27, 1.0, None), (60, 0.5, None), (60, 1.0, -1)]
)
def test_rejects_windows_and_scales_too_small_for_the_scenarios(
    tmp_path: Path, end_date, days: int, scale: float, random_scenarios: int | None
) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_landing(
            tmp_path,
            end_date=end_date,
            days=days,
            scale=scale,
            random_scenarios=random_scenarios,
        )


def test_never_overwrites_a_landing_zone_unasked(tmp_path: Path, end_date) -> None:
    generate_landing(tmp_path, end_date=end_date, days=28)
    (tmp_path / "README.txt").write_text("keep me")
    with pytest.raises(LandingZoneExists, match="overwrite"):
        generate_landing(tmp_path, end_date=end_date, days=28)
    again = generate_landing(tmp_path, end_date=end_date, days=28, seed=3, overwrite=True)
    assert again.seed == 3
    assert (tmp_path / "README.txt").read_text() == "keep me"
    assert not (tmp_path / ".generating").exists()
    days = {p.name for p in (tmp_path / "paid_ads").iterdir()}
    assert len(days) == 28
