"""Every parameter says honestly where its value comes from (data/parameters.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

from lessons.model import list_parameters, parameters
from lessons.sources.article import load_article


@pytest.fixture(scope="module")
def paragraphs() -> dict[str, str]:
    return {p.id: p.text for p in load_article().paragraphs}


def test_the_table_makes_no_false_claims(paragraphs):
    """No parameter claims the article without a passage found word for word in the seed,
    every quote is in the paragraph it names, every teaching assumption names one."""
    assert parameters.basis_problems(list_parameters(), paragraphs) == []


def test_the_article_gives_none_of_these_values():
    """The article states no motive mix, European stake or diplomacy window as a number."""
    df = list_parameters().set_index("name")
    for name in ("theta", "euro_interest", "window_base"):
        assert df.loc[name, "basis"] != "article", name


def test_every_basis_is_a_known_kind_and_quotes_are_in_the_seed(paragraphs):
    df = list_parameters()
    assert set(df["basis"]) <= set(parameters.BASES)
    seed = " ".join(" ".join(paragraphs.values()).split())
    quotes = [q for q in df["quote"] if isinstance(q, str) and q.strip()]
    assert quotes  # the table does quote the article where it leans on it
    for q in quotes:
        assert " ".join(q.split()) in seed, q


def _row(**change: str) -> pd.DataFrame:
    base = {"name": "x", "basis": "teaching_assumption", "paragraph": "P17",
            "quote": "", "default": 0.5}
    return pd.DataFrame([{**base, **change}])


@pytest.mark.parametrize("change, words", [
    ({"basis": "article"}, "needs the paragraph and the passage"),
    ({"basis": "article", "quote": "a number the article never gives"}, "is not in P17"),
    ({"quote": "run back home, said nobody"}, "is not in P17"),
    ({"paragraph": "P22"}, "not in the article"),
    ({"paragraph": ""}, "names the paragraph"),
])
def test_each_false_claim_is_caught(paragraphs, change, words):
    problems = parameters.basis_problems(_row(**change), paragraphs)
    assert len(problems) >= 1 and any(words in p for p in problems), problems


def test_a_true_quote_passes_despite_the_seeds_spacing(paragraphs):
    """The seed separates some words with non-breaking spaces; a quote typed with plain
    spaces still counts as the same words."""
    assert "\xa0" in paragraphs["P17"]
    good = _row(basis="article", quote="may exacerbate nationalist sentiments")
    assert parameters.basis_problems(good, paragraphs) == []
