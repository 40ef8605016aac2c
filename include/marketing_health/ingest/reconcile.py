"""Every row of a landing file is accounted for: loaded, quarantined, or set aside on purpose.

The same sum is checked twice a night for each file: after the contract checks (what staging
wrote) and after publishing (what the warehouse holds), so a row can neither vanish nor be
counted twice without the night failing on that file.
"""

from __future__ import annotations

from dataclasses import dataclass


class ReconcileError(RuntimeError):
    """The rows of one file do not add up; nothing of that file is loaded.

    ``file`` is the file's path relative to the landing folder, for the ops alert.
    """

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        super().__init__(message)


@dataclass(frozen=True)
class RowCounts:
    """The rows of one landing file, as counted at one step of the night.

    ``rows_in_file`` counts the data rows the reader found below the header; rows that are not
    data (a tool export's total rows, SMS lines in an e-mail report) are ``rows_skipped``:
    counted and reported, never part of the sum.
    """

    file_path: str
    rows_in_file: int
    rows_loaded: int
    rows_quarantined: int
    rows_skipped: int = 0

    @property
    def adds_up(self) -> bool:
        return self.rows_in_file == self.rows_loaded + self.rows_quarantined

    def check(self, where: str) -> None:
        """Raise :class:`ReconcileError` naming the file unless loaded + quarantined = in file.

        ``where`` says which count disagreed, e.g. "in the warehouse".
        """
        if self.adds_up:
            return
        skipped = (
            f" (besides {self.rows_skipped} row(s) that are not data)" if self.rows_skipped else ""
        )
        raise ReconcileError(
            self.file_path,
            f"{self.file_path}: the file has {self.rows_in_file} rows{skipped} but "
            f"{self.rows_loaded} loaded + {self.rows_quarantined} quarantined {where} make "
            f"{self.rows_loaded + self.rows_quarantined}; rows would be lost or counted twice, "
            "so nothing of the file was loaded",
        )
