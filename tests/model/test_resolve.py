"""lessons.model.resolve: the one way from "a scenario or its name" to a Scenario."""

import doctest
from pathlib import Path

import pytest

from lessons import model
from lessons.model import ModelError, Scenario, load_scenario, resolve, save_scenario
from lessons.model import scenario as scenario_mod


def test_doctest():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    (test,) = finder.find(scenario_mod.resolve, "resolve", globs={})
    assert runner.run(test).failed == 0
    assert test.examples  # the examples really ran


def test_exported_from_the_package():
    assert model.resolve is scenario_mod.resolve
    assert "resolve" in model.__all__


def test_a_scenario_is_returned_as_is():
    sc = load_scenario("mid_2024").with_toggle("euro_taiwan_patrols", True)
    assert resolve(sc) is sc


@pytest.mark.parametrize("name", model.list_scenarios())
def test_every_shipped_name_loads(name):
    sc = resolve(name)
    assert isinstance(sc, Scenario)
    assert sc == load_scenario(name)


def test_a_scenario_file_loads(tmp_path: Path):
    # lessons.live.alternative_view accepts scenario files as well as names
    sc = load_scenario("mid_2024").with_params(theta=0.3)
    path = save_scenario(sc, tmp_path / "mine.yaml")
    assert resolve(path) == sc
    assert resolve(str(path)) == sc


def _names_listed(message: str) -> bool:
    return all(name in message for name in model.list_scenarios())


def test_an_unknown_name_lists_the_valid_names():
    with pytest.raises(ModelError, match="unknown scenario 'mid_2042'") as err:
        resolve("mid_2042")
    assert _names_listed(str(err.value))


@pytest.mark.parametrize("value", [None, 2024, 3.5, True, ["mid_2024"], {"name": "x"},
                                   b"mid_2024"])
def test_any_other_value_is_refused_by_name(value):
    with pytest.raises(ModelError, match="expected a Scenario or a scenario name") as err:
        resolve(value)
    assert _names_listed(str(err.value))


def test_a_bad_file_is_named(tmp_path: Path):
    with pytest.raises(ModelError, match=r"missing\.yaml"):
        resolve(tmp_path / "missing.yaml")
