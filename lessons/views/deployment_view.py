"""Lesson 05's deployment views: what a European deployment in Asia *does* (¶15–17).

* :func:`deployment_ledger` — a deployment's first-year effects, split into its deterrent
  channels (European forces' own credibility; U.S. forces held in Europe by burden
  shifting) and its provocation channels (nationalism; the forces' capability);
  :func:`ledger_figure`, :func:`summarise_ledger`.
* :func:`presence_map` — where in assumption space a deployment deters (lowers China's
  posture) and where it provokes (raises it); :func:`presence_map_figure`,
  :func:`summarise_presence_map`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lessons import model
from lessons.model import engine, network
from lessons.views.credibility_view import credibility_factors, scenario_with
from lessons.views.labels import parameter_label
from lessons.views.style import (
    FRIENDLY,
    HOSTILE,
    NOTE_SIZE,
    OKABE_ITO,
    lesson_layout,
)
from lessons.views.summaries import NO_CHANGE, model_summary
from lessons.views.text import join_and, rounded, signed

if TYPE_CHECKING:
    from lessons.model import Scenario

# --------------------------------------------------------------------------- deployments


def deployment_ledger(toggle: str = "euro_taiwan_patrols", scenario: Scenario | str = "mid_2024",
                      **params: float) -> pd.DataFrame:
    """What switching a deployment on does in its first year, channel by channel.

    Compares ``scenario`` with ``toggle`` off and on, at 2024 postures (before anyone
    responds), under the same assumptions:

    * **deterrence, European forces**: the change in the credible deterrence European
      states add in the Indo-Pacific;
    * **deterrence, U.S. forces**: the change in the U.S. contribution (effort sent to Asia
      keeps U.S. forces in Europe through burden shifting, ¶19–21);
    * **provocation, nationalism**: ``nationalism`` × the added deployment weight — the
      visible presence near China, whatever its credibility (¶17);
    * **provocation, capability**: the rest of the change in China's perceived threat: the
      deployed European forces' capability near China, less the U.S. capability that
      burden shifting keeps in Europe.

    Both sides are in index points (2021 = 1): the deterrence rows add up to the change in
    the model's Indo-Pacific credibility index, the provocation rows to the change in
    China's perceived-threat index.

    Parameters
    ----------
    toggle : str
        A toggle id of ``data/toggles.csv`` (one of :data:`PRESENCE_TOGGLES`, usually).
    scenario : str or Scenario
        The world the deployment is added to (the toggle is first switched off).
    **params : float
        Model parameter overrides (``nationalism=0.3``, ``burden_shift=0``).

    Returns
    -------
    pandas.DataFrame
        Columns ``side`` (``deterrence`` / ``provocation``), ``channel``, ``change``.
        ``attrs``: ``toggle``, ``label``, ``credibility_change``, ``threat_change``,
        ``nationalism``.
    """
    toggles = model.list_toggles().set_index("id")
    if toggle not in toggles.index:
        raise ValueError(f"unknown toggle {toggle!r}: valid are {sorted(toggles.index)}")
    off = scenario_with(scenario, off=[toggle], **params)
    on = off.with_toggle(toggle, True)
    f_off, f_on = credibility_factors(off), credibility_factors(on)
    ref_total = f_off.attrs["total"] / f_off.attrs["index"]  # the 2021 reference total

    def group_sum(f: pd.DataFrame, group: str) -> float:
        return float(f.loc[f["group"] == group, "credible"].sum())

    d_eu = (group_sum(f_on, "european") - group_sum(f_off, "european")) / ref_total
    d_us = (group_sum(f_on, "us") - group_sum(f_off, "us")) / ref_total
    r_off, r_on = model.simulate(off, horizon=1), model.simulate(on, horizon=1)
    d_threat = float(r_on.series("threat", "CHN")[0] - r_off.series("threat", "CHN")[0])
    nationalism = float(on.params["nationalism"])
    d_weight = (network.build_structure(on.link_set()).provocation
                - network.build_structure(off.link_set()).provocation)
    d_nat = nationalism * d_weight
    table = pd.DataFrame([
        {"side": "deterrence", "channel": "European forces' own credibility", "change": d_eu},
        {"side": "deterrence", "channel": "U.S. forces held in Europe (burden shifting)",
         "change": d_us},
        {"side": "provocation", "channel": "nationalism (visible presence near China)",
         "change": d_nat},
        {"side": "provocation", "channel": "capability near China (European in, U.S. out)",
         "change": d_threat - d_nat},
    ])
    table.attrs = {
        "toggle": toggle, "label": str(toggles.loc[toggle, "label"]),
        "credibility_change": float(r_on.series("credibility", "indo_pacific")[0]
                                    - r_off.series("credibility", "indo_pacific")[0]),
        "threat_change": d_threat, "nationalism": nationalism,
    }
    return table


def ledger_figure(ledger: pd.DataFrame) -> go.Figure:
    """Bars of a deployment's deterrent and provocation channels (index points)."""
    fig = go.Figure()
    styles = {"deterrence": (FRIENDLY, "", "Deterrence the U.S. side gains"),
              "provocation": (HOSTILE, "/", "Threat China perceives (provocation)")}
    for side, (colour, pattern, name) in styles.items():
        part = ledger[ledger["side"] == side]
        fig.add_trace(go.Bar(
            x=rounded(part["change"]), y=[f"{side}: {c}" for c in part["channel"]],
            orientation="h", name=name,
            marker={"color": colour, "pattern": {"shape": pattern}},
            text=[signed(v, 4) for v in part["change"]], textposition="outside",
            cliponaxis=False, hovertemplate="%{y}: %{x:+.4f}<extra></extra>"))
    span = float(ledger["change"].abs().max()) or 0.01
    fig.update_layout(**lesson_layout(
        f"{ledger.attrs.get('label', 'A deployment')}: first-year effects (model)",
        height=400, margin={"l": 330, "r": 40, "t": 70, "b": 120},
        legend={"orientation": "h", "yanchor": "top", "y": -0.32, "x": 0.0},
        xaxis={"title": {"text": "change in model year 2024 (index points, 2021 level = 1)"},
               "range": [-span * 1.6, span * 1.6], "zeroline": True,
               "zerolinecolor": "#444444"},
        yaxis={"autorange": "reversed"}))
    return fig


