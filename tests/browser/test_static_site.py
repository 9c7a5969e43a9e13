"""The offline HTML site in a browser: every chart draws with the network blocked.

Pages come from ``lessons.publish.render.render`` (the batch renderer): the static charts fixture
(``tests/fixtures/browser/static_charts.ipynb`` with its one-lesson catalog) executed and
rendered into a temporary folder, and every lesson, student edition, published from its
committed outputs (``execute=False``: strict nbval proves those outputs are what executing
gives, and executing all ten again here would double the suite's time) into
``build/browser-test-site``; pages are opened from disk (``file://``). Each
``.js-plotly-plot`` must have drawn (have Plotly's SVG), there must be as many as the page
has chart containers, no script may fail, and no request may leave the machine.
"""

from __future__ import annotations

import pytest
import yaml

from browser.browser_checks import (
    FIXTURES,
    SCREENSHOTS,
)
from lessons.paths import BUILD_DIR
from lessons.publish.render import render
from lessons.sources.catalog import load_catalog, parse_catalog
from tools import lab

pytestmark = pytest.mark.browser

LESSONS = list(load_catalog())
#: where the lessons' student pages are rendered (and cached between runs)
LESSONS_SITE = BUILD_DIR / "browser-test-site"
#: chart containers the renderer writes (one per Plotly output)
CHART_CONTAINER = ".lessons-chart, .plotly-graph-div"


def _pages(report) -> dict[str, object]:
    failed = [f"{r.lesson} {r.edition}: {r.error}" for r in report.rows if r.status == "failed"]
    assert not failed, "rendering failed:\n" + "\n".join(failed)
    return {r.lesson: r.html for r in report.rows if r.html is not None}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    catalog = parse_catalog(yaml.safe_load((FIXTURES / "static_catalog.yaml").read_text()))
    report = render(["81"], out=tmp_path_factory.mktemp("site-fixture"), editions="student",
                    catalog=catalog, notebooks_dir=FIXTURES, jobs=1, progress=False)
    return _pages(report)


@pytest.fixture(scope="module")
def lessons_site():
    # Into build/ (ignored by git): the renderer's content-hash cache skips unchanged pages
    # on the next run. One worker: the other test worker is driving a browser.
    return render([lesson.id for lesson in LESSONS], out=LESSONS_SITE, editions="student",
                  jobs=1, progress=False, execute=False)


def check_page_draws(guarded_page, html_path, name: str) -> int:
    page = guarded_page.page
    page.goto(html_path.resolve().as_uri())
    page.wait_for_load_state("load")
    containers = page.locator(CHART_CONTAINER).count()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(p => p.querySelector('svg.main-svg'))", timeout=30_000)
    total, drawn = page.evaluate(lab.CHARTS_DRAWN_JS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"site_{name}.png"))  # first screen is enough
    assert drawn == total == containers, (
        f"{name}: {containers} chart containers, {total} Plotly charts, {drawn} drawn")
    assert not guarded_page.page_errors, f"{name}: script errors: {guarded_page.page_errors}"
    guarded_page.assert_no_outside_requests()
    return total


def test_rendered_fixture_page_draws_every_chart_offline(guarded_page, fixture_site):
    assert check_page_draws(guarded_page, fixture_site["81"], "static_charts") == 2


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_rendered_lesson_page_draws_every_chart_offline(guarded_page, lessons_site, lesson):
    rows = [r for r in lessons_site.rows if r.lesson == lesson.id]
    assert rows, f"lesson {lesson.id} was not rendered"
    for row in rows:
        assert row.status != "failed", f"lesson {lesson.id} failed to render: {row.error}"
        check_page_draws(guarded_page, row.html, row.html.stem)


def _open(guarded_page, path):
    page = guarded_page.page
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page


def test_site_navigation_and_search_work_from_disk(guarded_page, lessons_site):
    pages = _pages(lessons_site)
    first, second = LESSONS[0], LESSONS[1]
    page = _open(guarded_page, pages[first.id])
    # the sidebar lists the whole course, with the current lesson marked
    items = page.locator(".lessons-sidebar li")
    assert items.count() == len(LESSONS)
    current = page.locator('.lessons-sidebar a[aria-current="page"]')
    assert current.count() == 1 and first.title in current.inner_text()
    # "next" leads to the next lesson's page
    page.locator(".lessons-pager a.lessons-next").click()
    page.wait_for_load_state("load")
    assert page.url == pages[second.id].resolve().as_uri()
    # search, typed as a reader types it, lists sections and leads to one
    box = page.locator("#lessons-search-input")
    box.fill("security dilemma")
    results = page.locator("#lessons-search-results a")
    results.first.wait_for(timeout=10_000)
    assert results.count() >= 2
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert all("/student/" in h or h.startswith("../student/") for h in hrefs), hrefs
    target = results.first.get_attribute("href")
    results.first.click()
    page.wait_for_load_state("load")
    assert page.url.split("#")[0].endswith(target.split("#")[0].removeprefix(".."))
    # a word no lesson holds says so instead of listing nothing
    page.locator("#lessons-search-input").fill("zzqxj")
    assert "No section mentions" in page.locator("#lessons-search-results").inner_text()
    assert not guarded_page.page_errors, guarded_page.page_errors
    guarded_page.assert_no_outside_requests()


def test_site_index_for_readers_and_print_view(guarded_page, lessons_site):
    page = _open(guarded_page, LESSONS_SITE / "index.html")
    assert page.locator(".lessons-card").count() == len(LESSONS)
    assert page.locator(".lessons-article-map tbody tr").count() == 21
    page.locator("#lessons-search-input").fill("reciprocity")
    page.locator("#lessons-search-results a").first.wait_for(timeout=10_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "site_index.png"))
    page.locator('a[href="report.html"]').first.click()
    page.wait_for_load_state("load")
    assert page.locator("table.lessons-report tbody tr").count() == len(lessons_site.rows)
    # handouts: the print stylesheet drops the navigation and the search
    lesson = _open(guarded_page, _pages(lessons_site)[LESSONS[4].id])
    assert lesson.locator(".lessons-sidebar").is_visible()
    lesson.emulate_media(media="print")
    assert not lesson.locator(".lessons-sidebar").is_visible()
    assert not lesson.locator("#lessons-search-input").is_visible()
    lesson.emulate_media(media="screen")
    assert not guarded_page.page_errors, guarded_page.page_errors
    guarded_page.assert_no_outside_requests()
