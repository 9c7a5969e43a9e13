"""The learning-design mechanics in a real browser, at a laptop's 1366×768.

* Check and predict options wrap inside their box: no two option labels overlap and none
  overflows its group (the boxes of the label texts are measured).
* An explorer with many controls opens with at most 6 switches and 3 sliders visible;
  the rest appear when "More controls" is opened.
* On a static page, a prediction's reveal block is closed, holds no drawn chart, and
  draws its charts when it is opened.

The live parts run in JupyterLab on a notebook written here (the longest check of lesson
04, lesson 04's predict question, lesson 04's explorer with six sliders); the static part
is a page converted with the site's own exporter from a predict cell's static output. The
screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import nbformat
import pytest

from browser.browser_checks import SCREENSHOTS, assert_no_errors
from lessons.live import ui, widgets
from lessons.publish import export
from tools import lab

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
#: lesson 04's predict question, as the notebook asks it
PREDICT_CODE = '''widgets.predict(
    "If NATO deepens its presence in Asia, what happens to the China–Russia entente?",
    metric="cohesion", subject="CHN-RUS", before="mid_2024",
    after=["nato_tokyo_office", "euro_taiwan_patrols", "ap4_membership"],
    options={
        "rise": "It tightens: China and Russia draw closer",
        "same": "Little changes: the entente has causes of its own",
        "fall": "It loosens: a united front deters both of them",
    },
)'''
CHECK_CODE = '''from lessons.live import ui, widgets

check = max(ui.load_checks("04"), key=lambda c: max(len(o.text) for o in c.options))
ui.check_widget(check, 1)'''
EXPLORER_CODE = '''widgets.Explorer("04", charts=["network", "tension"],
                 sliders=["theta", "nationalism", "euro_interest", "reaction", "fatigue",
                          "horizon"])'''

#: For each option group: its box, the box of each label's text (Ranges over the label's
#: text nodes: where the text is drawn, even when it spills out of the label) and the box
#: of each radio button.
OPTION_BOXES_JS = """() => [...document.querySelectorAll('.lesson-options')].map(g => {
  const box = r => [r.left, r.top, r.right, r.bottom];
  const texts = [...g.querySelectorAll('.widget-radio-box label')].map(l => {
    const walker = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
    const rects = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) { continue; }
      const range = document.createRange(); range.selectNode(n);
      rects.push(range.getBoundingClientRect());
    }
    return [Math.min(...rects.map(r => r.left)), Math.min(...rects.map(r => r.top)),
            Math.max(...rects.map(r => r.right)), Math.max(...rects.map(r => r.bottom))];
  });
  const inputs = [...g.querySelectorAll('.widget-radio-box input')].map(
    i => box(i.getBoundingClientRect()));
  return {group: box(g.getBoundingClientRect()), texts: texts, inputs: inputs};
})"""

#: Visible switches and sliders of the first explorer panel, outside and inside the
#: "More controls" accordion.
CONTROLS_SHOWN_JS = """() => {
  const panel = document.querySelector('.lesson-controls');
  if (!panel) { return null; }
  const seen = sel => [...panel.querySelectorAll(sel)].filter(e => e.checkVisibility()).length;
  return {switches: seen('.widget-checkbox input[type=checkbox]'),
          sliders: seen('.widget-slider, .widget-hslider'),
          more: panel.querySelectorAll('.lesson-more-controls').length};
}"""


def overlaps(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    """Whether two boxes [left, top, right, bottom] overlap by more than ``slack`` px."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > slack
            and min(a[3], b[3]) - max(a[1], b[1]) > slack)


def option_problems(groups: list[dict]) -> list[str]:
    """Overlapping label texts and texts outside their group, in words."""
    problems = []
    for n, g in enumerate(groups):
        gl, gt, gr, gb = g["group"]
        texts = g["texts"]
        for i, t in enumerate(texts):
            if t[0] < gl - 1 or t[2] > gr + 1 or t[1] < gt - 1 or t[3] > gb + 1:
                problems.append(f"group {n}, option {i} overflows its group: {t} vs {g['group']}")
            for j in range(i + 1, len(texts)):
                if overlaps(t, texts[j]):
                    problems.append(f"group {n}: options {i} and {j} overlap")
        for i, r in enumerate(g.get("inputs", [])):
            if r[0] < gl - 1 or r[2] > gr + 1:
                problems.append(f"group {n}, radio button {i} is outside its group")
            if any(overlaps(r, t) for t in texts):
                problems.append(f"group {n}, radio button {i} covers an option's text")
    return problems


