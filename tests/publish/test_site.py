"""The course site's navigation, outline, search index, reader index and report."""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest
from nbconvert import HTMLExporter

from lessons.publish import site
from lessons.sources import article
from lessons.sources.catalog import load_catalog

LESSONS = [("00", "Start here", "00_start"), ("01", "One", "01_one"),
           ("02", "Two", "02_two"), ("03", "Three", "03_three")]


def exported(*headings: str, text: str = "Some words") -> str:
    """A real nbconvert page with these level-2 headings (ids as nbconvert makes them)."""
    cells = [nbformat.v4.new_markdown_cell("# Title\n\nintro text")]
    cells += [nbformat.v4.new_markdown_cell(f"## {h}\n\n{text} under {h}.") for h in headings]
    cells.append(nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": "<script>var hidden = 'secret';</script>"})]))
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(
        nbformat.v4.new_notebook(cells=cells))
    return body


def test_navigation_lists_every_lesson_and_links_only_rendered_ones():
    nav = site.navigation(LESSONS, rendered=["00", "02"])
    assert [i.lesson for i in nav] == ["00", "01", "02", "03"]
    assert [i.href for i in nav] == ["00_start.html", None, "02_two.html", None]


def test_neighbours_skip_lessons_without_a_page():
    nav = site.navigation(LESSONS, rendered=["00", "02", "03"])
    prev, nxt = site.neighbours(nav, "02")
    assert (prev.lesson, nxt.lesson) == ("00", "03")
    assert site.neighbours(nav, "00")[0] is None
    assert site.neighbours(nav, "03")[1] is None
    assert site.neighbours(nav, "99") == (None, None)


def test_sidebar_marks_the_current_page_and_escapes_titles():
    nav = site.navigation([("00", "A <b> & C", "00_a"), ("01", "B", "01_b")], ["00", "01"])
    side = site.sidebar_html(nav, current="01", index_href="../index.html")
    assert side.count('aria-current="page"') == 1
    assert 'href="01_b.html" aria-current="page"' in side
    assert "A &lt;b&gt; &amp; C" in side and "<b>" not in side


def test_pager_links_previous_and_next():
    nav = site.navigation(LESSONS, rendered=["00", "01", "02"])
    html = site.pager_html(*site.neighbours(nav, "01"))
    assert 'rel="prev" href="00_start.html"' in html
    assert 'rel="next" href="02_two.html"' in html
    assert "rel=\"prev\"" not in site.pager_html(*site.neighbours(nav, "00"))


def test_outline_links_match_the_ids_nbconvert_gives_headings():
    page = exported("Predict first", "What's next · then", "Check your understanding")
    outline = site.outline_html(page)
    anchors = [html.unescape(a) for a in re.findall(r'href="#([^"]+)"', outline)]
    ids = [html.unescape(i) for i in re.findall(r'<h2 id="([^"]+)"', page)]
    assert anchors == ids and len(ids) == 3
    assert "Check your understanding</a>" in outline


def test_fill_outline_replaces_the_mark_once():
    page = exported("One", "Two").replace("<body", site.OUTLINE_MARK + "<body", 1)
    filled = site.fill_outline(page)
    assert site.OUTLINE_MARK not in filled
    assert filled.count('class="lessons-outline"') == 1


def test_search_records_hold_section_text_but_no_script():
    page = exported("Predict first", "The concept", text="spiral deterrence")
    records = site.search_records(page, "student/04_x.html", "04 · The dilemma")
    assert [r["section"] for r in records] == ["Predict first", "The concept"]
    assert all(r["href"].startswith("student/04_x.html#") for r in records)
    assert "spiral deterrence under The concept" in records[1]["text"]
    assert not any("secret" in r["text"] or "¶" in r["section"] for r in records)


def test_search_index_is_a_script_setting_one_global_and_cannot_close_the_tag():
    records = [{"page": "p", "section": "s", "href": "a.html#s", "text": "x </script> y"}]
    js = site.search_index_js(records, ["student/a.html"])
    assert "</script>" not in js
    lines = dict(line.removesuffix(";").split(" = ", 1) for line in js.splitlines())
    assert json.loads(lines["window.LESSONS_SEARCH_INDEX"].replace("<\\/", "</")) == records
    assert json.loads(lines["window.LESSONS_SITE_PAGES"]) == ["student/a.html"]


@pytest.fixture(scope="module")
def index_page() -> str:
    catalog = load_catalog()
    lessons = [{"id": ls.id, "title": ls.title, "paragraph_label": ls.paragraph_label,
                "minutes": ls.minutes, "objectives": list(ls.objectives),
                "pages": {"student": f"student/{ls.id}.html"}, "variants": []}
               for ls in catalog]
    art = article.load_article()
    return site.reader_index_html(lessons, art.title, article.citation(),
                                  catalog.coverage(), {"ok": 3, "failed": 1})


def test_reader_index_shows_every_lesson_with_its_objectives(index_page):
    for lesson in load_catalog():
        assert f'id="lesson-{lesson.id}"' in index_page
        for objective in lesson.objectives:
            assert html.escape(objective) in index_page


def test_reader_index_maps_every_paragraph_to_its_lessons(index_page):
    rows = re.findall(r"<tr><th scope=\"row\">¶(\d+)</th>", index_page)
    assert [int(r) for r in rows] == list(range(1, 22))


def test_reader_index_points_to_the_report_and_says_what_failed(index_page):
    assert 'href="report.html"' in index_page
    assert "1 page failed" in index_page


def test_report_counts_pages_with_correct_plurals():
    one = site.report_html("<tr></tr>", {"ok": 1})
    many = site.report_html("<tr></tr>", {"ok": 2, "cached": 1, "failed": 1})
    assert "1 page: 1 rendered" in one
    assert "4 pages: 2 rendered, 1 cached," in many
