"""Lesson building blocks: verbatim passages, checks with answer keys, references."""

from __future__ import annotations

import html

import pytest

from lessons import article, ui
from lessons.catalog import load_catalog


def test_passages_are_verbatim_and_attributed():
    out = ui.passages_html("P13-P14")
    for pid in ("P13", "P14"):
        p = article.passage(pid)
        assert html.escape(p.text) in out
        assert f"¶{p.number}" in out
    assert out.count("<blockquote") == 2
    assert "Park and DerSimonian" in out


def test_passages_reject_unknown_ids():
    with pytest.raises(article.ArticleError):
        ui.passages_html("P99")


def test_header_comes_from_the_catalog():
    lesson = load_catalog().get("04")
    text = ui.header_markdown("04")
    assert lesson.title in text and "¶13–14" in text and f"{lesson.minutes} minutes" in text
    for objective in lesson.objectives:
        assert objective in text


def test_every_existing_checks_file_has_answers_and_feedback():
    found = 0
    for lesson in load_catalog():
        try:
            items = ui.load_checks(lesson.id)
        except ui.ContentError as exc:
            assert "does not exist" in str(exc)
            continue
        found += 1
        assert len(items) >= 3, lesson.id
        for c in items:
            assert c.answer, c.id
            assert all(o.feedback.strip() for o in c.options)
            assert len(c.options) >= 2
            ok, text = c.grade(c.answer[0])
            assert ok and text
    assert found >= 1


def test_grade_rejects_out_of_range_choice():
    c = ui.Check("q", "Q?", (ui.Option("a", True, "yes"), ui.Option("b", False, "no")), "E")
    assert c.grade(1) == (False, "no")
    with pytest.raises(ui.ContentError, match=r"valid options are 0\.\.1"):
        c.grade(2)


def test_malformed_check_is_named():
    with pytest.raises(ui.ContentError, match="no option is marked correct"):
        ui._parse_check({"id": "q1", "question": "?", "explanation": "e",
                         "options": [{"text": "a", "feedback": "f"}]}, "x.yaml")
    with pytest.raises(ui.ContentError, match="option 0: needs text and feedback"):
        ui._parse_check({"id": "q1", "question": "?", "explanation": "e",
                         "options": [{"text": "a", "correct": True}]}, "x.yaml")


def test_static_check_hides_answers_in_details():
    c = ui.Check("q", "Q?", (ui.Option("a", True, "yes"), ui.Option("b", False, "no")), "Why.")
    out = ui.check_html(c, 1)
    before, after = out.split("<details>", 1)
    assert "yes" not in before and "yes" in after and "Why." in after


def test_live_check_gives_feedback_on_click():
    c = ui.Check("q", "Q?", (ui.Option("a", True, "right"), ui.Option("b", False, "wrong")), "E")
    box = ui.check_widget(c, 1)
    _, choice, button, feedback = box.children
    button.click()
    assert "Choose an answer first" in feedback.value
    choice.value = 1
    button.click()
    assert "Not quite" in feedback.value and "wrong" in feedback.value
    choice.value = 0
    button.click()
    assert "Correct" in feedback.value and "right" in feedback.value


def test_references_by_key_and_unknown_key():
    text = ui.references_markdown("jervis1976", "walt1987")
    assert text.index("Jervis") < text.index("Walt")
    with pytest.raises(ui.ContentError, match="valid keys are"):
        ui.references_markdown("nobody2020")
