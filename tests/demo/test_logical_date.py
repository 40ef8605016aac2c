"""Which logical date the demo gives the night it triggers, whatever the hour of the trial.

The night of day D is the 02:00 run of D+1 in the schedule's timezone. Airflow's scheduler
leaves a run dated in the future queued for ever, so a trial between midnight and 02:00 must
be dated no later than now, and still judge D.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from marketing_health.demo import logical_date_for
from marketing_health.night import Night

AS_OF = date(2026, 12, 6)


def _judged(logical: str, timezone: str) -> str:
    return Night.for_logical_date(datetime.fromisoformat(logical), timezone, "r").as_of_date


@pytest.mark.parametrize("timezone", ["UTC", "Asia/Shanghai", "America/Chicago"])
def test_a_past_night_is_the_0200_run_of_the_next_day(timezone: str) -> None:
    now = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    logical = logical_date_for(AS_OF, timezone, now=now)
    local = datetime.fromisoformat(logical)
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2026, 12, 7, 2, 0)
    assert local.astimezone(ZoneInfo(timezone)).hour == 2, "02:00 in the schedule's timezone"
    assert _judged(logical, timezone) == "2026-12-06"


@pytest.mark.parametrize(
    ("timezone", "now"),
    [
        ("UTC", datetime(2026, 12, 7, 0, 43, tzinfo=UTC)),  # 00:43 in UTC
        ("Asia/Shanghai", datetime(2026, 12, 6, 17, 10, tzinfo=UTC)),  # 01:10 in Shanghai
        ("Europe/Berlin", datetime(2026, 12, 6, 23, 30, tzinfo=UTC)),  # 00:30 in Berlin
    ],
)
def test_just_after_midnight_the_night_is_dated_now_and_still_judges_yesterday(
    timezone: str, now: datetime
) -> None:
    logical = logical_date_for(AS_OF, timezone, now=now)
    assert datetime.fromisoformat(logical) <= now, "a run dated in the future is never started"
    assert _judged(logical, timezone) == "2026-12-06"


def test_a_day_that_has_not_ended_cannot_be_judged() -> None:
    evening = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)  # 23:00 on the 6th in Shanghai
    with pytest.raises(ValueError, match=r"2026-12-06 has not ended yet in Asia/Shanghai"):
        logical_date_for(AS_OF, "Asia/Shanghai", now=evening)
