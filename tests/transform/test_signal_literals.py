"""No number that decides a verdict is written into a signal model: it is a catalogue parameter.

A brand can only tune what the catalogue names (docs/pitfalls.md, config/guard_overrides.yaml).
A window of 28 days or a minimum overlap of 0.5 written into the SQL of a signal mart (or of an
intermediate model feeding one) would judge every campaign alike, whatever its team set. So
every numeric literal in those models fails this test unless it is

- 0 or 1 (empty/non-empty, first element, inclusive window ends) or 100 (percent),
- inside a Jinja expression (``{{ guard_param('P01', 'window_days') }}``, a macro's arguments),
- a type's size (``decimal(18, 2)``),
- on a line whose comment (at its end, or a comment line just above it) says why it is not a
  parameter: ``-- unit: <why>`` for a unit conversion (``/ 24.0 -- unit: hours per day``) or
  ``-- not a parameter: <why>`` (how many examples an alert names).

Models not yet moved to catalogue parameters are listed in PENDING; each is expected to fail
(strictly: when one is cleaned, the test says so and it must leave the list).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marketing_health.settings import REPO_ROOT

MODELS = REPO_ROOT / "dbt_project" / "models"
ALLOWED = {"0", "1", "100", "0.0", "1.0", "100.0"}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_STRING = re.compile(r"'(?:[^']|'')*'")
_TYPE_SIZE = re.compile(r"\b(?:decimal|numeric|varchar|char)\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\)", re.I)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
_EXCUSED = re.compile(r"--\s*(?:unit|not a parameter)\s*:")

#: Signal models whose deciding numbers are not catalogue parameters yet.
PENDING: frozenset[str] = frozenset()


def judged_models() -> list[Path]:
    """The signal marts and every intermediate model (they all feed a signal)."""
    return sorted(
        [*MODELS.glob("marts/sig_*.sql"), *MODELS.glob("intermediate/int_*.sql")],
        key=lambda p: p.stem,
    )


def literals(sql: str) -> list[tuple[int, str, str]]:
    """(line number, number, line) of every numeric literal no rule above excuses."""
    sql = _JINJA_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), sql)
    sql = _JINJA.sub(lambda m: "\n" * m.group().count("\n"), sql)
    found = []
    excused_above = False
    for number, line in enumerate(sql.splitlines(), start=1):
        excused, excused_above = excused_above or bool(_EXCUSED.search(line)), False
        if excused:
            # a comment line of its own excuses the line below it too
            excused_above = line.strip().startswith("--")
            continue
        code = _STRING.sub("''", line).split("--", 1)[0]
        code = _TYPE_SIZE.sub("", code)
        found += [(number, n, line.strip()) for n in _NUMBER.findall(code) if n not in ALLOWED]
    return found


@pytest.mark.parametrize(
    "model",
    [
        pytest.param(
            path,
            id=path.stem,
            marks=[pytest.mark.xfail(reason="not moved to catalogue parameters yet", strict=True)]
            if path.stem in PENDING
            else [],
        )
        for path in judged_models()
    ],
)
def test_signal_model_reads_its_numbers_from_the_catalogue(model: Path) -> None:
    found = literals(model.read_text(encoding="utf-8"))
    assert not found, (
        f"{model.relative_to(MODELS.parent)} compares with numbers the catalogue does not name; "
        "add each as a parameter of its pitfall (pitfalls.yaml) and read it with guard_param, or "
        "say on the line why it is none (-- unit: ... / -- not a parameter: ...):\n"
        + "\n".join(f"  line {n}: {value} in {line}" for n, value, line in found)
    )


def test_the_detector_sees_a_literal_window() -> None:
    sql = (
        "select * from posts\n"
        "where post_date between day - 27 and day  -- the window\n"
        "and ratio < {{ guard_param('P01', 'min_audience_overlap') }}\n"
        "and hours / 24.0 > 1  -- unit: hours per day\n"
        "-- not a parameter: three examples\n"
        "and labels[1:3] is not null\n"
        "and score > 0.3\n"
    )
    assert [(n, v) for n, v, _ in literals(sql)] == [(2, "27"), (7, "0.3")]
