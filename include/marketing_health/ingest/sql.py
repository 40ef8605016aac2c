"""Quoting for the SQL the loader generates from the contract.

Column names and messages come from the contract and from landing files (headers, paths), so
every name and literal spliced into SQL goes through these two functions.
"""

from __future__ import annotations


def ident(name: str) -> str:
    """A quoted identifier: file headers may hold spaces, quotes or reserved words."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A quoted string literal."""
    return "'" + value.replace("'", "''") + "'"
