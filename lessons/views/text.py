"""Small text and number helpers every view module shares: joins, signed numbers,
rounding, percentages and plurals.

Each idea has one implementation here, so a sentence built in lesson 05 and one built in
lesson 09 write "+0.012", "a, b and c" or "3 links" the same way. The functions are pure
and tiny; their exact output is part of committed notebook outputs, so change one only on
purpose (it restyles every lesson's text at once).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

#: Decimals kept in figure data (outputs stay identical across machines).
DIGITS = 6


# --------------------------------------------------------------------------- joins


def join_and(items: Sequence[str]) -> str:
    """Join a list of names: ``a``, ``a and b``, ``a, b and c`` (no serial comma).

    Parameters
    ----------
    items : sequence of str
        The names, in order.

    Returns
    -------
    str
        ``""`` for no items.
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def join_clauses(parts: Sequence[str]) -> str:
    """Join clauses that may contain commas: ``a``, ``a and b``, ``a; b; and c``.

    Parameters
    ----------
    parts : sequence of str
        The clauses, in order.

    Returns
    -------
    str
        ``""`` for no clauses.
    """
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) == 2:
        return f"{parts[0]} and {parts[1]}"
    return "; ".join(parts[:-1]) + f"; and {parts[-1]}"


def short_list(items: Sequence[str], limit: int = 3) -> str:
    """``"a, b, c"``, or the first ``limit`` items and ``"and N more"`` for a longer list."""
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def capitalised(text: str) -> str:
    """``text`` with its first character upper-cased (the rest unchanged)."""
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- numbers


def num(x: float, digits: int = 2) -> str:
    """A number with a fixed count of decimals: ``num(0.4) == "0.40"``."""
    return f"{x:.{digits}f}"


def num_beside(x: float, threshold: float, digits: int = 2, signed: bool = False) -> str:
    """``x`` with ``digits`` decimals, or one more when that rounding would hide which side
    of ``threshold`` its size lies on.

    A rule "less than 0.05 is little change" next to a move of 0.052 printed as "0.05"
    reads as a contradiction; so a size that rounds onto the threshold, or across it, gets
    one more decimal (0.045–0.055 with two decimals and a threshold of 0.05).

    >>> num_beside(0.052, 0.05), num_beside(0.12, 0.05), num_beside(-0.05012, 0.05, 3, True)
    ('0.052', '0.12', '-0.0501')
    """
    size, shown = abs(float(x)), round(abs(float(x)), digits)
    if math.isclose(shown, threshold, abs_tol=1e-12) or (shown < threshold) != (
            size < threshold):
        digits += 1
    return f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}"


def signed(x: float, digits: int = 3) -> str:
    """A change with its sign always shown: ``signed(0.0123) == "+0.012"``."""
    return f"{x:+.{digits}f}"


def small(x: float) -> str:
    """A small value with enough decimals to differ from zero: 3 decimals, 4 below 0.01."""
    return f"{x:.3f}" if abs(x) >= 0.01 else f"{x:.4f}"


def percent(x: float) -> str:
    """A share (0–1) as a whole percentage: ``"5%"``, ``"25%"``.

    >>> percent(0.05), percent(0.254)
    ('5%', '25%')
    """
    return f"{100 * x:.0f}%"


def share(x: float) -> str:
    """A share (0–1) as a percentage: ``"<0.1%"``, ``"4.2%"`` below 10%, ``"37%"`` above."""
    pct = 100 * x
    if 0 < pct < 0.1:
        return "<0.1%"
    return f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%"


def rounded(values: Iterable[float]) -> list[float]:
    """Values rounded to :data:`DIGITS` decimals one by one with Python's ``round``.

    Figure data are rounded so outputs stay identical across machines. This and
    :func:`rounded_array` can differ in the last decimal (``round`` is exact, ``np.round``
    scales first); each view keeps the one its committed outputs were made with.
    """
    return [round(float(v), DIGITS) for v in values]


def rounded_array(values: Iterable[float]) -> list[float]:
    """Values rounded to :data:`DIGITS` decimals with ``np.round`` (the charts' rounding)."""
    return np.round(np.asarray(values, dtype=float), DIGITS).tolist()


def format_number(value: float) -> str:
    """A figure as written in a label: thousands separators, no trailing zeros.

    >>> format_number(3000000), format_number(100.33), format_number(0.063)
    ('3,000,000', '100.33', '0.063')
    """
    v = float(value)
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.3f}".rstrip("0").rstrip(".")


def cell_text(value: object) -> str:
    """A cell as text: missing values (NaN, None, pandas NA) become ``""``."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def stripped_text(value: object) -> str:
    """:func:`cell_text` without surrounding blanks, and ``""`` for a cell that *spells*
    a missing value (``"nan"``, ``"None"``, ``"NaT"``, ``"<NA>"``), as a CSV round trip
    can leave them (the network chart's hover texts)."""
    text = cell_text(value).strip()
    return "" if text.lower() in {"nan", "none", "nat", "<na>"} else text


# --------------------------------------------------------------------------- counts


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 event"``, ``"4 events"`` (``many`` for irregular plurals): no template
    ``"event(s)"`` in front of a class."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def run_span(years: Sequence[int] | np.ndarray) -> str:
    """The time a run covers, read as model time: ``"over 20 model years (2024 to 2044)"``."""
    first, last = int(years[0]), int(years[-1])
    return f"over {plural(last - first, 'model year')} ({first} to {last})"


def markdown_safe(text: str) -> str:
    r"""``text`` ready to go inside Markdown that JupyterLab renders: each ``$`` escaped.

    JupyterLab reads a pair of dollar signs as LaTeX, so a sentence with two amounts in
    "US$" would print as run-together italic math. An escaped ``\$`` shows as ``$``.

    >>> print(markdown_safe("296.4 bn US$ against 4.4 bn US$"))
    296.4 bn US\$ against 4.4 bn US\$
    """
    return text.replace("$", "\\$")


def plain_title(text: str) -> str:
    """A Plotly title as plain text: its line breaks become a colon, its tags go.

    >>> plain_title("Who is linked to whom<br><span style='font-size:13px'>allies above</span>")
    'Who is linked to whom: allies above'
    """
    return re.sub(r"<[^>]+>", "", re.sub(r"\s*<br\s*/?>\s*", ": ", text)).strip()

