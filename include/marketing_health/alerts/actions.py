"""What people did about an alert: acknowledge it, snooze it, call it expected or not a problem.

An action names one alert (a campaign's pitfall in one night's digest, :class:`AlertRef`), who
did it, from where (a Slack button or the Marketing health page in Airflow) and, for a snooze,
until which night. Every action is kept in ``alerts.alert_actions``; the next digests read it
(:mod:`marketing_health.alerts.triage`) and the reports count the labels.

DuckDB lets one process write at a time and the night may be running when someone clicks, so
an action is first written to a durable inbox, one file per action under
``<data>/actions/inbox/`` (written to a temporary name, flushed to disk, then renamed), and only
then recorded in the warehouse in one short transaction when the warehouse is free within a
couple of seconds. What stays in the inbox is recorded by the next click or, at the latest, by
the night's alert stage before it builds the digests, so nothing is lost and nothing waits on
a long lock.

Recording is idempotent: an action's id is a hash of what it says and of the request that
carried it (Slack's ``action_ts`` or view id, the page form's one-time key), so the same
request twice is recorded once; and an action identical to the alert's latest one (the same
person acknowledging twice) adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from marketing_health.settings import Paths

log = logging.getLogger(__name__)

ACTIONS = ("acknowledge", "snooze", "expected", "not_a_problem", "reopen")
SOURCES = ("slack", "ui")
#: Actions that say the alert was not needed: the labels the reports learn from.
LABELS = ("expected", "not_a_problem")
#: Actions that keep an alert out of the digests until it expires or gets worse.
QUIETING = ("snooze", "expected", "not_a_problem")
ACTIONS_TABLE = "alerts.alert_actions"
#: Longest note kept; Slack's text input allows 3000, a note is a sentence or two.
NOTE_LIMIT = 2000
#: The longest snooze, so a typo in a date does not silence an alert for years.
MAX_SNOOZE_DAYS = 366
#: How long a click waits for the warehouse before its action stays in the inbox.
RECORD_WAIT_SECONDS = 2.0

_PITFALL_ID = re.compile(r"^P\d{2,3}$")
_MAX_ID_LENGTH = 120
_MAX_NAME_LENGTH = 200

_DDL = f"""
create table if not exists {ACTIONS_TABLE} (
    action_id VARCHAR PRIMARY KEY,
    campaign_id VARCHAR NOT NULL,
    pitfall_id VARCHAR NOT NULL,
    night DATE NOT NULL,
    action VARCHAR NOT NULL CHECK (action IN ({", ".join(repr(a) for a in ACTIONS)})),
    user_id VARCHAR NOT NULL,
    user_name VARCHAR,
    source VARCHAR NOT NULL CHECK (source IN ({", ".join(repr(s) for s in SOURCES)})),
    acted_at TIMESTAMP NOT NULL,
    until_date DATE,
    note VARCHAR,
    channel VARCHAR,
    message_ts VARCHAR,
    recorded_at TIMESTAMP NOT NULL
)
"""
_COLUMNS = (
    "action_id",
    "campaign_id",
    "pitfall_id",
    "night",
    "action",
    "user_id",
    "user_name",
    "source",
    "acted_at",
    "until_date",
    "note",
    "channel",
    "message_ts",
    "recorded_at",
)


class InvalidAction(ValueError):
    """An action that cannot be recorded; the message says what is wrong with it."""


def utc_now() -> datetime:
    """Naive UTC, the convention of every timestamp column in the warehouse."""
    return datetime.now(UTC).replace(tzinfo=None)


def _iso_day(value: str | date, what: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidAction(f"{what} must be a date written YYYY-MM-DD, got {value!r}") from None


@dataclass(frozen=True)
class AlertRef:
    """One alert: a campaign's pitfall as a night's digest told it."""

    campaign_id: str
    pitfall_id: str
    night: str

    def __post_init__(self) -> None:
        if not self.campaign_id or len(self.campaign_id) > _MAX_ID_LENGTH:
            raise InvalidAction(f"not a campaign id: {self.campaign_id!r}")
        if not _PITFALL_ID.match(self.pitfall_id):
            raise InvalidAction(f"not a pitfall id: {self.pitfall_id!r}")
        object.__setattr__(self, "night", _iso_day(self.night, "the night"))

    def encode(self, **extra: Any) -> str:
        """Compact JSON for a button's value or a block id: ``{"c": ..., "p": ..., "n": ...}``
        and whatever ``extra`` adds (the digest's language, a block's version)."""
        data = {"c": self.campaign_id, "p": self.pitfall_id, "n": self.night, **extra}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> tuple[AlertRef, dict[str, Any]]:
        """The reference and the extra keys of :meth:`encode`'s text."""
        try:
            data = json.loads(text)
            ref = cls(str(data.pop("c")), str(data.pop("p")), str(data.pop("n")))
        except (ValueError, TypeError, KeyError, AttributeError):
            raise InvalidAction(f"not an alert reference: {text[:200]!r}") from None
        return ref, data


