"""``lessons.data.hash_files``: the one way a set of files is hashed for a cache key."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lessons import data


def _hex(files: list[tuple[str, Path]]) -> str:
    return data.hash_files(hashlib.sha256(), files).hexdigest()


def test_content_name_and_absence_each_change_the_hash(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"x\n1\n")
    base = _hex([("a.csv", path)])
    assert _hex([("a.csv", path)]) == base  # the same files, the same hash
    assert _hex([("b.csv", path)]) != base  # a renamed file
    path.write_bytes(b"x\n2\n")
    assert _hex([("a.csv", path)]) != base  # an edited file
    empty = _hex([("a.csv", path.with_name("gone.csv"))])
    path.write_bytes(b"")
    assert _hex([("a.csv", path)]) != empty  # an empty file is not a missing one

