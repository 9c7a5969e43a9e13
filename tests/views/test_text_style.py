"""The shared text helpers and house style: each idea written once, the same way for
every lesson (lists, signs, shares, plurals; colours, template, title)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lessons.views import palette, style, text


def test_joins_name_lists_and_clauses_differently():
    assert text.join_and([]) == ""
    assert text.join_and(["a"]) == "a"
    assert text.join_and(["a", "b"]) == "a and b"
    assert text.join_and(["a", "b", "c"]) == "a, b and c"
    assert text.join_clauses(["a", "b"]) == "a and b"
    assert text.join_clauses(["a, x", "b", "c"]) == "a, x; b; and c"
    assert text.short_list(list("abcde"), limit=3) == "a, b, c and 2 more"


def test_numbers_keep_their_sign_and_share_their_scale():
    assert text.signed(0.01234) == "+0.012"
    assert text.signed(-0.5, 1) == "-0.5"
    assert text.num(0.4) == "0.40"
    assert text.share(0.0004) == "<0.1%"
    assert text.share(0.042) == "4.2%"
    assert text.share(0.37) == "37%"
    assert text.small(0.005) == "0.0050" and text.small(0.25) == "0.250"
    assert text.plural(1, "event") == "1 event"
    assert text.plural(3, "event") == "3 events"
    assert text.plural(2, "entente", "ententes") == "2 ententes"
    assert text.run_span([2024, 2044]) == "over 20 model years (2024 to 2044)"


def test_rounding_keeps_digits_decimals():
    values = [1 / 3, 2 / 3, math.pi]
    for rounded in (text.rounded(values), text.rounded_array(values)):
        assert rounded == pytest.approx(values, abs=10 ** -text.DIGITS)
        assert all(round(v, text.DIGITS) == v for v in rounded)


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT, " nan ", "None", "<NA>"])
def test_missing_cells_read_as_empty_text(value):
    assert text.stripped_text(value) == ""


def test_cells_with_text_keep_it():
    assert text.cell_text(" x ") == " x "
    assert text.stripped_text(" x ") == "x"
    assert text.format_number(3000000) == "3,000,000"
    assert text.format_number(0.063) == "0.063"


def test_palette_module_is_the_style_palette():
    assert palette.OKABE_ITO is style.OKABE_ITO
    assert palette.HIGHLIGHT == style.HIGHLIGHT and palette.BLOCS is style.BLOCS
    assert style.rgba(style.OKABE_ITO["blue"], 0.5) == "rgba(0,114,178,0.5)"


def test_layouts_start_from_the_one_template_and_title():
    layout = style.lesson_layout("T", height=300)
    assert layout["template"] is style.TEMPLATE
    assert layout["title"] == style.title("T")
    assert layout["title"]["font"]["size"] == style.TITLE_SIZE
    assert layout["height"] == 300
    without = style.template_without("xaxis")
    assert "xaxis" not in without["layout"] and "yaxis" in without["layout"]
