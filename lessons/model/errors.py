"""The one exception the model raises for bad input, and how its messages list choices.

Values are quoted through :mod:`lessons.quoting`."""

from __future__ import annotations

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
