"""The model's parameters, as data: ``data/parameters.csv``.

Each row has a default, a plausible range ``[low, high]``, a unit, the mechanism it belongs
to, its basis, one sentence on where the value comes from, and a citation. Nothing in the
code hard-wires a value that a student might want to question: it is either here or
derived from the data.

The basis is honest about where a *value* comes from:

* ``article`` only where the article itself gives the value; the row then quotes the
  passage (``quote``, verbatim from the seed) and names its paragraph (``paragraph``).
  The article gives no numbers the model uses, so no row claims it today.
* ``study`` where a cited study gives the value.
* ``teaching_assumption`` otherwise: the value is illustrative, and ``paragraph`` names the
  paragraph whose *direction* the parameter encodes (``quote`` may give the words).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import numpy as np
import pandas as pd

from lessons.model.errors import ModelError, choices
from lessons.model.tables import table
from lessons.quoting import quote_bounded as short

#: Parameter names the widgets rely on; the table must hold them.
REQUIRED = ("theta", "nationalism", "euro_interest")
BASES = ("article", "study", "teaching_assumption")


def list_parameters() -> pd.DataFrame:
    """Return the parameter table (a copy): name, default, low, high, unit, mechanism,
    basis, explanation, citation, paragraph, quote."""
    return table("parameters").copy()


@cache
def _spec() -> tuple[MappingProxyType, MappingProxyType]:
    df = table("parameters")
    defaults: dict[str, float] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for row in df.itertuples(index=False):
        name = str(row.name)
        low, default, high = float(row.low), float(row.default), float(row.high)
        if not low <= default <= high or low == high:
            raise ModelError(f"parameter {name!r}: need low <= default <= high and low < high, "
                             f"got {low}, {default}, {high} in data/parameters.csv")
        if row.basis not in BASES:
            raise ModelError(f"parameter {name!r}: basis {row.basis!r} is not one of "
                             f"{choices(BASES)}")
        if row.basis == "article" and not (isinstance(row.quote, str) and row.quote.strip()):
            raise ModelError(f"parameter {name!r}: basis 'article' needs the passage that "
                             f"gives the value in the quote column of data/parameters.csv")
        defaults[name] = default
        ranges[name] = (low, high)
    missing = [n for n in REQUIRED if n not in defaults]
    if missing:
        raise ModelError(f"data/parameters.csv lacks required parameters {missing}")
    return MappingProxyType(defaults), MappingProxyType(ranges)


def defaults() -> Mapping[str, float]:
    """Default value of every parameter (read-only mapping)."""
    return _spec()[0]


def ranges() -> Mapping[str, tuple[float, float]]:
    """Plausible range ``(low, high)`` of every parameter (read-only mapping)."""
    return _spec()[1]


def names() -> tuple[str, ...]:
    """Parameter names in table order."""
    return tuple(defaults())


def check(name: object, value: object) -> float:
    """Validate one parameter value and return it as a float.

    Raises
    ------
    ModelError
        If ``name`` is not a parameter (the message lists the valid names) or ``value`` is
        not a real number inside the parameter's range (the message gives the range).
    """
    rng = ranges()
    if not isinstance(name, str) or name not in rng:
        raise ModelError(f"unknown parameter {short(name)}; valid parameters: {choices(rng)}")
    low, high = rng[name]
    if not is_real(value):
        raise ModelError(f"parameter {name!r} must be a number, got {short(value)} "
                         f"(range {low} to {high})")
    v = float(value)  # type: ignore[arg-type]
    if not low <= v <= high:  # also rejects NaN
        raise ModelError(f"parameter {name!r} = {short(value)} is outside its range "
                         f"[{low}, {high}]; valid parameters: {choices(rng)}")
    return v


def is_real(value: object) -> bool:
    """Whether ``value`` is a real number: any Python or numpy integer or float (numpy
    registers its scalar types with :mod:`numbers`), but not a bool, which is a yes/no
    answer that Python happens to count as 0 or 1."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def check_names(value: object, arg: str = "vary") -> tuple[str, ...]:
    """Validate a list of parameter names passed as ``arg`` and return it as a tuple.

    A single string is refused rather than read letter by letter (``vary="theta"`` would
    otherwise mean the parameters ``t``, ``h``, ``e``, ...).

    Raises
    ------
    ModelError
        For a string, a non-iterable, or a name that is not a parameter (listing them).
    """
    valid = names()
    if isinstance(value, str):
        raise ModelError(f"{arg} must be a list of parameter names, not the single string "
                         f"{short(value)}: write {arg}=[{short(value)}]; valid parameters: "
                         f"{choices(valid)}")
    try:
        items = tuple(value)  # type: ignore[call-overload]
    except TypeError:
        raise ModelError(f"{arg} must be a list of parameter names, got {short(value)}; "
                         f"valid parameters: {choices(valid)}") from None
    bad = [v for v in items if not isinstance(v, str) or v not in valid]
    if bad:
        raise ModelError(f"unknown parameters {short(bad)} in {arg}; valid parameters: "
                         f"{choices(valid)}")
    return items


def _squash(text: str) -> str:
    """Runs of whitespace (the seed has non-breaking spaces) as one plain space."""
    return " ".join(text.split())


def basis_problems(df: pd.DataFrame, paragraphs: Mapping[str, str]) -> list[str]:
    """What is wrong with the parameter table's claims about where values come from.

    Parameters
    ----------
    df : pandas.DataFrame
        The parameter table (:func:`list_parameters`).
    paragraphs : Mapping[str, str]
        Paragraph ID -> text of the article (``lessons.sources.article``).

    Returns
    -------
    list of str
        One sentence per problem, empty if none: a row with basis ``article`` but no
        quoted passage; a quote that does not occur, word for word (runs of spaces
        aside), in the paragraph it names; an unknown paragraph ID; a teaching assumption
        that names no paragraph whose direction it encodes.
    """
    problems = []
    for row in df.itertuples(index=False):
        para = row.paragraph if isinstance(row.paragraph, str) else ""
        quote = row.quote if isinstance(row.quote, str) else ""
        if para and para not in paragraphs:
            problems.append(f"{row.name}: paragraph {para!r} is not in the article "
                            f"(valid: {choices(paragraphs)})")
        if row.basis == "article" and not (quote.strip() and para):
            problems.append(f"{row.name}: basis 'article' needs the paragraph and the "
                            f"passage that give the value")
        if row.basis == "teaching_assumption" and not para:
            problems.append(f"{row.name}: a teaching assumption names the paragraph whose "
                            f"direction it encodes")
        if quote.strip() and para in paragraphs \
                and _squash(quote) not in _squash(paragraphs[para]):
            problems.append(f"{row.name}: the quote {short(quote)} is not in {para}")
    return problems
