"""Ingest: landing files -> contract checks -> DuckDB ``raw.*``, with a ledger, quarantine and
privacy findings.

Files may also be exports as marketing tools write them (Meta Ads Manager, Google Ads,
Klaviyo, Mailchimp, Meta Business Suite, ...): :mod:`marketing_health.ingest.tool_exports`
recognises them by their header and reads them into the contract's columns first, dropping
total rows; everything below then applies unchanged.

Two steps, so parallel Airflow tasks never compete for DuckDB's single writer lock:

1. :func:`stage_source` (one task per source, in parallel) reads every landing file of a
   source, ``<landing>/<source>/<YYYY-MM-DD>/<name>.<csv|csv.gz|tsv|parquet|jsonl|ndjson>``,
   with DuckDB's own readers in an in-memory database (CSV with an explicit delimiter and
   every column as text, so typing is ours), checks it against the contract with set-based
   SQL, and writes parquet files under ``<staging_dir>/<run_id>/<source>/``: typed rows in the
   shape of ``raw.<source>``, quarantined rows, privacy findings, and ``manifest.json``. It
   opens the warehouse only read-only, to skip files whose content is already loaded.
2. :func:`publish` (one task) is the only writer: it creates the tables if needed and applies
   each staged file in one transaction with its ledger row.

What happens to a file (``ops.load_ledger.status``):

* ``loaded``: checked and loaded. Every row is either in ``raw.<source>`` or, if it breaks a
  rule (value not of the column's type, value not allowed, negative amount, required value
  empty, key repeated within the file), in ``ops.quarantine`` with the file, row, column and a
  reason; publishing checks rows in file = rows loaded + rows quarantined and refuses the file
  otherwise.
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

Personal data never leaves the in-memory database raw: e-mail/phone columns become keyed
SHA-256 hashes (``<name>_hash``) and e-mail addresses / phone numbers in free text become
``[redacted e-mail]`` / ``[redacted phone]``, each such cell counted in ``ops.pii_findings``.
"""

from marketing_health.ingest.errors import ContractViolation
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
    "publish",
    "stage_source",
]
