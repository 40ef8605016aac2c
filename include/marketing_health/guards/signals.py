"""Reading one night of a signal mart into pandas, ready for its guard.

Signal marts are small (one row per live campaign), so a guard reads its night into a
DataFrame and validates it with GE's pandas engine; GE's SQL datasources on DuckDB are not
reliable. The checks here turn a mart that is missing, incomplete or malformed into one clear
:class:`GuardUnavailable` message instead of a GE traceback.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import TYPE_CHECKING

from marketing_health.catalogue.model import Guard
from marketing_health.guards.suites import (
    DATE_COLUMN,
    KEY_COLUMN,
    bound_column,
    threshold_column,
)

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

#: DuckDB integer types pandas receives as float64; turned back into whole numbers.
_WIDE_INTEGER_TYPES = ("HUGEINT", "UHUGEINT", "UBIGINT")
#: Per-campaign thresholds of one guard: campaign_id -> {checked column: threshold}. A bare
#: number instead of the mapping sets the threshold of the guard's primary check.
CampaignThresholds = Mapping[str, float | Mapping[str, float]]


class GuardUnavailable(RuntimeError):
    """A guard cannot judge this night; the message says what is wrong and what to do."""


def signal_table(guard: Guard) -> str:
    return f"marts.{guard.model}"


def read_signal_frame(
    con: duckdb.DuckDBPyConnection, guard: Guard, as_of_date: str
) -> pd.DataFrame:
    """The night's rows of the guard's signal mart, checked for what the guard needs."""
    from marketing_health.warehouse import QUERY_ERRORS

    table = signal_table(guard)
    sql = f"select * from marts.{_quoted(guard.model)} where {DATE_COLUMN} = ?::date"
    try:
        cursor = con.execute(sql, [as_of_date])
    except QUERY_ERRORS as exc:
        if _table_exists(con, guard.model):
            raise GuardUnavailable(
                f"{table} cannot be read for {DATE_COLUMN} {as_of_date}: {exc}"
            ) from exc
        raise GuardUnavailable(
            f"the signal table {table} does not exist in the warehouse. Build the dbt models "
            "(dbt build) and run the guards again."
        ) from exc
    column_types = {d[0]: str(d[1]) for d in cursor.description}
    frame = cursor.df()
    return normalise_frame(frame, column_types, guard)


def normalise_frame(
    frame: pd.DataFrame, column_types: Mapping[str, str], guard: Guard
) -> pd.DataFrame:
    """Check the columns the guard reads and give values their natural Python shape."""
    import pandas as pd

    table = signal_table(guard)
    needed = [KEY_COLUMN, *guard.signal_columns]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise GuardUnavailable(
            f"{table} has no column(s) {', '.join(missing)} that the catalogue names for this "
            "guard. Align the dbt model with pitfalls.yaml and run the guards again."
        )
    frame = frame.copy()
    for column, duck_type in column_types.items():
        if duck_type == "DATE" and column in frame.columns:
            frame[column] = pd.to_datetime(frame[column]).dt.date
        elif duck_type in _WIDE_INTEGER_TYPES and column in frame.columns:
            frame[column] = _as_whole_numbers(frame[column])
    for column in [c.column for c in guard.checks] + guard.unknown_columns:
        signal = frame[column]
        if not pd.api.types.is_numeric_dtype(signal) or pd.api.types.is_bool_dtype(signal):
            found = column_types.get(column, str(signal.dtype))
            raise GuardUnavailable(
                f"{table}.{column} holds {found} values; the guard compares numbers. "
                "Fix the column type in the dbt model."
            )
    for column in guard.unknown_columns:
        negative = frame.loc[frame[column].astype("float64") < 0, KEY_COLUMN]
        if len(negative):
            raise GuardUnavailable(
                f"{table}.{column} counts unknown terms but is negative for campaign(s) "
                f"{', '.join(sorted(negative.astype(str).unique())[:5])}; fix the dbt model."
            )
    keys = frame[KEY_COLUMN]
    if keys.isna().any():
        raise GuardUnavailable(f"{table} has rows without a {KEY_COLUMN}; fix the dbt model.")
    repeated = sorted(keys[keys.duplicated()].astype(str).unique())
    if repeated:
        raise GuardUnavailable(
            f"{table} has more than one row for campaign(s) {', '.join(repeated[:5])} on the "
            "same day; a signal mart must hold one row per campaign and day. Fix the dbt model."
        )
    return frame


def with_thresholds(
    frame: pd.DataFrame, guard: Guard, overrides: CampaignThresholds | None = None
) -> pd.DataFrame:
    """Add one threshold column per check: the campaign's own where one is set, else the default.

    A column of the mart that happens to be called ``threshold__<column>`` is replaced: the
    catalogue and the overrides decide what a campaign is judged against.
    """
    own = campaign_thresholds(guard, overrides)
    frame = frame.copy()
    keys = frame[KEY_COLUMN].astype(str)
    for check in guard.checks:
        values = {
            c: by_check[check.column] for c, by_check in own.items() if check.column in by_check
        }
        column = keys.map(values).astype("float64")
        frame[threshold_column(check.column)] = column.fillna(check.threshold).astype("float64")
    return frame


def with_bounds(frame: pd.DataFrame, guard: Guard) -> pd.DataFrame:
    """Add ``bound__<column>`` for every check that counts unknown terms: the value raised by
    its unknown count (an empty count adds nothing; an empty value stays empty).

    The bound is as high as the value could truly be; GE judges it like the value.
    """
    frame = frame.copy()
    for check in guard.checks:
        if check.unknown:
            value = frame[check.column].astype("float64")
            unknown = frame[check.unknown].astype("float64").fillna(0.0)
            frame[bound_column(check.column)] = value + unknown
    return frame


def campaign_thresholds(
    guard: Guard, overrides: CampaignThresholds | None
) -> dict[str, dict[str, float]]:
    """Overrides in one shape, campaign -> {checked column: threshold}, every value checked."""
    checked = {c.column for c in guard.checks}
    shaped: dict[str, dict[str, float]] = {}
    for campaign_id, value in dict(overrides or {}).items():
        by_check = value if isinstance(value, Mapping) else {guard.column: value}
        for column, threshold in by_check.items():
            if column not in checked:
                raise ValueError(
                    f"threshold for campaign {campaign_id!r} names {column!r}, which the guard "
                    f"does not check (checks: {', '.join(sorted(checked))})"
                )
            if (
                isinstance(threshold, bool)
                or not isinstance(threshold, Real)
                or not math.isfinite(threshold)
            ):
                raise ValueError(
                    f"threshold for campaign {campaign_id!r} on {column} must be a number: "
                    f"{threshold!r}"
                )
            shaped.setdefault(str(campaign_id), {})[str(column)] = float(threshold)
    return shaped


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _as_whole_numbers(series: pd.Series) -> pd.Series:
    try:
        return series.astype("Int64")
    except (TypeError, ValueError, OverflowError):
        return series


def _table_exists(con: duckdb.DuckDBPyConnection, model: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = ?",
        [model],
    ).fetchone()
    return bool(row and row[0])
