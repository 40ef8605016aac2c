"""Ambiguous dates a team delivers without declaring its locale are set aside, never guessed,
and the quarantine reason names every way the value could be read.

A marketer who finds "10/05/2026" in the ops digest must see at once why the row waits (it is
5 October or 10 May) and what fixes it (declare the file's locale). The harness already checks
that the expected rows are quarantined (``expected_quarantine`` in team.yaml); this checks what
the reason says and that nothing of such a file reached the warehouse by a guess.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from .conftest import CorpusNight, corpus_teams
from .corpus_team import Team

pytestmark = pytest.mark.integration

#: A numeric date whose order of day and month the value itself does not tell (01/02/2026).
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?!\d)")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

TEAMS = [team for team in corpus_teams() if team.expected_quarantine]


def readings(first: int, second: int, year: int) -> list[date]:
    """The calendar days a numeric date may mean: month first and day first, where valid."""
    found = []
    for month, day in ((first, second), (second, first)):
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    return sorted(set(found))


def spellings(day: date) -> tuple[str, ...]:
    """How a reason may name one reading: ISO, or the month written out (English)."""
    month = MONTHS[day.month - 1]
    return (
        day.isoformat(),
        f"{day.day} {month} {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month[:3]} {day.year}",
        f"{month[:3]} {day.day}, {day.year}",
    )


def test_readings_of_a_numeric_date() -> None:
    assert readings(10, 5, 2026) == [date(2026, 5, 10), date(2026, 10, 5)]
    assert readings(11, 13, 2026) == [date(2026, 11, 13)]
    assert readings(4, 4, 2026) == [date(2026, 4, 4)]
    assert "5 October 2026" in spellings(date(2026, 10, 5))
    assert "May 10, 2026" in spellings(date(2026, 5, 10))


@pytest.mark.parametrize("team", TEAMS, ids=[t.name for t in TEAMS])
def test_ambiguous_dates_are_quarantined_with_every_reading_named(corpus_night, team: Team) -> None:
    """Each expected quarantine of an ambiguous date names the value and both readings, and a
    file none of whose dates can be settled has every dated row set aside (none guessed)."""
    night: CorpusNight = corpus_night(team)
    checked, wrong = 0, []
    files = set()
    for path, row, column, reason in night.quarantine:
        if not any(a.covers(path, column) for a in team.expected_quarantine):
            continue
        match = NUMERIC_DATE.search(reason)
        if match is None:
            continue  # not a date the team left ambiguous: the harness checks it happened
        value = match.group(0)
        days = readings(int(match.group(1)), int(match.group(3)), int(match.group(4)))
        if len(days) < 2:
            continue
        files.add(path)
        checked += 1
        unnamed = [d.isoformat() for d in days if not any(s in reason for s in spellings(d))]
        if unnamed:
            wrong.append(
                f"{path}, row {row}, column {column!r}: {value!r} may be read as "
                f"{' or '.join(d.isoformat() for d in days)}, but the reason does not name "
                f"{', '.join(unnamed)}: {reason}"
            )
    assert checked, (
        f"{team.name}: no quarantined row of {[a.file for a in team.expected_quarantine]} "
        "quotes an ambiguous date (day and month both 12 or less); the reason must quote it"
    )
    assert not wrong, f"{team.name}: quarantine reasons that do not name every reading:\n" + (
        "\n".join(wrong)
    )
    for path in sorted(files):
        rows = _rows_with_dates(team.landing_dir / path)
        if rows and all(ambiguous for _, ambiguous in rows):
            # no date in the file settles the order of day and month: every row waits
            set_aside = {row for p, row, _, _ in night.quarantine if p == path}
            assert len(set_aside) == len(rows), (
                f"{team.name}: every date in {path} is ambiguous, yet only {len(set_aside)} of "
                f"its {len(rows)} rows were set aside: the others were read by a guess"
            )


def _rows_with_dates(path: Path) -> list[tuple[int, bool]]:
    """(row, holds an ambiguous date) for each data row of a CSV holding a numeric date."""
    found = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for number, cells in enumerate(csv.reader(fh), start=1):
            dates = [m for cell in cells for m in NUMERIC_DATE.finditer(cell)]
            if number == 1 or not dates:
                continue
            found.append(
                (
                    number,
                    all(
                        len(readings(int(m.group(1)), int(m.group(3)), int(m.group(4)))) > 1
                        for m in dates
                    ),
                )
            )
    return found
