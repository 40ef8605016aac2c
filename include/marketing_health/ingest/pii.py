"""Personal data: the hashing key, keyed hashes of e-mail/phone columns, redaction of free text.

Data is only ever touched in SQL inside DuckDB, as a file is read: the raw value of a
personal-data column is never stored, not even in memory. What is kept is the HMAC-SHA256
(RFC 2104) of the normalised value under the secret key, so the same person gets the same hash
in every file, yet nobody without the key can test a guessed address against it; or text with
addresses and numbers replaced by ``[redacted e-mail]`` / ``[redacted phone]``.

The HMAC is computed in SQL from the key's inner and outer pads (the key, zero-padded to
SHA-256's 64-byte block, XOR 0x36 and XOR 0x5c), which travel as query parameters, never in
SQL text: ``sha256(opad || sha256(ipad || value))`` with the inner digest as bytes. It equals
Python's ``hmac.new(key, value, hashlib.sha256).hexdigest()``.

The phone pattern errs on the side of ids and dates staying readable: it needs at least 8
digits and a phone-like start (``+``, ``00``, ``0``, a bracketed area code, or the 3-3-4
North-American grouping), and never treats a date such as ``2026-11-20`` or ``20.11.2026`` as a
number; long ids (``120204385505670650``) and amounts (``1,234,567.00``) are left alone.
"""

from __future__ import annotations

import hashlib
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

#: Names of the query parameters carrying the key's HMAC pads; the key never enters SQL text.
INNER_PAD_PARAMETER = "pii_inner_pad"
OUTER_PAD_PARAMETER = "pii_outer_pad"
#: SHA-256's block size: a longer key is hashed first, a shorter one padded with zero bytes.
_BLOCK_BYTES = 64


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


def key_parameters(key: str) -> dict[str, bytes]:
    """The query parameters :func:`hash_sql` reads: the key's inner and outer HMAC pads."""
    raw = key.encode("utf-8")
    if len(raw) > _BLOCK_BYTES:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(_BLOCK_BYTES, b"\0")
    return {
        INNER_PAD_PARAMETER: bytes(b ^ 0x36 for b in raw),
        OUTER_PAD_PARAMETER: bytes(b ^ 0x5C for b in raw),
    }


def parameters_for(sql: str, key: str) -> dict[str, bytes] | None:
    """The key's parameters when ``sql`` hashes (DuckDB refuses parameters a query lacks)."""
    return key_parameters(key) if f"${INNER_PAD_PARAMETER}" in sql else None


def hmac_sql(value_sql: str) -> str:
    """HMAC-SHA256 of a text under the key (hex), as DuckDB SQL; NULL stays NULL."""
    inner = f"unhex(sha256(${INNER_PAD_PARAMETER} || encode({value_sql})))"
    return f"sha256(${OUTER_PAD_PARAMETER} || {inner})"


def normalised_sql(value_sql: str, kind: str) -> str:
    """A trimmed value as it is hashed, so formatting never splits one person into two
    hashes: e-mail lower-cased, phone reduced to digits with its leading ``+``."""
    if kind == "email":
        return f"lower({value_sql})"
    if kind == "phone":
        return (
            f"NULLIF(NULLIF((CASE WHEN starts_with({value_sql}, '+') THEN '+' ELSE '' END) "
            f"|| regexp_replace({value_sql}, '[^0-9]', '', 'g'), ''), '+')"
        )
    raise ValueError(f"unknown kind of personal data {kind!r}")


def hash_sql(value_sql: str, kind: str) -> str:
    """Keyed hash (HMAC-SHA256) of a trimmed value, normalised (NULL stays NULL)."""
    return hmac_sql(normalised_sql(value_sql, kind))


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
    """The text with its e-mail addresses redacted. An address has an ``@``, and few texts do
    (187 of 2.2 M posts and comments at 10 M rows), so the pattern is only run on those."""
    redacted = (
        f"regexp_replace({value_sql}, {literal(EMAIL_PATTERN)}, {literal(EMAIL_REDACTED)}, 'g')"
    )
    return f"CASE WHEN contains({value_sql}, '@') THEN {redacted} ELSE {value_sql} END"


def had_email_sql(value_sql: str, redacted_sql: str) -> str:
    """Whether the text held an e-mail address, from the text and its redaction
    (:func:`without_emails_sql`), without running the pattern a second time: every address
    redacted takes an ``@`` out and the redaction has none, so the two differ exactly when
    one was found."""
    return f"coalesce({redacted_sql} <> {value_sql}, false)"


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
