"""The data package descriptor and the CSV files as read for the checks.

Reads ``datapackage.json`` and each CSV file as raw strings (no type conversion), refusing
files a spreadsheet program may have saved in a form the checks cannot trust (a BOM,
Latin-1, binary data), and compares each header with its schema's field names.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lessons.data.problems import DataError, Problem, Table
from lessons.paths import DATA_DIR

#: File name of the package descriptor inside a data folder.
DESCRIPTOR = "datapackage.json"


def _root(root: Path | str | None) -> Path:
    """Return the data folder to use, resolved (``DATA_DIR`` by default)."""
    return Path(root if root is not None else DATA_DIR).resolve()


def _shown(root: Path, name: str) -> str:
    """Return a file name as shown in messages: ``data/links.csv``."""
    return f"{root.name}/{name}"


def read_descriptor(root: Path | str | None = None) -> dict[str, Any]:
    """Return the package descriptor of a data folder as a dict.

    Parameters
    ----------
    root : Path, optional
        Data folder; ``DATA_DIR`` by default.

    Raises
    ------
    DataError
        If the descriptor is missing or is not valid JSON.
    """
    folder = _root(root)
    path = folder / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problem = Problem(_shown(folder, DESCRIPTOR), "the file is missing")
    except json.JSONDecodeError as exc:
        problem = Problem(_shown(folder, DESCRIPTOR), f"not valid JSON: {exc}", row=exc.lineno)
    raise DataError(str(problem), [problem])


def resource_names(root: Path | str | None = None) -> list[str]:
    """Return the names of the resources the descriptor declares, in its order."""
    return [res["name"] for res in read_descriptor(root)["resources"]]


def _decode_problem(raw: bytes, file: str, exc: UnicodeDecodeError) -> Problem:
    """Where a file stops being UTF-8: the row, the column (named from the header) and byte."""
    start = exc.start
    line_start = raw.rfind(b"\n", 0, start) + 1
    row = raw.count(b"\n", 0, start) + 1
    prefix = raw[line_start:start].decode("latin-1")
    index = len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0
    header = next(csv.reader([raw.split(b"\n", 1)[0].decode("latin-1").rstrip("\r")]), [])
    column = header[index] if row > 1 and index < len(header) else None
    return Problem(
        file,
        f"byte 0x{raw[start]:02X} is not UTF-8 text (the file may be saved as Latin-1 or "
        "Windows-1252): save it as UTF-8",
        row, column)


def _csv_text(path: Path, file: str) -> str:
    """The text of a CSV file, or :class:`DataError` naming the file and where it breaks.

    Refused: an empty file, a UTF-8 byte-order mark (it would turn the first column's name
    into an unknown one), binary data (NUL bytes), and text that is not UTF-8.
    """
    raw = path.read_bytes()
    problem = None
    if not raw.strip():
        problem = Problem(file, "the file is empty: it needs at least its header row")
    elif raw.startswith(codecs.BOM_UTF8):
        problem = Problem(file, "the file starts with a byte-order mark (BOM, as some "
                          "spreadsheet programs write): save it as UTF-8 without BOM", 1)
    elif b"\0" in raw:
        at = raw.index(b"\0")
        problem = Problem(file, "the file holds binary data (a NUL byte), not CSV text",
                          raw.count(b"\n", 0, at) + 1)
    else:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = _decode_problem(raw, file, exc)
    raise DataError(str(problem), [problem])


def _read_table(path: Path, file: str | None = None) -> Table:
    """Read a CSV file into a :class:`Table` of raw strings (no type conversion).

    Raises
    ------
    DataError
        When the file is empty, has a BOM, is binary or not UTF-8, or is not CSV.
    """
    file = file or path.name
    text = _csv_text(path, file)
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        problem = Problem(file, f"not readable as CSV: {exc}")
        raise DataError(str(problem), [problem]) from None
    header = tuple(lines[0]) if lines else ()
    rows = tuple(dict(zip(header, line, strict=False)) if line else {} for line in lines[1:])
    return Table(header, rows)


def _fields(resource: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the field descriptors of a resource's schema."""
    return list(resource.get("schema", {}).get("fields", []))


def header_problems(file: str, header: Sequence[str], expected: Sequence[str]) -> list[Problem]:
    """Compare a CSV header with the schema's field names.

    Parameters
    ----------
    file : str
        File name as shown in messages.
    header : sequence of str
        Column names found in the file.
    expected : sequence of str
        Field names of the schema, in order.

    Returns
    -------
    list of Problem
        One per missing, unexpected or duplicated column, or one for a wrong order.
    """
    problems = [
        Problem(file, f"the column is missing (expected columns: {', '.join(expected)})", 1, name)
        for name in expected
        if name not in header
    ]
    problems += [
        Problem(file, f"unexpected column (expected columns: {', '.join(expected)})", 1, name)
        for name in header
        if name not in expected
    ]
    problems += [
        Problem(file, "the column appears more than once", 1, name)
        for name in sorted({h for h in header if list(header).count(h) > 1})
    ]
    if not problems and tuple(header) != tuple(expected):
        problems.append(
            Problem(file, f"columns are out of order (expected: {', '.join(expected)})", 1)
        )
    return problems
