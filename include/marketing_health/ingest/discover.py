"""Finding a source's landing files and telling what each one is.

The folder a file sits in is part of the contract: ``<source>/<YYYY-MM-DD>/<name>.<ext>``, the
date being the delivery day. A file in the wrong place is still listed (and then rejected with
a message saying where it belongs) rather than silently ignored, so a misplaced export is
noticed the night it arrives.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from marketing_health.ingest.errors import ContractViolation

#: File name ending -> (reader format, display name). Longest endings are matched first.
FORMATS: dict[str, tuple[str, str]] = {
    ".csv.gz": ("csv", "gzip-compressed CSV"),
    ".csv": ("csv", "CSV"),
    ".tsv": ("tsv", "TSV"),
    ".parquet": ("parquet", "Parquet"),
    ".jsonl": ("jsonl", "JSON lines"),
    ".ndjson": ("jsonl", "JSON lines"),
    ".xlsx": ("xlsx", "Excel workbook"),
}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LandingFile:
    """One delivered file; ``rel_path`` (posix, relative to the landing folder) is its identity."""

    source: str
    path: Path
    rel_path: str
    file_bytes: int

    @property
    def format(self) -> str | None:
        name = self.path.name.lower()
        for ending, (fmt, _) in FORMATS.items():
            if name.endswith(ending):
                return fmt
        return None

    @property
    def delivery_day(self) -> date | None:
        parts = self.rel_path.split("/")
        if len(parts) != 3:
            return None
        try:
            return date.fromisoformat(parts[1]) if len(parts[1]) == 10 else None
        except ValueError:
            return None

    def check_layout(self) -> None:
        """Raise when the file sits outside a delivery-day folder or has an unknown format."""
        if self.delivery_day is None:
            raise ContractViolation(
                self.rel_path,
                None,
                None,
                "outside_day_folder",
                layout=f"{self.source}/YYYY-MM-DD/<name>",
            )
        if self.format is None:
            raise ContractViolation(
                self.rel_path,
                None,
                None,
                "file_type",
            )


def discover(landing_dir: Path, source: str) -> list[LandingFile]:
    """Every file under ``<landing_dir>/<source>/``, oldest delivery first.

    Hidden files (``.DS_Store``, partial uploads some tools start with a dot) are skipped.
    """
    root = Path(landing_dir) / source
    if not root.is_dir():
        return []
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(landing_dir)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        files.append(
            LandingFile(
                source=source,
                path=path,
                rel_path=rel.as_posix(),
                file_bytes=path.stat().st_size,
            )
        )
    return sorted(files, key=lambda f: f.rel_path)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
