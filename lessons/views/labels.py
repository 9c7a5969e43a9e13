"""How the lessons name things: scenarios, sliders, link groups, and the little-change rule.

One place for every label a student reads, so that a chart legend, a summary sentence and
a control all call the same scenario or parameter by the same name. The names are data:
a parameter's label is the ``label`` column of ``data/parameters.csv``
(:func:`parameter_label`), and a scenario's is the ``label``/``phrase`` of its file in
``data/scenarios/``. They are read on first use, so importing this module reads no file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

from lessons import model
from lessons.model.scenario_files import shipped_scenario_names


class _FromData(Mapping[str, str]):
    """A read-only mapping built by ``build`` on first use (``build`` caches its result).

    Widgets import these tables at start-up; reading ``data/`` then would cost every kernel
    a validation it may never need.
    """

    def __init__(self, build: Callable[[], Mapping[str, str]]) -> None:
        self._build = build

    def __getitem__(self, key: str) -> str:
        return self._build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self._build())!r})"


@cache
def _parameter_labels() -> Mapping[str, str]:
    """Every parameter's label, from the ``label`` column of ``data/parameters.csv``."""
    table = model.list_parameters()
    return MappingProxyType(dict(zip(table["name"], table["label"], strict=True)))


def parameter_label(name: str) -> str:
    """The short label a student reads for a model parameter (charts, legends, sentences).

    It is the ``label`` column of ``data/parameters.csv``, so that every view names a
    parameter alike; a name the table lacks reads with spaces for underscores.

    >>> parameter_label("theta"), parameter_label("no_such_thing")
    ('θ motive mix', 'no such thing')
    """
    return _parameter_labels().get(name, name.replace("_", " "))


#: Slider labels that are not a parameter's label: the horizon is no parameter, and the
#: Europe slider keeps its shorter name, which lesson 05's chart axis also shows, until the
#: two are one (the parameter's label "Europe's stake in Asia" is what lesson 09 shows).
_SLIDER_ONLY: Mapping[str, str] = MappingProxyType(
    {"horizon": "Years", "euro_interest": "Europe's stake"})


@cache
def _slider_labels() -> Mapping[str, str]:
    return MappingProxyType({**_parameter_labels(), **_SLIDER_ONLY})


#: How each slider is labelled: the parameter's label (:func:`parameter_label`) but for
#: :data:`_SLIDER_ONLY`. Read on first use.
SLIDER_LABELS: Mapping[str, str] = _FromData(_slider_labels)

@cache
def _scenario_labels() -> Mapping[str, str]:
    return MappingProxyType({n: v.label for n, v in shipped_scenario_names().items()})


@cache
def _scenario_phrases() -> Mapping[str, str]:
    return MappingProxyType({n: v.phrase for n, v in shipped_scenario_names().items()})


#: Readable names of the shipped scenarios (the scenario picker and the legends use them):
#: the ``label`` of each file in ``data/scenarios/``. Read on first use.
SCENARIO_LABELS: Mapping[str, str] = _FromData(_scenario_labels)
#: How each shipped scenario is called inside a sentence ("compared with the …"): the
#: file's ``phrase``, else its label. Read on first use.
SCENARIO_PHRASES: Mapping[str, str] = _FromData(_scenario_phrases)

SIDE_HEADINGS: dict[str, tuple[str, str]] = {
    "interlinking": ("Interlinking links", "the article's subject: ties between NATO and "
                     "the Asian allies"),
    "adversary": ("Adversary links", "ties among China, Russia and North Korea — switch "
                  "them for counterfactuals"),
}


#: The one tolerance rule of every prediction: a model output that moves by less than this
#: many index points over the run counts as "little change" (the indices are 1 = the 2021
#: level, or a 0–1 scale; 0.05 is a twentieth of either).
LITTLE_CHANGE = 0.05


def little_change_rule(threshold: float = LITTLE_CHANGE) -> str:
    """The tolerance rule in one sentence, as every predict question shows it.

    A student can only reason to "little change" if the cut-off is stated before they
    answer, so the question and the scoring use the same number.

    >>> "less than 0.05 index points" in little_change_rule()
    True
    """
    return (f'How the model\'s answer is scored: "little change" means the model\'s value '
            f"moves by less than {threshold:.2f} index points over the whole run; a larger "
            "move counts as a rise or a fall.")


