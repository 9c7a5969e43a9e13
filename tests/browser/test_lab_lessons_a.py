"""Lessons in JupyterLab, in a real Chromium: the first, third, fifth… lesson of the catalog.

The lessons are split over two files so that ``pytest -n 2 --dist loadfile`` drives them
in both workers. For each lesson: open a temporary copy, wait for the kernel to be idle,
Run All from the Run menu; no error output, every chart drawn, a screenshot in
``test-artifacts/screenshots/<notebook>.png``; if it has checkboxes, a link toggle must
change a chart's data and the chart summary in the page, clicked and then with the
keyboard; if it has sliders, a slider moved with the keyboard must do the same; no request
may leave the machine. See ``browser_checks.check_lesson_in_lab``. One JupyterLab server
per file, one page per lesson.
"""

from __future__ import annotations

import pytest

from browser.browser_checks import SCREENSHOTS, check_lesson_in_lab
from lessons.sources.catalog import load_catalog

pytestmark = pytest.mark.browser

LESSONS = list(load_catalog())[0::2]


@pytest.fixture(scope="module")
def lessons_lab(lab_server_for):
    return lab_server_for([lesson.path for lesson in LESSONS])


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_lesson_runs_and_responds_in_jupyterlab(lesson, lessons_lab, guarded_page):
    check_lesson_in_lab(lesson, lessons_lab, guarded_page, SCREENSHOTS)
