"""Personal data: the hashing key, keyed hashes of e-mail/phone columns, redaction of free text.

Data is only ever touched in SQL inside DuckDB, before anything is written anywhere: the raw
value of a personal-data column exists only in the in-memory table the file is read into.
What leaves that table is ``sha256(key || ':' || normalised value)`` (so the same person gets
the same hash in every file, yet nobody without the key can test a guessed address against
it), or text with addresses and numbers replaced by ``[redacted e-mail]`` /
``[redacted phone]``.

The phone pattern errs on the side of ids and dates staying readable: it needs at least 8
digits and a phone-like start (``+``, ``00``, ``0``, a bracketed area code, or the 3-3-4
North-American grouping), and never treats a date such as ``2026-11-20`` or ``20.11.2026`` as a
number; long ids (``120204385505670650``) and amounts (``1,234,567.00``) are left alone.
"""

from __future__ import annotations

import logging
import os
import re

from marketing_health.ingest.sql import literal
from marketing_health.settings import PII_KEY_CONN_ID, PII_KEY_ENV, Paths

log = logging.getLogger(__name__)

EMAIL_REDACTED = "[redacted e-mail]"
PHONE_REDACTED = "[redacted phone]"

EMAIL_PATTERN = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_DIGIT_UNIT = r"(?:[ .\-/]?(?:\(\d{1,4}\)[ .\-]?)?\d)"
PHONE_PATTERN = "|".join(
    (
        r"\+\d{1,3}" + _DIGIT_UNIT + r"{6,14}\b",  # +49 30 1234567, +44 (0)20 7946 0958
        r"\b0\d" + _DIGIT_UNIT + r"{6,13}\b",  # 0612345678, 06 12 34 56 78, 0049 30 1234567
        r"\(?\b\d{3}\)?[ .\-]\d{3}[ .\-]\d{4}\b",  # (555) 123-4567, 555-123-4567
    )
)
_DATE_PATTERNS = (r"\d{4}[./\-]\d{1,2}[./\-]\d{1,2}", r"\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}")
MIN_PHONE_DIGITS = 8

#: Name of the query parameter that carries the key; the key itself never enters SQL text.
KEY_PARAMETER = "pii_key"


class MissingPiiKeyError(RuntimeError):
    """No key to hash personal data with: loading would otherwise have to store raw values."""


def resolve_pii_key(paths: Paths | None = None) -> str:
    """The secret key for hashing personal data.

    Read from the environment variable ``MH_PII_HASH_KEY`` first, then from the password of
    the Airflow connection ``marketing_health_pii``, then (with ``paths``) from the key file a
    local trial created in the data folder (``secrets/pii_hash_key``, see
    ``marketing-health demo``), so every way of running a night on that folder hashes an
    address the same way. The key is never logged. Keep it stable: a new key gives every
    person a new hash, so history no longer joins.
    """
    key = os.getenv(PII_KEY_ENV, "")
    if key:
        return key
    key = _key_from_airflow_connection()
    if key:
        return key
    if paths is not None and paths.pii_key_file.is_file():
        key = paths.pii_key_file.read_text(encoding="utf-8").strip()
        if key:
            return key
    raise MissingPiiKeyError(
        "No key to hash personal data (e-mail addresses, phone numbers) with, so nothing was "
        f"loaded. Set the environment variable {PII_KEY_ENV} to a long random secret, or create "
        f"an Airflow connection '{PII_KEY_CONN_ID}' whose password is that secret, e.g. "
        f"`airflow connections add {PII_KEY_CONN_ID} --conn-type generic "
        "--conn-password <secret>`. "
        "Keep the same key from night to night: a new key gives every person a new hash."
        + (
            f" (No local key file either: {paths.pii_key_file} does not exist or is empty.)"
            if paths is not None
            else ""
        )
    )


def _key_from_airflow_connection() -> str:
    """Password of the key connection, or '' when Airflow or the connection is not there."""
    try:
        from airflow.sdk import Connection
        from airflow.sdk.exceptions import AirflowNotFoundException
    except ImportError:
        return ""
    try:
        conn = Connection.get(PII_KEY_CONN_ID)
    except AirflowNotFoundException:
        return ""
    except Exception as exc:  # no secrets backend reachable outside a task: fall back to the error
        log.debug(
            "Airflow connection %s could not be read (%s)", PII_KEY_CONN_ID, type(exc).__name__
        )
        return ""
    return conn.password or ""


def hash_sql(value_sql: str, kind: str) -> str:
    """Keyed SHA-256 of a trimmed value (NULL stays NULL), normalised so formatting never
    splits one person into two hashes: e-mail lower-cased, phone reduced to digits with its
    leading ``+``."""
    if kind == "email":
        normalised = f"lower({value_sql})"
    elif kind == "phone":
        normalised = (
            f"NULLIF(NULLIF((CASE WHEN starts_with({value_sql}, '+') THEN '+' ELSE '' END) "
            f"|| regexp_replace({value_sql}, '[^0-9]', '', 'g'), ''), '+')"
        )
    else:
        raise ValueError(f"unknown kind of personal data {kind!r}")
    return f"sha256(${KEY_PARAMETER} || ':' || {normalised})"


def redact_text(text: str) -> str:
    """The same redaction in Python, for the few strings that are not data: a header shown in
    a rejection message may be the first data row of a file exported without one."""

    def phone(match: re.Match[str]) -> str:
        found = match.group(0)
        digits = sum(ch.isdigit() for ch in found)
        is_date = any(re.fullmatch(p, found) for p in _DATE_PATTERNS)
        return PHONE_REDACTED if digits >= MIN_PHONE_DIGITS and not is_date else found

    return re.sub(PHONE_PATTERN, phone, re.sub(EMAIL_PATTERN, EMAIL_REDACTED, text))


def without_emails_sql(value_sql: str) -> str:
    return f"regexp_replace({value_sql}, {literal(EMAIL_PATTERN)}, {literal(EMAIL_REDACTED)}, 'g')"


def has_email_sql(value_sql: str) -> str:
    return f"coalesce(regexp_matches({value_sql}, {literal(EMAIL_PATTERN)}), false)"


def phone_candidates_sql(value_sql: str) -> str:
    """The phone numbers in a text, as a list (compute on text whose e-mails are redacted)."""
    digits = "length(regexp_replace(__c, '[^0-9]', '', 'g'))"
    not_dates = " AND ".join(f"NOT regexp_full_match(__c, {literal(p)})" for p in _DATE_PATTERNS)
    return (
        f"list_filter(regexp_extract_all({value_sql}, {literal(PHONE_PATTERN)}), "
        f"lambda __c: {digits} >= {MIN_PHONE_DIGITS} AND {not_dates})"
    )


def without_phones_sql(value_sql: str, candidates_sql: str) -> str:
    return (
        f"list_reduce({candidates_sql}, "
        f"lambda __acc, __p: replace(__acc, __p, {literal(PHONE_REDACTED)}), {value_sql})"
    )
