"""Sample teams that work in their own language: a Shanghai team and a Berlin team.

The teams are data (``teams.yaml``). With a team style other than ``none`` each team takes over
the scenario pairs of the pitfalls it lists: its campaigns are named, planned and posted in its
language. Which campaign carries which pitfall, and every random draw, stay as they are, so the
manifest's expectations hold unchanged; only words change (names, KPI terms, copy, platform
labels) and, in the ``localised`` style, the way the team's files are written
(:mod:`marketing_health.generate.team_files`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from marketing_health.generate import sql, vocab
from marketing_health.generate.injections import INJECTIONS, SCENARIO

TEAMS_FILE = Path(__file__).with_name("teams.yaml")
#: ``none``: the sample as it always was (English-speaking teams only); ``contract``: the
#: Shanghai and Berlin teams own campaigns, their words in the contract's files; ``localised``:
#: the teams also deliver their own files, in their locale and words.
TEAM_STYLES = ("none", "contract", "localised")
NO_TEAM = -1


@dataclass(frozen=True)
class TeamCampaign:
    name: str
    storyline: str
    hashtag: str


@dataclass(frozen=True)
class Team:
    """One sample team as ``teams.yaml`` describes it."""

    key: str
    owner_team: str
    slack_channel: str
    locale: str
    language: str
    currency: str
    pitfalls: tuple[str, ...]
    campaigns: tuple[TeamCampaign, ...]
    #: The market the team runs its campaigns in (``vocab.MARKETS`` code) ...
    market: str
    #: ... and the places its campaign names target there: the scenario's, then its twin's.
    places: tuple[str, str]
    kpi_terms: dict[str, str]
    video_slots: dict[str, str] = field(default_factory=dict)
    other_slots: tuple[str, ...] = ()
    formats: dict[str, dict[str, float]] = field(default_factory=dict)
    paid: dict[str, str] = field(default_factory=dict)
    platform_words: dict[str, str] = field(default_factory=dict)
    format_words: dict[str, str] = field(default_factory=dict)
    booleans: tuple[str, str] = ("true", "false")
    dates: dict[str, str] = field(default_factory=dict)
    by_platform: dict[str, str] = field(default_factory=dict)
    other_files: str = "{source}_{day}.csv"
    bom: bool = False

    @property
    def social_platforms(self) -> tuple[str, ...]:
        """Platforms the team posts on (video slots first), in file order."""
        return tuple(dict.fromkeys([*self.video_slots.values(), *self.other_slots]))

    def file_patterns(self, sources: tuple[str, ...]) -> tuple[str, ...]:
        """Globs (relative to the landing zone) that find every file the team delivers."""
        out = []
        for source in sources:
            template = self.by_platform.get(source)
            if template:
                out += [
                    f"{source}/*/" + template.format(platform=p, day="????-??-??")
                    for p in self.social_platforms
                ]
        other = self.other_files.format(source="*", day="????-??-??")
        out.append(f"*/*/{other}")
        return tuple(out)


def _team(key: str, raw: dict[str, Any]) -> Team:
    social = raw.get("social") or {}
    words = raw.get("words") or {}
    files = raw.get("files") or {}
    booleans = tuple(words.get("booleans") or ("true", "false"))
    if len(booleans) != 2:
        raise ValueError(
            f"{TEAMS_FILE}: teams.{key}.words.booleans must be [true word, false word]"
        )
    market, places = raw["market"], tuple(raw["places"])
    if market not in {m.code for m in vocab.MARKETS} or len(places) != 2:
        raise ValueError(
            f"{TEAMS_FILE}: teams.{key} needs market (one of the vocab.MARKETS codes) and "
            "places: [the scenario's place, its twin's place]"
        )
    known = {i.pitfall for i in INJECTIONS}
    unknown = [p for p in raw["pitfalls"] if p not in known]
    if unknown:
        raise ValueError(f"{TEAMS_FILE}: teams.{key}.pitfalls names unknown pitfalls {unknown}")
    return Team(
        key=key,
        owner_team=raw["owner_team"],
        slack_channel=raw["slack_channel"],
        locale=raw["locale"],
        language=raw["language"],
        currency=raw["currency"],
        pitfalls=tuple(raw["pitfalls"]),
        campaigns=tuple(TeamCampaign(**c) for c in raw["campaigns"]),
        market=market,
        places=(str(places[0]), str(places[1])),
        kpi_terms=dict(raw["kpi_terms"]),
        video_slots=dict(social.get("video_slots") or {}),
        other_slots=tuple(social.get("other_slots") or ()),
        formats={p: dict(mix) for p, mix in (social.get("formats") or {}).items()},
        paid=dict(raw.get("paid") or {}),
        platform_words=dict(words.get("platforms") or {}),
        format_words=dict(words.get("post_formats") or {}),
        booleans=(str(booleans[0]), str(booleans[1])),
        dates=dict(raw.get("dates") or {}),
        by_platform=dict(files.get("by_platform") or {}),
        other_files=files.get("other", "{source}_{day}.csv"),
        bom=bool(raw.get("bom", False)),
    )


@cache
def load_teams() -> tuple[Team, ...]:
    """The sample teams, in file order (their index is the campaign's ``locale_team``)."""
    data = yaml.safe_load(TEAMS_FILE.read_text(encoding="utf-8"))
    return tuple(_team(key, raw) for key, raw in data["teams"].items())


def check_style(team_style: str) -> None:
    if team_style not in TEAM_STYLES:
        raise ValueError(f"team style must be one of {', '.join(TEAM_STYLES)}, not {team_style!r}")


def assign(
    team_style: str, role: np.ndarray, shape: np.ndarray, partner: np.ndarray, ids: np.ndarray
) -> np.ndarray:
    """The team of each campaign (index into :func:`load_teams`, ``NO_TEAM`` for none).

    A team takes the pairs (scenario and twin) of its pitfalls, the scenario with the lowest id
    first when a pitfall repeats; when the sample has none of them, the first pair left.
    No random draw is made, so the data of every campaign stays what the seed gives.
    """
    check_style(team_style)
    out = np.full(len(role), NO_TEAM)
    if team_style == "none":
        return out
    scenarios = sorted(np.flatnonzero(role == SCENARIO), key=lambda i: ids[i])
    codes = {inj.pitfall: c for c, inj in enumerate(INJECTIONS)}
    taken: list[int] = []
    for k, team in enumerate(load_teams()):
        wanted = [
            next((i for i in scenarios if shape[i] == codes[p] and i not in taken), None)
            for p in team.pitfalls
        ]
        mine = [i for i in wanted if i is not None]
        if not mine:
            mine = [i for i in scenarios if i not in taken][:1]
        for i in mine:
            out[i] = out[partner[i]] = k
        taken += mine
    return out


def pair_number(locale_team: np.ndarray, role: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Per team campaign, the number of its pair within the team (by scenario order)."""
    out = np.full(len(role), -1)
    for k in range(len(load_teams())):
        for n, i in enumerate(np.flatnonzero((locale_team == k) & (role == SCENARIO))):
            out[i] = out[partner[i]] = n
    return out


def team_markets(locale_team: np.ndarray, market: np.ndarray) -> np.ndarray:
    """Each campaign's market, a team campaign's being its team's (the team routes by it)."""
    codes = [m.code for m in vocab.MARKETS]
    out = market.copy()
    for k, team in enumerate(load_teams()):
        out[locale_team == k] = codes.index(team.market)
    return out


def campaign_words(team: Team, pair: int, *, twin: bool) -> dict[str, str]:
    """Name, storyline and hashtag of a team campaign: the pair's words and the place it
    targets in the team's market (the twin's differs from its scenario's)."""
    words = team.campaigns[pair % len(team.campaigns)]
    round_ = pair // len(team.campaigns)
    name = f"{words.name} {team.places[1 if twin else 0]}"
    if round_:
        name += f" {round_ + 1}"
    return {"campaign_name": name, "storyline": words.storyline, "hashtag": words.hashtag}


# --- platforms ---------------------------------------------------------------------------


@cache
def team_social_platforms() -> tuple[str, ...]:
    """Platform ids team campaigns post on that the sample's own list lacks, in a fixed order:
    they follow ``vocab.SOCIAL_PLATFORMS`` in the generator's platform index."""
    extra: list[str] = []
    for team in load_teams():
        extra += [p for p in team.social_platforms if p not in vocab.SOCIAL_PLATFORMS]
    return tuple(dict.fromkeys(extra))


def all_social_platforms() -> tuple[str, ...]:
    return vocab.SOCIAL_PLATFORMS + team_social_platforms()


def social_labels(locale_team: np.ndarray, platform: np.ndarray, slot: np.ndarray) -> np.ndarray:
    """The platform a post is on (index into :func:`all_social_platforms`): the sample's
    platform, or for a team that posts elsewhere its platform for that slot."""
    labels = platform.astype(np.int64).copy()
    names = all_social_platforms()
    for k, team in enumerate(load_teams()):
        if not team.video_slots:
            continue
        mine = locale_team == k
        if not mine.any():
            continue
        video = np.array([names.index(team.video_slots.get(p, p)) for p in vocab.SOCIAL_PLATFORMS])
        others = np.array([names.index(p) for p in team.other_slots])
        on_video = mine & (slot < 2)
        labels[on_video] = video[platform[on_video]]
        on_other = mine & (slot >= 2)
        labels[on_other] = others[(slot[on_other] - 2) % len(others)]
    return labels


def format_mix(base: np.ndarray) -> np.ndarray:
    """Format mix per platform index of :func:`all_social_platforms`: the sample's rows, then
    the team platforms' mixes from ``teams.yaml``."""
    rows = [base]
    for platform in team_social_platforms():
        mix = next(t.formats[platform] for t in load_teams() if platform in t.formats)
        row = np.array([mix.get(f, 0.0) for f in vocab.SOCIAL_FORMATS])
        rows.append((row / row.sum())[None, :])
    return np.concatenate(rows)


def paid_label_sql(index_sql: str) -> str:
    """SQL: the ad platform of a paid row, the team's own where it books elsewhere."""
    default = sql.pick(vocab.PAID_PLATFORMS, index_sql)
    branches = " ".join(
        f"WHEN {sql.quote(t.key)} THEN "
        + sql.pick(tuple(t.paid.get(p, p) for p in vocab.PAID_PLATFORMS), index_sql)
        for t in load_teams()
        if t.paid
    )
    return f"CASE c.team_key {branches} ELSE {default} END" if branches else default


def kpi_term(team: Team, metric: str) -> str:
    return team.kpi_terms.get(metric, metric)
