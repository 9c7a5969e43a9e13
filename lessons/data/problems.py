"""What the data checks report: problems, a folder's report, a table as read.

Every check in :mod:`lessons.data` returns :class:`Problem` values (file, row, column,
message) so that a reader can find the cell at fault; :class:`DataError` carries them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class DataError(ValueError):
    """Raised when ``data/`` is missing a file or column, or holds an invalid value.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem found, each naming the file, and where known the row and column.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Problem:
    """One problem in the data package.

    Attributes
    ----------
    file : str
        The file, as shown to the reader (``"data/links.csv"``).
    message : str
        What is wrong, with the valid choices where there is a list of them.
    row : int or None
        Row number as in a spreadsheet (header = row 1); None for file-level problems.
    column : str or None
        Column (field) name; None when the problem is not about one column.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        return ", ".join(where) + ": " + self.message


@dataclass(frozen=True)
class Report:
    """Result of validating one data folder.

    Attributes
    ----------
    root : Path
        The data folder.
    resources : int
        Number of resources the descriptor declares.
    rows : int
        Number of data rows read across all resources (headers excluded).
    problems : tuple of Problem
        Empty when the package is valid.
    """

    root: Path
    resources: int
    rows: int
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        """True when no problem was found."""
        return not self.problems


@dataclass(frozen=True)
class Table:
    """One CSV file as read for the checks: header and rows of raw strings.

    ``rows`` keeps blank lines as empty dicts so that positions match row numbers.
    """

    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]

    def numbered(self) -> Iterable[tuple[int, dict[str, str]]]:
        """Yield ``(row number, row)`` for non-blank rows; the header is row 1."""
        for i, row in enumerate(self.rows, start=2):
            if row:
                yield i, row



def _q(value: Any, limit: int = 60) -> str:
    """A value as quoted in messages: in double quotes, cut to ``limit`` characters.

    >>> _q("BALT")
    '"BALT"'
    >>> _q("x" * 100, limit=8)
    '"xxxxxxxx…" (100 characters)'
    """
    text = str(value)
    if len(text) <= limit:
        return f'"{text}"'
    return f'"{text[:limit]}…" ({len(text)} characters)'


def _values(table: Table, column: str) -> list[str]:
    """Return the sorted distinct non-empty values of one column of a table."""
    return sorted({row.get(column, "") for _, row in table.numbered()} - {""})
