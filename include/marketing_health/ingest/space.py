"""A full disk while tonight's rows are written, named for what it is.

DuckDB reports a full disk as an IO or transaction error ("Could not write file ...: No space
left on device"), and the rollback after a failed commit may fail in turn ("no transaction is
active"), hiding the cause. Each source is written in one transaction, so a full disk leaves
the source being written untouched and the sources before it complete: the operator needs to
hear exactly that, and that freeing space and running the night again is safe.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence

_NO_SPACE = "no space left on device"


class NoSpaceLeft(OSError):
    """The warehouse's disk filled up while a source was written; nothing of that source was
    kept. An OSError with ``errno.ENOSPC``, so callers that handle a full disk already catch it."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.ENOSPC, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def disk_full(exc: BaseException) -> BaseException | None:
    """The full-disk error behind ``exc`` (itself, its cause or the error it interrupted)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return current
        if _NO_SPACE in str(current).lower():
            return current
        todo += [current.__cause__, current.__context__]
    return None


def no_space_left(
    exc: BaseException, source: str, warehouse: str, written: Sequence[str] | None
) -> NoSpaceLeft | None:
    """The error to raise instead of ``exc`` when a full disk stopped writing ``source``;
    ``written``: the sources of tonight already in (None when they are not known)."""
    cause = disk_full(exc)
    if cause is None:
        return None
    if written is None:
        before = "Sources finished before it are in and are not loaded again."
    elif written:
        before = f"Already in and not loaded again: {', '.join(written)}."
    else:
        before = "Nothing of tonight was written."
    detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return NoSpaceLeft(
        f"no space left on device while publishing {source} to {warehouse}; nothing of "
        f"{source} tonight was written. {before} Free space on the warehouse's disk and run "
        f"the night again. ({detail})"
    )
