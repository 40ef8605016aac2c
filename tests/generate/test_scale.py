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


def test_scale_two_doubles_the_rows(tmp_path: Path, manifest: Manifest, end_date) -> None:
    double = generate_landing(tmp_path, end_date=end_date, scale=2)
    assert len(double.campaign_ids) == 24
    assert Counter(s.pitfall for s in double.scenarios) == {
        p: 2 for p in ("P02", "P03", "P05", "P09", "P13")
    }
    assert len(double.clean_campaigns) == 14
    assert len(double.baseline_campaigns) == 4
    assert 1.7 <= double.channel_rows / manifest.channel_rows <= 2.3
    assert double.channel_rows == pytest.approx(estimate_channel_rows(2, 60), rel=0.15)


def test_estimate_matches_the_default_landing(manifest: Manifest) -> None:
    assert 20_000 <= manifest.channel_rows <= 80_000
    assert manifest.channel_rows == pytest.approx(estimate_channel_rows(1, 60), rel=0.15)


def test_estimate_is_linear_and_invertible() -> None:
    assert estimate_channel_rows(100, 60) == pytest.approx(
        10 * estimate_channel_rows(10, 60), rel=0.01
    )
    assert estimate_channel_rows(10, 120) == pytest.approx(
        2 * estimate_channel_rows(10, 60), rel=0.05
    )
    for rows in (1e6, 1e7, 5e7):
        assert estimate_channel_rows(scale_for_rows(rows), 60) == pytest.approx(rows, rel=0.01)


@pytest.mark.parametrize(("days", "scale"), [(27, 1.0), (60, 0.5)])
def test_rejects_windows_and_scales_too_small_for_the_scenarios(
    tmp_path: Path, end_date, days: int, scale: float
) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_landing(tmp_path, end_date=end_date, days=days, scale=scale)


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
