"""Text summaries of model results, and small comparison tables for lessons.

Every chart in :mod:`lessons.views.charts` has a one- or two-sentence summary here, computed from
the model's tidy results (what rose, what fell, by how much): it is the chart's alt text
and is recomputed with the chart. The functions take a *result* with ``.tidy`` (columns
``year, metric, subject, value``) and ``.verdict`` (``eigenvalue``, ``label``), so they can
be tested on small frames built by hand.

The tables at the end (:func:`authors_predictions`, :func:`toggle_effects`,
:func:`theta_sweep`) answer the questions the lessons ask of the model ("which of the
authors' predictions survive at low θ?") in one call each.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lessons import data, model
from lessons.views.labels import LITTLE_CHANGE, change_key
from lessons.views.text import join_clauses, num, num_beside, plural, run_span, short_list

if TYPE_CHECKING:
    from lessons.model import Scenario

# The lesson tables hold sentences (claims, switch labels); pandas' default display cuts
# any cell at 50 characters, mid-word ("… (eigenvalue ri..."). Show cells whole.
pd.set_option("display.max_colwidth", None)

#: Below this absolute change (index points) a value "stays" rather than rises or falls.
STEADY = 0.005
#: Default stability threshold of the verdict when the model's verdict does not say.
VERDICT_THRESHOLD = 1.0
#: Default axis range of the verdict gauge (widened to include the value when needed).
VERDICT_RANGE = (0.5, 1.5)


@dataclass(frozen=True)
class Metric:
    """How one model output is named, labelled and scaled in charts and summaries."""

    metric: str
    title: str
    axis: str
    subjects: tuple[str, ...]
    labels: Mapping[str, str]
    noun: str
    range: tuple[float, float] | None = None
    description: str = ""
    possessive: bool = False
    phrases: Mapping[str, str] = field(default_factory=dict)

    def label(self, subject: str) -> str:
        """Legend label of a subject (``"CHN-RUS"`` -> ``"China–Russia"``)."""
        return self.labels.get(subject, subject)

    def phrase(self, subject: str) -> str:
        """The subject and the metric in words (``"China–Russia cohesion"``)."""
        if subject in self.phrases:
            return self.phrases[subject]
        if self.possessive:
            return f"{self.label(subject)}'s {self.noun}"
        if len(self.subjects) == 1:
            return f"the {self.noun}"
        return f"{self.label(subject)} {self.noun}"


_THEATERS = {"euro_atlantic": "Euro-Atlantic", "indo_pacific": "Indo-Pacific"}
_ACTORS = {"CHN": "China", "RUS": "Russia", "PRK": "North Korea", "USA": "United States",
           "JPN": "Japan", "KOR": "South Korea"}

#: The model outputs the charts show, keyed by the model's metric name.
METRICS: dict[str, Metric] = {
    "tension": Metric(
        "tension", "Tension by theater", "Tension index (2021 = 1)",
        ("indo_pacific", "euro_atlantic"), _THEATERS, "tension",
        description="Posture times perceived threat of the actors based in the theater, "
                    "weighted by capability (1 = the 2021 level).",
    ),
    "cohesion": Metric(
        "cohesion", "Entente cohesion by pair", "Cohesion index (0–1)",
        ("CHN-RUS", "RUS-PRK", "CHN-PRK"),
        {"CHN-RUS": "China–Russia", "RUS-PRK": "Russia–North Korea",
         "CHN-PRK": "China–North Korea"},
        "cohesion",
        description="How tightly each pair of adversaries is aligned: 0 = no alignment, "
                    "1 = a full alliance.",
    ),
    "diplomacy_window": Metric(
        "diplomacy_window", "The window for diplomacy on the Korean peninsula",
        "Diplomacy-window index (0–1)",
        ("korea",), {"korea": "Korean diplomacy window"}, "Korean diplomacy window",
        description="Room for talks that reduce the threat on the peninsula: 0 = closed, "
                    "1 = wide open.",
    ),
    "credibility": Metric(
        "credibility", "Credibility of extended deterrence",
        "Credible-deterrence index (2021 = 1)",
        ("indo_pacific", "euro_atlantic"), _THEATERS, "deterrence credibility",
        description="Deterrence the U.S.-led side projects credibly in the theater: "
                    "capability × interest × proximity × commitment (1 = 2021).",
    ),
    "crisis_risk": Metric(
        "crisis_risk", "Crisis-risk index by theater", "Crisis-risk index (0–1, not a probability)",
        ("indo_pacific", "euro_atlantic"), _THEATERS, "crisis-risk index",
        description="An index of the pressure toward a military crisis in each theater, "
                    "from 0 to 1 (not a probability).",
    ),
    "posture": Metric(
        "posture", "Military posture of the main rivals", "Posture index (2021 = 1)",
        ("CHN", "RUS", "PRK", "USA"), _ACTORS, "posture", possessive=True,
        phrases={"USA": "the United States' posture"},
        description="Each actor's military effort, as the model's arms dynamics move it.",
    ),
}


# --------------------------------------------------------------------------- access


def scenario_of(obj: Any) -> Any:
    """The scenario of a scenario (itself) or of a result (``result.scenario``)."""
    if hasattr(obj, "toggles") and hasattr(obj, "params"):
        return obj
    sc = getattr(obj, "scenario", None)
    if sc is None:
        raise TypeError(f"expected a Scenario or a Result with .scenario, got {type(obj).__name__}")
    return sc


def get_series(result: Any, metric: str, subject: str) -> np.ndarray:
    """One output series as a float array (``KeyError`` if the result does not have it)."""
    series = getattr(result, "series", None)
    if callable(series):
        try:
            values = series(metric, subject)
        except (KeyError, ValueError, LookupError) as exc:
            raise KeyError(f"no series {metric}/{subject}") from exc
        values = np.asarray(values, dtype=float)
        if values.size == 0:
            raise KeyError(f"no series {metric}/{subject}")
        return values
    tidy = result.tidy
    sub = tidy[(tidy["metric"] == metric) & (tidy["subject"] == subject)]
    if sub.empty:
        raise KeyError(f"no series {metric}/{subject}")
    return sub.sort_values("year")["value"].to_numpy(dtype=float)


def years_of(result: Any) -> np.ndarray:
    """The years a result covers, in order."""
    years = getattr(result, "years", None)
    if years is not None and not callable(years):
        return np.asarray(years)
    return np.sort(result.tidy["year"].unique())


_ACTIVE: dict[tuple, frozenset[str]] = {}


def active_links(scenario: Scenario) -> frozenset[str]:
    """IDs of the links in force in ``scenario`` (the model decides: ``Scenario.link_set``).

    Memoised by toggles and structure year: a live chart asks on every click.
    """
    key = (tuple(sorted(scenario.toggles.items())), getattr(scenario, "structure", None))
    found = _ACTIVE.get(key)
    if found is None:
        if len(_ACTIVE) > 4096:
            _ACTIVE.clear()
        found = _ACTIVE[key] = frozenset(scenario.link_set())
    return found


# --------------------------------------------------------------------------- phrases


def moves(start: float, end: float) -> str:
    """``"rises by 0.12 (from 0.40 to 0.52)"`` / ``"falls by …"`` / ``"stays at about 0.40"``.

    The size gets a third decimal when two would round it onto the little-change cut-off
    (as in :func:`compared`): the rule is about the move over the whole run.
    """
    d = end - start
    if abs(d) < STEADY:
        return f"stays at about {num(end)}"
    verb = "rises" if d > 0 else "falls"
    return f"{verb} by {num_beside(abs(d), LITTLE_CHANGE)} (from {num(start)} to {num(end)})"


def compared(value: float, reference: float) -> str:
    """``"0.12 higher"`` / ``"0.03 lower"`` / ``"about the same"`` (value vs reference).

    A difference that two decimals would round onto the little-change cut-off
    (:data:`~lessons.views.labels.LITTLE_CHANGE`) gets a third ("0.052 higher", not "0.05
    higher"), so the sentence never seems to contradict the rule printed beside it.
    """
    d = value - reference
    if abs(d) < STEADY:
        return "about the same"
    return f"{num_beside(abs(d), LITTLE_CHANGE)} {'higher' if d > 0 else 'lower'}"


#: First words that are lowercased when a generated phrase moves into mid-sentence
#: (names such as "China" or "NATO" keep their capital).
_COMMON_FIRST_WORDS = frozenset({
    "a", "across", "after", "against", "all", "an", "as", "at", "before", "both", "deeper",
    "dividing", "each", "every", "for", "from", "in", "no", "of", "on", "over", "regular",
    "switched", "the", "under", "when", "with",
})
#: What every generated sentence about model output says, so no model number reads as a
#: fact or a forecast.
MODEL_MARK = "in the model"


def mid_sentence(text: str) -> str:
    """``text`` as it reads inside a sentence: ``"As of mid-2024"`` -> ``"as of mid-2024"``,
    while a name keeps its capital (``"China …"``, ``"AP4 …"``)."""
    first = text.split(" ", 1)[0]
    if first.lower() in _COMMON_FIRST_WORDS and first[:1].isupper() and first[1:].islower():
        return first.lower() + text[len(first):]
    return text


def in_the_model(text: str) -> str:
    """``text`` marked as the model's: ``"In the model, across 4 …"``. Unchanged when it
    already says so; a sentence opening with a name gets ``"In the model: "``.

    Every summary of model output goes through this, so a class never reads a model
    number as a fact about the world (a test checks each summary function).
    """
    if MODEL_MARK in text.lower():
        return text
    lowered = mid_sentence(text)
    if lowered != text:
        return f"In the model, {lowered}"
    return f"In the model: {text}"


#: Every function decorated with :func:`model_summary`, by qualified name (the tests call
#: each on a real scenario and check that its text says it is the model's).
MODEL_SUMMARIES: dict[str, Callable[..., str]] = {}


def model_summary(fn: Callable[..., str]) -> Callable[..., str]:
    """Mark a function that puts model output into words: its text goes through
    :func:`in_the_model`, and it is listed in :data:`MODEL_SUMMARIES`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        return in_the_model(fn(*args, **kwargs))

    MODEL_SUMMARIES[f"{fn.__module__}.{fn.__name__}"] = wrapper
    return wrapper


# --------------------------------------------------------------------------- chart summaries


@model_summary
def summarise_series(result: Any, metric: str, subjects: Sequence[str] | None = None,
                     baseline: Any = None, baseline_label: str = "2021 baseline") -> str:
    """Two sentences on one output: how each subject moves over the run (largest change
    first), and where each ends relative to the baseline (when one is given)."""
    meta = METRICS[metric]
    subs = list(subjects or meta.subjects)
    years = years_of(result)
    last = int(years[-1])
    rows = []
    for s in subs:
        v = get_series(result, metric, s)
        rows.append((s, float(v[0]), float(v[-1])))
    rows.sort(key=lambda r: -abs(r[2] - r[1]))
    text = (f"In the model, {run_span(years)}, "
            + join_clauses([f"{meta.phrase(s)} {moves(a, b)}" for s, a, b in rows]) + ".")
    if baseline is not None:
        parts = []
        for s, _a, b in rows:
            ref = float(get_series(baseline, metric, s)[-1])
            parts.append(f"{meta.phrase(s)} ends at {num(b)} against {num(ref)} "
                         f"({compared(b, ref)})")
        text += (f" At the end of the run (model year {last}), set against the run with the "
                 f"{baseline_label}, " + join_clauses(parts) + ".")
    return text


def summarise_tension(result: Any, baseline: Any = None,
                      baseline_label: str = "2021 baseline") -> str:
    """Summary of the tension chart."""
    return summarise_series(result, "tension", None, baseline, baseline_label)


def summarise_cohesion(result: Any, baseline: Any = None,
                       baseline_label: str = "2021 baseline") -> str:
    """Summary of the entente-cohesion chart."""
    return summarise_series(result, "cohesion", None, baseline, baseline_label)


def summarise_diplomacy(result: Any, baseline: Any = None,
                        baseline_label: str = "2021 baseline") -> str:
    """Summary of the Korean diplomacy-window chart."""
    return summarise_series(result, "diplomacy_window", None, baseline, baseline_label)


def summarise_credibility(result: Any, baseline: Any = None,
                          baseline_label: str = "2021 baseline") -> str:
    """Summary of the deterrence-credibility chart."""
    return summarise_series(result, "credibility", None, baseline, baseline_label)


def summarise_crisis(result: Any, baseline: Any = None,
                     baseline_label: str = "2021 baseline") -> str:
    """Summary of the crisis-risk chart."""
    return summarise_series(result, "crisis_risk", None, baseline, baseline_label)


def summarise_posture(result: Any, baseline: Any = None,
                      baseline_label: str = "2021 baseline") -> str:
    """Summary of the posture chart."""
    return summarise_series(result, "posture", None, baseline, baseline_label)


@model_summary
def summarise_verdict(result: Any, baseline: Any = None,
                      baseline_label: str = "2021 baseline") -> str:
    """The verdict in words: spiral or settles, the eigenvalue against the threshold."""
    v = result.verdict
    eig = float(v.eigenvalue)
    threshold = float(getattr(v, "threshold", VERDICT_THRESHOLD))
    if str(v.label) == "spiral":
        text = (f"In the model, the verdict is: spiral. The largest eigenvalue is {eig:.3f}, "
                f"above the stability threshold of {threshold:g}, so each side's reaction "
                "feeds the other's and postures keep climbing.")
    else:
        text = (f"In the model, the verdict is: settles. The largest eigenvalue is {eig:.3f}, "
                f"below the stability threshold of {threshold:g}, so reactions die down and "
                "postures level off.")
    if baseline is not None:
        ref = float(baseline.verdict.eigenvalue)
        d = eig - ref
        if abs(d) < 0.0005:
            text += f" It is the same as with the {baseline_label} ({ref:.3f})."
        else:
            text += (f" That is {abs(d):.3f} {'higher' if d > 0 else 'lower'} than with the "
                     f"{baseline_label} ({ref:.3f}).")
    return text


@cache
def toggle_labels() -> dict[str, str]:
    """Toggle id -> its label in words (``data/toggles.csv``), read once."""
    t = data.load("toggles")
    return dict(zip(t["id"].astype(str), t["label"].astype(str), strict=True))


@cache
def _link_signs() -> dict[str, int]:
    links = data.load("links")
    return dict(zip(links["id"].astype(str), links["sign"].astype(int), strict=True))


def summarise_network(scenario: Any, baseline: Any = None,
                      baseline_label: str = "2021 baseline") -> str:
    """How many links are drawn (friendly solid, hostile dashed) and which switches are on;
    with a baseline scenario, how many links were added or removed relative to it."""
    scenario = scenario_of(scenario)
    signs = _link_signs()
    on = active_links(scenario)
    friendly = sum(1 for lid in on if signs[lid] > 0)
    hostile = len(on) - friendly
    toggles = scenario.toggles
    n_on = sum(bool(v) for v in toggles.values())
    text = (f"The map shows {len(on)} links: {friendly} friendly (solid lines) and "
            f"{hostile} hostile (dashed lines); {n_on} of the {len(toggles)} switches are on.")
    if baseline is not None:
        base = scenario_of(baseline)
        base_on = active_links(base)
        added, removed = len(on - base_on), len(base_on - on)
        labels = toggle_labels()
        switched_on = [labels.get(t, t) for t, v in toggles.items()
                       if v and not base.toggles.get(t, False)]
        switched_off = [labels.get(t, t) for t, v in toggles.items()
                        if not v and base.toggles.get(t, False)]
        text += (f" Compared with the {baseline_label}, {plural(added, 'link')} "
                 f"{'are' if added != 1 else 'is'} added and {removed} removed")
        details = []
        if switched_on:
            details.append("on: " + short_list(switched_on))
        if switched_off:
            details.append("off: " + short_list(switched_off))
        text += (" (" + "; ".join(details) + ")." if details else ".")
    return text


# --------------------------------------------------------------------------- lesson tables

#: The authors' directional predictions that lesson 04 tests:
#: (claim in words, paragraph, metric, subject, direction expected under the authors).
#: The metric ``"eigenvalue"`` stands for the stability verdict's largest eigenvalue.
AUTHORS_PREDICTIONS: tuple[tuple[str, str, str, str, int], ...] = (
    ("China feels more threatened", "¶14", "threat", "CHN", +1),
    ("China and Russia draw closer", "¶13–14", "cohesion", "CHN-RUS", +1),
    ("Indo-Pacific tension rises", "¶13", "tension", "indo_pacific", +1),
    ("China arms more", "¶13", "posture", "CHN", +1),
    ("The escalation loop strengthens (eigenvalue rises)", "¶13", "eigenvalue", "", +1),
    ("The window for Korean diplomacy narrows", "¶18", "diplomacy_window", "korea", -1),
)
#: A change smaller than this (in the metric's units) is zero to the three decimals the
#: tables print: the charts' and maps' sentences call it no move at all. It is *not* the
#: scoring rule of a prediction, which is :func:`prediction_word`.
NO_CHANGE = 0.0005
#: The little-change tolerance of the stability verdict's largest eigenvalue, the one
#: prediction that is not about an index. The eigenvalue is the one-year growth factor of
#: a small disturbance, so over the lessons' 20-year run a change δ in it changes how much
#: a disturbance grows by a factor of about (1 + δ)^20 ≈ 1 + 20δ. A change under
#: 0.05 / 20 = 0.0025 therefore moves that growth by less than the 5% that
#: :data:`~lessons.views.labels.LITTLE_CHANGE` allows an index (1 = the 2021 level).
EIGENVALUE_LITTLE_CHANGE = LITTLE_CHANGE / 20


def little_change_for(metric: str) -> float:
    """The tolerance of a prediction about ``metric``: :data:`EIGENVALUE_LITTLE_CHANGE`
    for ``"eigenvalue"``, else the indices' :data:`~lessons.views.labels.LITTLE_CHANGE`."""
    return EIGENVALUE_LITTLE_CHANGE if metric == "eigenvalue" else LITTLE_CHANGE


def prediction_word(sign: int, change: float, metric: str) -> str:
    """How a directional prediction fares under the one tolerance rule.

    Parameters
    ----------
    sign : int
        ``+1`` if the prediction is a rise, ``-1`` a fall.
    change : float
        The model's change (after minus before) in ``metric``.
    metric : str
        The output's name; it picks the tolerance (:func:`little_change_for`).

    Returns
    -------
    str
        ``"little change"`` when the change is smaller than the tolerance (as every
        predict question scores it), else ``"holds"`` or ``"reverses"``.

    >>> prediction_word(+1, 0.04, "cohesion"), prediction_word(-1, 0.2, "tension")
    ('little change', 'reverses')
    """
    key = change_key(0.0, change, little_change_for(metric))  # the one tolerance rule
    if key == "same":
        return "little change"
    return "holds" if (key == "rise") == (sign > 0) else "reverses"


def change_cell(word: str, change: float, metric: str) -> str:
    """A table cell ``"holds (+0.471)"``: the word and the change, with a fourth decimal
    when three would round it onto its tolerance (``"reverses (-0.0501)"``)."""
    return f"{word} ({num_beside(change, little_change_for(metric), 3, signed=True)})"


def _run(sc: Scenario, horizon: int) -> Any:
    return model.simulate(sc, horizon=horizon)


def as_scenario(sc: Scenario | str) -> Scenario:
    """``sc`` as a scenario: a name or file goes through :func:`lessons.model.resolve`
    (the one way from a name to a Scenario, with its error message); anything else is
    returned as it is, so the tables also take hand-built stand-ins."""
    return model.resolve(sc) if isinstance(sc, str | Path) else sc


def with_toggles(sc: Scenario | str, on: Iterable[str] = (), off: Iterable[str] = ()):
    """``sc`` (a Scenario or name) with the given toggles switched on and off."""
    sc = as_scenario(sc)
    for t in on:
        sc = sc.with_toggle(t, True)
    for t in off:
        sc = sc.with_toggle(t, False)
    return sc


def _pair(before: Any, after: Any, theta: float | None, params: Mapping[str, float]):
    base = as_scenario(before)
    after_sc = (with_toggles(base, after) if not isinstance(after, str)
                and not hasattr(after, "toggles") else as_scenario(after))
    overrides = {k: float(v) for k, v in params.items()}
    if theta is not None:
        overrides["theta"] = float(theta)
    if overrides:
        base, after_sc = base.with_params(**overrides), after_sc.with_params(**overrides)
    return base, after_sc


def _final(res: Any, metric: str, subject: str) -> float:
    if metric == "eigenvalue":
        return float(res.verdict.eigenvalue)
    return float(res.final(metric, subject))


def authors_predictions(before: Any = "mid_2024", after: Any = "deeper_interlinking",
                        theta: float | None = None, horizon: int = 20,
                        **params: float) -> pd.DataFrame:
    """Do the authors' predictions hold when interlinking deepens from ``before`` to ``after``?

    ``after`` is a scenario (or name) or a list of toggle IDs to switch on in ``before``.
    Both run with the same assumptions (``theta`` and ``params`` override the scenario's).
    One row per prediction: the claim, its paragraph, the final value before and after,
    the change, and whether the change has the direction the authors predict.
    """
    base, after_sc = _pair(before, after, theta, params)
    r0, r1 = _run(base, horizon), _run(after_sc, horizon)
    rows = []
    for claim, para, metric, subject, sign in AUTHORS_PREDICTIONS:
        v0, v1 = _final(r0, metric, subject), _final(r1, metric, subject)
        change = v1 - v0
        rows.append({"prediction": claim, "article": para, "before": round(v0, 3),
                     "after": round(v1, 3), "change": round(change, 3),
                     "holds": prediction_word(sign, change, metric) == "holds"})
    return pd.DataFrame(rows)


def survival(thetas: Iterable[float] = (0.8, 0.5, 0.2, 0.0), before: Any = "mid_2024",
             after: Any = "deeper_interlinking", horizon: int = 20,
             **params: float) -> pd.DataFrame:
    """Which of the authors' predictions survive as θ falls? One row per prediction, one
    column per θ: ``"holds (+0.900)"``, ``"reverses (-0.120)"`` or ``"little change
    (+0.036)"``, scored by :func:`prediction_word` (the predict questions' rule)."""
    table = pd.DataFrame({"prediction": [p[0] for p in AUTHORS_PREDICTIONS],
                          "article": [p[1] for p in AUTHORS_PREDICTIONS]})
    for th in thetas:
        base, after_sc = _pair(before, after, th, params)
        r0, r1 = _run(base, horizon), _run(after_sc, horizon)
        cells = []
        for _c, _p, metric, subject, sign in AUTHORS_PREDICTIONS:
            change = _final(r1, metric, subject) - _final(r0, metric, subject)
            cells.append(change_cell(prediction_word(sign, change, metric), change, metric))
        table[f"θ = {float(th):.2f}"] = cells
    return table


def toggle_effects(scenario: Scenario | str = "mid_2024", metric: str = "cohesion",
                   subject: str = "CHN-RUS", side: str | None = "interlinking",
                   horizon: int = 20, **params: float) -> pd.DataFrame:
    """One-factor-at-a-time: flip each toggle of ``side`` in ``scenario`` and report how
    the final ``metric``/``subject`` changes. Sorted by the size of the effect."""
    sc = as_scenario(scenario)
    if params:
        sc = sc.with_params(**params)
    ref = float(_run(sc, horizon).final(metric, subject))
    table = model.list_toggles()
    if side is not None:
        table = table[table["side"] == side]
    rows = []
    for t, label in zip(table["id"], table["label"], strict=True):
        now = bool(sc.toggles[t])
        v = float(_run(sc.with_toggle(t, not now), horizon).final(metric, subject))
        rows.append({"toggle": t, "label": label, "now": "on" if now else "off",
                     "flipped to": "off" if now else "on", "value after flip": round(v, 3),
                     "change": round(v - ref, 3)})
    out = pd.DataFrame(rows)
    return out.sort_values("change", key=lambda s: -s.abs(), kind="stable").reset_index(drop=True)


@model_summary
def describe_survival(table: pd.DataFrame) -> str:
    """The survival table in words: per θ column, how many predictions hold, which show
    little change and which reverse (a screen-reader summary of :func:`survival`)."""
    sentences = []
    for col in [c for c in table.columns if c.startswith("θ")]:
        words = table[col].str.rsplit(" (", n=1).str[0]
        held = int((words == "holds").sum())
        rev = table.loc[words == "reverses", "prediction"].tolist()
        flat = table.loc[words == "little change", "prediction"].tolist()
        text = f"At {col}, {held} of {len(table)} predictions hold"
        if flat:
            text += (f"; {len(flat)} show{'s' * (len(flat) == 1)} little change: "
                     + ", ".join(f"“{r}”" for r in flat))
        if rev:
            text += (f"; {len(rev)} reverse{'s' * (len(rev) == 1)}: "
                     + ", ".join(f"“{r}”" for r in rev))
        sentences.append(in_the_model(text + "."))
    return " ".join(sentences)


def sweep(param: str = "theta", values: Iterable[float] | None = None,
          scenarios: Sequence[Scenario | str] = ("mid_2024", "deeper_interlinking"),
          horizon: int = 20, **params: float) -> pd.DataFrame:
    """The stability verdict across values of one parameter, for each scenario.

    One row per value; per scenario two columns, the largest eigenvalue and the verdict.
    ``params`` are held fixed for every run. ``values`` default: 11 steps across the
    parameter's documented range.
    """
    table = model.list_parameters().set_index("name")
    if values is None:
        lo, hi = float(table.loc[param, "low"]), float(table.loc[param, "high"])
        values = [round(float(v), 3) for v in np.linspace(lo, hi, 11)]
    resolved = [(sc, as_scenario(sc)) for sc in scenarios]  # each file read once
    rows = []
    for v in values:
        row: dict[str, Any] = {param: v}
        for sc, base in resolved:
            s = base.with_params(**{**params, param: float(v)})
            res = _run(s, horizon)
            name = sc if isinstance(sc, str) else s.name
            row[f"{name}: eigenvalue"] = round(float(res.verdict.eigenvalue), 3)
            row[f"{name}: verdict"] = str(res.verdict.label)
        rows.append(row)
    return pd.DataFrame(rows)


def theta_sweep(scenario: Scenario | str = "mid_2024", thetas: Iterable[float] | None = None,
                metric: str = "cohesion", subject: str = "CHN-RUS",
                horizon: int = 20, **params: float) -> pd.DataFrame:
    """The verdict and one output across values of θ (the adversaries' motive mix)."""
    sc = as_scenario(scenario)
    grid = list(thetas) if thetas is not None else [round(x, 2) for x in np.linspace(0, 1, 11)]
    rows = []
    for th in grid:
        res = _run(sc.with_params(theta=float(th), **params), horizon)
        rows.append({"theta": th, "eigenvalue": round(float(res.verdict.eigenvalue), 3),
                     "verdict": str(res.verdict.label),
                     f"{metric} {subject} (final)": round(float(res.final(metric, subject)), 3)})
    return pd.DataFrame(rows)
