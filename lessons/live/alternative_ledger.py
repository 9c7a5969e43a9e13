"""Lesson 08's ledger: the policies compared, the inputs' checks, the model runs, the
ledger of outcomes and the two worlds (see :mod:`lessons.live.alternative_view`, which
gathers every view of the lesson).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from lessons import model
from lessons.model.runs import RUNS
from lessons.views import charts, palette
from lessons.views.labels import LITTLE_CHANGE, change_key
from lessons.views.summaries import model_summary
from lessons.views.text import DIGITS, join_and, rounded

if TYPE_CHECKING:
    from lessons.model.scenario import Scenario

#: The policies compared, in the order they are drawn.
SCENARIOS: tuple[str, ...] = ("mid_2024", "deeper_interlinking", "authors_alternative")
ALTERNATIVE = "authors_alternative"
BASELINE = "baseline_2021"
LABELS: dict[str, str] = {
    "mid_2024": "Interlink (mid-2024 links)",
    "deeper_interlinking": "Interlink more (deeper interlinking)",
    "authors_alternative": "Divide the labour (authors' alternative)",
    "baseline_2021": "2021 baseline",
    "deterrence_world": "Mid-2024 links (deterrence-world scenario)",
}
SHORT: dict[str, str] = {
    "mid_2024": "Interlink",
    "deeper_interlinking": "Interlink more",
    "authors_alternative": "Divide the labour",
    "baseline_2021": "2021 baseline",
    "deterrence_world": "Interlink",
}
#: How each scenario is named inside a sentence.
PHRASE: dict[str, str] = {
    "mid_2024": "the mid-2024 links",
    "deeper_interlinking": "deeper interlinking",
    "authors_alternative": "the authors' alternative",
    "baseline_2021": "the 2021 baseline",
    "deterrence_world": "the mid-2024 links (deterrence-world scenario)",
}


def _own_name(name: str) -> str:
    """The name stored in a scenario file (never its path, which may be a machine path)."""
    return str(model.load_scenario(name).name or "unnamed")


def _phrase(name: str) -> str:
    return PHRASE[name] if name in PHRASE else f"your scenario '{_own_name(name)}'"


def _label(name: str) -> str:
    return LABELS[name] if name in LABELS else f"Your scenario '{_own_name(name)}'"


#: Tick labels of the ledger's panels.
TICK: dict[str, str] = {
    "mid_2024": "Interlink",
    "deeper_interlinking": "Interlink<br>more",
    "authors_alternative": "Divide the<br>labour",
}
#: Colour and bar pattern of each scenario (never colour alone).
STYLE: dict[str, dict[str, str]] = {
    "mid_2024": {"color": palette.OKABE_ITO["sky_blue"], "pattern": ""},
    "deeper_interlinking": {"color": palette.OKABE_ITO["vermillion"], "pattern": "x"},
    "authors_alternative": {"color": palette.OKABE_ITO["bluish_green"], "pattern": "/"},
}
#: How the parameters of the alternative scenario are described when they are added one
#: at a time (:func:`ingredients`).
INGREDIENT_LABELS: dict[str, str] = {
    "euro_home_effort": "Europe shoulders more at home",
    "us_pivot": "U.S. attention shifts to Asia",
    "generosity": "Washington answers with some generosity",
}
#: Short tick labels of the ingredient steps.
INGREDIENT_TICKS: dict[str, str] = {
    "start": "start:<br>interlinking",
    "links": "links pared<br>back",
    "euro_home_effort": "Europe shoulders<br>more at home",
    "us_pivot": "U.S. attention<br>shifts to Asia",
    "generosity": "some<br>generosity",
}
#: Model parameters the explorer offers as sliders: assumptions, not the policy itself.
#: Each is captioned like every slider of the collection
#: (:data:`lessons.views.labels.SLIDER_LABELS`).
SLIDERS: tuple[str, ...] = ("theta", "euro_interest", "burden_shift", "nationalism")
HORIZON_RANGE = (5, 50)

#: The collection's chart style; these charts place and style their own axes (_AXIS).
_TEMPLATE: dict[str, Any] = charts.template_without("colorway", "hoverlabel", "xaxis", "yaxis")
_AXIS = charts.AXIS_STYLE
STATIC_NOTE = (
    "*Static view of the cost–benefit explorer ({what}). In JupyterLab this cell shows "
    "live controls: the interlinking scenario to compare and sliders for the assumptions, "
    "with the charts and their summaries updating as you change them.*"
)


class AlternativeViewError(ValueError):
    """A bad input to a lesson 08 view; the message names it and says what is valid."""


@dataclass(frozen=True)
class Outcome:
    """One line of Washington's ledger: a model output and the direction that is better."""

    key: str
    metric: str
    subject: str
    title: str
    unit: str
    better: int  # +1: higher is better for Washington; -1: lower is better
    who: str = ""
    noun: str = ""

    @property
    def phrase(self) -> str:
        """The outcome inside a sentence."""
        return self.noun or self.title

    @property
    def better_word(self) -> str:
        return "higher" if self.better > 0 else "lower"


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("ip_tension", "tension", "indo_pacific", "Indo-Pacific tension",
            "index, 2021 = 1", -1, "the authors' spiral (¶13)"),
    Outcome("ea_tension", "tension", "euro_atlantic", "Euro-Atlantic tension",
            "index, 2021 = 1", -1, "Europe's own concerns (¶20)"),
    Outcome("us_pivot", "us_pivot", "indo_pacific", "U.S. capacity in Asia",
            "share of U.S. capability, 0–1", +1, "the pivot (¶20–21)"),
    Outcome("ip_credibility", "credibility", "indo_pacific", "Credible deterrence in Asia",
            "index, 2021 = 1", +1, "the proponents' benefit (¶5)",
            "credible deterrence in Asia"),
    Outcome("ip_crisis", "crisis_risk", "indo_pacific", "Indo-Pacific crisis-risk index",
            "index, 0–1", -1, "the bottom line (¶19)", "the Indo-Pacific crisis-risk index"),
    Outcome("cohesion", "cohesion", "CHN-RUS", "China–Russia cohesion",
            "index, 0–1", -1, "the entente (¶14)"),
)
_BY_KEY = {o.key: o for o in OUTCOMES}


