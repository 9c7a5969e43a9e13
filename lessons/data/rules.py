"""Rules a Data Package descriptor cannot express, checked after ``frictionless``.

Lists of actor ids in ``events.csv``, dates matching their stated precision, the claim
registry's modelled/not-modelled bookkeeping, one row per expenditure figure, and each
parameter's default within its range. Each rule takes the readable tables and skips the
tables it cannot see, so that one broken file does not hide problems in the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from lessons.data.problems import Problem, Table, _q, _values

#: Latest possible publication day of the op-ed (Radio Free Asia republished it that day).
ARTICLE_DATE = "2024-07-11"

#: A rule: takes the readable tables, returns problems (it skips tables it cannot see).
Rule = Callable[[Mapping[str, Table], str], list[Problem]]


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
