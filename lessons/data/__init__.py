"""The sourced tables in ``data/``: the only way the package reads them.

Every table is a resource of the Frictionless Data Package ``data/datapackage.json``, which
gives each column its type, unit, description and constraints, and the foreign keys between
tables. :func:`load` returns one table as a :class:`pandas.DataFrame` with proper dtypes,
after :func:`validate` has checked the whole package once per process and data folder (a
valid result is also remembered on disk, keyed by the files' content, in ``build/cache``,
so that each lesson's kernel does not import frictionless again while nothing changed).

>>> actors = load("actors")
>>> actors.loc[actors["id"] == "BALT", "kind"].item()
'state_group'
>>> float(capabilities()["USA"])  # SIPRI, April 2024 release, 2023, current US$ bn
916.015

Problems are reported with the file, the row and the column, e.g.::

    data/links.csv, row 7, column "source": "XYZ" is not a known actor (valid: AUS, BALT, ...)

Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2.
Beyond the descriptor, a few rules that a Data Package cannot express are checked here
(listed in :data:`RULES`): lists of actor ids in ``events.csv``, dates matching their
stated precision, the claim registry's modelled/not-modelled bookkeeping, and so on.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from lessons.paths import BUILD_DIR, DATA_DIR

#: File name of the package descriptor inside a data folder.
DESCRIPTOR = "datapackage.json"
#: Latest possible publication day of the op-ed (Radio Free Asia republished it that day).
ARTICLE_DATE = "2024-07-11"
#: SIPRI releases :func:`capabilities` can read.
RELEASES = ("april_2024", "april_2025")
#: Words used in messages for the tables foreign keys point to.
_KEY_NOUNS = {"actors": "actor", "toggles": "toggle"}
_ROW_NOTE = "rows are numbered as in a spreadsheet: the header is row 1"
#: Where a valid result is remembered between processes (None: never remember).
CACHE_DIR: Path | None = BUILD_DIR / "cache"


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


# --------------------------------------------------------------------------- paths, reading


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


# --------------------------------------------------------------------------- file-level checks


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


# --------------------------------------------------------------------------- frictionless


def _constraint_message(field: Mapping[str, Any], cell: Any, note: str) -> str:
    """Explain a frictionless constraint error for one cell in plain words."""
    match = re.search(r'constraint "(\w+)"', note)
    name = match.group(1) if match else ""
    constraints = field.get("constraints", {})
    if name == "enum":
        valid = ", ".join(str(v) for v in constraints["enum"])
        return f'{_q(cell)} is not an allowed value (valid: {valid})'
    if name == "required":
        return "a value is required but the cell is empty"
    if name == "pattern":
        what = field.get("description", "").split(". ")[0].rstrip(".")
        return f'{_q(cell)} does not have the expected form {constraints["pattern"]}' + (
            f" ({what})" if what else ""
        )
    if name == "minimum":
        return f"{cell} is below the minimum {constraints['minimum']}"
    if name == "maximum":
        return f"{cell} is above the maximum {constraints['maximum']}"
    return f'{_q(cell)} breaks a constraint: {note}'


def _type_message(field: Mapping[str, Any], cell: Any) -> str:
    """Explain a frictionless type error for one cell in plain words."""
    kind = field.get("type", "string")
    hint = {
        "boolean": "write true or false",
        "integer": "write a whole number",
        "number": "write a number, with a dot for decimals",
    }.get(kind, f"expected type {kind}")
    return f'{_q(cell)} is not a valid {kind} ({hint})'


def _translate(
    error: Mapping[str, Any],
    file: str,
    resource: Mapping[str, Any],
    keys: Mapping[tuple[str, str], list[str]],
) -> Problem:
    """Turn one frictionless error descriptor into a :class:`Problem`.

    Parameters
    ----------
    error : mapping
        ``error.to_descriptor()`` of a frictionless error.
    file : str
        File name as shown in messages.
    resource : mapping
        The resource descriptor (for field constraints and the primary key).
    keys : mapping
        ``(resource, field) -> sorted valid values`` for the targets of foreign keys.
    """
    fields = {f["name"]: f for f in _fields(resource)}
    kind = error.get("type", "")
    row = error.get("rowNumber")
    column = error.get("fieldName") or None
    cell = error.get("cell")
    if kind == "type-error" and column in fields:
        return Problem(file, _type_message(fields[column], cell), row, column)
    if kind == "constraint-error" and column in fields:
        message = _constraint_message(fields[column], cell, error.get("note", ""))
        return Problem(file, message, row, column)
    if kind in ("unique-error", "primary-key"):
        pk = resource.get("schema", {}).get("primaryKey", [])
        column = column or (pk[0] if pk else None)
        header = [f["name"] for f in _fields(resource)]
        cells = error.get("cells", [])
        if cell is None and column in header and header.index(column) < len(cells):
            cell = cells[header.index(column)]
        if cell in (None, ""):
            return Problem(file, "the id is missing", row, column)
        message = f'{_q(cell)} is used by another row too: values must be unique'
        return Problem(file, message, row, column)
    if kind == "foreign-key":
        column = (error.get("fieldNames") or [None])[0]
        value = (error.get("fieldCells") or [""])[0]
        target = error.get("referenceName", "")
        ref_field = (error.get("referenceFieldNames") or ["id"])[0]
        noun = _KEY_NOUNS.get(target, f"{target} {ref_field}")
        valid = ", ".join(keys.get((target, ref_field), []))
        message = f'{_q(value)} is not a known {noun} (valid, from {target}.csv: {valid})'
        return Problem(file, message, row, column)
    if kind == "blank-row":
        return Problem(file, "the row is empty", row)
    if kind == "extra-cell":
        extra = f"the row has more cells than the header (extra value {_q(cell)})"
        return Problem(file, extra, row)
    if kind == "missing-cell":
        return Problem(file, "the row has no cell for this column (too few commas)", row, column)
    return Problem(file, error.get("message", kind), row, column)


def _prune(descriptor: Mapping[str, Any], keep: set[str]) -> dict[str, Any]:
    """Return a copy of the descriptor with only the resources in ``keep``.

    Foreign keys pointing to a dropped resource are removed too (its own problem is
    reported separately), so that frictionless can check the rest.
    """
    resources = []
    for res in descriptor["resources"]:
        if res["name"] not in keep:
            continue
        res = json.loads(json.dumps(res))
        schema = res.get("schema", {})
        if "foreignKeys" in schema:
            schema["foreignKeys"] = [
                fk
                for fk in schema["foreignKeys"]
                if fk["reference"].get("resource", res["name"]) in keep
            ]
        resources.append(res)
    return {**descriptor, "resources": resources}


def frictionless_problems(
    root: Path, descriptor: Mapping[str, Any], tables: Mapping[str, Table]
) -> list[Problem]:
    """Validate the readable resources with the ``frictionless`` library.

    Checks types, constraints (required, unique, enum, pattern, minimum, maximum), primary
    keys and foreign keys. Imported lazily: the import takes about a second.

    Parameters
    ----------
    root : Path
        Data folder.
    descriptor : mapping
        The package descriptor.
    tables : mapping
        The resources whose files were read and whose headers are correct.
    """
    from frictionless import FrictionlessException, Package

    pruned = _prune(descriptor, set(tables))
    if not pruned["resources"]:
        return []
    keys = {
        (ref, field): _values(tables[ref], field)
        for res in pruned["resources"]
        for fk in res.get("schema", {}).get("foreignKeys", [])
        for ref, field in zip(
            [fk["reference"].get("resource") or res["name"]] * len(fk["fields"]),
            fk["reference"]["fields"],
            strict=True,
        )
    }
    by_name = {res["name"]: res for res in pruned["resources"]}
    try:
        report = Package(pruned, basepath=str(root)).validate()
    except FrictionlessException as exc:
        return [Problem(_shown(root, DESCRIPTOR), f"not a valid data package: {exc}")]
    problems: list[Problem] = []
    for task in report.tasks:
        resource = by_name.get(task.name, {})
        file = _shown(root, resource.get("path", task.place))
        errors = [e.to_descriptor() for e in task.errors]
        blank = {e.get("rowNumber") for e in errors if e.get("type") == "blank-row"}
        for error in errors:
            if error.get("type") == "primary-key" and error.get("rowNumber") in blank:
                continue
            problems.append(_translate(error, file, resource, keys))
    return problems


# --------------------------------------------------------------------------- extra rules

#: A rule: takes the readable tables, returns problems (it skips tables it cannot see).
Rule = Callable[[Mapping[str, Table], str], list[Problem]]


def _values(table: Table, column: str) -> list[str]:
    """Return the sorted distinct non-empty values of one column of a table."""
    return sorted({row.get(column, "") for _, row in table.numbered()} - {""})


def _is_true(value: str) -> bool:
    """Read a boolean cell as the schema writes it (``true`` / ``false``)."""
    return value == "true"


def _number(value: str) -> float | None:
    """Read a number cell, or None when it is not a number."""
    try:
        return float(value)
    except ValueError:
        return None


def check_event_actors(tables: Mapping[str, Table], folder: str) -> list[Problem]:
    """Every id in ``events.actors`` (a semicolon-separated list) is a known actor."""
    if "events" not in tables or "actors" not in tables:
        return []
    known = _values(tables["actors"], "id")
    valid = ", ".join(known)
    problems = []
    for i, row in tables["events"].numbered():
        for actor in filter(None, row.get("actors", "").split(";")):
            if actor not in known:
                message = f'{_q(actor)} is not a known actor (valid, from actors.csv: {valid})'
                problems.append(Problem(f"{folder}/events.csv", message, i, "actors"))
    return problems


_PRECISION = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}


def check_event_dates(tables: Mapping[str, Table], folder: str) -> list[Problem]:
    """``events.date`` has the precision ``date_precision`` states, and ``after_article``
    is true exactly when the date is later than :data:`ARTICLE_DATE`."""
    if "events" not in tables:
        return []
    problems = []
    file = f"{folder}/events.csv"
    for i, row in tables["events"].numbered():
        date, precision = row.get("date", ""), row.get("date_precision", "")
        pattern = _PRECISION.get(precision)
        if pattern and date and not re.fullmatch(pattern, date):
            message = f'{_q(date)} does not have the precision date_precision gives ({precision})'
            problems.append(Problem(file, message, i, "date"))
        flag = row.get("after_article", "")
        if date and flag in ("true", "false") and _is_true(flag) != (date > ARTICLE_DATE):
            message = (
                f'is "{flag}" but the date {date} is '
                f"{'after' if date > ARTICLE_DATE else 'not after'} {ARTICLE_DATE}"
            )
            problems.append(Problem(file, message, i, "after_article"))
    return problems


def check_claims(tables: Mapping[str, Table], folder: str) -> list[Problem]:
    """Claim bookkeeping: modelled claims name a mechanism and their test node
    (``tests/model/test_claims.py::test_claim_<id>``) and give no reason; not-modelled claims
    give a reason and no test; evidence ids exist in events.csv or support.csv."""
    if "claims" not in tables:
        return []
    file = f"{folder}/claims.csv"
    known = {
        v for name in ("events", "support") if name in tables for v in _values(tables[name], "id")
    }
    problems = []
    for i, row in tables["claims"].numbered():
        status, test = row.get("status"), row.get("test", "")
        if status == "modelled":
            expected = f"tests/model/test_claims.py::test_claim_{row.get('id', '')}"
            if not row.get("mechanism"):
                problems.append(Problem(file, "a modelled claim needs a mechanism", i, "mechanism"))
            if test != expected:
                message = f'a modelled claim needs the test "{expected}"'
                problems.append(Problem(file, message, i, "test"))
            if row.get("reason"):
                problems.append(Problem(file, "a modelled claim takes no reason", i, "reason"))
        elif status == "not_modelled":
            if not row.get("reason"):
                message = "a claim that is not modelled needs a reason"
                problems.append(Problem(file, message, i, "reason"))
            if test:
                message = "a claim that is not modelled takes no test"
                problems.append(Problem(file, message, i, "test"))
        if {"events", "support"} <= set(tables):
            for ref in filter(None, row.get("evidence", "").split(";")):
                if ref not in known:
                    message = f'{_q(ref)} is not an id in events.csv or support.csv'
                    problems.append(Problem(file, message, i, "evidence"))
    return problems


def check_military_expenditure(tables: Mapping[str, Table], folder: str) -> list[Problem]:
    """One row per (country, metric, release, year, period); non-SIPRI figures are flagged
    as estimates; each country is one of its actor's ``sipri_countries``."""
    if "military_expenditure" not in tables:
        return []
    file = f"{folder}/military_expenditure.csv"
    countries: dict[str, set[str]] = {}
    if "actors" in tables:
        countries = {
            row["id"]: set(filter(None, row.get("sipri_countries", "").split(";")))
            for _, row in tables["actors"].numbered()
        }
    seen: dict[tuple[str, ...], int] = {}
    problems = []
    for i, row in tables["military_expenditure"].numbered():
        key = tuple(row.get(k, "") for k in ("country", "metric", "release", "year", "period"))
        if key in seen:
            message = f"the same country, metric, release, year and period as row {seen[key]}"
            problems.append(Problem(file, message, i, "country"))
        seen.setdefault(key, i)
        if row.get("release") == "non_sipri" and row.get("is_estimate") == "false":
            message = "a non-SIPRI figure must be flagged as an estimate"
            problems.append(Problem(file, message, i, "is_estimate"))
        actor, country = row.get("actor", ""), row.get("country", "")
        if actor in countries and country not in countries[actor]:
            valid = ", ".join(sorted(countries[actor])) or "none"
            message = f'{_q(country)} is not among the sipri_countries of {actor} ({valid})'
            problems.append(Problem(file, message, i, "country"))
    return problems