# --------------------------------------------------------------------------- inputs



@cache
def _scenario_names() -> tuple[str, ...]:
    return tuple(model.list_scenarios())


def _scenario_name(name: Any, role: str = "scenario") -> str:
    """A shipped scenario's name, or the path of a scenario file (checked by loading it)."""
    valid = f"valid scenarios: {', '.join(_scenario_names())} (or a scenario file)"
    if isinstance(name, str) and name in _scenario_names():
        return name
    if isinstance(name, str) and name.lower().endswith((".yaml", ".yml", ".json")):
        try:
            model.load_scenario(name)
        except model.ModelError as exc:
            raise AlternativeViewError(f"bad {role} file: {exc}") from None
        return name
    raise AlternativeViewError(f"unknown {role} {name!r}; {valid}")


@cache
def _ranges() -> dict[str, tuple[float, float]]:
    table = model.list_parameters()
    return {str(r["name"]): (float(r["low"]), float(r["high"])) for _, r in table.iterrows()}


def _params(params: Mapping[str, Any]) -> dict[str, float]:
    ranges = _ranges()
    out = {}
    for name, value in params.items():
        if name not in ranges:
            raise AlternativeViewError(f"unknown parameter {name!r}; valid parameters: "
                                       f"{', '.join(sorted(ranges))}")
        lo, hi = ranges[name]
        if name == "theta":
            lo, hi = 0.0, 1.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AlternativeViewError(f"{name} must be a number from {lo:g} to {hi:g}, "
                                       f"got {value!r}")
        if not lo <= float(value) <= hi:
            raise AlternativeViewError(f"{name} must be a number from {lo:g} to {hi:g}, "
                                       f"got {value!r}")
        out[name] = float(value)
    return out


def _horizon(value: Any) -> int:
    lo, hi = HORIZON_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise AlternativeViewError(f"horizon must be a whole number of years from {lo} to "
                                   f"{hi}, got {value!r}")
    return int(value)


