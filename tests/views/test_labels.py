"""Labels a student reads come from the data: parameters.csv and the scenario files."""

from __future__ import annotations

import doctest

import pytest

from lessons import model
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
