"""The one exception a landing file earns when it cannot be loaded at all."""

from __future__ import annotations

from typing import Any


class ContractViolation(Exception):
    """A whole landing file breaks the contract: wrong place, unreadable, or a column missing.

    Row-level problems never raise this: those rows are quarantined and the rest of the file
    loads. The message names the file, the row and the column so the person who exported the
    file can fix it without reading code.

    Args:
        file: path of the file relative to the landing folder, e.g.
            ``social_posts/2026-11-20/posts.csv``.
        row: row of the file as a spreadsheet shows it (1 = the header of a CSV), or None when
            the problem concerns the whole file.
        column: the column concerned, or None.
        message: what is wrong and what to do, in the words of the person who exports the file.
    """

    def __init__(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        super().__init__(self.text)

    @property
    def text(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}