def check_parameters(tables: Mapping[str, Table], folder: str) -> list[Problem]:
    """Each parameter's default lies within its range: ``low <= default <= high``."""
    if "parameters" not in tables:
        return []
    problems = []
    for i, row in tables["parameters"].numbered():
        low, default, high = (_number(row.get(k, "")) for k in ("low", "default", "high"))
        if None in (low, default, high):
            continue  # a type error, reported by frictionless
        if not low <= default <= high:  # type: ignore[operator]
            message = f"{default} is outside its range [{low}, {high}] (low <= default <= high)"
            problems.append(Problem(f"{folder}/parameters.csv", message, i, "default"))
    return problems


#: The checks beyond the descriptor, run after frictionless.
RULES: tuple[Rule, ...] = (
    check_event_actors,
    check_event_dates,
    check_claims,
    check_military_expenditure,
    check_parameters,
)


# --------------------------------------------------------------------------- validation


def _referenced(descriptor: Mapping[str, Any], name: str) -> bool:
    """Return True if some foreign key in the descriptor points to resource ``name``."""
    return any(
        fk["reference"].get("resource") == name
        for res in descriptor.get("resources", [])
        for fk in res.get("schema", {}).get("foreignKeys", [])
    )


def check_folder(root: Path) -> Report:
    """Validate one data folder now, without any cache: files, headers, frictionless, rules.

    Parameters
    ----------
    root : Path
        The data folder (resolved).
    """
    try:
        descriptor = read_descriptor(root)
    except DataError as exc:
        return Report(root, 0, 0, exc.problems)
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for res in descriptor.get("resources", []):
        file = _shown(root, res.get("path", res.get("name", "?")))
        path = root / res.get("path", "")
        if not res.get("path") or not path.is_file():
            note = "the file is missing"
            if _referenced(descriptor, res["name"]):
                note += " (foreign keys that point to it cannot be checked)"
            problems.append(Problem(file, note))
            continue
        try:
            table = _read_table(path, file)
        except DataError as exc:
            problems += exc.problems
            continue
        found = header_problems(file, table.header, [f["name"] for f in _fields(res)])
        problems += found
        if not found:
            tables[res["name"]] = table
    problems += frictionless_problems(root, descriptor, tables)
    for rule in RULES:
        problems += rule(tables, root.name)
    rows = sum(sum(1 for _ in t.numbered()) for t in tables.values())
    unique = tuple(dict.fromkeys(problems))
    return Report(root, len(descriptor.get("resources", [])), rows, unique)


