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


def test_changed_scenarios_are_named_in_words_not_signs():
    """A label after a name must not read as arithmetic ("mid-2024 links − 14 links")."""
    base = model.load_scenario("baseline_2021")
    tid = next(t for t, on in base.toggles.items() if not on)
    more = base.with_toggle(tid, True)
    n = len(more.link_set() - base.link_set())
    links = f"{n} link{'s' * (n != 1)}"
    assert labels.scenario_label(more) == (
        f"{labels.SCENARIO_LABELS['baseline_2021']}, {links} added")
    assert labels.scenario_phrase(more) == (
        f"{labels.SCENARIO_PHRASES['baseline_2021']} with {links} added")
    mid = model.load_scenario("mid_2024")
    fewer = mid.with_toggle(next(t for t, v in mid.toggles.items() if v), False)
    m = len(mid.link_set() - fewer.link_set())
    gone = f"{m} link{'s' * (m != 1)}"
    assert labels.scenario_label(fewer) == f"{labels.SCENARIO_LABELS['mid_2024']}, {gone} off"
    assert labels.scenario_phrase(fewer) == (
        f"{labels.SCENARIO_PHRASES['mid_2024']} with {gone} switched off")
    both = more.with_params(theta=0.1 if float(base.params["theta"]) > 0.5 else 0.9)
    assert labels.scenario_phrase(both).endswith(f"with {links} added and changed assumptions")
    for sc in (more, fewer, both):
        assert not {"+", "−"} & set(labels.scenario_label(sc) + labels.scenario_phrase(sc))
