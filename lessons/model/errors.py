"""The one exception the model raises for bad input, and how its messages quote values."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable


class ModelError(ValueError):
    """Bad input to the model: an unknown scenario, toggle, link, actor, parameter or metric,
    a value outside its range, or a malformed scenario file.

    The message always names the problem and lists the valid choices, so that a student who
    mistypes a toggle in a notebook sees at once what they could have typed.
    """


def choices(valid: Iterable[str], limit: int = 100) -> str:
    """Format valid choices for an error message (sorted, comma-separated)."""
    items = sorted(str(v) for v in valid)
    more = f", ... ({len(items) - limit} more)" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _repr() -> reprlib.Repr:
    r = reprlib.Repr()  # Python 3.11 takes no keyword arguments here
    r.maxlevel, r.maxdict, r.maxlist, r.maxtuple, r.maxset = 2, 4, 4, 4, 4
    r.maxstring, r.maxother, r.maxlong = 40, 40, 40
    return r


_REPR = _repr()


def short(value: object, limit: int = 60) -> str:
    """A short ``repr`` of ``value`` for an error message, at most ``limit`` characters.

    A value from a hostile file may be a megabyte of text or a deeply nested list; quoting
    it whole would bury the message (or take minutes to print). :mod:`reprlib` bounds the
    work as well as the length, and the result is cut with ``...`` if still too long.
    """
    text = _REPR.repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
