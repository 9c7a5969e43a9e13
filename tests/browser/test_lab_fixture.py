"""The browser machinery, proven on a small fixture notebook in JupyterLab.

``tests/fixtures/browser/widgets_fixture.ipynb`` has a checkbox and a slider driving a
Plotly FigureWidget and a Label summary. Its first cell raises if ``LESSONS_STATIC`` is set,
and the server here is started with ``LESSONS_STATIC=1`` in the test process's environment:
the run passes only if the server removed it.
"""

from __future__ import annotations

import pytest

from browser.browser_checks import (
    FIXTURES,
    SCREENSHOTS,
    assert_charts_drawn,
    assert_no_errors,
    check_sliders,
    check_toggles,
    screenshot,
)
from tools import lab

pytestmark = pytest.mark.browser

FIXTURE = FIXTURES / "widgets_fixture.ipynb"


@pytest.fixture(scope="module")
def fixture_lab(lab_server_for):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LESSONS_STATIC", "1")  # the server must not pass this on to kernels
        return lab_server_for([FIXTURE])


def test_fixture_runs_and_its_controls_redraw_the_chart(guarded_page, fixture_lab):
    page = guarded_page.page
    lab.open_notebook(page, fixture_lab, FIXTURE.name)
    lab.run_all(page)

    assert_no_errors(page, FIXTURE.name)
    assert "live mode" in lab.summary_text(page)
    assert assert_charts_drawn(page, FIXTURE.name) == 1
    shot = screenshot(page, SCREENSHOTS / "fixture_widgets.png")
    assert shot.stat().st_size > 10_000

    toggle = check_toggles(page)
    assert toggle.ok, toggle.message(guarded_page.page_errors)
    assert "link on" in lab.summary_text(page)

    slider = check_sliders(page)
    assert slider.ok, slider.message(guarded_page.page_errors)
    assert page.locator(".widget-hslider .noUi-handle").first.get_attribute(
        "aria-valuenow").startswith("4")
    assert "rises from 0 to 56" in lab.summary_text(page)  # 2 x 4 x 7: link on, strength 4

    assert_no_errors(page, FIXTURE.name)
    guarded_page.assert_no_outside_requests()


def test_network_guard_blocks_and_lists_outside_requests(guarded_page):
    page = guarded_page.page
    page.set_content('<link rel="stylesheet" href="https://example.invalid/style.css">')
    page.evaluate("""async () => {
        const img = new Image(); img.src = 'http://example.invalid/pixel.png';
        try { await fetch('https://cdn.jsdelivr.net/npm/x.js'); } catch (e) {}
        try { new WebSocket('wss://example.invalid/socket'); } catch (e) {}
        await new Promise(r => setTimeout(r, 500));
    }""")
    blocked = guarded_page.guard.blocked
    assert "https://cdn.jsdelivr.net/npm/x.js" in blocked
    assert "http://example.invalid/pixel.png" in blocked
    assert "wss://example.invalid/socket" in blocked
    assert "https://example.invalid/style.css" in blocked
    with pytest.raises(AssertionError, match=r"cdn\.jsdelivr\.net"):
        guarded_page.assert_no_outside_requests()
    guarded_page.guard.blocked.clear()
