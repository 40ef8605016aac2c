"""The sample teams' own files (team style ``localised``): their rows of every source, as the
Shanghai and Berlin teams deliver them.

Rows are generated and staged like everyone else's; only the rendering differs, the way
:mod:`marketing_health.generate.exports` re-renders rows as tool exports. A team's rows leave
the contract files and go to the team's files: one per platform and day for the sources the
team exports per platform (``social_posts/<day>/douyin_<day>.csv``), one per source and day
otherwise (``paid_ads/<day>/dach_paid_ads_<day>.csv``). Numbers and dates are written as the
team's locale writes them (CLDR symbols and date patterns from Babel: ``1,234.56`` and
``2026/11/12`` or ``2026年11月12日`` in zh-Hans-CN, ``1.234,56`` and ``12.11.2026`` in de-DE),
platform and post-format ids and true/false in the team's words. Read with the team's locale
declared (the manifest lists the globs), they load into the same rows as the contract files.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from babel import Locale, numbers

from marketing_health.contract import Source, load_contract
from marketing_health.generate import exports, sql, teams
from marketing_health.generate.manifest import SampleTeam

#: Sources whose files count as social exports for the team's date format (teams.yaml dates).
SOCIAL_SOURCES = ("social_posts", "social_comments")
UTF8_BOM = b"\xef\xbb\xbf"
_CLDR_FIELDS = {"y": "%Y", "yyyy": "%Y", "yy": "%y", "M": "%-m", "MM": "%m", "d": "%-d", "dd": "%d"}


def strftime_pattern(cldr: str) -> str:
    """A CLDR date pattern (``y/M/d``, ``dd.MM.y``, ``y年M月d日``) as a DuckDB strftime format."""
    out = []
    i = 0
    while i < len(cldr):
        ch = cldr[i]
        if ch == "'":
            end = cldr.index("'", i + 1)
            out.append(cldr[i + 1 : end].replace("%", "%%") or "'")
            i = end + 1
        elif ch.isascii() and ch.isalpha():
            j = i
            while j < len(cldr) and cldr[j] == ch:
                j += 1
            run = cldr[i:j]
            if run not in _CLDR_FIELDS:
                raise ValueError(f"date pattern {cldr!r}: field {run!r} is not supported")
            out.append(_CLDR_FIELDS[run])
            i = j
        else:
            out.append(ch.replace("%", "%%"))
            i += 1
    return "".join(out)


class TeamFiles:
    """Writes every sample team's rows of a source into the team's own files."""

    def __init__(self, campaigns: pd.DataFrame, locale_team: np.ndarray) -> None:
        self.teams = teams.load_teams()
        keys = np.array([t.key for t in self.teams] + [""])[locale_team]
        mine = locale_team != teams.NO_TEAM
        self.campaigns = pd.DataFrame(
            {"campaign_id": campaigns["campaign_id"].to_numpy()[mine], "team_key": keys[mine]}
        )
        self._registered: set[int] = set()

    def _register(self, con: duckdb.DuckDBPyConnection) -> None:
        if id(con) in self._registered:
            return
        con.register("team_campaigns_frame", self.campaigns)
        con.execute("CREATE OR REPLACE TABLE team_campaigns AS SELECT * FROM team_campaigns_frame")
        con.unregister("team_campaigns_frame")
        self._registered.add(id(con))

    @staticmethod
    def _condition(spec: Source, team_keys: str) -> str | None:
        names = {c.name for c in spec.columns}
        of_teams = f"SELECT campaign_id FROM team_campaigns WHERE team_key IN ({team_keys})"
        if "campaign_id" in names:
            return f"campaign_id IN ({of_teams})"
        if spec.name == "email_recipients":
            sends = f"SELECT send_id FROM stage_email_sends WHERE campaign_id IN ({of_teams})"
            return f"send_id IN ({sends})"
        return None

    def rows(self, con: duckdb.DuckDBPyConnection, spec: Source) -> str | None:
        """Condition on ``stage_<source>`` of the rows some team delivers itself (None: the
        source has no team rows, e.g. the creator pool)."""
        self._register(con)
        keys = ", ".join(sql.quote(k) for k in sorted(set(self.campaigns["team_key"])))
        return self._condition(spec, keys) if keys else None

    def write(
        self, con: duckdb.DuckDBPyConnection, landing: Path, spec: Source, end_date: date
    ) -> None:
        """Every team's rows of ``spec`` in the team's files."""
        self._register(con)
        for team in self.teams:
            if team.key not in set(self.campaigns["team_key"]):
                continue
            where = self._condition(spec, sql.quote(team.key))
            if where is not None:
                _write_team_source(con, landing, spec, team, where, end_date)


def _date_format(team: teams.Team, source: str) -> str:
    kind = "social" if source in SOCIAL_SOURCES else "other"
    length = team.dates.get(kind, "medium")
    return strftime_pattern(Locale.parse(team.locale, sep="-").date_formats[length].pattern)


def _words(column: str, words: dict[str, str]) -> str:
    if not words:
        return column
    branches = " ".join(f"WHEN {sql.quote(k)} THEN {sql.quote(v)}" for k, v in words.items())
    return f"CASE {column} {branches} ELSE {column} END"


def render_columns(spec: Source, team: teams.Team) -> list[str]:
    """SQL of every contract column of ``stage_<source>`` as the team writes it."""
    locale = Locale.parse(team.locale, sep="-")
    group, decimal = numbers.get_group_symbol(locale), numbers.get_decimal_symbol(locale)
    swap = f"translate({{}}, ',.', {sql.quote(group + decimal)})"
    day = _date_format(team, spec.name)
    out = []
    for c in spec.columns:
        name = c.name
        if c.type == "date":
            value = f"strftime({name}, {sql.quote(day)})"
        elif c.type == "timestamp":
            value = f"strftime({name}, {sql.quote(day + ' %H:%M:%S')})"
        elif c.type == "integer":
            value = swap.format(f"format('{{:,}}', {name})")
        elif c.type == "decimal":
            value = swap.format(f"format('{{:,.2f}}', CAST({name} AS DOUBLE))")
        elif c.type == "boolean":
            yes, no = (sql.quote(w) for w in team.booleans)
            value = f"CASE WHEN {name} THEN {yes} WHEN NOT {name} THEN {no} END"
        elif name == "platform":
            value = _words(name, team.platform_words)
        elif name == "post_format":
            value = _words(name, team.format_words)
        else:
            value = name
        out.append(f"{value} AS {name}")
    return out


def _write_team_source(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    spec: Source,
    team: teams.Team,
    where: str,
    end_date: date,
) -> None:
    columns = ", ".join(render_columns(spec, team))
    if not con.execute(f"SELECT count(*) FROM stage_{spec.name} WHERE {where}").fetchone()[0]:
        return  # a team without partners sends no empty partner sheet
    if spec.kind == "snapshot":
        folder = landing / spec.name / end_date.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        name = team.other_files.format(source=spec.name, day=end_date.isoformat())
        select = f"SELECT {columns} FROM stage_{spec.name} WHERE {where} ORDER BY _ord"
        target = folder / name
        exports._copy(con, select, target)
        _finish(target, team)
        return
    by_platform = spec.name in team.by_platform
    file_key = "platform" if by_platform else sql.quote(spec.name)
    select = (
        f"SELECT strftime({spec.day_column}, '%Y-%m-%d') AS _day, {file_key} AS _file, "
        f"{columns} FROM stage_{spec.name} WHERE {where} ORDER BY {spec.day_column}, _ord"
    )
    scratch = landing / ".team-export"
    shutil.rmtree(scratch, ignore_errors=True)
    con.execute("SET partitioned_write_max_open_files = 10000")
    exports._copy(
        con, select, scratch, ", PARTITION_BY (_day, _file), WRITE_PARTITION_COLUMNS false"
    )
    for file in sorted(scratch.rglob("*.csv")):
        day = file.parent.parent.name.split("=", 1)[1]
        key = file.parent.name.split("=", 1)[1]
        if by_platform:
            name = team.by_platform[spec.name].format(platform=key, day=day)
        else:
            name = team.other_files.format(source=spec.name, day=day)
        folder = landing / spec.name / day
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        file.replace(target)
        _finish(target, team)
    shutil.rmtree(scratch)


def _finish(path: Path, team: teams.Team) -> None:
    if team.bom:
        path.write_bytes(UTF8_BOM + path.read_bytes())


def manifest_teams(
    campaigns: pd.DataFrame, locale_team: np.ndarray, team_style: str
) -> tuple[SampleTeam, ...]:
    """The manifest's entries for the sample teams that own campaigns."""
    if team_style == "none":
        return ()
    sources = tuple(s.name for s in load_contract())
    out = []
    for k, team in enumerate(teams.load_teams()):
        ids = tuple(sorted(campaigns["campaign_id"].to_numpy()[locale_team == k]))
        if not ids:
            continue
        out.append(
            SampleTeam(
                key=team.key,
                owner_team=team.owner_team,
                owner_slack_channel=team.slack_channel,
                locale=team.locale,
                campaign_ids=ids,
                files=team.file_patterns(sources) if team_style == "localised" else (),
            )
        )
    return tuple(out)
