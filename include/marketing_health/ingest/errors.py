"""The one exception a landing file earns when it cannot be loaded at all."""

from __future__ import annotations

from typing import Any

from marketing_health.contract.problems import say_rejection
from marketing_health.i18n import translator


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
        problem: the problem's code (:data:`marketing_health.contract.problems.REJECTIONS`),
            whose message says what is wrong and what to do, in the words of the person who
            exports the file; ``values`` fill it. The English message is said from it here,
            and the code and values go to the ledger, so the ops digest can say it in the ops
            channel's language from the same message.
    """

    def __init__(
        self,
        file: str,
        row: int | None,
        column: str | None,
        problem: str,
        /,
        **values: object,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.problem = problem
        self.values = {k: str(v) if not isinstance(v, int) else v for k, v in values.items()}
        message = say_rejection(problem, self.values, translator(None))
        if message is None:
            raise KeyError(f"no rejection message has the code {problem!r}")
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
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "problem": self.problem,
            "values": self.values,
        }
