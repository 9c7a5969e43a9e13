"""Every document the code names exists, and the architecture page names real files.

A newcomer follows the pointers in docstrings, comments and pages; a pointer to a document
the repository does not have (or to a file that has moved) is a dead end.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lessons import paths

ROOT = paths.ROOT
#: folders whose text files may name documents
SCANNED = ("lessons", "tests", "tools", "benchmarks", "notebooks", "docs")
SUFFIXES = {".py", ".md", ".ipynb", ".yaml", ".j2", ".html", ".toml", ".cfg"}
#: a Markdown file name, optionally with folders: ``docs/model.md``, ``README.md``
DOC_NAME = re.compile(r"(?<![\w/.-])([\w./-]*[A-Za-z]\w*\.md)\b")
#: a repository path in backticks on the architecture page: it has a folder or a suffix
PATH_IN_TICKS = re.compile(r"`([\w./-]+/[\w./-]*|[\w-]+\.(?:py|md|csv|yaml|json|txt))`")


def _texts() -> list[Path]:
    files = [p for folder in SCANNED for p in sorted((ROOT / folder).rglob("*"))
             if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts]
    return [*files, ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "Makefile"]


def _exists(name: str, mentioned_in: Path) -> bool:
    """A document exists relative to the root, to the file that names it, or as a test's
    own scratch file (a test that writes it first)."""
    return ((ROOT / name).is_file() or (mentioned_in.parent / name).is_file()
            or f'"{Path(name).name}").write_text' in mentioned_in.read_text())


def test_every_named_document_exists():
    missing = sorted({f"{p.relative_to(ROOT)} names {name}"
                      for p in _texts()
                      for name in DOC_NAME.findall(p.read_text(errors="ignore"))
                      if not _exists(name, p)})
    assert not missing, "\n".join(missing)


def test_architecture_page_names_files_that_exist():
    page = (ROOT / "docs/architecture.md").read_text()
    named = set(PATH_IN_TICKS.findall(page))
    assert len(named) >= 10, named  # the page answers its three tasks with real paths
    missing = sorted(n for n in named if not (ROOT / n.rstrip("/")).exists())
    assert not missing, missing


@pytest.mark.parametrize("page", ["docs/architecture.md", "docs/model.md"])
def test_contributing_points_to_the_design_pages(page):
    assert f"({page})" in (ROOT / "CONTRIBUTING.md").read_text()


def test_every_image_and_link_in_the_docs_points_at_a_file_that_exists():
    """A Markdown image or relative link in ``docs/`` or the top-level pages resolves."""
    pages = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", page.read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, broken
    assert any("images/" in p.read_text() for p in pages)
