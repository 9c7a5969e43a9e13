"""Lesson 08's alternative taken apart: its ingredients one at a time, deterrence "on
paper" and "when tested", and the predict-first question (see
:mod:`lessons.live.alternative_view`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from lessons import mode, model
from lessons.live import explorer as lv
from lessons.live.alternative_ledger import (
    _AXIS,
    _TEMPLATE,
    ALTERNATIVE,
    INGREDIENT_LABELS,
    INGREDIENT_TICKS,
    OUTCOMES,
    _horizon,
    _label,
    _params,
    _phrase,
    _scenario_name,
    _world_phrase,
    outcomes_figure,
    run,
    scenario,
    summarise_outcomes,
)
from lessons.model.runs import RUNS
from lessons.views import palette
from lessons.views.labels import LITTLE_CHANGE, _verdict, change_key
from lessons.views.summaries import model_summary
from lessons.views.text import DIGITS, rounded

# --------------------------------------------------------------------------- ingredients


def ingredients(interlink: str = "mid_2024", horizon: int = 20, **params: float
                ) -> pd.DataFrame:
    """The alternative taken apart, one step at a time from ``interlink``: first its links
    (the toggles of the alternative), then each parameter in which the alternative
    scenario differs, added cumulatively. The last row is the alternative itself.
    Columns: ``step`` and one column per outcome key."""
    start = scenario(interlink, **params)
    alt = scenario(ALTERNATIVE, **params)
    steps = [("start", f"Start: {_label(interlink)}", start)]
    sc = start
    for t, on in alt.toggles.items():
        sc = sc.with_toggle(t, bool(on))
    steps.append(("links", "Pare the links back to the alternative's", sc))
    names = [*(k for k in INGREDIENT_LABELS if k in alt.params),
             *(k for k in alt.params if k not in INGREDIENT_LABELS)]
    for name in names:
        value = alt.params[name]
        if float(sc.params[name]) != float(value):
            sc = sc.with_params(**{name: float(value)})
            label = INGREDIENT_LABELS.get(name, f"Set {name}")
            steps.append((name, f"+ {label} ({name} = {float(value):g})", sc))

    h = _horizon(horizon)
    rows = []
    for key, label, s in steps:
        res = RUNS.run(s, h)
        rows.append({"key": key, "step": label, **{o.key: float(res.final(o.metric, o.subject))
                                       for o in OUTCOMES}})
    return pd.DataFrame(rows)


def ingredients_figure(interlink: str = "mid_2024", horizon: int = 20, **params: float
                       ) -> go.Figure:
    """Each outcome's change from the interlinking start, step by step, as % of its start
    value signed so that up is better for Washington (one line per outcome, each with its
    own dash and marker)."""
    t = ingredients(interlink, horizon, **params)
    steps = [f"{i}" for i in range(len(t))]
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    symbols = ["circle", "square", "diamond", "triangle-up", "x", "star"]
    colors = [palette.OKABE_ITO[c] for c in ("vermillion", "sky_blue", "bluish_green",
                                             "blue", "orange", "reddish_purple")]
    traces = []
    for i, o in enumerate(OUTCOMES):
        ref = float(t.loc[0, o.key])
        ys = [100 * o.better * (float(v) - ref) / max(abs(ref), 1e-9) for v in t[o.key]]
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": o.title,
            "x": steps, "y": rounded(ys),
            "line": {"color": colors[i], "dash": dashes[i], "width": 2.5},
            "marker": {"symbol": symbols[i], "size": 9, "color": colors[i]},
            "customdata": list(t["step"]),
            "hovertemplate": f"{o.title}<br>%{{customdata}}: %{{y:+.1f}}%<extra></extra>",
        })
    ticktext = [f"{i}. {INGREDIENT_TICKS.get(k, k)}" for i, k in enumerate(t["key"])]
    layout = {
        "template": _TEMPLATE,
        "title": {"text": "The alternative taken apart: what each ingredient changes",
                  "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "height": 470,
        "xaxis": {**_AXIS, "title": {"text": "step (each adds one ingredient to the last)"},
                  "tickvals": steps, "ticktext": ticktext, "tickangle": 0},
        "yaxis": {**_AXIS, "zeroline": True, "zerolinecolor": "#444444",
                  "title": {"text": "change from the start, %<br>(up = better for "
                                    "Washington)"}},
        "margin": {"l": 90, "r": 30, "t": 60, "b": 110},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0.0},
    }
    return go.Figure(data=traces, layout=layout)


@model_summary
def summarise_ingredients(interlink: str = "mid_2024", horizon: int = 20,
                          **params: float) -> str:
    """Which ingredient moves Indo-Pacific tension and U.S. capacity in Asia the most."""
    t = ingredients(interlink, horizon, **params)

    def step_name(i: int) -> str:
        return INGREDIENT_TICKS.get(t.loc[i, "key"], t.loc[i, "key"]).replace("<br>", " ")

    d = t["ip_tension"].diff().iloc[1:]
    down, up = int(d.idxmin()), int(d.idxmax())
    piv = t["us_pivot"].diff().iloc[1:]
    grow = int(piv.idxmax())
    text = (f"From {_phrase(interlink)} to the alternative, "
            f"Indo-Pacific tension falls most at step {down} ({step_name(down)}: "
            f"{t.loc[down - 1, 'ip_tension']:.2f} to {t.loc[down, 'ip_tension']:.2f})")
    if d[up] > 0.005:
        text += (f" and rises most at step {up} ({step_name(up)}: "
                 f"{t.loc[up - 1, 'ip_tension']:.2f} to {t.loc[up, 'ip_tension']:.2f})")
    return (text + f"; U.S. capacity in Asia grows most at step {grow} ({step_name(grow)}: "
            f"{t.loc[grow - 1, 'us_pivot']:.2f} to {t.loc[grow, 'us_pivot']:.2f}).")


# --------------------------------------------------------------------------- paper tiger

_GROUPS = (("United States", "us", palette.OKABE_ITO["blue"], ""),
           ("Asian allies and Taiwan", "asia", palette.OKABE_ITO["bluish_green"], "/"),
           ("European allies", "europe", palette.OKABE_ITO["orange"], "x"))


def _group_of(actor: str) -> str:
    if actor == "USA":
        return "us"
    if actor in {"GBR", "FRA", "DEU", "ITA", "ESP", "BALT"}:
        return "europe"
    return "asia"


def paper_tiger(interlink: str = "deeper_interlinking", **params: float) -> pd.DataFrame:
    """Credible deterrence in the Indo-Pacific at 2024 postures, by contributor, for the
    interlinked front "on paper" (European stakes counted in full, ``euro_interest`` = 1),
    the same front "when tested" (European stakes as assumed) and the divided labour.
    Rows: the three cases; columns: ``us``, ``asia``, ``europe``, ``total``."""
    p = _params(params)
    cases = {
        "Interlinked front, on paper": scenario(interlink, **{**p, "euro_interest": 1.0}),
        "Interlinked front, when tested": scenario(interlink, **p),
        "Divided labour": scenario(ALTERNATIVE, **p),
    }
    rows = {}
    for label, sc in cases.items():
        df = model.credibility_contributions(sc)
        ip = df[df["theater"] == "indo_pacific"]
        sums = ip.groupby(ip["actor"].map(_group_of))["credible"].sum()
        rows[label] = {g: float(sums.get(g, 0.0)) for _, g, _, _ in _GROUPS}
    out = pd.DataFrame(rows).T
    out["total"] = out.sum(axis=1)
    return out


def paper_tiger_figure(interlink: str = "deeper_interlinking", **params: float) -> go.Figure:
    """Stacked bars of credible deterrence in Asia by contributor (colour and pattern)."""
    t = paper_tiger(interlink, **params)
    cases = list(t.index)
    traces = [{
        "type": "bar", "name": name, "x": cases, "y": rounded(t[g]),
        "marker": {"color": color, "pattern": {"shape": pat, "fgcolor": "#222222",
                                               "fgopacity": 0.5, "fillmode": "overlay",
                                               "solidity": 0.15},
                   "line": {"color": "#222222", "width": 1}},
        "text": [f"{v:.2f}" for v in t[g]], "textposition": "inside",
        "insidetextfont": {"color": "#000000"},
        "hovertemplate": f"{name}, %{{x}}: %{{y:.3f}}<extra></extra>",
    } for name, g, color, pat in _GROUPS]
    traces.append({"type": "scatter", "mode": "text", "name": "Total", "x": cases,
                   "y": rounded(t["total"]),
                   "text": [f"total {v:.2f}" for v in t["total"]],
                   "textposition": "top center", "showlegend": False, "hoverinfo": "skip"})
    layout = {
        "template": _TEMPLATE,
        "title": {"text": "A paper tiger? Credible deterrence in Asia, on paper and when "
                          "tested", "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "barmode": "stack", "height": 430,
        "xaxis": {**_AXIS, "showgrid": False},
        "yaxis": {**_AXIS, "range": [0, round(1.2 * float(t["total"].max()), DIGITS)],
                  "title": {"text": "credible deterrence (U.S. capability = 1)"}},
        "margin": {"l": 80, "r": 30, "t": 60, "b": 60},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0.0},
    }
    return go.Figure(data=traces, layout=layout)


@model_summary
def summarise_paper_tiger(interlink: str = "deeper_interlinking", **params: float) -> str:
    """The paper-tiger chart in words."""
    t = paper_tiger(interlink, **params)
    paper, tested, alt = t.index
    ei = float(_params(params).get("euro_interest", model.list_parameters()
                                   .set_index("name").loc["euro_interest", "default"]))
    comp = "more than" if t.loc[alt, "total"] > t.loc[tested, "total"] else "less than"
    return (f"On paper the interlinked front puts {t.loc[paper, 'total']:.2f} of credible "
            f"deterrence in Asia, {t.loc[paper, 'europe']:.2f} of it European; counted at a "
            f"European stake of {ei:.2f}, Europe's part falls to {t.loc[tested, 'europe']:.2f}"
            f" and the total to {t.loc[tested, 'total']:.2f}. The divided labour has "
            f"{t.loc[alt, 'total']:.2f}, {comp} the tested front, because the United States "
            f"brings {t.loc[alt, 'us']:.2f} instead of {t.loc[tested, 'us']:.2f}.")


# --------------------------------------------------------------------------- predict first

def _credibility_pair(interlink: str, horizon: int, params: Mapping[str, float]
                      ) -> tuple[float, float, float, float]:
    before, after = run(interlink, horizon, **params), run(ALTERNATIVE, horizon, **params)
    return (float(before.final("credibility", "indo_pacific")),
            float(after.final("credibility", "indo_pacific")),
            float(before.final("us_pivot", "indo_pacific")),
            float(after.final("us_pivot", "indo_pacific")))


def predict_outcome(interlink: str = "mid_2024", horizon: int = 20, **params: float) -> str:
    """``"rise"``, ``"same"`` or ``"fall"``: credible deterrence in Asia under the
    alternative compared with ``interlink`` (same assumptions).

    The change is classified by the collection's one tolerance rule
    (:func:`lessons.views.labels.change_key`, :data:`~lessons.views.labels.LITTLE_CHANGE`),
    the rule the question states above its options, so a move the question calls "little
    change" is scored as one.
    """
    _scenario_name(interlink, "interlinking scenario")
    b, a, _pb, _pa = _credibility_pair(interlink, horizon, params)
    return change_key(b, a)


@model_summary
def explain_prediction(interlink: str = "mid_2024", horizon: int = 20,
                       **params: float) -> str:
    """The predict-first answer in words, with the numbers behind it."""
    b, a, pb, pa = _credibility_pair(interlink, horizon, params)
    _scenario_name(interlink, "interlinking scenario")  # as predict_outcome checks it
    key = change_key(b, a)  # predict_outcome's rule, on the pair already run
    verb = {"rise": "higher", "fall": "lower", "same": "about the same"}[key]
    return (f"In the model ({_world_phrase(params)}, {horizon} model years), "
            "credible deterrence in "
            f"the Indo-Pacific ends at {a:.2f} under the authors' alternative against {b:.2f} "
            f"with {_phrase(interlink)}: {verb}, {_verdict(key, LITTLE_CHANGE)}. "
            "The alternative gives "
            f"up European forces in Asia, which count at Europe's low stake, and ends with "
            f"{pa:.2f} of U.S. capability in Asia against {pb:.2f}, which counts in full.")


def ledger_widget(horizon: int = 20, **params: float):
    """The ledger as a ``FigureWidget`` with its summary (revealed after a prediction)."""
    import ipywidgets as w

    from lessons.live.figure_widget import figure_widget

    return w.VBox([figure_widget(outcomes_figure(horizon, **params)),
                   lv.summary_widget(summarise_outcomes(horizon, **params))])


def predict(interlink: str = "mid_2024", horizon: int = 20, **params: float):
    """The lesson's predict-first control (a :class:`lessons.live.predict.Predict`): what happens
    to credible deterrence in Asia under the authors' alternative? Live, the ledger is
    revealed after the prediction is committed; static, nothing is built (the lesson shows
    the ledger in its worked example)."""
    from lessons.live.predict import Predict

    _scenario_name(interlink, "interlinking scenario")
    _horizon(horizon)
    p = _params(params)
    question = ("Compared with " + _phrase(interlink) + ", what "
                "happens to the credible deterrence the U.S.-led side projects in the "
                "Indo-Pacific under the authors' alternative?")
    options = {"rise": "It rises: American forces freed from Europe count for more",
               "same": "Little changes: the two effects cancel out",
               "fall": "It falls: European ships and aircraft leave Asian waters"}
    return Predict(question, options,
                   outcome=lambda: predict_outcome(interlink, horizon, **p),
                   explain=lambda _k: explain_prediction(interlink, horizon, **p),
                   reveal=lambda: None if mode.is_static() else ledger_widget(horizon, **p))