def alert_ref(campaign_id: str, pitfall_id: str, night: str) -> AlertRef | None:
    """The alert's reference, None for one that cannot be acted on (a guard id no pitfall has
    the shape of, a campaign id too long for Slack)."""
    try:
        return AlertRef(campaign_id, pitfall_id, night)
    except InvalidAction:
        return None


@dataclass(frozen=True)
class AlertAction:
    """One thing one person did about one alert."""

    ref: AlertRef
    action: str
    user_id: str
    user_name: str | None
    source: str
    acted_at: datetime = field(default_factory=utc_now)
    #: Snooze: the last night the alert stays quiet (it is back the night after).
    until: str | None = None
    note: str | None = None
    #: Where the action was taken in Slack (channel id and the message's ts), when it was.
    channel: str | None = None
    message_ts: str | None = None
    #: What makes one request unique (Slack's action_ts or view id, the page form's key): the
    #: same request twice is one action.
    request_key: str = ""

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise InvalidAction(f"unknown action {self.action!r}; one of {', '.join(ACTIONS)}")
        if self.source not in SOURCES:
            raise InvalidAction(f"unknown source {self.source!r}; one of {', '.join(SOURCES)}")
        if not self.user_id:
            raise InvalidAction("an action needs the person who took it")
        if self.user_name is not None:
            object.__setattr__(self, "user_name", self.user_name.strip()[:_MAX_NAME_LENGTH] or None)
        note = (self.note or "").strip()
        object.__setattr__(self, "note", note[:NOTE_LIMIT] or None)
        if self.action != "snooze":
            object.__setattr__(self, "until", None)
            return
        if self.until is None:
            raise InvalidAction("a snooze needs the night it lasts until")
        until = _iso_day(self.until, "the snooze's end")
        night = date.fromisoformat(self.ref.night)
        if not night < date.fromisoformat(until) <= night + timedelta(days=MAX_SNOOZE_DAYS):
            raise InvalidAction(
                f"a snooze of the {self.ref.night} alert must end after that night and within "
                f"{MAX_SNOOZE_DAYS} days, not on {until}"
            )
        object.__setattr__(self, "until", until)

    @classmethod
    def snooze_for(cls, ref: AlertRef, days: int, **kwargs: Any) -> AlertAction:
        """A snooze of ``days`` nights after the alert's night (1: quiet the next night)."""
        until = date.fromisoformat(ref.night) + timedelta(days=days)
        return cls(ref, "snooze", until=until.isoformat(), **kwargs)

    @property
    def who(self) -> str:
        """The person as people read it: their name, else their id."""
        return self.user_name or self.user_id

    @property
    def action_id(self) -> str:
        said = [
            self.source,
            self.request_key,
            self.ref.campaign_id,
            self.ref.pitfall_id,
            self.ref.night,
            self.action,
            self.user_id,
            self.until or "",
            self.note or "",
        ]
        if not self.request_key:
            said.append(self.acted_at.isoformat())
        return hashlib.sha256("\x1f".join(said).encode()).hexdigest()[:32]

    def to_json(self) -> str:
        data = asdict(self)
        data["acted_at"] = self.acted_at.isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> AlertAction:
        data = json.loads(text)
        data["ref"] = AlertRef(**data["ref"])
        data["acted_at"] = datetime.fromisoformat(data["acted_at"])
        return cls(**data)