@model_summary
def summarise_ledger(ledger: pd.DataFrame) -> str:
    """The ledger in words: net deterrence against added threat, and which is larger."""
    det = ledger[ledger["side"] == "deterrence"]["change"]
    prov = ledger[ledger["side"] == "provocation"]["change"]
    eu, us = float(det.iloc[0]), float(det.iloc[1])
    nat, cap = float(prov.iloc[0]), float(prov.iloc[1])
    net_det, net_prov = eu + us, nat + cap
    label = ledger.attrs.get("label", "The deployment")
    text = (f"{label}: in its first year the deployment changes the credible deterrence "
            f"China faces by {signed(net_det, 4)} (European forces {signed(eu, 4)}, U.S. "
            f"forces held in Europe {signed(us, 4)}) and China's perceived threat by "
            f"{signed(net_prov, 4)} (nationalism {signed(nat, 4)} at weight "
            f"{ledger.attrs.get('nationalism', float('nan')):.2f}, capability "
            f"{signed(cap, 4)}), all in index points.")
    if abs(net_prov) < NO_CHANGE and abs(net_det) < NO_CHANGE:
        return text + " Neither effect is noticeable."
    if net_prov > NO_CHANGE and net_det <= 0:
        return text + (" The deployment provokes without deterring: on balance it lowers the "
                       "credible deterrence China faces while raising the threat China "
                       "perceives.")
    if abs(net_prov) > abs(net_det):
        ratio = abs(net_prov) / max(abs(net_det), 1e-9)
        more = f"{ratio:.0f} times" if ratio < 1000 else "far"
        return text + f" The provocation is {more} larger than the deterrent effect."
    return text + " The deterrent effect is at least as large as the provocation."


