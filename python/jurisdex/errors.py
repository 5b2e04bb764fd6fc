"""The exceptions jurisdex raises. Every one derives from :class:`JurisdexError`.

The C++ core throws one type per kind of error; the bindings raise the class of the same name.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["JurisdexError", "RecordError", "RecordWarning", "QueryError", "IndexLockedError", "IndexNotFoundError"]


class JurisdexError(Exception):
    """Base class of every jurisdex error."""


class RecordError(JurisdexError, ValueError):
    """A record breaks the record contract (docs/records.md).

    Attributes name where the record came from and what is wrong with it.
    """

    def __init__(
        self,
        message: str,
        *,
        source: Optional[str] = None,
        line: Optional[int] = None,
        index: Optional[int] = None,
        record_id: Optional[str] = None,
        field: Optional[str] = None,
        problem: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.index = index
        self.record_id = record_id
        self.field = field
        self.problem = problem if problem is not None else message


class QueryError(JurisdexError, ValueError):
    """A query cannot be parsed, or names an unknown field, facet or facet value."""


class IndexLockedError(JurisdexError):
    """Another writer holds the index's lock."""

    def __init__(self, message: str, *, path: Optional[str] = None) -> None:
        super().__init__(message)
        self.path = path


class IndexNotFoundError(JurisdexError, FileNotFoundError):
    """There is no jurisdex index at the path."""

    def __init__(self, message: str, *, path: Optional[str] = None) -> None:
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:  # OSError would format its args as (errno, strerror)
        return str(self.args[0]) if self.args else ""


class RecordWarning(UserWarning):
    """A record holds a field docs/records.md does not define: it is kept and returned, never indexed
    or counted (``"aggravation"`` for ``"aggravations"``). The message names the nearest field."""


def check_query_text(*parts: Any) -> None:
    """Raise :class:`QueryError` when a query's text or filter values hold a lone surrogate.

    Such a ``str`` (from ``"\\ud800"`` or a command-line argument that was not UTF-8) cannot be
    encoded as UTF-8 for the core, which would otherwise fail with a ``TypeError`` about its
    arguments. ``parts`` are strings, or lists, tuples and dicts of them, checked recursively.
    """
    for part in parts:
        if isinstance(part, str):
            try:
                part.encode("utf-8")
            except UnicodeEncodeError as e:
                raise QueryError(f"query holds a lone surrogate {part[e.start]!a} at position {e.start}: "
                                 "not valid Unicode text") from None
        elif isinstance(part, dict):
            check_query_text(*part.keys(), *part.values())
        elif isinstance(part, (list, tuple)):
            check_query_text(*part)
