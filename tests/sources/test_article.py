"""The article is kept byte for byte and parsed into 21 paragraphs with stable IDs."""

from __future__ import annotations

import hashlib

import pytest

from lessons.paths import ROOT, SEEDS_DIR
from lessons.sources import article

SEED = SEEDS_DIR / article.SEED_FILE
#: SHA-256 of the seed as delivered in shared/seeds (the input's identity, not a result).
SEED_SHA256 = "d8e6bfb8886e4aabb3caba634d6c5ebdac52e9273372b334531439c654971f83"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / article.SEED_FILE


def test_seed_is_byte_identical_to_the_delivered_article():
    data = SEED.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256
    if SHARED_SEED.exists():  # beside the project on developer machines and in CI
        assert data == SHARED_SEED.read_bytes()


def test_structure_title_byline_sections():
    art = article.load_article()
    assert art.title == "The Folly of Interlinking NATO and US Asian Alliances"
    assert art.byline == "By James Park and Artin DerSimonian"
    assert art.sections == (
        "Introduction",
        "Two Theaters, One Vision?",
        "The Folly of Interlinking NATO and U.S. Asian Alliances",
    )


def test_twenty_one_paragraphs_in_three_sections():
    art = article.load_article()
    assert art.ids == tuple(f"P{n:02d}" for n in range(1, 22))
    counts = {s: len(art.in_section(s)) for s in art.sections}
    assert counts == {
        "Introduction": 2,
        "Two Theaters, One Vision?": 10,
        "The Folly of Interlinking NATO and U.S. Asian Alliances": 9,
    }


def test_paragraphs_are_verbatim_lines_of_the_seed_and_nothing_else_is_lost():
    text = SEED.read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    art = article.load_article()
    kept = {art.title, art.byline, *art.sections[1:], *(p.text for p in art.paragraphs)}
    dropped = [ln for ln in lines if ln not in kept]
    # exactly the page boilerplate is dropped: counters, the source line, the comment form
    assert dropped == [
        "0", "220", "source : thediplomat", "LEAVE A REPLY",
        "Please enter your comment!", "Please enter your name here",
    ]
    for p in art.paragraphs:
        assert p.text in lines


@pytest.mark.parametrize("bad", ["P00", "P22", "x1", "", "P1-"])
def test_unknown_paragraph_ids_raise_with_valid_range(bad):
    with pytest.raises(article.ArticleError, match=r"P01|paragraph"):
        article.load_article().paragraph(bad)


def test_expand_ranges_and_reject_unknown():
    assert article.expand(["P19-P21", 3]) == ["P03", "P19", "P20", "P21"]
    with pytest.raises(article.ArticleError, match=r"valid IDs are P01\.\.P21"):
        article.expand(["P20-P23"])
    with pytest.raises(article.ArticleError, match="empty paragraph range"):
        article.expand(["P05-P03"])


def test_parse_rejects_text_without_paragraphs():
    with pytest.raises(article.ArticleError, match="byline"):
        article.parse("A title\n\nshort line\n")
    with pytest.raises(article.ArticleError, match="no body paragraphs"):
        article.parse("A title\nBy Someone\nA heading\n")
    with pytest.raises(article.ArticleError, match="no article text"):
        article.parse("0\n220\n")


def test_digest_changes_with_text():
    p = article.passage("P13")
    assert p.digest != article.passage("P14").digest
    assert len(p.digest) == 12