def change_key(before: float, after: float, threshold: float = LITTLE_CHANGE) -> str:
    """Classify a change by the tolerance rule: ``"rise"``, ``"same"`` or ``"fall"``.

    Parameters
    ----------
    before, after : float
        The model's value without and with the change (same assumptions, same horizon).
    threshold : float
        A move smaller than this (in absolute value) is ``"same"`` (little change).

    >>> change_key(1.00, 1.03), change_key(1.00, 1.06), change_key(0.50, 0.40)
    ('same', 'rise', 'fall')
    """
    d = float(after) - float(before)
    if abs(d) < threshold:
        return "same"
    return "rise" if d > 0 else "fall"


def _verdict(key: str, threshold: float) -> str:
    """How an answer sentence says which side of the rule a change falls on."""
    if key == "same":
        return f"a move of less than {threshold:.2f}, which counts as little change"
    return f"more than the {threshold:.2f} that counts as little change"


@cache
def _named_scenario(name: str) -> Any:
    """The shipped scenario called ``name``, loaded once, or ``None`` when ``name`` has no
    readable label (a student's own scenario is only ever called by its name).

    Labels are asked for on every chart update, so the comparison must not reload files.
    """
    return model.load_scenario(name) if name in SCENARIO_LABELS else None


def _same_params(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    """Whether two parameter tables hold the same values (up to float rounding)."""
    return set(a) == set(b) and all(
        math.isclose(float(a[k]), float(b[k]), rel_tol=1e-9, abs_tol=1e-12) for k in a)


def scenario_changes(scenario: Any) -> tuple[int, int, bool]:
    """How a scenario departs from the shipped scenario whose name it carries.

    A Scenario derived with ``with_toggle`` or ``with_params`` keeps its parent's name, so
    the name alone would call a world with links added "2021 baseline". This compares the
    links its toggles switch on and its parameter values with the named scenario as
    shipped (loaded once, see :func:`_named_scenario`).

    Parameters
    ----------
    scenario : str or Scenario
        A name (always the shipped scenario itself) or a Scenario.

    Returns
    -------
    tuple of (int, int, bool)
        Links in force that the named scenario lacks, links of the named scenario that
        are off, and whether any parameter differs. ``(0, 0, False)`` for a name, an
        unmodified named scenario, or a scenario whose name has no label.
    """
    if isinstance(scenario, str):
        return 0, 0, False
    named = _named_scenario(str(getattr(scenario, "name", "")))
    if named is None or not hasattr(scenario, "link_set") or not hasattr(scenario, "params"):
        return 0, 0, False
    links, base = scenario.link_set(), named.link_set()
    return (len(links - base), len(base - links),
            not _same_params(scenario.params, named.params))


def _describe_changes(base: str, changes: tuple[int, int, bool], *, phrase: bool) -> str:
    """``base`` with its changes in words, never as arithmetic on a name.

    A sign after a name ("mid-2024 links − 14 links") reads as a subtraction, so a label
    (a legend, a caption) lists the changes after a comma and a phrase (inside a sentence)
    says "with": ``"2021 baseline, 4 links added"`` /
    ``"mid-2024 links with 14 links switched off"``.
    """
    added, removed, assumptions = changes
    parts = [f"{n} link{'s' * (n != 1)} {what}"
             for n, what in ((added, "added"), (removed, "switched off" if phrase else "off"))
             if n]
    if assumptions:
        parts.append("changed assumptions")
    if not parts:
        return base
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"{base} with {listed}" if phrase else f"{base}, {listed}"


def scenario_label(scenario: Any) -> str:
    """A readable name for a scenario (or scenario name), true to any changes.

    A shipped scenario as it is gets its label from :data:`SCENARIO_LABELS`; one with
    links switched or parameters changed says so after a comma (``"2021 baseline, 4 links
    added"``, ``"As of mid-2024, 5 links off"``), see :func:`scenario_changes`.

    >>> scenario_label("baseline_2021")
    '2021 baseline'
    """
    name = scenario if isinstance(scenario, str) else getattr(scenario, "name", "")
    base = SCENARIO_LABELS.get(str(name), str(name) or "custom scenario")
    return _describe_changes(base, scenario_changes(scenario), phrase=False)


def scenario_phrase(scenario: Any) -> str:
    """How a scenario is named inside a sentence (``"compared with the mid-2024 links"``),
    true to any changes like :func:`scenario_label`, said with "with" (``"mid-2024 links
    with 14 links switched off"``).

    >>> scenario_phrase("mid_2024")
    'mid-2024 links'
    """
    name = scenario if isinstance(scenario, str) else getattr(scenario, "name", "")
    base = SCENARIO_PHRASES.get(str(name), str(name) or "baseline")
    return _describe_changes(base, scenario_changes(scenario), phrase=True)
