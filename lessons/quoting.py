"""How an error message quotes a bad value: short, whatever the value holds.

A hostile or broken input (a 39 MB string, a binary blob, a deeply nested list from a
scenario file) must not turn into a 39 MB error message, or take minutes to print. Every
layer quotes values through this module, so every message is bounded the same way.

- :func:`quote_short` is ``repr`` cut to a length, with the full length given: for values
  that arrive from a command line or a catalog (strings, numbers).
- :func:`quote_bounded` uses :mod:`reprlib`, which bounds the *work* as well as the length:
  for values parsed from files, which may be large containers.
"""

from __future__ import annotations

import reprlib

#: the longest quoted value in a message (characters, before the ellipsis)
QUOTE_LIMIT = 60


def quote_short(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)``, cut to ``limit`` characters with "…" and the full length.

    >>> quote_short("abc")
    "'abc'"
    >>> quote_short("x" * 100, limit=10)
    "'xxxxxxxx… (102 characters)"
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text)} characters)"


def _repr() -> reprlib.Repr:
    r = reprlib.Repr()  # Python 3.11 takes no keyword arguments here
    r.maxlevel, r.maxdict, r.maxlist, r.maxtuple, r.maxset = 2, 4, 4, 4, 4
    r.maxstring, r.maxother, r.maxlong = 40, 40, 40
    return r


_REPR = _repr()


def quote_bounded(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A short ``repr`` of ``value``, at most ``limit`` characters, cheap for any size.

    :mod:`reprlib` abbreviates long strings and deep or long containers while it formats
    them; the result is cut with ``...`` if it is still too long.

    >>> quote_bounded(list(range(100)))
    '[0, 1, 2, 3, ...]'
    >>> quote_bounded("y" * 100, limit=12)
    "'yyyyyyyy..."
    """
    text = _REPR.repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
