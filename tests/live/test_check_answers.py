"""Checks that ask about the package or its data have answers the package bears out.

A check's answer key is prose; when the question is about what the software or the data
does ("can you render from your own scenario file?", "what does this toggle switch?"),
these tests run the package and read the data, and fail if the key and the behaviour part.
"""

from __future__ import annotations

import pytest

from lessons import data, model, paths
from lessons.live import ui
from lessons.sources import catalog
from lessons.sources.catalog import CatalogError


def _check(lesson_id: str, check_id: str) -> ui.Check:
    return next(c for c in ui.load_checks(lesson_id) if c.id == check_id)


def _correct(check: ui.Check) -> str:
    (option,) = [o for o in check.options if o.correct]
    return option.text


def test_render_file_check_agrees_that_a_scenario_file_is_accepted(tmp_path):
    """Lesson 09, ``render_file``: the keyed answer says yes, and the catalog does accept
    a saved scenario file for lesson 04 (and names the problem in a bad one)."""
    check = _check("09", "render_file")
    assert _correct(check).startswith("Yes."), _correct(check)
    lesson = catalog.load_catalog().get("04")
    mine = model.load_scenario("mid_2024").with_toggle("euro_taiwan_patrols", True)
    path = model.save_scenario(mine, tmp_path / "my_world.yaml")
    checked = lesson.check_parameters({"scenario": str(path)}, model.load_scenario)
    assert model.load_scenario(checked["scenario"]) == mine
    bad = tmp_path / "typo.yaml"
    bad.write_text(path.read_text().replace("euro_taiwan_patrols", "euro_taiwan_patrolz"))
    with pytest.raises(CatalogError, match="euro_taiwan_patrolz"):
        lesson.check_parameters({"scenario": str(bad)}, model.load_scenario)
    # and no copy into data/scenarios/ was needed: the file was read where it was saved
    assert not (paths.DATA_DIR / "scenarios" / "my_world.yaml").exists()
    assert checked["scenario"] == str(path.resolve())


def test_link_toggle_check_agrees_with_the_links_table():
    """Lesson 00, ``link_toggle``: "AP4 leaders at NATO summits" adds friendly links from
    the four AP4 states to NATO, four of them, as data/links.csv lists."""
    check = _check("00", "link_toggle")
    assert "Japan, South Korea, Australia and New Zealand to NATO" in _correct(check)
    assert "four partnership links" in next(o.feedback for o in check.options if o.correct)
    toggles = model.list_toggles().set_index("id")
    (tid,) = [t for t, row in toggles.iterrows() if row["label"] == "AP4 leaders at NATO summits"]
    links = data.load("links")
    mine = links[links["toggle"] == tid]
    assert len(mine) == 4
    assert set(mine["target"]) == {"NATO"} and set(mine["source"]) == {"JPN", "KOR", "AUS", "NZL"}
    assert set(mine["sign"]) == {1}  # friendly
    assert set(mine["kind"]) == {"partnership"}
