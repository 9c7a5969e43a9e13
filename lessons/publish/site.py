"""The course site around the rendered pages: navigation, outline, search, index and report.

``lessons render`` converts each executed lesson to one HTML page per edition
(:mod:`lessons.publish.render`). This module gives those pages what the collections students
already use give them (QuantEcon, Project Pythia), with no server and no network:

- a sidebar listing every lesson of the edition, and previous/next links
  (:func:`navigation`);
- an "On this page" outline of the lesson's sections, read from the exported page itself, so
  its links always match the headings' ids (:func:`outline_html`);
- a client-side search that works from ``file://``: the text of every page's sections goes
  into ``assets/search-index.js``, a plain script that sets a global, because a page opened
  from disk may not ``fetch`` a JSON file (:func:`search_records`, :func:`search_index_js`);
- an index for readers (each lesson's title, paragraphs, time and objectives, and the
  article map of which lesson teaches each paragraph) and the build report on a page of its
  own (:func:`reader_index_html`, :func:`report_html`).

Everything here is a pure function from catalog, article and page text to strings; the
caller writes the files (atomically).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

#: Where the site's shared files live, relative to the site root.
ASSETS = "assets"
#: Placeholder the page template leaves for the outline (filled after export).
OUTLINE_MARK = "<!--lessons-outline-->"
#: The two editions, in the order the site lists them.
EDITION_NAMES = {"student": "Student edition", "instructor": "Instructor edition"}
#: Characters of one search record's text kept in the index (a section rarely needs more).
RECORD_CHARS = 6000


@dataclass(frozen=True)
class NavItem:
    """One lesson in the sidebar: its id, title and page (``None`` when not rendered)."""

    lesson: str
    title: str
    href: str | None


def page_name(stem: str, scenario: str | None = None) -> str:
    """The file name of a lesson's page: ``<stem>.html`` or ``<stem>--<scenario>.html``."""
    return f"{stem}--{scenario}.html" if scenario else f"{stem}.html"


def navigation(lessons: Sequence[tuple[str, str, str]], rendered: Iterable[str] = ()
               ) -> tuple[NavItem, ...]:
    """The sidebar of an edition: every lesson in catalog order.

    Parameters
    ----------
    lessons : sequence of (id, title, stem)
        The catalog's lessons, in order (``stem`` is the notebook's file stem).
    rendered : iterable of str
        Ids of the lessons that have a page in this edition; the others are listed without
        a link, so a partial render still shows the whole course.
    """
    have = set(rendered)
    return tuple(NavItem(lid, title, page_name(stem) if lid in have else None)
                 for lid, title, stem in lessons)


def neighbours(nav: Sequence[NavItem], lesson: str) -> tuple[NavItem | None, NavItem | None]:
    """The previous and next lessons that have a page, around ``lesson``."""
    ids = [item.lesson for item in nav]
    if lesson not in ids:
        return None, None
    at = ids.index(lesson)
    before = [i for i in nav[:at] if i.href]
    after = [i for i in nav[at + 1:] if i.href]
    return (before[-1] if before else None), (after[0] if after else None)


def sidebar_html(nav: Sequence[NavItem], current: str, index_href: str) -> str:
    """The sidebar: the course's lessons, the current one marked for screen readers too."""
    esc = html.escape
    items = []
    for item in nav:
        label = f"{esc(item.lesson)} · {esc(item.title)}"
        if item.lesson == current:
            items.append(f'<li><a href="{esc(item.href or "#")}" aria-current="page">'
                         f"{label}</a></li>")
        elif item.href:
            items.append(f'<li><a href="{esc(item.href)}">{label}</a></li>')
        else:
            items.append(f'<li><span class="lessons-unrendered">{label} (not rendered)'
                         "</span></li>")
    return (f'<nav class="lessons-sidebar" aria-label="Lessons">'
            f'<p class="lessons-sidebar-home"><a href="{esc(index_href)}">All lessons</a></p>'
            f'<ol>{"".join(items)}</ol></nav>')