def _outcome(key: str) -> Outcome:
    if key not in _BY_KEY:
        raise AlternativeViewError(f"unknown outcome {key!r}; valid outcomes: "
                                   f"{', '.join(_BY_KEY)}")
    return _BY_KEY[key]


@cache
def worlds() -> dict[str, float]:
    """The two worlds compared: θ of the authors (the model's default) and θ of the
    deterrence-model world scenario."""
    authors = float(model.list_parameters().set_index("name").loc["theta", "default"])
    deterrence = float(model.load_scenario("deterrence_world").params["theta"])
    return {f"Authors' world (θ = {authors:.2f})": authors,
            f"Deterrence-model world (θ = {deterrence:.2f})": deterrence}


def _pair_text(a: float, b: float) -> str:
    """``"1.73 against 1.31"``, with a third decimal when two would look equal."""
    digits = 2 if f"{a:.2f}" != f"{b:.2f}" else 3
    return f"{a:.{digits}f} against {b:.{digits}f}"


# --------------------------------------------------------------------------- model runs


def scenario(name: str, **params: float) -> Scenario:
    """The named scenario with assumption overrides (every scenario gets the same ones)."""
    sc = model.load_scenario(_scenario_name(name))
    p = _params(params)
    return sc.with_params(**p) if p else sc


def run(name: str, horizon: int = 20, **params: float):
    """The model result of a named scenario under the given assumptions (cached)."""
    return RUNS.run(scenario(name, **params), _horizon(horizon))


def outcomes(horizon: int = 20, scenarios: Sequence[str] = (*SCENARIOS, BASELINE),
             **params: float) -> pd.DataFrame:
    """Washington's ledger: end-of-horizon value of every outcome for every scenario, all
    under the same assumptions (``params``, e.g. ``theta``). Rows: outcome keys; columns:
    scenario names."""
    data = {}
    for name in scenarios:
        res = run(name, horizon, **params)
        data[name] = [float(res.final(o.metric, o.subject)) for o in OUTCOMES]
    return pd.DataFrame(data, index=[o.key for o in OUTCOMES])


def best(horizon: int = 20, **params: float) -> pd.Series:
    """For each outcome, the scenario (of :data:`SCENARIOS`) that is best for Washington."""
    t = outcomes(horizon, SCENARIOS, **params)
    return pd.Series({o.key: (t.loc[o.key] * o.better).idxmax() for o in OUTCOMES})


def _world_phrase(params: Mapping[str, float]) -> str:
    th = params.get("theta")
    if th is None:
        th = float(model.list_parameters().set_index("name").loc["theta", "default"])
    return f"θ = {float(th):.2f}"


