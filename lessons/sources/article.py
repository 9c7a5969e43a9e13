"""The article, parsed from ``seeds/`` into sections and paragraphs with stable IDs.

Lessons never retype the article: they ask this module for a paragraph by its ID
(``"P01"`` .. ``"P21"``, numbered in reading order) and show the text exactly as stored.
Page boilerplate in the seed file (stray counters, the "source :" line, the comment form)
is recognised and dropped, never shown as article text.

>>> art = load_article()
>>> art.title
'The Folly of Interlinking NATO and US Asian Alliances'
>>> len(art.paragraphs)
21
>>> art.paragraph("P06").section
'Two Theaters, One Vision?'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lessons.paths import SEEDS_DIR

#: The seed file that holds the article, byte for byte as published.
SEED_FILE = "000_0d4f9e686edbc562.txt"
#: Name used for the untitled opening section.
INTRODUCTION = "Introduction"
AUTHORS = ("James Park", "Artin DerSimonian")
PUBLICATION = "The Diplomat"
PUBLISHED = "July 2024"

_BOILERPLATE = (
    re.compile(r"^\d+$"),  # page counters ("0", "220")
    re.compile(r"^source\s*:", re.IGNORECASE),
    re.compile(r"^LEAVE A REPLY$"),
    re.compile(r"^Please enter your (comment|name)"),
)
#: Lines shorter than this that are not boilerplate are headings; paragraphs are longer.
_HEADING_MAX = 120


class ArticleError(LookupError):
    """Raised for an unknown paragraph ID or a seed file that does not parse as expected."""


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph of the article.

    Attributes
    ----------
    id : str
        Stable identifier, ``"P01"`` to ``"P21"`` in reading order.
    number : int
        The same position as an integer (1-based), as cited in lessons ("¶13").
    section : str
        Heading of the section it belongs to (``"Introduction"`` for the untitled opening).
    text : str
        The paragraph exactly as in the seed file (no trailing newline).
    """

    id: str
    number: int
    section: str
    text: str

    @property
    def digest(self) -> str:
        """Short SHA-256 of the text: lets tests notice any change to a paragraph."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Article:
    """The parsed article: title, byline, section headings and body paragraphs."""

    title: str
    byline: str
    sections: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]

    def paragraph(self, pid: str | int) -> Paragraph:
        """Return one paragraph by ID (``"P13"``) or number (``13``).

        Raises
        ------
        ArticleError
            If there is no such paragraph; the message lists the valid IDs.
        """
        key = paragraph_id(pid)
        for p in self.paragraphs:
            if p.id == key:
                return p
        raise ArticleError(
            f"no paragraph {pid!r}: valid IDs are {self.paragraphs[0].id}..{self.paragraphs[-1].id}"
        )

    def in_section(self, section: str) -> tuple[Paragraph, ...]:
        """Return the paragraphs of one section, in order."""
        if section not in self.sections:
            raise ArticleError(f"no section {section!r}: valid sections are {list(self.sections)}")
        return tuple(p for p in self.paragraphs if p.section == section)

    @property
    def ids(self) -> tuple[str, ...]:
        """All paragraph IDs in reading order."""
        return tuple(p.id for p in self.paragraphs)


def paragraph_id(pid: str | int) -> str:
    """Normalise ``13``, ``"13"``, ``"p13"`` or ``"P13"`` to ``"P13"``.

    >>> paragraph_id(3), paragraph_id("p7"), paragraph_id("P21")
    ('P03', 'P07', 'P21')
    """
    text = str(pid).strip().upper().removeprefix("P").removeprefix("¶")
    if not text.isdigit():
        raise ArticleError(f"not a paragraph ID: {pid!r} (use 'P01'..'P21' or a number)")
    return f"P{int(text):02d}"


def _is_boilerplate(line: str) -> bool:
    return any(p.search(line) for p in _BOILERPLATE)


def parse(text: str) -> Article:
    """Parse the seed text into an :class:`Article`.

    The first non-empty line is the title, the line starting with ``"By "`` is the byline,
    short lines are section headings and long lines are body paragraphs. Boilerplate lines
    are dropped. Raises :class:`ArticleError` if no title, byline or paragraph is found.
    """
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not _is_boilerplate(ln)]
    if not lines:
        raise ArticleError("the seed file holds no article text")
    title, rest = lines[0], lines[1:]
    byline = next((ln for ln in rest if ln.startswith("By ")), None)
    if byline is None:
        raise ArticleError("no byline ('By ...') found in the seed file")
    section = INTRODUCTION
    sections = [INTRODUCTION]
    paragraphs: list[Paragraph] = []
    for line in rest:
        if line == byline:
            continue
        if len(line) < _HEADING_MAX:
            section = line
            sections.append(line)
            continue
        n = len(paragraphs) + 1
        paragraphs.append(Paragraph(id=f"P{n:02d}", number=n, section=section, text=line))
    if not paragraphs:
        raise ArticleError("no body paragraphs found in the seed file")
    return Article(
        title=title, byline=byline, sections=tuple(sections), paragraphs=tuple(paragraphs)
    )


@cache
def load_article(path: Path | None = None) -> Article:
    """Read and parse the article from ``seeds/`` (cached: the file never changes)."""
    source = path or SEEDS_DIR / SEED_FILE
    return parse(source.read_text(encoding="utf-8"))


def passage(pid: str | int) -> Paragraph:
    """Shortcut for ``load_article().paragraph(pid)``."""
    return load_article().paragraph(pid)


def expand(ids: Iterable[str | int]) -> list[str]:
    """Expand IDs and ranges (``"P03-P06"``, ``"3-6"``) into a sorted list of unique IDs.

    >>> expand(["P03-P05", 1, "P04"])
    ['P01', 'P03', 'P04', 'P05']
    """
    out: set[str] = set()
    for item in ids:
        text = str(item)
        if "-" in text:
            lo, hi = (int(paragraph_id(x)[1:]) for x in text.split("-", 1))
            if lo > hi:
                raise ArticleError(f"empty paragraph range {item!r}")
            out.update(f"P{n:02d}" for n in range(lo, hi + 1))
        else:
            out.add(paragraph_id(text))
    valid = set(load_article().ids)
    unknown = sorted(out - valid)
    if unknown:
        raise ArticleError(f"unknown paragraph IDs {unknown}: valid IDs are P01..P{len(valid):02d}")
    return sorted(out)


def citation() -> str:
    """How to cite the article (plain text)."""
    return (
        f"Park, James, and Artin DerSimonian. \u201c{load_article().title}.\u201d "
        f"{PUBLICATION}, {PUBLISHED}."
    )