def _notebook(cells: list[str], path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def design_lab(lab_server_for, tmp_path_factory):
    path = tmp_path_factory.mktemp("design") / "design_fixture.ipynb"
    _notebook([CHECK_CODE, PREDICT_CODE, EXPLORER_CODE], path)
    return lab_server_for([path])


def test_options_wrap_and_explorer_discloses_controls_in_jupyterlab(guarded_page, design_lab):
    page = guarded_page.page
    page.set_viewport_size(LAPTOP)
    lab.open_notebook(page, design_lab, "design_fixture.ipynb")
    lab.run_all(page)
    assert_no_errors(page, "design_fixture.ipynb")
    page.wait_for_function("() => document.querySelectorAll('.lesson-options .widget-radio-box "
                           "label')"
                           ".length >= 5", timeout=60_000)
    groups = page.evaluate(OPTION_BOXES_JS)
    assert len(groups) == 2, groups  # the check and the prediction
    assert all(len(g["texts"]) >= 3 for g in groups)
    assert not option_problems(groups), option_problems(groups)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    outputs = page.locator(".jp-Cell .jp-OutputArea")
    outputs.nth(0).screenshot(path=str(SCREENSHOTS / "design_check_1366.png"))
    outputs.nth(1).screenshot(path=str(SCREENSHOTS / "design_predict_1366.png"))

    shown = page.evaluate(CONTROLS_SHOWN_JS)
    assert shown is not None, "no explorer control panel on the page"
    assert shown["more"] == 1, shown
    assert shown["switches"] <= 6 and shown["sliders"] <= 3, shown
    page.locator(".lesson-more-controls").get_by_text("More controls").first.click()
    page.wait_for_function(
        f"() => {{ const s = ({CONTROLS_SHOWN_JS})(); return s.switches > {shown['switches']}"
        f" && s.sliders > {shown['sliders']}; }}", timeout=10_000)
    guarded_page.assert_no_outside_requests()


def _reveal_page(out, monkeypatch) -> object:
    """A static page with lesson 04's predict cell as ``lessons render`` converts it."""
    monkeypatch.setenv("LESSONS_STATIC", "1")
    p = widgets.predict(
        "If NATO deepens its presence in Asia, what happens to the China–Russia entente?",
        metric="cohesion", subject="CHN-RUS", before="mid_2024",
        after=["nato_tokyo_office", "euro_taiwan_patrols", "ap4_membership"])
    cell = nbformat.v4.new_code_cell(PREDICT_CODE)
    cell.outputs = [
        nbformat.v4.new_output("display_data", {"text/markdown": p.question_markdown(),
                                                "text/plain": "<Markdown>"}),
        nbformat.v4.new_output("display_data", {"text/html": p.static_html(),
                                                "text/plain": "<HTML>"},
                               metadata={"lessons": {"chart": f"reveal-{p.key}"}}),
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Reveal test"), cell]
    info = {"id": "04", "title": "Reveal test", "edition": "student", "scenario": None,
            "paragraph_label": "¶13–14", "paragraphs": ["P13", "P14"], "minutes": 60,
            "citation": "", "notebook": "reveal.ipynb", "parameters": {},
            "assets": "../assets", "index": "../index.html", "src_dir": str(out)}
    body, charts = export.export_page(nb, info)
    assert charts >= 1  # the page loads plotly.js for the reveal's charts
    export.install_assets(out)
    page_path = out / "student" / "reveal.html"
    page_path.parent.mkdir(parents=True, exist_ok=True)
    page_path.write_text(body, encoding="utf-8")
    return page_path, p


def test_a_reveal_on_the_static_site_draws_its_chart_when_opened(guarded_page, tmp_path,
                                                                 monkeypatch):
    page_path, p = _reveal_page(tmp_path, monkeypatch)
    page = guarded_page.page
    page.set_viewport_size(LAPTOP)
    page.goto(page_path.resolve().as_uri())
    page.wait_for_load_state("load")
    reveal = page.locator("details.lesson-reveal")
    assert reveal.count() == 1
    assert reveal.evaluate("d => d.open") is False
    assert page.locator(".js-plotly-plot").count() == 0  # nothing drawn while closed
    assert not page.get_by_text(p.explanation()).first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "design_reveal_closed.png"))

    reveal.locator("summary").click()
    expected = reveal.locator(".lesson-reveal-chart").count()
    assert expected == len(p._reveal.chart_names)
    page.wait_for_function(
        "n => [...document.querySelectorAll('details.lesson-reveal .js-plotly-plot')]"
        ".filter(p => p.querySelector('svg.main-svg')).length === n", arg=expected,
        timeout=30_000)
    widths = reveal.locator(".js-plotly-plot").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)")
    assert all(w > 300 for w in widths), widths  # sized to the open block, not to zero
    assert page.get_by_text(p.explanation()).first.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "design_reveal_open.png"))
    assert not guarded_page.page_errors, guarded_page.page_errors
    guarded_page.assert_no_outside_requests()


def test_option_geometry_check_finds_overlaps():
    """The measure above can fail: two stacked texts drawn over each other are caught."""
    group = {"group": [0, 0, 300, 60], "texts": [[0, 0, 290, 28], [0, 20, 290, 48]]}
    assert option_problems([group]) == ["group 0: options 0 and 1 overlap"]
    wide = {"group": [0, 0, 300, 60], "texts": [[0, 0, 420, 20]]}
    assert "overflows" in option_problems([wide])[0]
    assert option_problems([{"group": [0, 0, 300, 60],
                             "texts": [[0, 0, 290, 20], [0, 24, 290, 44]]}]) == []
    assert ui.LETTERS.startswith("ABC")