def presence_map(toggle: str = "euro_taiwan_patrols", scenario: Scenario | str = "mid_2024",
                 x: str = "theta", x_values: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
                 y: str = "euro_interest",
                 y_values: Sequence[float] = (0.05, 0.2, 0.4, 0.6, 0.8, 1.0),
                 metric: str = "posture", subject: str = "CHN", horizon: int = 20,
                 **params: float) -> pd.DataFrame:
    """Where a deployment deters and where it provokes, across two assumptions.

    For every pair of values of parameters ``x`` and ``y``, the change in the final value
    of ``metric``/``subject`` (China's posture by default) when ``toggle`` is switched on
    in ``scenario``, all else equal. Negative: the deployment deters (China arms less);
    positive: it provokes.

    Parameters
    ----------
    toggle : str
        The deployment toggle switched on in every cell.
    scenario : str or Scenario
        The world it is added to.
    x, y : str
        Model parameters on the two axes (``theta``, ``euro_interest``, ``nationalism`` ...).
    x_values, y_values : sequence of float
        Their values (within the parameters' documented ranges).
    metric, subject : str
        The model output compared (``posture`` of ``CHN`` by default).
    horizon : int
        Years simulated.
    **params : float
        Other parameter overrides, held fixed in every cell.

    Returns
    -------
    pandas.DataFrame
        Long form: columns ``x``, ``y`` (the values), ``change``. ``attrs`` names the
        parameters, the toggle, its label, the metric and subject, and the horizon.
    """
    toggles = model.list_toggles().set_index("id")
    if toggle not in toggles.index:
        raise ValueError(f"unknown toggle {toggle!r}: valid are {sorted(toggles.index)}")
    column = list(engine.subjects(network.actors())[metric]).index(subject)
    base = scenario_with(scenario, off=[toggle], **params)
    xs, ys = np.meshgrid(np.asarray(x_values, dtype=float), np.asarray(y_values, dtype=float))
    values = {**dict(base.params), x: xs.ravel(), y: ys.ravel()}
    P = engine.params_batch(values, draws=xs.size)
    finals = []
    for sc in (base, base.with_toggle(toggle, True)):  # every cell in one vectorised run
        out = engine.run(network.build_structure(sc.link_set()), P, horizon, verdict=False)
        finals.append(out[metric][:, -1, column])
    rows = [{"x": float(a), "y": float(b), "change": float(c)}
            for a, b, c in zip(xs.ravel(), ys.ravel(), finals[1] - finals[0], strict=True)]
    label = str(toggles.loc[toggle, "label"])
    out = pd.DataFrame(rows)
    out.attrs = {"x": x, "y": y, "toggle": toggle, "label": label, "metric": metric,
                 "subject": subject, "horizon": int(horizon)}
    return out


#: What each axis of the presence map adds to its parameter's label (the label itself is
#: :func:`~lessons.views.labels.parameter_label`, as everywhere else).
_AXIS_GLOSS = {"theta": "0 = greedy, 1 = security-seeking", "euro_interest": "0–1",
               "nationalism": "0–0.5"}


def _axis_title(name: str) -> str:
    """A presence-map axis: ``"θ motive mix (0 = greedy, 1 = security-seeking)"``."""
    gloss = _AXIS_GLOSS.get(name)
    return f"{parameter_label(name)} ({gloss})" if gloss else parameter_label(name)


