"""Broken or foreign data CSVs get a message naming the file (and row and column), never a
``UnicodeDecodeError`` or a "column id is missing and column id is unexpected" riddle.

Each test breaks a temporary copy of ``data/actors.csv`` (with a descriptor listing only
that table, which has no foreign keys): ``data/`` itself is only read.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from lessons import data as ld
from lessons.paths import DATA_DIR

FILE = "actors.csv"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(ld, "CACHE_DIR", tmp_path / "validation-cache")


@pytest.fixture
def folder(tmp_path) -> Path:
    """A data folder holding only a copy of actors.csv and its resource."""
    root = tmp_path / "data"
    root.mkdir()
    descriptor = ld.read_descriptor(DATA_DIR)
    descriptor["resources"] = [r for r in descriptor["resources"] if r["path"] == FILE]
    (root / ld.DESCRIPTOR).write_text(json.dumps(descriptor), encoding="utf-8")
    shutil.copyfile(DATA_DIR / FILE, root / FILE)
    return root


def problems_of(root: Path) -> tuple[str, tuple[ld.Problem, ...]]:
    started = time.perf_counter()
    with pytest.raises(ld.DataError) as info:
        ld.validate(root)
    assert time.perf_counter() - started < 10
    text = str(info.value)
    assert len(text) < 10_000
    for riddle in ("UnicodeDecodeError", "is missing", "unexpected column"):
        assert riddle not in text, text
    return text, info.value.problems


def test_the_copy_is_valid_before_it_is_broken(folder):
    ld.validate(folder)


def test_latin1_file_names_file_row_and_column(folder):
    lines = (folder / FILE).read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    first[1] = "Zürich Café"  # the name column of the first data row
    lines[1] = ",".join(first)
    (folder / FILE).write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    text, (problem,) = problems_of(folder)
    assert problem.file == f"data/{FILE}"
    assert (problem.row, problem.column) == (2, "name")
    assert "UTF-8" in text and "Latin-1" in text


def test_bom_is_named_not_a_column_riddle(folder):
    raw = (folder / FILE).read_bytes()
    (folder / FILE).write_bytes(b"\xef\xbb\xbf" + raw)
    text, (problem,) = problems_of(folder)
    assert problem.file == f"data/{FILE}" and "byte-order mark" in text


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"], ids=["empty", "blank"])
def test_empty_file(folder, content):
    (folder / FILE).write_bytes(content)
    text, (problem,) = problems_of(folder)
    assert problem.file == f"data/{FILE}" and "empty" in text


def test_binary_garbage(folder):
    (folder / FILE).write_bytes(bytes(range(256)) * 4000)  # 1 MB with NUL bytes
    text, (problem,) = problems_of(folder)
    assert problem.file == f"data/{FILE}" and "binary" in text


def test_non_utf8_bytes_without_nul(folder):
    (folder / FILE).write_bytes(bytes(range(128, 256)) * 100)
    text, (problem,) = problems_of(folder)
    assert problem.file == f"data/{FILE}" and problem.row == 1 and "not UTF-8" in text


def test_a_long_bad_value_is_quoted_short(folder):
    lines = (folder / FILE).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("x")] = "9" * 5000 + "not-a-number"
    lines[1] = ",".join(cells)
    (folder / FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    text, problems = problems_of(folder)
    assert any(p.column == "x" and p.row == 2 for p in problems), text
    assert len(text) < 2_000 and "characters)" in text
