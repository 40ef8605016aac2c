"""The image builder's bookkeeping, without Docker: what a content tag covers and what it reads.

An image is rebuilt exactly when its tag changes, so the tag must change with every byte the
image is made from and with nothing else (not the order files are listed in, not a Python cache
folder, not the place the repository is checked out), and the versions the images are built
for must be the ones uv.lock and scripts/bootstrap.sh pin.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from marketing_health.deploy.images import (
    ENV_VARIABLES,
    IMAGES_DIR,
    OVERRIDE_FILE,
    REPOSITORIES,
    BuildReport,
    Built,
    ImageBuildError,
    content_hash,
    env_lines,
    extra_ca_certificates,
    locked_version,
    pinned_uv_version,
)
from marketing_health.settings import REPO_ROOT


@pytest.fixture
def context(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("A = 1\n")
    (tmp_path / "pkg" / "b.py").write_text("B = 2\n")
    return tmp_path


def test_tag_follows_every_byte_and_value(context: Path) -> None:
    before = content_hash(files=[context / "pkg"], values=["X=1"])
    assert re.fullmatch(r"[0-9a-f]{16}", before)
    assert content_hash(files=[context / "pkg"], values=["X=1"]) == before
    assert content_hash(files=[context / "pkg"], values=["X=2"]) != before
    (context / "pkg" / "b.py").write_text("B = 3\n")
    assert content_hash(files=[context / "pkg"], values=["X=1"]) != before


def test_tag_ignores_order_and_python_caches(context: Path) -> None:
    a, b = context / "pkg" / "a.py", context / "pkg" / "b.py"
    assert content_hash(files=[a, b]) == content_hash(files=[b, a])
    before = content_hash(files=[context / "pkg"])
    (context / "pkg" / "__pycache__").mkdir()
    (context / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0cache")
    (context / "pkg" / "c.pyc").write_bytes(b"\0cache")
    assert content_hash(files=[context / "pkg"]) == before


def test_a_renamed_file_changes_the_tag(context: Path) -> None:
    before = content_hash(files=[context / "pkg"])
    (context / "pkg" / "b.py").rename(context / "pkg" / "c.py")
    assert content_hash(files=[context / "pkg"]) != before


def test_versions_are_the_pinned_ones() -> None:
    lock = tomllib.loads((REPO_ROOT / "uv.lock").read_text(encoding="utf-8"))
    airflow = next(p["version"] for p in lock["package"] if p["name"] == "apache-airflow")
    assert locked_version("apache-airflow") == airflow
    bootstrap = (REPO_ROOT / "scripts" / "bootstrap.sh").read_text(encoding="utf-8")
    assert f'UV_VERSION="{pinned_uv_version()}"' in bootstrap
    with pytest.raises(ImageBuildError, match="pins no version of no-such-package"):
        locked_version("no-such-package")


def test_unpinned_bootstrap_is_an_error(tmp_path: Path) -> None:
    script = tmp_path / "bootstrap.sh"
    script.write_text("python3 -m pip install uv\n")
    with pytest.raises(ImageBuildError, match="does not pin UV_VERSION"):
        pinned_uv_version(script)


def test_extra_authorities_are_the_crt_files(tmp_path: Path) -> None:
    (tmp_path / "proxy.crt").write_text("-----BEGIN CERTIFICATE-----\n")
    (tmp_path / "notes.txt").write_text("not a certificate\n")
    assert extra_ca_certificates(tmp_path) == [tmp_path / "proxy.crt"]
    assert extra_ca_certificates(tmp_path / "missing") == []


def test_env_lines_name_what_the_override_reads() -> None:
    report = BuildReport(
        [
            Built(variable, f"{repository}:abc", 1.0, False)
            for variable, repository in REPOSITORIES.items()
        ]
    )
    lines = env_lines(report).splitlines()
    assert [line.split("=", 1)[0] for line in lines] == list(ENV_VARIABLES)
    override = OVERRIDE_FILE.read_text(encoding="utf-8")
    compose = (REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for variable in ENV_VARIABLES:
        assert f"${{{variable}" in override + compose, variable


def test_every_dockerfile_the_builder_names_exists() -> None:
    for name in ("airflow-base", "postgres", "redis", "uv"):
        assert (IMAGES_DIR / f"{name}.Dockerfile").is_file(), name
