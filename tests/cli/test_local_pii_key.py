"""The hashing key a local trial creates is the one every later run on that data folder uses."""

from __future__ import annotations

import stat

import pytest

from marketing_health.demo import ensure_pii_key
from marketing_health.ingest.pii import MissingPiiKeyError, resolve_pii_key


@pytest.fixture
def no_configured_key(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("MH_PII_HASH_KEY", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_MARKETING_HEALTH_PII", raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))


def test_the_demo_key_file_is_found_by_later_runs(paths, no_configured_key) -> None:
    told = ensure_pii_key(paths)

    key_file = paths.pii_key_file
    assert key_file.is_file() and "local key file" in told
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text(encoding="utf-8")
    assert len(key) == 64
    assert resolve_pii_key(paths) == key
    # a second trial keeps the key, so the same address keeps its hash
    ensure_pii_key(paths)
    assert key_file.read_text(encoding="utf-8") == key


def test_a_configured_key_wins_over_the_local_file(paths, no_configured_key, monkeypatch) -> None:
    ensure_pii_key(paths)
    monkeypatch.setenv("MH_PII_HASH_KEY", "from-env")
    assert resolve_pii_key(paths) == "from-env"


def test_without_key_or_file_the_error_names_the_file_looked_for(paths, no_configured_key) -> None:
    with pytest.raises(MissingPiiKeyError, match="MH_PII_HASH_KEY") as err:
        resolve_pii_key(paths)
    assert str(paths.pii_key_file) in str(err.value)
