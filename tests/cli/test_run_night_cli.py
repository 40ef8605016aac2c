"""``marketing-health run-night`` as a person runs it at a terminal, right after the demo.

A real subprocess over a generated landing zone: the only hashing key is the file the demo
writes into the data folder, the log goes to stderr with every record once, and stdout holds a
short summary (``--json``: every stage's result, for scripts).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from marketing_health.demo import ensure_pii_key
from marketing_health.generate import generate_landing
from marketing_health.night import source_names
from marketing_health.settings import Paths

pytestmark = pytest.mark.integration

AS_OF = date(2026, 11, 20)
_LOG_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ")


def _run_night(paths: Paths, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MH_", "AIRFLOW_CONN_", "AIRFLOW__")) and k != "AIRFLOW_HOME"
    }
    env["MH_DATA_DIR"] = str(paths.data_dir)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "marketing_health",
            "run-night",
            "--as-of",
            AS_OF.isoformat(),
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = Paths.under(tmp_path_factory.mktemp("run_night") / "data")
    saved = os.environ.pop("MH_PII_HASH_KEY", None)
    try:
        ensure_pii_key(paths)  # what the demo leaves behind
    finally:
        if saved is not None:
            os.environ["MH_PII_HASH_KEY"] = saved
    generate_landing(paths.landing_dir, seed=7, end_date=AS_OF, days=28)
    return paths


@pytest.fixture(scope="module")
def first(data: Paths) -> subprocess.CompletedProcess[str]:
    return _run_night(data)


def test_run_night_uses_the_demo_key_file(first) -> None:
    assert first.returncode == 0, first.stderr[-4000:]
    assert "MissingPiiKeyError" not in first.stderr


def test_every_log_record_is_written_once_to_stderr(first) -> None:
    logged = [line for line in first.stderr.splitlines() if _LOG_PREFIX.match(line)]
    records = [_LOG_PREFIX.sub("", line) for line in logged]
    assert len(records) > 10
    # one handler: no line comes out twice in a row
    assert not [a for a, b in itertools.pairwise(logged) if a == b]
    # and no stage repeats what the module that did the work already said
    staged = [r for r in records if "campaigns: 1 file staged" in r]
    assert len(staged) == 1, staged
    assert not any(r.startswith("INFO marketing_health.night:") and "staged" in r for r in records)
    # the libraries' chatter stays out unless --verbose
    assert not [r for r in records if r.startswith("INFO great_expectations")]
    assert not any(_LOG_PREFIX.match(line) for line in first.stdout.splitlines())


def test_the_night_ends_with_a_short_summary(first, data: Paths) -> None:
    lines = first.stdout.strip().splitlines()
    assert 6 <= len(lines) <= 20, first.stdout
    assert lines[0].startswith(f"Night of {AS_OF.isoformat()} judged in ")
    text = first.stdout
    sources = len(source_names())
    assert re.search(rf"Loaded: \d+ new files? from {sources} sources, [\d,]+ rows", text), text
    assert re.search(r"Guards: [\d,]+ checks; \d+ campaigns? failing", text), text
    assert "Worst first (health 0-100, failing guards):" in text
    assert re.search(r"Slack: \d+ digests? \(\d+ messages?\): \d+ written to files in ", text)
    report = re.search(r"Health report: (\S+)", text).group(1)
    assert Path(report).name == "health_report.html"
    assert (data.run_dir(AS_OF.isoformat()) / "health_report.html").exists()
    assert "{" not in text  # no JSON dump


def test_json_gives_every_stage_result_for_scripts(first, data: Paths) -> None:
    again = _run_night(data, "--json")
    assert again.returncode == 0, again.stderr[-4000:]
    result = json.loads(again.stdout)
    assert result["as_of_date"] == AS_OF.isoformat()
    assert {"stage", "publish", "transform", "guard", "report", "queue", "deliver"} <= set(result)
    assert set(result["stage"]) == set(source_names())
