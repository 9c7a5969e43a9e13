"""Scenarios say why: every lesson shows the reasons of each named world it starts from.

A lesson starts from its parameters cell's ``scenario`` default and from every shipped
scenario its main-path code names: passed as ``scenario="..."`` (an explorer, a chart),
loaded with ``load_scenario("...")``, or given as a call's first argument
(``uv.effect_shares("deterrence_world", ...)``); and every scenario file its text names
(``data/scenarios/authors_alternative.yaml``, the world lesson 08 is about). Solution
cells and the parameters cell's comment listing the choices are not starting worlds. For
each such scenario the lesson must have a ``ui.scenario_reasons(...)`` cell
(``ui.scenario_reasons(scenario)`` for the default) whose committed output is the
collapsed reasons block naming that scenario.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from lessons import model
from lessons.sources import catalog
from lessons.sources.catalog import load_catalog
from lessons.views.labels import scenario_label

LESSONS = list(load_catalog())
IDS = [lesson.id for lesson in LESSONS]
BLOCK = 'class="lesson-go-deeper lesson-scenario-reasons"'
DEFAULT = re.compile(r'^\s*scenario\s*=\s*"([^"]+)"', re.M)
CALL = re.compile(r"\bui\.scenario_reasons\(\s*(\"[^\"]+\"|scenario)\s*\)")


def _cells(lesson) -> list[dict]:
    return json.loads(lesson.path.read_text(encoding="utf-8"))["cells"]


def _is_parameters(cell: dict) -> bool:
    return "parameters" in cell.get("metadata", {}).get("tags", [])


def _default(cells: list[dict]) -> str | None:
    """The parameters cell's ``scenario`` default, if the lesson has one."""
    for cell in cells:
        if cell["cell_type"] == "code" and _is_parameters(cell):
            m = DEFAULT.search(catalog.cell_source(cell))
            return m.group(1) if m else None
    return None


def starting_scenarios(cells: list[dict]) -> set[str]:
    """The shipped scenarios a lesson starts from (see the module docstring)."""
    names = "|".join(map(re.escape, model.list_scenarios()))
    used = re.compile(rf'(?:\bscenario\s*=\s*|\bload_scenario\(\s*|\b\w+\(\s*)"({names})"')
    found = {_default(cells)} - {None}
    for cell in cells:
        if catalog.is_solution(cell) or _is_parameters(cell):
            continue
        if cell["cell_type"] == "markdown":
            found |= set(re.findall(rf"data/scenarios/({names})\.yaml",
                                    catalog.cell_source(cell)))
            continue
        code = "\n".join(line.split("#", 1)[0] for line in
                         catalog.cell_source(cell).splitlines())
        if CALL.search(code):
            continue  # the reasons cell itself is no use of a scenario
        found |= set(used.findall(code))
    return found


def _outputs(cell: dict) -> str:
    texts = []
    for out in cell.get("outputs", []):
        for mime, value in (out.get("data") or {}).items():
            if mime == "text/html":
                texts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(texts)


def missing_reasons(cells: list[dict]) -> list[str]:
    """Starting scenarios with no reasons cell whose committed output shows their block."""
    default = _default(cells)
    shown: dict[str, str] = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        m = CALL.search(catalog.cell_source(cell))
        if m:
            name = default if m.group(1) == "scenario" else m.group(1).strip('"')
            shown[str(name)] = shown.get(str(name), "") + _outputs(cell)
    return sorted(
        name for name in starting_scenarios(cells)
        if BLOCK not in shown.get(name, "")
        or f"<em>{html.escape(scenario_label(name))}</em>" not in shown[name])


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_each_starting_scenario_shows_its_reasons(lesson):
    cells = _cells(lesson)
    assert starting_scenarios(cells), f"lesson {lesson.id} names no scenario it starts from"
    missing = missing_reasons(cells)
    assert not missing, (f"lesson {lesson.id}: no ui.scenario_reasons cell with a committed "
                         f"reasons block for {missing} (add one, then re-execute)")


def test_the_rule_finds_the_worlds_and_misses_a_removed_call():
    """The test above can fail: it names a scenario whose reasons cell is taken out."""
    by_id = {lesson.id: _cells(lesson) for lesson in LESSONS}
    assert starting_scenarios(by_id["04"]) == {"mid_2024", "deeper_interlinking"}
    assert starting_scenarios(by_id["09"]) == {"mid_2024", "deterrence_world"}
    assert starting_scenarios(by_id["08"]) == {"mid_2024", "authors_alternative"}
    for lesson_id, name in (("04", "deeper_interlinking"), ("00", "mid_2024")):
        cells = by_id[lesson_id]
        kept = [c for c in cells if not (
            c["cell_type"] == "code" and (m := CALL.search(catalog.cell_source(c)))
            and (m.group(1).strip('"') if m.group(1) != "scenario" else _default(cells))
            == name)]
        assert len(kept) == len(cells) - 1
        assert missing_reasons(kept) == [name]
    # an output without the block (say, not re-executed) does not count either
    cells = [dict(c, outputs=[]) if c["cell_type"] == "code" else c for c in by_id["01"]]
    assert missing_reasons(cells) == ["baseline_2021", "mid_2024"]