def pager_html(prev: NavItem | None, nxt: NavItem | None) -> str:
    """Previous/next links (each omitted at the ends of the course)."""
    esc = html.escape
    parts = []
    if prev:
        parts.append(f'<a class="lessons-prev" rel="prev" href="{esc(prev.href or "")}">'
                     f"← {esc(prev.lesson)} · {esc(prev.title)}</a>")
    if nxt:
        parts.append(f'<a class="lessons-next" rel="next" href="{esc(nxt.href or "")}">'
                     f"{esc(nxt.lesson)} · {esc(nxt.title)} →</a>")
    return ('<nav class="lessons-pager" aria-label="Previous and next lesson">'
            f'{"".join(parts)}</nav>')


def search_box_html(index_href: str) -> str:
    """The search field every page carries; ``assets/search.js`` makes it work."""
    return ('<div class="lessons-search" role="search">'
            '<label for="lessons-search-input">Search the lessons</label> '
            '<input id="lessons-search-input" type="search" autocomplete="off" '
            'placeholder="e.g. security dilemma" aria-controls="lessons-search-results">'
            '<ol id="lessons-search-results" class="lessons-search-results" '
            'aria-live="polite"></ol></div>')


# --------------------------------------------------------------------------------------
# Reading the exported page: sections for the outline and the search index
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A level-2 section of a page: the heading's id and text, and the text under it."""

    anchor: str
    heading: str
    text: str