def outcomes_figure(horizon: int = 20, **params: float) -> go.Figure:
    """Small multiples, one panel per outcome, with its own axis and units: a bar per
    scenario (colour and pattern), the best for Washington starred, and the 2021 baseline
    under the same assumptions as a dotted line."""
    t = outcomes(horizon, (*SCENARIOS, BASELINE), **params)
    winners = best(horizon, **params)
    cats = [TICK[s] for s in SCENARIOS]
    traces: list[dict[str, Any]] = []
    layout: dict[str, Any] = {}
    cols = 3
    for i, o in enumerate(OUTCOMES):
        row, col = divmod(i, cols)
        ax = "" if i == 0 else str(i + 1)
        x0 = col / cols + 0.055
        x1 = (col + 1) / cols - 0.03
        y1 = 0.98 - row * 0.55
        y0 = y1 - 0.33
        top = max(float(t.loc[o.key].max()), 1e-9)
        for s in SCENARIOS:
            v = float(t.loc[o.key, s])
            traces.append({
                "type": "bar", "name": LABELS[s], "legendgroup": s, "showlegend": i == 0,
                "x": [TICK[s]], "y": rounded([v]), "xaxis": f"x{ax}",
                "yaxis": f"y{ax}",
                "text": [f"{v:.2f}" + (" ★" if winners[o.key] == s else "")],
                "textposition": "outside", "cliponaxis": False,
                "marker": {"color": STYLE[s]["color"],
                           "pattern": {"shape": STYLE[s]["pattern"], "fgcolor": "#222222",
                                       "fgopacity": 0.6, "fillmode": "overlay",
                                       "solidity": 0.2},
                           "line": {"color": "#222222", "width": 1}},
                "hovertemplate": f"{o.title}, {LABELS[s]}: %{{y:.3f}} ({o.unit})"
                                 "<extra></extra>",
            })
        b = float(t.loc[o.key, BASELINE])
        traces.append({
            "type": "scatter", "mode": "lines", "name": "2021 baseline (same assumptions)",
            "legendgroup": "baseline", "showlegend": i == 0,
            "x": [cats[0], cats[-1]], "y": rounded([b, b]), "xaxis": f"x{ax}",
            "yaxis": f"y{ax}", "line": {"color": palette.NEUTRAL, "dash": "dot", "width": 2},
            "hovertemplate": f"{o.title}, 2021 baseline: {b:.3f}<extra></extra>",
        })
        layout[f"xaxis{ax}"] = {**_AXIS, "domain": [x0, x1], "anchor": f"y{ax}",
                                "showgrid": False, "tickfont": {"size": 10}, "tickangle": 0}
        layout[f"yaxis{ax}"] = {**_AXIS, "domain": [y0, y1], "anchor": f"x{ax}",
                                "range": [0, round(1.28 * float(max(top, b)), DIGITS)],
                                "title": {"text": o.unit, "font": {"size": 11}}}
    # titles wrap (at most 19 characters a line) so that three panels side by side stay
    # legible in a notebook column on a projector's 1024 px
    notes = [{"text": f"<b>{'<br>'.join(textwrap.wrap(o.title, 19))}</b><br>"
                      f"{o.better_word} is better", "showarrow": False,
              "xref": "paper", "yref": "paper", "x": (i % cols) / cols + 0.055,
              "xanchor": "left", "y": 0.98 - (i // cols) * 0.55 + 0.02, "yanchor": "bottom",
              "align": "left", "font": {"size": 12}} for i, o in enumerate(OUTCOMES)]
    layout.update({
        "template": _TEMPLATE,
        "title": {"text": f"Washington's ledger after {horizon} model years "
                          f"({_world_phrase(params)})",
                  "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "annotations": notes, "barmode": "group", "height": 700,
        "margin": {"l": 60, "r": 20, "t": 110, "b": 80}, "showlegend": True,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0.0},
    })
    return go.Figure(data=traces, layout=layout)


@model_summary
def summarise_outcomes(horizon: int = 20, **params: float) -> str:
    """The ledger in words: how many outcomes each policy wins, where interlinking does
    better, and which wins are within the collection's tolerance of the runner-up (a gap
    under 0.05 is little change, so a star there is no real lead)."""
    t = outcomes(horizon, SCENARIOS, **params)
    winners = best(horizon, **params)
    counts = winners.value_counts()
    alt_wins = int(counts.get(ALTERNATIVE, 0))
    text = (f"With {_world_phrase(params)}, after {horizon} model years dividing the labour is "
            f"best for Washington on {alt_wins} of {len(OUTCOMES)} outcomes")
    others = [f"{_BY_KEY[k].phrase} ({SHORT[s].lower()}: "
              f"{_pair_text(t.loc[k, s], t.loc[k, ALTERNATIVE])})"
              for k, s in winners.items() if s != ALTERNATIVE]
    if others:
        text += "; interlinking does better on " + "; ".join(others)
    close = []
    for k, s in winners.items():
        runner = max((r for r in SCENARIOS if r != s),
                     key=lambda r: _BY_KEY[k].better * t.loc[k, r])
        if change_key(t.loc[k, runner], t.loc[k, s]) == "same":
            close.append(_BY_KEY[k].phrase)
    if close:
        text += (f". On {join_and(close)} the best leads the next by less than "
                 f"{LITTLE_CHANGE:.2f}, which counts as little change")
    ip = _BY_KEY["ip_tension"]
    return (text + ". Indo-Pacific tension ends at "
            + ", ".join(f"{t.loc[ip.key, s]:.2f} ({SHORT[s].lower()})" for s in SCENARIOS)
            + ".")


# --------------------------------------------------------------------------- two worlds


def advantage(interlink: str = "mid_2024", horizon: int = 20, **params: float) -> pd.Series:
    """The alternative's advantage over ``interlink`` for every outcome, in % of the
    interlink value, signed so that a positive number is better for Washington."""
    _scenario_name(interlink, "interlinking scenario")
    return _advantage_of(outcomes(horizon, (interlink, ALTERNATIVE), **params), interlink)


def _advantage_of(t: pd.DataFrame, interlink: str) -> pd.Series:
    """:func:`advantage` from a table of :func:`outcomes` already built."""
    out = {}
    for o in OUTCOMES:
        ref = float(t.loc[o.key, interlink])
        diff = float(t.loc[o.key, ALTERNATIVE]) - ref
        out[o.key] = 100 * o.better * diff / max(abs(ref), 1e-9)
    return pd.Series(out)


#: The verdict words of the scorecard, from Washington's side.
BETTER, WORSE, LITTLE, DEPENDS = "better", "worse", "little change", "depends on θ"


def verdicts(interlink: str = "mid_2024", horizon: int = 20, **params: float) -> pd.Series:
    """For every outcome, whether dividing the labour is ``"better"``, ``"worse"`` or
    ``"little change"`` for Washington against ``interlink``.

    The verdict follows the collection's one tolerance rule
    (:func:`lessons.views.labels.change_key`, :data:`~lessons.views.labels.LITTLE_CHANGE`)
    on the difference of the two values, so a move the predict questions call "little
    change" is never counted as a win here.
    """
    _scenario_name(interlink, "interlinking scenario")
    return _verdicts_of(outcomes(horizon, (interlink, ALTERNATIVE), **params), interlink)


def _verdicts_of(t: pd.DataFrame, interlink: str) -> pd.Series:
    """:func:`verdicts` from a table of :func:`outcomes` already built."""
    out = {}
    for o in OUTCOMES:
        key = change_key(t.loc[o.key, interlink], t.loc[o.key, ALTERNATIVE])
        out[o.key] = (LITTLE if key == "same"
                      else BETTER if (key == "rise") == (o.better > 0) else WORSE)
    return pd.Series(out)


def _overall(words: Sequence[str]) -> str:
    """One verdict over the worlds: the shared word, or :data:`DEPENDS` if they differ."""
    return words[0] if len(set(words)) == 1 else DEPENDS


def scorecard(interlink: str = "mid_2024", horizon: int = 20,
              worlds_: Mapping[str, float] | None = None, **params: float) -> pd.DataFrame:
    """The alternative against ``interlink`` in each world (θ): both values, the advantage
    (% of the interlink value, positive favours dividing the labour, for reading sizes),
    the verdict in that world (:func:`verdicts`, on the index difference) and the verdict
    over all worlds, ``"depends on θ"`` when the worlds disagree."""
    _scenario_name(interlink, "interlinking scenario")
    ws = dict(worlds_ or worlds())
    per_world = {}
    for label, th in ws.items():
        t = outcomes(horizon, (interlink, ALTERNATIVE), **{**params, "theta": th})
        per_world[label] = (t, _advantage_of(t, interlink), _verdicts_of(t, interlink))
    rows = []
    for o in OUTCOMES:
        row: dict[str, Any] = {"outcome": o.title, "better": o.better_word}
        words = []
        for label, (t, adv, ver) in per_world.items():
            short = label.split(" (")[0]
            row[f"{short}: interlink"] = round(float(t.loc[o.key, interlink]), 3)
            row[f"{short}: divide the labour"] = round(float(t.loc[o.key, ALTERNATIVE]), 3)
            row[f"{short}: advantage %"] = round(float(adv[o.key]), 1)
            row[f"{short}: verdict"] = ver[o.key]
            words.append(ver[o.key])
        row["verdict"] = _overall(words)
        rows.append(row)
    return pd.DataFrame(rows)


def worlds_figure(interlink: str = "mid_2024", horizon: int = 20,
                  worlds_: Mapping[str, float] | None = None, **params: float) -> go.Figure:
    """Horizontal bars: the alternative's advantage on each outcome, one bar per world
    (solid for the first, hatched for the second), zero line between "interlinking
    better" and "dividing the labour better"."""
    ws = dict(worlds_ or worlds())
    patterns = ["", "x", "/", "."]
    colors = [palette.OKABE_ITO["blue"], palette.OKABE_ITO["orange"],
              palette.OKABE_ITO["reddish_purple"], palette.OKABE_ITO["black"]]
    ylabels = [o.title for o in OUTCOMES][::-1]
    traces = []
    for i, (label, th) in enumerate(ws.items()):
        adv = advantage(interlink, horizon, **{**params, "theta": th})
        vals = [float(adv[o.key]) for o in OUTCOMES][::-1]
        traces.append({
            "type": "bar", "orientation": "h", "name": label, "x": rounded(vals),
            "y": ylabels, "text": [f"{v:+.1f}%" for v in vals], "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": colors[i % 4],
                       "pattern": {"shape": patterns[i % 4], "fgcolor": "#222222",
                                   "fgopacity": 0.6, "fillmode": "overlay",
                                   "solidity": 0.2},
                       "line": {"color": "#222222", "width": 1}},
            "hovertemplate": f"{label}<br>%{{y}}: %{{x:+.1f}}%<extra></extra>",
        })
    lim = max([abs(v) for tr in traces for v in tr["x"]] + [10.0])
    lim = round(1.3 * float(lim), DIGITS)
    layout = {
        "template": _TEMPLATE,
        "title": {"text": f"Divide the labour against {_phrase(interlink)}: advantage for "
                          "Washington",
                  "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "barmode": "group", "height": 440,
        "xaxis": {**_AXIS, "range": [-lim, lim], "zeroline": True, "zerolinecolor": "#444444",
                  "zerolinewidth": 2,
                  "title": {"text": "advantage of dividing the labour, % of the interlinking "
                                    "value (positive = better for Washington)"}},
        "yaxis": {**_AXIS, "showgrid": False},
        "annotations": [
            {"text": "← interlinking better", "x": -lim / 2, "xanchor": "center", "y": 1.02,
             "yref": "paper", "xref": "x", "showarrow": False, "font": {"size": 12}},
            {"text": "dividing the labour better →", "x": lim / 2, "xanchor": "center",
             "y": 1.02, "yref": "paper", "xref": "x", "showarrow": False,
             "font": {"size": 12}},
        ],
        "margin": {"l": 200, "r": 30, "t": 80, "b": 60},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0.0},
    }
    return go.Figure(data=traces, layout=layout)


