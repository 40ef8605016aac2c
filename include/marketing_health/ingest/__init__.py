"""Ingest: landing files -> contract checks -> DuckDB ``raw.*``, with a ledger, quarantine and
privacy findings.

Files may also be exports as marketing tools write them (Meta Ads Manager, Google Ads,
Klaviyo, Mailchimp, Meta Business Suite, ...): :mod:`marketing_health.ingest.tool_exports`
recognises them by their header and reads them into the contract's columns first, dropping
total rows; everything below then applies unchanged.

Each source's new files are read and checked together, as sets (:mod:`.check`): every file is
read once by its format's reader into one table (personal data hashed as it is read), then one
statement types every column and lists every problem of every row. Two ways to write that:

* :func:`load_night` (``run-night``, the bench): one process, the warehouse written directly,
  sources checked in parallel, one transaction per source (:mod:`.apply`).
* Airflow, where DuckDB's single writer lock keeps parallel tasks from writing:
  :func:`stage_source` (one task per source, in parallel) writes the source's night as three
  Parquet files (rows, quarantine, privacy findings) and ``manifest.json``, opening the
  warehouse only read-only, to skip files whose content is already loaded; :func:`publish`
  (one task) is the only writer and applies each source in one transaction.

What happens to a file (``ops.load_ledger.status``):

* ``loaded``: checked and loaded. Every row is either in ``raw.<source>`` or, if it breaks a
  rule (value not of the column's type, value not allowed, negative amount, required value
  empty, key repeated within the file), in ``ops.quarantine`` with the file, row, column and a
  reason; rows in file = rows loaded + rows quarantined is checked after the checks and again
  in the warehouse, and a file that does not add up is refused.
* ``replaced``: a corrected re-delivery at the same path (new checksum). The rows, quarantine
  records and findings of the earlier delivery of that path are removed and the new ones
  loaded.
* ``duplicate``: the same content (checksum) is already loaded under another name; nothing is
  inserted.
* ``rejected``: the file as a whole breaks the contract (outside a delivery-day folder,
  unsupported type, empty, unreadable or cut off, a required column missing from the
  header). Nothing is loaded; the message names file, row and column. A corrected file with
  new content loads normally.

Re-running a night is a no-op: content already loaded at its path is not read again, adds no
ledger row and is only counted in the reports (``unchanged_files``); a duplicate or rejected
delivery is recorded once, however often it is seen. Duplicate ledger rows have no
``rows_in_file``: the content's rows are counted once, under the path that loaded them.
Columns the contract does not know are not loaded and are reported as schema drift.

Personal data is never stored raw: as a file is read, e-mail/phone columns become keyed hashes
(HMAC-SHA256, ``<name>_hash``) and e-mail addresses / phone numbers in free text become
``[redacted e-mail]`` / ``[redacted phone]``, each such cell counted in ``ops.pii_findings``.
"""

from marketing_health.ingest.errors import ContractViolation
from marketing_health.ingest.load import load_night
from marketing_health.ingest.publish import publish
from marketing_health.ingest.reconcile import ReconcileError, RowCounts
from marketing_health.ingest.report import PublishedFile, PublishReport, StagedFile, StageReport
from marketing_health.ingest.stage import stage_source

__all__ = [
    "ContractViolation",
    "PublishReport",
    "PublishedFile",
    "ReconcileError",
    "RowCounts",
    "StageReport",
    "StagedFile",
    "load_night",
    "publish",
    "stage_source",
]
