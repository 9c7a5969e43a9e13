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

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from lessons.data.package_check import frictionless_problems
from lessons.data.problems import DataError, Problem, Report, Table, _q
from lessons.data.rules import ARTICLE_DATE, RULES, Rule
from lessons.data.schema import (
    DESCRIPTOR,
    _fields,
    _read_table,
    _root,
    _shown,
    header_problems,
    read_descriptor,
    resource_names,
)
from lessons.paths import BUILD_DIR

__all__ = [
    "ARTICLE_DATE",
    "CACHE_DIR",
    "DESCRIPTOR",
    "RELEASES",
    "RULES",
    "DataError",
    "Problem",
    "Report",
    "Rule",
    "Table",
    "capabilities",
    "capability_table",
    "check_folder",
    "clear_cache",
    "fingerprint",
    "frictionless_problems",
    "header_problems",
    "load",
    "problem_message",
    "read_descriptor",
    "report",
    "resource_names",
    "validate",
]

#: SIPRI releases :func:`capabilities` can read.
RELEASES = ("april_2024", "april_2025")
_ROW_NOTE = "rows are numbered as in a spreadsheet: the header is row 1"
#: Where a valid result is remembered between processes (None: never remember).
CACHE_DIR: Path | None = BUILD_DIR / "cache"


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

    Covers the descriptor, every resource file (or its absence), the source of every
    module of this package (the checks and rules) and the frictionless version.
    """
    try:
        descriptor = read_descriptor(root)
        paths = sorted(str(res["path"]) for res in descriptor["resources"])
        digest = hashlib.sha256()
        hash_files(digest, [(m.name, m) for m in sorted(Path(__file__).parent.glob("*.py"))])
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
