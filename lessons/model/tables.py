"""The data the model reads, each table read once and cached.

Every table comes through :func:`lessons.data.load` (validated against
``data/datapackage.json``) and capabilities through :func:`lessons.data.capabilities`;
the model never opens a CSV itself. Tables are cached because a widget re-simulates on every
click; :func:`lessons.model.clear_caches` drops them and everything built from them (tests
that edit data use it).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from lessons import data as _data

#: SIPRI release and year the capability index is built from (the article's own vintage).
CAPABILITY_RELEASE = "april_2024"
CAPABILITY_YEAR = 2023


@cache
def table(name: str) -> pd.DataFrame:
    """Return a validated table from ``data/`` (cached; do not mutate the result)."""
    return _data.load(name)


@cache
def spending() -> pd.Series:
    """Military expenditure (US$ bn) per state actor, from SIPRI via ``lessons.data``.

    NATO as an institution is absent (its members are counted one by one); North Korea's
    figure is a flagged non-SIPRI estimate.
    """
    return _data.capabilities(release=CAPABILITY_RELEASE, year=CAPABILITY_YEAR)