# ---------------------------------------------------------------- the durable inbox


class ActionInbox:
    """Actions taken but not yet recorded in the warehouse, one file each."""

    def __init__(self, paths: Paths) -> None:
        self.folder = paths.actions_dir / "inbox"

    def put(self, action: AlertAction) -> Path:
        """Keep the action on disk before anyone is told it was taken (idempotent)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{action.action_id}.json"
        if target.exists():
            return target
        partial = self.folder / f".{action.action_id}.{os.getpid()}.tmp"
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(action.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
        _sync_folder(self.folder)
        return target

    def pending(self) -> list[tuple[Path, AlertAction]]:
        """Every action waiting, oldest first; a file that cannot be read is logged and left."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                found.append((path, AlertAction.from_json(path.read_text(encoding="utf-8"))))
            except FileNotFoundError:  # recorded by another process meanwhile
                continue
            except (ValueError, TypeError, KeyError) as exc:
                log.error("Alert action %s cannot be read and stays in the inbox: %s", path, exc)
        return sorted(found, key=lambda item: item[1].acted_at)

    def __len__(self) -> int:
        return len(self.pending())


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash right after it keeps the file)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------- the warehouse table


def ensure_actions_table(con: Any) -> None:
    con.execute("create schema if not exists alerts")
    con.execute(_DDL)


def _latest(con: Any, ref: AlertRef) -> tuple[Any, ...] | None:
    return con.execute(
        f"""
        select action, user_id, until_date::varchar, note, night::varchar
        from {ACTIONS_TABLE}
        where campaign_id = ? and pitfall_id = ?
        order by acted_at desc, recorded_at desc
        limit 1
        """,
        [ref.campaign_id, ref.pitfall_id],
    ).fetchone()


def record_actions(con: Any, actions: Sequence[AlertAction]) -> list[AlertAction]:
    """Record actions in one transaction; returns the ones that were new.

    An action already recorded (same id), or saying exactly what the alert's latest action
    says, is skipped.
    """
    ensure_actions_table(con)
    recorded: list[AlertAction] = []
    now = utc_now()
    con.execute("begin transaction")
    try:
        for a in sorted(actions, key=lambda a: a.acted_at):
            exists = con.execute(
                f"select count(*) from {ACTIONS_TABLE} where action_id = ?", [a.action_id]
            ).fetchone()[0]
            if exists:
                continue
            latest = _latest(con, a.ref)
            if latest is not None and tuple(latest) == (
                a.action,
                a.user_id,
                a.until,
                a.note,
                a.ref.night,
            ):
                continue
            con.execute(
                f"insert into {ACTIONS_TABLE} ({', '.join(_COLUMNS)}) "
                "values (?, ?, ?, ?::date, ?, ?, ?, ?, ?, ?::date, ?, ?, ?, ?) "
                "on conflict (action_id) do nothing",
                [
                    a.action_id,
                    a.ref.campaign_id,
                    a.ref.pitfall_id,
                    a.ref.night,
                    a.action,
                    a.user_id,
                    a.user_name,
                    a.source,
                    a.acted_at,
                    a.until,
                    a.note,
                    a.channel,
                    a.message_ts,
                    now,
                ],
            )
            recorded.append(a)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return recorded


def flush_inbox(paths: Paths, con: Any) -> int:
    """Record every action waiting in the inbox through ``con`` (writable); returns how many
    were new. Files are removed only once their transaction committed."""
    inbox = ActionInbox(paths)
    waiting = inbox.pending()
    if not waiting:
        return 0
    recorded = record_actions(con, [a for _, a in waiting])
    for path, _ in waiting:
        path.unlink(missing_ok=True)
    if recorded:
        log.info("Recorded %d alert action(s) from %s", len(recorded), inbox.folder)
    return len(recorded)