def _tally(ver: pd.Series) -> str:
    """``"better on 3 of 6 outcomes, little change on 3"``: the verdicts of one world."""
    n = len(OUTCOMES)
    counts = ver.value_counts()
    parts = [f"{word} on {int(counts[word])}" for word in (BETTER, WORSE, LITTLE)
             if word in counts]
    parts[0] = parts[0] + f" of {n} outcomes"
    return ", ".join(parts)


@model_summary
def summarise_worlds(interlink: str = "mid_2024", horizon: int = 20,
                     worlds_: Mapping[str, float] | None = None, **params: float) -> str:
    """The worlds chart in words: the verdicts per world under the collection's tolerance
    rule (a move under 0.05 is little change), and the outcomes whose verdict changes
    with θ."""
    ws = dict(worlds_ or worlds())
    parts = []
    vers = {}
    for label, th in ws.items():
        ver = verdicts(interlink, horizon, **{**params, "theta": th})
        vers[label] = ver
        where = "in the" if "world" in label else "under"
        parts.append(f"{where} {label[0].lower() + label[1:]}, {_tally(ver)}")
    text = (f"Against {_phrase(interlink)}, counting a move of less than {LITTLE_CHANGE:.2f} "
            "as little change, dividing the labour is: " + "; ".join(parts) + ".")
    if len(ws) > 1:
        flips = [o.phrase for o in OUTCOMES
                 if _overall([v[o.key] for v in vers.values()]) == DEPENDS]
        text += (f" The verdict depends on θ for {join_and(flips)}." if flips else
                 " No verdict changes with θ.")
    return text