class _Sections(HTMLParser):
    """Split a page's HTML into level-2 sections of visible text."""

    SKIP = frozenset({"script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = [["", "", ""]]  # anchor, heading, text
        self._skip = 0
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "h2":
            self.sections.append([dict(attrs).get("id") or "", "", ""])
            self._in_h2 = True
        elif tag == "a" and self._in_h2 and "anchor-link" in (dict(attrs).get("class") or ""):
            self._skip += 1  # the "¶" link nbconvert adds to every heading

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "h2":
            self._in_h2 = False
        elif tag == "a" and self._in_h2 and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        current = self.sections[-1]
        current[1 if self._in_h2 else 2] += data


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sections(page: str) -> tuple[Section, ...]:
    """The level-2 sections of an exported page (text before the first heading is dropped)."""
    parser = _Sections()
    parser.feed(page)
    return tuple(Section(a, _squash(h), _squash(t)) for a, h, t in parser.sections[1:] if a)


def outline_html(page: str) -> str:
    """An "On this page" list linking to each level-2 heading of ``page`` by its own id."""
    esc = html.escape
    items = "".join(f'<li><a href="#{esc(s.anchor)}">{esc(s.heading)}</a></li>'
                    for s in sections(page))
    if not items:
        return ""
    return (f'<nav class="lessons-outline" aria-label="On this page">'
            f"<p>On this page</p><ol>{items}</ol></nav>")


def fill_outline(page: str) -> str:
    """Put the page's outline where the template left :data:`OUTLINE_MARK`."""
    return page.replace(OUTLINE_MARK, outline_html(page), 1)


def search_records(page: str, href: str, title: str) -> list[dict[str, str]]:
    """Search records of one page: one per section, with the link to that section.

    ``href`` is the page's path relative to the site root (``student/04_x.html``).
    """
    return [{"page": title, "section": s.heading, "href": f"{href}#{s.anchor}",
             "text": s.text[:RECORD_CHARS]} for s in sections(page)]


def search_index_js(records: Sequence[Mapping[str, str]], pages: Sequence[str] = ()) -> str:
    """``assets/search-index.js``: globals a ``file://`` page can read (no ``fetch``).

    ``LESSONS_SEARCH_INDEX`` holds the records; ``LESSONS_SITE_PAGES`` the pages the site
    holds (paths from the site root), so a page's sidebar can mark lessons not rendered.
    """
    def js(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace(
            "</", "<\\/")

    return (f"window.LESSONS_SEARCH_INDEX = {js(list(records))};\n"
            f"window.LESSONS_SITE_PAGES = {js(list(pages))};\n")


# --------------------------------------------------------------------------------------
# The index for readers and the build report
# --------------------------------------------------------------------------------------


def _page(title: str, body: str, assets: str = ASSETS) -> str:
    esc = html.escape
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)}</title>
<link rel="stylesheet" href="{esc(assets)}/site-pages.css">
<link rel="stylesheet" href="{esc(assets)}/print.css" media="print">
<script src="{esc(assets)}/search-index.js" defer></script>
<script src="{esc(assets)}/search.js" defer></script>
</head>
<body class="lessons-site">
{body}
</body>
</html>
"""


def reader_index_html(lessons: Sequence[Mapping[str, Any]], article_title: str,
                      citation: str, coverage: Mapping[str, Sequence[str]],
                      report_counts: Mapping[str, int]) -> str:
    """The site's front page: every lesson for readers, then the article map.

    Parameters
    ----------
    lessons : sequence of mapping
        One per catalog lesson, in order: ``id``, ``title``, ``paragraph_label``,
        ``minutes``, ``objectives`` (list of str), ``pages`` (edition → href, only the
        editions rendered), ``variants`` (list of (scenario, edition, href)).
    coverage : mapping
        Paragraph id (``P01``…) → the ids of the lessons that teach it.
    report_counts : mapping
        ``ok``/``cached``/``failed`` page counts, for the one-line link to the report.
    """
    esc = html.escape
    cards = []
    for lesson in lessons:
        links = " · ".join(f'<a href="{esc(href)}">{esc(EDITION_NAMES.get(ed, ed))}</a>'
                           for ed, href in lesson["pages"].items()) or "not rendered"
        variants = ""
        if lesson.get("variants"):
            variants = "<p class=\"lessons-variants\">Scenario variants: " + ", ".join(
                f'<a href="{esc(href)}">{esc(scen)} ({esc(ed)})</a>'
                for scen, ed, href in lesson["variants"]) + "</p>"
        objectives = "".join(f"<li>{esc(o)}</li>" for o in lesson.get("objectives", []))
        cards.append(
            f'<section class="lessons-card" id="lesson-{esc(lesson["id"])}">'
            f'<h2>{esc(lesson["id"])} · {esc(lesson["title"])}</h2>'
            f'<p class="lessons-meta">Article: {esc(lesson["paragraph_label"])} · '
            f'about {int(lesson["minutes"])} minutes</p>'
            f"<p>{links}</p>{variants}"
            f"<details><summary>Learning objectives</summary><ul>{objectives}</ul></details>"
            "</section>")
    rows = "".join(
        f"<tr><th scope=\"row\">¶{int(pid[1:])}</th><td>"
        + ", ".join(f'<a href="#lesson-{esc(lid)}">{esc(lid)}</a>' for lid in lids)
        + "</td></tr>" for pid, lids in coverage.items())
    failed = report_counts.get("failed", 0)
    status = (f'{failed} {"page" if failed == 1 else "pages"} failed: see the '
              '<a href="report.html">build report</a>.' if failed else
              'Every page rendered: the <a href="report.html">build report</a> lists them '
              "with their timings.")
    body = f"""<header class="lessons-site-header">
<h1>Lessons on “{esc(article_title)}”</h1>
<p>{esc(citation)} Static pages of the lessons, for reading and printing without a kernel:
the <strong>student edition</strong> leaves out the solutions, the
<strong>instructor edition</strong> keeps them. To toggle links and move sliders, open the
notebooks in JupyterLab.</p>
{search_box_html("index.html")}
<p class="lessons-status">{status}</p>
</header>
<main>
{"".join(cards)}
<section class="lessons-article-map" id="article-map">
<h2>Article map: which lesson teaches each paragraph</h2>
<table><thead><tr><th scope="col">Paragraph</th><th scope="col">Lessons</th></tr></thead>
<tbody>{rows}</tbody></table>
</section>
</main>
"""
    return _page(f"Lessons: {article_title}", body)


def report_html(table_rows: str, counts: Mapping[str, int]) -> str:
    """The build report: every page by lesson, edition and scenario, with status and time.

    ``table_rows`` is the ``<tr>`` markup the renderer builds from its cache stamps.
    """
    total = sum(counts.values())
    noun = "page" if total == 1 else "pages"
    body = f"""<header class="lessons-site-header">
<p><a href="index.html">← All lessons</a></p>
<h1>Build report</h1>
<p>{total} {noun}: {counts.get("ok", 0)} rendered, {counts.get("cached", 0)} cached,
{counts.get("failed", 0)} failed.</p>
</header>
<main>
<table class="lessons-report">
<thead><tr><th scope="col">Lesson</th><th scope="col">Title</th><th scope="col">Article</th>
<th scope="col">Page</th><th scope="col">Scenario</th><th scope="col">Status</th>
<th scope="col">Seconds</th><th scope="col">Problem</th></tr></thead>
<tbody>
{table_rows}
</tbody>
</table>
</main>
"""
    return _page("Build report", body)
