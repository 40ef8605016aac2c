"""What staging and publishing did, file by file: XCom payloads, log summaries and the manifest.

The stage report doubles as the manifest ``publish`` reads, so what a stage task says it
staged and what gets published cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from typing import Any


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass
class StagedFile:
    """One landing file after staging.

    ``status``: ``staged`` (read and checked: its rows are valid or quarantined),
    ``duplicate`` (the same content is already loaded under another path; not read) or
    ``rejected`` (the whole file breaks the contract; ``error`` says where).
    """

    file_path: str
    delivery_day: str | None
    format: str | None
    checksum: str
    file_bytes: int
    status: str
    rows_in_file: int | None = None
    rows_valid: int = 0
    rows_quarantined: int = 0
    problems: int = 0
    pii_findings: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    missing_optional_columns: list[str] = field(default_factory=list)
    message: str | None = None
    error: dict[str, Any] | None = None
    #: The tool export the file was read as (None: the contract's own columns).
    export_format: str | None = None
    #: Rows that are not data (total rows, SMS in an e-mail export): reason -> count. They are
    #: not part of ``rows_in_file``.
    rows_skipped: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StagedFile:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class StageReport:
    source: str
    run_id: str
    staged_at: str
    contract_version: int
    files: list[StagedFile] = field(default_factory=list)
    #: Files already loaded at their path with this content by an earlier run (not listed).
    unchanged_files: int = 0
    #: ``rows`` / ``quarantine`` / ``pii_findings`` -> staged Parquet file of the whole source
    #: (empty when nothing was read, or when the night was loaded without staging).
    outputs: dict[str, str] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rows_valid(self) -> int:
        return sum(f.rows_valid for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def pii_findings(self) -> int:
        return sum(f.pii_findings for f in self.files)

    @property
    def schema_drift(self) -> dict[str, list[str]]:
        """File -> columns it carries that the contract does not know (they are not loaded)."""
        return {f.file_path: f.unknown_columns for f in self.files if f.unknown_columns}

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            files_staged=self.count("staged"),
            files_duplicate=self.count("duplicate"),
            files_rejected=self.count("rejected"),
            rows_valid=self.rows_valid,
            rows_quarantined=self.rows_quarantined,
            pii_findings=self.pii_findings,
            schema_drift=self.schema_drift,
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageReport:
        return cls(
            source=data["source"],
            run_id=data["run_id"],
            staged_at=data["staged_at"],
            contract_version=int(data["contract_version"]),
            files=[StagedFile.from_dict(f) for f in data["files"]],
            unchanged_files=int(data.get("unchanged_files", 0)),
            outputs=dict(data.get("outputs", {})),
        )

    def summary(self) -> str:
        if not self.files and not self.unchanged_files:
            return f"{self.source}: no files in the landing zone"
        text = (
            f"{self.source}: {_plural(self.count('staged'), 'file')} staged, "
            f"{self.count('duplicate')} duplicate, {self.count('rejected')} rejected, "
            f"{self.unchanged_files:,} unchanged since an earlier load; "
            f"{_plural(self.rows_valid, 'row')} valid, {self.rows_quarantined:,} quarantined, "
            f"{_plural(self.pii_findings, 'privacy finding')}"
        )
        rejected = [f.message for f in self.files if f.status == "rejected" and f.message]
        if rejected:
            text += ". Rejected: " + " | ".join(rejected)
        if self.schema_drift:
            drift = "; ".join(f"{p}: {', '.join(c)}" for p, c in self.schema_drift.items())
            text += f". Columns not in the contract (not loaded): {drift}"
        return text


@dataclass
class PublishedFile:
    """One staged file after publishing.

    ``status``: ``loaded``, ``replaced`` (a corrected re-delivery at the same path: the earlier
    rows of the path were removed), ``duplicate`` (content already loaded; nothing inserted),
    ``rejected``, or ``skipped`` (staged as already loaded, but the warehouse no longer holds it:
    it is picked up again by the next run).
    ``ledger_row_written`` is false when the ledger already held this delivery (a re-run).
    """

    source: str
    file_path: str
    delivery_day: str | None
    checksum: str
    status: str
    rows_in_file: int | None
    rows_loaded: int = 0
    rows_quarantined: int = 0
    #: Rows that are not data (a tool export's total rows): counted, not part of ``rows_in_file``.
    rows_skipped: int = 0
    pii_findings: int = 0
    message: str | None = None
    ledger_row_written: bool = False


@dataclass
class PublishReport:
    run_id: str
    warehouse: str
    files: list[PublishedFile] = field(default_factory=list)
    #: Contract sources that had no staging manifest for this run (their stage did not run).
    missing_sources: list[str] = field(default_factory=list)
    #: Source -> file -> columns not in the contract (not loaded).
    schema_drift: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: Files already loaded at their path with this content by an earlier run (not listed).
    unchanged_files: int = 0

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def rows_skipped(self) -> int:
        return sum(f.rows_skipped for f in self.files)

    @property
    def pii_findings(self) -> int:
        return sum(f.pii_findings for f in self.files)

    @property
    def new_files(self) -> list[PublishedFile]:
        """Files this run did something about; the rest were seen by an earlier run."""
        return [f for f in self.files if f.ledger_row_written or f.status == "skipped"]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            files_by_status=dict(Counter(f.status for f in self.files)),
            files_new=len(self.new_files),
            rows_loaded=self.rows_loaded,
            rows_quarantined=self.rows_quarantined,
            rows_skipped=self.rows_skipped,
            pii_findings=self.pii_findings,
        )
        return data

    def summary(self) -> str:
        new = self.new_files
        by_status = Counter(f.status for f in new)
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
        text = (
            f"Published {_plural(len(new), 'new file')}"
            + (f" ({statuses})" if statuses else "")
            + f", {len(self.files) - len(new) + self.unchanged_files:,} already seen: "
            f"{_plural(self.rows_loaded, 'row')} loaded, {self.rows_quarantined:,} quarantined, "
            + (f"{self.rows_skipped:,} set aside as not data, " if self.rows_skipped else "")
            + f"{_plural(self.pii_findings, 'privacy finding')}"
        )
        rejected = [f for f in new if f.status == "rejected"]
        if rejected:
            text += ". Rejected: " + " | ".join(f.message or f.file_path for f in rejected)
        if self.schema_drift:
            cols = sorted(
                {c for files in self.schema_drift.values() for cs in files.values() for c in cs}
            )
            text += f". Columns not in the contract, not loaded: {', '.join(cols)}"
        if self.missing_sources:
            text += f". Not staged this run: {', '.join(self.missing_sources)}"
        return text