def record(paths: Paths, action: AlertAction, *, wait_seconds: float = RECORD_WAIT_SECONDS) -> str:
    """Keep the action in the inbox, then record the inbox in the warehouse if it is free
    within ``wait_seconds``.

    Returns ``"recorded"`` when the warehouse has it now, ``"queued"`` when it waits in the
    inbox for the next chance (the night's alert stage at the latest).
    """
    ActionInbox(paths).put(action)
    return flush_when_free(paths, wait_seconds=wait_seconds, wanted=action.action_id)


def flush_when_free(
    paths: Paths, *, wait_seconds: float = RECORD_WAIT_SECONDS, wanted: str | None = None
) -> str:
    """Record what the inbox holds unless the warehouse stays busy for ``wait_seconds``."""
    from marketing_health.warehouse import connect

    try:
        with connect(paths, wait_seconds=wait_seconds) as con:
            flush_inbox(paths, con)
    except Exception as exc:  # busy, locked by another program, or a server away
        log.warning(
            "The warehouse is busy or unreachable (%s): alert actions wait in %s and are "
            "recorded by the next alert stage",
            str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
            ActionInbox(paths).folder,
        )
        return "queued"
    if wanted and (ActionInbox(paths).folder / f"{wanted}.json").exists():
        return "queued"
    return "recorded"


# ---------------------------------------------------------------- reading them back


@dataclass(frozen=True)
class RecordedAction:
    """An action as the warehouse holds it, with the alert's values on the night acted on (the
    baseline a quiet alert must get worse than to come back)."""

    campaign_id: str
    pitfall_id: str
    night: str
    action: str
    user_id: str
    user_name: str | None
    source: str
    acted_at: datetime
    until: str | None = None
    note: str | None = None
    baseline_severity: str | None = None
    baseline_observed: float | None = None

    @property
    def who(self) -> str:
        return self.user_name or self.user_id

    @property
    def acted_on(self) -> str:
        """The day the action was taken (UTC)."""
        return self.acted_at.date().isoformat()


def _has_columns(con: Any, schema: str, table: str, columns: Sequence[str]) -> bool:
    marks = ", ".join("?" * len(columns))
    found = con.execute(
        "select count(*) from information_schema.columns "
        f"where table_schema = ? and table_name = ? and column_name in ({marks})",
        [schema, table, *columns],
    ).fetchone()[0]
    return int(found) == len(columns)


def load_actions(
    con: Any, run_date: str, campaign_ids: Iterable[str] | None = None
) -> dict[tuple[str, str], list[RecordedAction]]:
    """(campaign, pitfall) -> its actions on alerts up to ``run_date``, oldest first.

    Empty when nothing was ever recorded (no table yet).
    """
    from marketing_health.warehouse import table_exists

    if not table_exists(con, "alerts", "alert_actions"):
        return {}
    with_results = table_exists(con, "guards", "guard_results") and _has_columns(
        con, "guards", "guard_results", ("severity", "observed_value")
    )
    baseline = "g.severity, g.observed_value" if with_results else "null, null"
    join = (
        "left join guards.guard_results as g on g.run_date = a.night "
        "and g.guard_id = a.pitfall_id and g.campaign_id = a.campaign_id"
        if with_results
        else ""
    )
    rows = con.execute(
        f"""
        select a.campaign_id, a.pitfall_id, a.night::varchar, a.action, a.user_id, a.user_name,
               a.source, a.acted_at, a.until_date::varchar, a.note, {baseline}
        from {ACTIONS_TABLE} as a {join}
        where a.night <= ?::date
        order by a.acted_at, a.recorded_at, a.action_id
        """,
        [run_date],
    ).fetchall()
    wanted = None if campaign_ids is None else set(campaign_ids)
    out: dict[tuple[str, str], list[RecordedAction]] = {}
    for row in rows:
        action = RecordedAction(*row[:10], row[10], None if row[11] is None else float(row[11]))
        if wanted is None or action.campaign_id in wanted:
            out.setdefault((action.campaign_id, action.pitfall_id), []).append(action)
    return out