def hash_files(digest: Any, files: Iterable[tuple[str, Path]]) -> Any:
    """Feed each file's name and content into ``digest`` (a :mod:`hashlib` object); return it.

    The one way the project hashes a set of files for a cache key (this module's validation
    note, the render cache's project fingerprint). Each file adds ``\\0 name \\0 content``;
    a missing file adds ``<missing>``, so removing a file changes the hash too.
    """
    for name, path in files:
        digest.update(b"\0" + name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest


def fingerprint(root: Path) -> str | None:
    """Hash of everything a validation result depends on, or None if it cannot be taken.

    Covers the descriptor, every resource file (or its absence), this module's source
    (the rules) and the frictionless version.
    """
    try:
        descriptor = read_descriptor(root)
        paths = sorted(str(res["path"]) for res in descriptor["resources"])
        digest = hashlib.sha256(Path(__file__).read_bytes())
        digest.update(metadata.version("frictionless").encode())
        hash_files(digest, [(name, root / name) for name in [DESCRIPTOR, *paths]])
    except (DataError, KeyError, TypeError, OSError, metadata.PackageNotFoundError):
        return None
    return digest.hexdigest()


def _marker(key: str) -> Path | None:
    """Path of the on-disk note that a folder with this fingerprint was valid."""
    return None if CACHE_DIR is None else Path(CACHE_DIR) / f"data-valid-{key[:32]}.json"


def _remembered(root: Path, key: str | None) -> Report | None:
    """Return the valid report remembered on disk for this fingerprint, if any."""
    path = _marker(key) if key else None
    try:
        note = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    if not note or note.get("fingerprint") != key:
        return None
    return Report(root, int(note["resources"]), int(note["rows"]), ())


def _remember(rep: Report, key: str | None) -> None:
    """Note on disk that a folder with this fingerprint is valid (best effort)."""
    path = _marker(key) if key else None
    if path is None or not rep.valid:
        return
    note = {"fingerprint": key, "resources": rep.resources, "rows": rep.rows}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(note), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # only a cache: a read-only checkout validates every time


@cache
def _report(root: Path) -> Report:
    """Validate one data folder, once per process (and once per content on disk).

    A valid result is remembered in :data:`CACHE_DIR` under a fingerprint of the files,
    so that each lesson's kernel does not pay for importing frictionless again while
    nothing has changed. Invalid results are never remembered.
    """
    key = fingerprint(root)
    rep = _remembered(root, key)
    if rep is None:
        rep = check_folder(root)
        _remember(rep, key)
    return rep


def report(root: Path | str | None = None) -> Report:
    """Validate a data folder and return the :class:`Report` (never raises for bad data).

    Parameters
    ----------
    root : Path, optional
        Data folder; ``DATA_DIR`` by default. Results are cached per folder.
    """
    return _report(_root(root))


def problem_message(rep: Report) -> str:
    """The text of a :class:`DataError` for an invalid report."""
    head = f"{rep.root.name}/ is not valid: {len(rep.problems)} problem(s) ({_ROW_NOTE})"
    return "\n".join([head, *(f"  - {p}" for p in rep.problems)])


def validate(root: Path | str | None = None) -> None:
    """Validate the whole data package, foreign keys included.

    Runs at most once per process for each data folder (the result is cached; see
    :func:`clear_cache`).

    Parameters
    ----------
    root : Path, optional
        Data folder; ``DATA_DIR`` by default.

    Raises
    ------
    DataError
        Listing every problem: a missing file or column, a value of the wrong type, outside
        its range or not among the allowed values, an unknown actor or toggle, and the
        rules in :data:`RULES`. Each names the file, row and column, with the valid
        choices where there is a list of them.
    """
    rep = report(root)
    if rep.problems:
        raise DataError(problem_message(rep), rep.problems)


def clear_cache() -> None:
    """Forget validation results and loaded tables in this process.

    Only needed after editing files in a running session: the on-disk note is keyed by
    the files' content, so an edited file is validated again anyway.
    """
    _report.cache_clear()
    _frame.cache_clear()


# --------------------------------------------------------------------------- loading


def _convert(column: pd.Series, field: Mapping[str, Any]) -> pd.Series:
    """Convert a column of raw strings to the dtype of its schema field.

    Empty cells become missing values; integers are ``int64`` when required and
    ``Int64`` (nullable) otherwise; booleans are ``bool``; dates stay strings.
    """
    kind = field.get("type", "string")
    required = field.get("constraints", {}).get("required", False)
    missing = column == ""
    if kind == "integer":
        values = pd.to_numeric(column.mask(missing))
        return values.astype("int64") if required else values.astype("Int64")
    if kind == "number":
        return pd.to_numeric(column.mask(missing)).astype("float64")
    if kind == "boolean":
        values = column.map({"true": True, "false": False})
        return values.astype(bool) if required else values.astype("boolean")
    return column.mask(missing)


@cache
def _frame(name: str, root: Path) -> pd.DataFrame:
    """Read one validated resource with the dtypes its schema declares (cached)."""
    descriptor = read_descriptor(root)
    (resource,) = [r for r in descriptor["resources"] if r["name"] == name]
    raw = pd.read_csv(root / resource["path"], dtype=str, keep_default_na=False, na_values=[])
    return pd.DataFrame({f["name"]: _convert(raw[f["name"]], f) for f in _fields(resource)})


def load(name: str, root: Path | str | None = None) -> pd.DataFrame:
    """Load one table of the data package, validated, with proper dtypes.

    Parameters
    ----------
    name : str
        Resource name: ``actors``, ``links``, ``toggles``, ``events``,
        ``military_expenditure``, ``support``, ``claims`` or ``parameters``.
    root : Path, optional
        Data folder; ``DATA_DIR`` by default (tests pass a temporary copy).

    Returns
    -------
    pandas.DataFrame
        A fresh copy (changing it does not change what the next call returns). Columns
        follow the schema: numbers ``float64``, integers ``int64`` (``Int64`` where a
        cell may be empty), booleans ``bool``, text and dates strings; empty cells are
        missing values.

    Raises
    ------
    DataError
        If the name is unknown or the package is not valid (whichever table is at fault).
    """
    folder = _root(root)
    names = resource_names(folder)
    if name not in names:
        message = f'{_q(name)} is not a table of the data package (valid: {", ".join(names)})'
        raise DataError(message, [Problem(_shown(folder, DESCRIPTOR), message)])
    validate(folder)
    return _frame(name, folder).copy()


# --------------------------------------------------------------------------- capabilities


def _country_figure(
    milex: pd.DataFrame, country: str, release: str, year: int
) -> tuple[pd.Series | None, str]:
    """Find the expenditure row used for one country, with a word on where it came from.

    A SIPRI figure of the given release and year if SIPRI publishes the country; if SIPRI
    publishes nothing for it in any release (North Korea), the latest single-year
    non-SIPRI estimate. Returns ``(None, reason)`` when there is no usable row.
    """
    usd = milex[(milex["country"] == country) & (milex["metric"] == "usd_current_bn")]
    sipri = usd[usd["release"] != "non_sipri"]
    if len(sipri):
        hit = sipri[(sipri["release"] == release) & (sipri["year"] == year)]
        if len(hit) == 1:
            return hit.iloc[0], f"SIPRI {release}"
        return None, f"no SIPRI figure for {country} for {year} in the {release} release"
    other = usd[(usd["release"] == "non_sipri") & usd["year"].notna() & usd["period"].isna()]
    if len(other):
        row = other.sort_values("year").iloc[-1]
        return row, f"non-SIPRI estimate for {int(row['year'])} (SIPRI publishes none)"
    return None, f"no figure at all for {country}"


def capability_table(
    release: str = "april_2024", year: int = 2023, root: Path | str | None = None
) -> pd.DataFrame:
    """Military expenditure per actor, with where each number comes from.

    Parameters
    ----------
    release : {"april_2024", "april_2025"}
        SIPRI release. The default, with ``year=2023``, is what the authors could have
        known in July 2024.
    year : int
        Year of the figures (2023, or 2024 with the April 2025 release).
    root : Path, optional
        Data folder; ``DATA_DIR`` by default.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (actors of kind state or state_group, in the order of
        actors.csv; NATO is an institution and left out), with columns ``usd_current_bn``
        (sum over the actor's ``sipri_countries``: BALT = Estonia + Latvia + Lithuania),
        ``is_estimate`` (any part is a SIPRI or non-SIPRI estimate), ``basis`` (release
        and year actually used) and ``countries``.

    Raises
    ------
    DataError
        If the release is unknown or a country has no figure for that release and year.
    """
    if release not in RELEASES:
        raise DataError(f'unknown SIPRI release "{release}" (valid: {", ".join(RELEASES)})')
    actors = load("actors", root)
    milex = load("military_expenditure", root)
    states = actors[actors["kind"].isin(["state", "state_group"])]
    records, missing = [], []
    for actor in states.itertuples(index=False):
        countries = str(actor.sipri_countries).split(";")
        found = [_country_figure(milex, c, release, int(year)) for c in countries]
        missing += [reason for row, reason in found if row is None]
        rows = [row for row, _ in found if row is not None]
        if len(rows) != len(countries):
            continue
        records.append(
            {
                "actor": actor.id,
                "usd_current_bn": float(sum(r["value"] for r in rows)),
                "is_estimate": bool(any(r["is_estimate"] for r in rows)),
                "basis": "; ".join(dict.fromkeys(reason for _, reason in found)),
                "countries": ";".join(countries),
            }
        )
    if missing:
        raise DataError("cannot compute capabilities: " + "; ".join(missing))
    return pd.DataFrame.from_records(records).set_index("actor")


def capabilities(
    release: str = "april_2024", year: int = 2023, root: Path | str | None = None
) -> pd.Series:
    """Military expenditure in current US$ bn per actor id: the model's capability input.

    SIPRI figures of the given release and year; BALT is the sum of Estonia, Latvia and
    Lithuania; North Korea, for which SIPRI publishes nothing, takes the latest
    single-year non-SIPRI estimate in ``military_expenditure.csv`` (US State Department
    WMEAT 2016: 4.17 bn US$ for 2012), flagged as an estimate. NATO is excluded: it is an
    institution whose members are counted separately. See :func:`capability_table` for
    the parameters and for where each number comes from.

    Returns
    -------
    pandas.Series
        Named ``usd_current_bn``, indexed by actor id. ``attrs`` holds ``release``,
        ``year`` and ``estimates`` (the actor ids whose figure is an estimate).
    """
    table = capability_table(release, year, root)
    series = table["usd_current_bn"].copy()
    series.attrs = {
        "release": release,
        "year": int(year),
        "unit": "US$ bn, current prices and exchange rates",
        "estimates": [a for a, est in table["is_estimate"].items() if est],
    }
    return series
