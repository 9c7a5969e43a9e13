"""Labels a student reads come from the data: parameters.csv and the scenario files."""

from __future__ import annotations

import doctest

import pytest
import yaml

from lessons import model
from lessons.model import scenario_files
from lessons.model.scenario_files import scenario_dir
from lessons.views import labels
from lessons.views import uncertainty_view as uv


def test_doctests():
    assert doctest.testmod(labels).failed == 0


def test_parameter_labels_are_the_label_column():
    table = model.list_parameters()
    for name, label in zip(table["name"], table["label"], strict=True):
        assert labels.parameter_label(name) == label


def test_a_parameter_missing_from_the_table_reads_with_spaces():
    assert labels.parameter_label("not_a_parameter") == "not a parameter"


def test_uncertainty_view_names_each_parameter_as_the_table_does():
    """Until uncertainty_view reads labels.parameter_label, its own names must agree."""
    for name in model.list_parameters()["name"]:
        assert uv.parameter_label(name) == labels.parameter_label(name), name


def test_slider_labels_are_parameter_labels_but_for_the_listed_few():
    names = list(model.list_parameters()["name"])
    for name in names:
        expected = labels._SLIDER_ONLY.get(name, labels.parameter_label(name))
        assert labels.SLIDER_LABELS[name] == expected
    assert labels.SLIDER_LABELS["horizon"] == "Years"
    assert set(labels.SLIDER_LABELS) == {*names, *labels._SLIDER_ONLY}
    with pytest.raises(KeyError):
        labels.SLIDER_LABELS["not_a_parameter"]


def test_scenario_labels_and_phrases_are_those_of_the_files():
    for name in model.list_scenarios():
        data = yaml.safe_load((scenario_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
        assert labels.SCENARIO_LABELS[name] == labels.scenario_label(name) == data["label"]
        assert labels.scenario_phrase(name) == data.get("phrase", data["label"])
    assert set(labels.SCENARIO_PHRASES) == set(labels.SCENARIO_LABELS) == set(
        model.list_scenarios())


def test_a_scenario_file_without_a_label_is_called_by_a_readable_name(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in model.list_scenarios():
        (folder / f"{name}.yaml").write_bytes((scenario_dir() / f"{name}.yaml").read_bytes())
    (folder / "middle_path.yaml").write_text("name: middle_path\nstructure: 2024\n",
                                             encoding="utf-8")
    monkeypatch.setattr(scenario_files, "scenario_dir", lambda: folder)
    caches = (scenario_files.shipped_scenario_names, labels._scenario_labels,
              labels._scenario_phrases, labels._named_scenario)
    for cached in caches:
        cached.cache_clear()
    try:
        assert labels.SCENARIO_LABELS["middle_path"] == "Middle path"
        assert labels.scenario_label("middle_path") == "Middle path"
        assert labels.scenario_phrase("middle_path") == "Middle path"
        assert labels.scenario_label("not_shipped") == "not_shipped"  # a student's own name
    finally:
        for cached in caches:
            cached.cache_clear()