def presence_map_figure(grid: pd.DataFrame) -> go.Figure:
    """Heatmap of :func:`presence_map`, each cell labelled "deters" or "provokes" with its
    value, on a blue (deters) to vermillion (provokes) scale centred on zero."""
    xs = sorted(grid["x"].unique())
    ys = sorted(grid["y"].unique())
    z = grid.pivot_table(index="y", columns="x", values="change").loc[ys, xs].to_numpy()
    words = np.where(z < -NO_CHANGE, "deters", np.where(z > NO_CHANGE, "provokes", "little effect"))
    text = [[f"{w}<br>{v:+.3f}" if abs(v) >= 0.01 else f"{w}<br>{v:+.4f}"
             for w, v in zip(wr, zr, strict=True)]
            for wr, zr in zip(words, z, strict=True)]
    span = float(np.abs(z).max()) or 0.01
    a = grid.attrs
    fig = go.Figure(go.Heatmap(
        z=[rounded(row) for row in z], x=xs, y=ys, text=text, texttemplate="%{text}",
        textfont={"size": NOTE_SIZE}, zmid=0, zmin=-span, zmax=span,
        colorscale=[[0.0, OKABE_ITO["blue"]], [0.5, "#FFFFFF"],
                    [1.0, OKABE_ITO["vermillion"]]],
        colorbar={"title": {"text": "change"}},
        hovertemplate=(f"{a.get('x')} = %{{x}}, {a.get('y')} = %{{y}}: "
                       "%{z:+.4f}<extra></extra>")))
    fig.update_layout(**lesson_layout(
        f"{a.get('label', 'Deployment')}: does it deter or provoke?<br><sup>Change in "
        f"{_subject_phrase(a)} after {a.get('horizon', 20)} model years when it is switched on "
        "(model)</sup>",
        height=480, margin={"l": 90, "r": 30, "t": 90, "b": 70},
        xaxis={"title": {"text": _axis_title(a.get("x"))},
               "tickvals": xs, "type": "category"},
        yaxis={"title": {"text": _axis_title(a.get("y"))},
               "tickvals": ys, "type": "category"}))
    return fig


def _subject_phrase(attrs: Mapping[str, Any]) -> str:
    names = {"CHN": "China's", "RUS": "Russia's", "PRK": "North Korea's"}
    subject = str(attrs.get("subject", ""))
    return f"{names.get(subject, subject)} {attrs.get('metric', '')}".strip()


def _span(word: str, part: pd.Series, whole: pd.Series) -> str:
    """How the values in ``part`` sit within those in ``whole``, in words ("" if all)."""
    lo, hi = float(part.min()), float(part.max())
    glo, ghi = float(whole.min()), float(whole.max())
    if lo == glo and hi == ghi:
        return ""
    if lo == hi:
        return f"{word} = {lo:g}"
    if lo == glo:
        return f"{word} ≤ {hi:g}"
    if hi == ghi:
        return f"{word} ≥ {lo:g}"
    return f"{word} is between {lo:g} and {hi:g}"


@model_summary
def summarise_presence_map(grid: pd.DataFrame) -> str:
    """The map in words: in how many cells the deployment deters, where, and the extremes."""
    a = grid.attrs
    xw, yw = parameter_label(a.get("x")), parameter_label(a.get("y"))
    deters = grid[grid["change"] < -NO_CHANGE]
    provokes = grid[grid["change"] > NO_CHANGE]
    what = _subject_phrase(a)
    text = (f"Across {len(grid)} combinations of {xw} and {yw}, switching on “"
            f"{a.get('label', 'the deployment')}” raises {what} (provokes) in "
            f"{len(provokes)} and lowers it (deters) in {len(deters)}")
    if len(deters):
        where = [w for w in (_span(xw, deters["x"], grid["x"]), _span(yw, deters["y"], grid["y"]))
                 if w]
        text += (f", the latter only where {join_and(where) or 'any values hold'}, by at most "
                 f"{-deters['change'].min():.4f}")
    text += "."
    if len(provokes):
        worst = provokes.loc[provokes["change"].idxmax()]
        text += (f" The largest rise, {worst['change']:+.3f}, is at {xw} = {worst['x']:g} "
                 f"and {yw} = {worst['y']:g}.")
    return text

