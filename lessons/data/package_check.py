"""Types, constraints and keys of the data package, checked by ``frictionless``.

The ``frictionless`` library is imported only when a folder is validated (it takes about
a second); its errors are translated into :class:`~lessons.data.problems.Problem` values
in plain words, with the valid choices where there is a list of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lessons.data.problems import Problem, Table, _q, _values
from lessons.data.schema import DESCRIPTOR, _fields, _shown

#: Words used in messages for the tables foreign keys point to.
_KEY_NOUNS = {"actors": "actor", "toggles": "toggle"}


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
    if name == "maxLength":
        return f"{_q(cell)} is longer than {constraints['maxLength']} characters"
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
