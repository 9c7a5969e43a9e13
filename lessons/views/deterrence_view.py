"""Figures and text summaries for lessons 05 (credibility and provocation) and 06 (Korea).

Lesson 05 (¶15–17) asks what a European deployment in Asia *does*: how much credible
deterrence it adds, and how much it provokes. Lesson 06 (¶18) asks how Seoul's alignment
changes the window for diplomacy with Pyongyang. The model's own charts (through
:class:`lessons.live.widgets.Explorer`) show outcomes over time; this module adds the views
those lessons need beyond them, each as a pure table function, a figure builder and a
one- or two-sentence summary (the figure's alt text):

* :func:`credibility_factors` — the credibility of extended deterrence per actor, split
  into capability × interest × proximity × commitment, exactly as the model computes it
  (:mod:`lessons.model.credibility`); :func:`factors_figure`, :func:`summarise_factors`.
* :func:`capability_comparison` — SIPRI military expenditure per actor
  (:func:`lessons.data.capability_table`; estimates flagged); :func:`capability_figure`,
  :func:`summarise_capabilities`.
* :func:`deployment_ledger` — a deployment's first-year effects, split into its deterrent
  channels (European forces' own credibility; U.S. forces held in Europe by burden
  shifting) and its provocation channels (nationalism; the forces' capability);
  :func:`ledger_figure`, :func:`summarise_ledger`.
* :func:`presence_map` — where in assumption space a deployment deters (lowers China's
  posture) and where it provokes (raises it); :func:`presence_map_figure`,
  :func:`summarise_presence_map`.
* :func:`korea_effects`, :func:`pair_outcome` — how Seoul's alignment moves the diplomacy
  window and the three ententes (¶18); :func:`summarise_korea_effects`.
* :func:`restraint_curves` — North Korea's belligerence as its patrons' support grows, for
  several levels of their leverage (:mod:`lessons.model.korea`); :func:`restraint_figure`,
  :func:`summarise_restraint`.
* :func:`leverage_sweep` — the diplomacy window with and without Seoul's alignment across
  the patrons' leverage; :func:`leverage_figure`, :func:`summarise_leverage`.
* :func:`munitions_reports` — reported North Korean munitions shipments to Russia
  (``data/support.csv``, all estimates); :func:`munitions_figure`,
  :func:`summarise_munitions`.

Every number comes from the model or from ``data/`` through :mod:`lessons.data`; nothing
is typed in. Colours are Okabe–Ito (:mod:`lessons.views.palette`) and never carry meaning alone
(bars carry patterns and labels; markers carry symbols).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons import data
from lessons.views import palette
from lessons.views.charts import DIGITS, TEMPLATE
from lessons.views.summaries import mid_sentence, model_summary, plural

#: The four factors of credibility, in the order the model multiplies them (¶15–17).
FACTORS: tuple[str, ...] = ("capability", "interest", "proximity", "commitment")
#: How each factor is explained in legends and summaries.
FACTOR_LABELS: dict[str, str] = {
    "capability": "Capability (index, U.S. = 1)",
    "interest": "Interest at stake (0–1)",
    "proximity": "Proximity: share of force that counts in the theater (0–1)",
    "commitment": "Commitment to the theater's allies (0–1)",
}
#: Colour and bar pattern per factor: the pattern tells the factors apart without colour.
FACTOR_STYLE: dict[str, tuple[str, str]] = {
    "capability": (palette.OKABE_ITO["blue"], ""),
    "interest": (palette.OKABE_ITO["orange"], "/"),
    "proximity": (palette.OKABE_ITO["bluish_green"], "x"),
    "commitment": (palette.OKABE_ITO["reddish_purple"], "."),
}
#: Theater ids and names.
THEATERS: dict[str, str] = {"indo_pacific": "Indo-Pacific", "euro_atlantic": "Euro-Atlantic"}
#: Groups of U.S.-side actors used in summaries.
GROUPS: dict[str, str] = {
    "us": "the United States",
    "resident": "resident allies and partners",
    "european": "European states from outside the theater",
}
#: Actors compared in the capability chart by default: the article's European states,
#: the Asian U.S. partners, the United States, and China.
CAPABILITY_ACTORS: tuple[str, ...] = ("USA", "CHN", "JPN", "KOR", "TWN", "AUS", "GBR", "FRA",
                                      "DEU", "ITA", "ESP", "BALT")
#: The deployment toggles of lesson 05.
PRESENCE_TOGGLES: tuple[str, ...] = ("euro_deployments", "euro_taiwan_patrols")
#: The toggles of Seoul's alignment against Moscow and Beijing named in ¶18.
SEOUL_TOGGLES: tuple[str, ...] = ("kor_arms_direct", "kor_china_containment")
#: The outputs :func:`korea_effects` reports: (label, metric, subject).
KOREA_OUTPUTS: tuple[tuple[str, str, str], ...] = (
    ("Korean diplomacy window (0–1)", "diplomacy_window", "korea"),
    ("Russia–North Korea cohesion (0–1)", "cohesion", "RUS-PRK"),
    ("China–North Korea cohesion (0–1)", "cohesion", "CHN-PRK"),
    ("China–Russia cohesion (0–1)", "cohesion", "CHN-RUS"),
    ("North Korea's posture (index, 2021 = 1)", "posture", "PRK"),
)
#: Below this absolute change a value counts as unchanged in summaries.
STEADY = 0.0005


# --------------------------------------------------------------------------- helpers


def _model():
    from lessons import model

    return model


def scenario_with(scenario: Any = "mid_2024", on: Iterable[str] = (), off: Iterable[str] = (),
                  **params: float) -> Any:
    """A scenario (name or :class:`~lessons.model.Scenario`) with toggles switched on or
    off and parameters overridden.

    Parameters
    ----------
    scenario : str or Scenario
        Named scenario (``data/scenarios/``) or a scenario object.
    on, off : iterable of str
        Toggle ids to switch on, then off.
    **params : float
        Model parameters to override (``nationalism=0.3``).

    Returns
    -------
    Scenario
    """
    model = _model()
    sc = model.load_scenario(scenario) if isinstance(scenario, str) else scenario
    for t in on:
        sc = sc.with_toggle(t, True)
    for t in off:
        sc = sc.with_toggle(t, False)
    if params:
        sc = sc.with_params(**{k: float(v) for k, v in params.items()})
    return sc


def without_european_presence(scenario: Any = "mid_2024") -> Any:
    """``scenario`` with every European deployment to Asia switched off (lesson 05's ghost)."""
    return scenario_with(scenario, off=PRESENCE_TOGGLES)


def _names() -> dict[str, str]:
    actors = data.load("actors")
    return dict(zip(actors["id"].astype(str), actors["name"].astype(str), strict=True))


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": TEMPLATE,
        "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "margin": {"l": 150, "r": 30, "t": 70, "b": 110},
        "height": 420,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.24, "x": 0.0},
    }
    layout.update(extra)
    return layout


def _r(values: Iterable[float]) -> list[float]:
    return [round(float(v), DIGITS) for v in values]


def _signed(x: float, digits: int = 3) -> str:
    return f"{x:+.{digits}f}"


def _share(x: float) -> str:
    pct = 100 * x
    if 0 < pct < 0.1:
        return "<0.1%"
    return f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%"


def _small(x: float) -> str:
    return f"{x:.3f}" if abs(x) >= 0.01 else f"{x:.4f}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- credibility


def credibility_factors(scenario: Any = "mid_2024", theater: str = "indo_pacific",
                        **params: float) -> pd.DataFrame:
    """The credibility of extended deterrence per U.S.-side actor, factor by factor.

    The model (:mod:`lessons.model.credibility`) counts each actor's credible deterrence in
    a theater as capability × interest × proximity × commitment, at 2024 postures:

    * **capability**: the actor's effective capability index (SIPRI spending relative to
      the United States, to the power ``capability_exponent``, plus support received);
    * **interest**: 1 for the United States and for states at home in the theater;
      ``euro_interest`` for European states in the Indo-Pacific ("run back home", ¶17);
    * **proximity**: the share of the force that counts in the theater — for the United
      States its pivot (share of U.S. capability in the theater); for European states in
      Asia the deployed share plus ``distance_discount`` times the rest; for European
      states at home the share not deployed to Asia; 1 for the Asian allies at home;
    * **commitment**: 1 for the United States and states at home; for European states in
      the Indo-Pacific their ties to the Asian partners (summits, partnership programmes,
      deployments, membership).

    Parameters
    ----------
    scenario : str or Scenario
        Which links are in force.
    theater : {"indo_pacific", "euro_atlantic"}
    **params : float
        Model parameter overrides (``euro_interest=0.6``).

    Returns
    -------
    pandas.DataFrame
        One row per U.S.-side actor that can contribute in the theater: ``actor``, ``name``,
        ``group`` (``us``, ``resident``, ``european``), the four factors, ``credible``
        (their product, in capability-index units) and ``share`` (of the theater's total).
        ``attrs`` holds ``theater``, ``total`` and ``index``: the model's credibility index
        for the theater in 2024 (2021 = 1).
    """
    if theater not in THEATERS:
        raise ValueError(f"unknown theater {theater!r}: valid are {sorted(THEATERS)}")
    model = _model()
    from lessons.model import credibility, engine, network, threat

    sc = scenario_with(scenario, **params)
    act = network.actors()
    st = network.build_structure(sc.link_set())
    P = engine.params_batch(sc.params)
    c = threat.capability_index(act.spending, P["capability_exponent"])
    ve = credibility.supported(c, st, P["deployment_share"])[0]
    dep = threat.deployed_share(st, P["deployment_share"])[0]
    first = model.simulate(sc, horizon=1)
    pivot = float(first.series("us_pivot", "indo_pacific")[0])
    d = float(P["distance_discount"][0])
    ei = float(P["euro_interest"][0])
    names = _names()
    ip = theater == "indo_pacific"
    rows = []
    for i, actor in enumerate(act.ids):
        if act.axis[i]:
            continue
        if act.home_global[i]:
            group, interest, commitment = "us", 1.0, 1.0
            proximity = pivot if ip else 1.0 - pivot
        elif (act.home_ip[i] if ip else act.home_ea[i]):
            group, interest, commitment = "resident", 1.0, 1.0
            proximity = 1.0 if ip else 1.0 - float(dep[i])
        elif ip and act.european[i]:
            group, interest = "european", ei
            proximity = float(dep[i]) + d * (1.0 - float(dep[i]))
            commitment = float(st.commit_ip[i])
        else:
            continue
        capability = float(ve[i])
        rows.append({"actor": actor, "name": names.get(actor, actor), "group": group,
                     "capability": capability, "interest": interest,
                     "proximity": proximity, "commitment": commitment,
                     "credible": capability * interest * proximity * commitment})
    table = pd.DataFrame(rows)
    total = float(table["credible"].sum())
    table["share"] = table["credible"] / total if total > 0 else 0.0
    table.attrs = {"theater": theater, "total": total,
                   "index": float(first.series("credibility", theater)[0])}
    return table


def factors_figure(table: pd.DataFrame) -> go.Figure:
    """Grouped bars of the four credibility factors per actor, beside their product.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`credibility_factors`.

    Returns
    -------
    plotly.graph_objects.Figure
        Left panel: one bar per factor and actor (colour *and* pattern per factor, 0–1
        scale). Right panel: the product, each actor's credible deterrence, labelled.
    """
    theater = THEATERS[table.attrs.get("theater", "indo_pacific")]
    order = {g: k for k, g in enumerate(GROUPS)}
    rows = table.assign(_g=table["group"].map(order)).sort_values(
        ["_g", "credible"], ascending=[False, True], kind="stable")  # U.S. on top
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.62, 0.38],
                        horizontal_spacing=0.04,
                        subplot_titles=("The four factors (each 0–1)",
                                        "Their product: credible deterrence"))
    for factor in reversed(FACTORS):  # horizontal groups stack upwards: capability on top
        colour, pattern = FACTOR_STYLE[factor]
        fig.add_trace(go.Bar(
            x=_r(rows[factor]), y=list(rows["name"]), orientation="h",
            name=FACTOR_LABELS[factor], legendgroup=factor,
            legendrank=FACTORS.index(factor) + 1,
            marker={"color": colour, "pattern": {"shape": pattern}},
            hovertemplate=f"%{{y}}: {factor} %{{x:.3f}}<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Bar(
        x=_r(rows["credible"]), y=list(rows["name"]), orientation="h",
        name="Product: credible deterrence (capability-index units)", legendrank=10,
        marker={"color": palette.OKABE_ITO["black"]},
        text=[f"{_small(v)} ({_share(s)})" for v, s in zip(rows["credible"], rows["share"],
                                                          strict=True)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"), row=1, col=2)
    top = float(table["credible"].max()) if len(table) else 1.0
    fig.update_layout(**_layout(
        f"Who makes deterrence credible in the {theater}? (model, 2024)",
        height=max(460, 44 * len(table) + 220), barmode="group", bargap=0.25,
        margin={"l": 150, "r": 30, "t": 80, "b": 150},
        legend={"orientation": "h", "yanchor": "top", "y": -0.13, "x": 0.0}))
    fig.update_xaxes(title_text="factor value (0–1)", range=[0, 1.05], row=1, col=1)
    fig.update_xaxes(title_text="product (index units)",
                     range=[0, top * 1.5 if top > 0 else 1], row=1, col=2)
    return fig


@model_summary
def summarise_factors(table: pd.DataFrame) -> str:
    """The decomposition in words: each group's share of credible deterrence and why the
    European states' share is what it is."""
    theater = THEATERS[table.attrs.get("theater", "indo_pacific")]
    by_group = table.groupby("group")["share"].sum()
    parts = [f"{GROUPS[g]} {_share(float(by_group[g]))}" for g in GROUPS if g in by_group]
    text = (f"In the {theater} in model year 2024, credible deterrence comes from "
            f"{_join(parts)} (model index {table.attrs.get('index', float('nan')):.2f}, "
            "2021 = 1).")
    eu = table[table["group"] == "european"]
    if len(eu):
        text += (f" The European states' capability (up to {eu['capability'].max():.2f} of "
                 f"the U.S. level) is multiplied by an interest of {eu['interest'].iloc[0]:.2f}, "
                 f"a proximity of {eu['proximity'].min():.2f}–{eu['proximity'].max():.2f} "
                 f"and a commitment of {eu['commitment'].min():.2f}–"
                 f"{eu['commitment'].max():.2f}, so together they add "
                 f"{eu['credible'].sum():.4f} against {table['credible'].sum():.3f} in all.")
    return text


# --------------------------------------------------------------------------- capability


def capability_comparison(actors: Sequence[str] = CAPABILITY_ACTORS,
                          release: str = "april_2024", year: int = 2023) -> pd.DataFrame:
    """Military expenditure of selected actors, with where each figure comes from.

    Parameters
    ----------
    actors : sequence of str
        Actor ids (``data/actors.csv``); ``BALT`` is Estonia + Latvia + Lithuania.
    release, year
        SIPRI release and year (default: what the authors could know in July 2024).

    Returns
    -------
    pandas.DataFrame
        Columns ``actor``, ``name``, ``bloc``, ``usd_bn`` (current US$ bn),
        ``is_estimate``, ``basis`` and ``times_baltic`` (spending over the Baltic
        states'), sorted from largest to smallest.
    """
    table = data.capability_table(release, year)
    unknown = [a for a in actors if a not in table.index]
    if unknown:
        raise ValueError(f"no capability figure for {unknown}: valid are {list(table.index)}")
    meta = data.load("actors").set_index("id")
    out = pd.DataFrame({
        "actor": list(actors),
        "name": [str(meta.loc[a, "name"]) for a in actors],
        "bloc": [str(meta.loc[a, "bloc"]) for a in actors],
        "usd_bn": [float(table.loc[a, "usd_current_bn"]) for a in actors],
        "is_estimate": [bool(table.loc[a, "is_estimate"]) for a in actors],
        "basis": [str(table.loc[a, "basis"]) for a in actors],
    })
    baltic = float(table.loc["BALT", "usd_current_bn"])
    out["times_baltic"] = out["usd_bn"] / baltic
    out = out.sort_values("usd_bn", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs = {"release": release, "year": int(year)}
    return out


def capability_figure(table: pd.DataFrame) -> go.Figure:
    """Horizontal bars of military expenditure; estimates hatched and labelled.

    Bars are coloured by bloc *and* named on the axis; a figure that is an estimate carries
    a hatch pattern and the word "estimate" in its label.
    """
    rows = table.iloc[::-1]
    release = str(table.attrs.get("release", "april_2024")).replace("_", " ").capitalize()
    year = table.attrs.get("year", 2023)
    fig = go.Figure()
    for estimate in (False, True):
        part = rows[rows["is_estimate"] == estimate]
        if not len(part):
            continue
        fig.add_trace(go.Bar(
            x=_r(part["usd_bn"]), y=list(part["name"]), orientation="h",
            name="SIPRI estimate (hatched)" if estimate else "SIPRI figure",
            marker={"color": [palette.BLOCS.get(b, palette.NEUTRAL) for b in part["bloc"]],
                    "pattern": {"shape": "/" if estimate else ""},
                    "line": {"color": "#333333", "width": 0.5}},
            text=[f"{v:,.1f}{' (estimate)' if estimate else ''}" for v in part["usd_bn"]],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:,.1f} bn US$<extra></extra>"))
    fig.update_layout(**_layout(
        f"Military expenditure, {year} (SIPRI, {release} release)",
        height=max(380, 30 * len(table) + 150), barmode="overlay", showlegend=False,
        annotations=[{"text": "Hatched bar and “(estimate)”: a SIPRI estimate. Colours: "
                              "blocs as in the network chart (U.S., European NATO, AP4, "
                              "Taiwan, China).",
                      "xref": "paper", "yref": "paper", "x": 0.0, "y": 1.06,
                      "xanchor": "left", "showarrow": False, "font": {"size": 12}}],
        xaxis={"title": {"text": f"military expenditure, bn US$ ({year}, current prices)"},
               "range": [0, float(table["usd_bn"].max()) * 1.25]},
        yaxis={"categoryorder": "array", "categoryarray": list(rows["name"])}))
    return fig


def summarise_capabilities(table: pd.DataFrame) -> str:
    """The comparison in words, with China against the Baltic states first (¶15)."""
    t = table.set_index("actor")
    year = table.attrs.get("year", 2023)
    parts = []
    if "CHN" in t.index and "BALT" in t.index:
        chn, balt = t.loc["CHN"], t.loc["BALT"]
        est = " (a SIPRI estimate)" if chn["is_estimate"] else ""
        parts.append(
            f"In {year} China spent about {chn['usd_bn']:,.1f} bn US$ on its military{est}, "
            f"{chn['usd_bn'] / balt['usd_bn']:.0f} times the {balt['usd_bn']:.1f} bn US$ of "
            "Estonia, Latvia and Lithuania combined.")
    eu = [a for a in ("GBR", "FRA", "DEU", "ITA", "ESP", "BALT") if a in t.index]
    if eu and "CHN" in t.index:
        total = float(t.loc[eu, "usd_bn"].sum())
        parts.append(f"The {len(eu)} European actors shown spent {total:,.1f} bn US$ together, "
                     f"{total / float(t.loc['CHN', 'usd_bn']):.0%} of China's figure — at "
                     "home in Europe, not in Asia.")
    biggest = table.iloc[0]
    if not parts:
        parts.append(f"{biggest['name']} spent the most: {biggest['usd_bn']:,.1f} bn US$.")
    return " ".join(parts)


# --------------------------------------------------------------------------- deployments


def deployment_ledger(toggle: str = "euro_taiwan_patrols", scenario: Any = "mid_2024",
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
    model = _model()
    from lessons.model import network

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
    styles = {"deterrence": (palette.FRIENDLY, "", "Deterrence the U.S. side gains"),
              "provocation": (palette.HOSTILE, "/", "Threat China perceives (provocation)")}
    for side, (colour, pattern, name) in styles.items():
        part = ledger[ledger["side"] == side]
        fig.add_trace(go.Bar(
            x=_r(part["change"]), y=[f"{side}: {c}" for c in part["channel"]],
            orientation="h", name=name,
            marker={"color": colour, "pattern": {"shape": pattern}},
            text=[_signed(v, 4) for v in part["change"]], textposition="outside",
            cliponaxis=False, hovertemplate="%{y}: %{x:+.4f}<extra></extra>"))
    span = float(ledger["change"].abs().max()) or 0.01
    fig.update_layout(**_layout(
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
            f"China faces by {_signed(net_det, 4)} (European forces {_signed(eu, 4)}, U.S. "
            f"forces held in Europe {_signed(us, 4)}) and China's perceived threat by "
            f"{_signed(net_prov, 4)} (nationalism {_signed(nat, 4)} at weight "
            f"{ledger.attrs.get('nationalism', float('nan')):.2f}, capability "
            f"{_signed(cap, 4)}), all in index points.")
    if abs(net_prov) < STEADY and abs(net_det) < STEADY:
        return text + " Neither effect is noticeable."
    if net_prov > STEADY and net_det <= 0:
        return text + (" The deployment provokes without deterring: on balance it lowers the "
                       "credible deterrence China faces while raising the threat China "
                       "perceives.")
    if abs(net_prov) > abs(net_det):
        ratio = abs(net_prov) / max(abs(net_det), 1e-9)
        more = f"{ratio:.0f} times" if ratio < 1000 else "far"
        return text + f" The provocation is {more} larger than the deterrent effect."
    return text + " The deterrent effect is at least as large as the provocation."


def presence_map(toggle: str = "euro_taiwan_patrols", scenario: Any = "mid_2024",
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
    model = _model()
    from lessons.model import engine, network

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


_SHORT = {"theta": "θ", "euro_interest": "Europe's stake", "nationalism": "nationalism"}
_PARAM_WORDS = {"theta": "θ, motive mix (0 = greedy, 1 = security-seeking)",
                "euro_interest": "Europe's stake (0–1)",
                "nationalism": "nationalism weight (0–0.5)"}


def presence_map_figure(grid: pd.DataFrame) -> go.Figure:
    """Heatmap of :func:`presence_map`, each cell labelled "deters" or "provokes" with its
    value, on a blue (deters) to vermillion (provokes) scale centred on zero."""
    xs = sorted(grid["x"].unique())
    ys = sorted(grid["y"].unique())
    z = grid.pivot_table(index="y", columns="x", values="change").loc[ys, xs].to_numpy()
    words = np.where(z < -STEADY, "deters", np.where(z > STEADY, "provokes", "little effect"))
    text = [[f"{w}<br>{v:+.3f}" if abs(v) >= 0.01 else f"{w}<br>{v:+.4f}"
             for w, v in zip(wr, zr, strict=True)]
            for wr, zr in zip(words, z, strict=True)]
    span = float(np.abs(z).max()) or 0.01
    a = grid.attrs
    fig = go.Figure(go.Heatmap(
        z=[_r(row) for row in z], x=xs, y=ys, text=text, texttemplate="%{text}",
        textfont={"size": 11}, zmid=0, zmin=-span, zmax=span,
        colorscale=[[0.0, palette.OKABE_ITO["blue"]], [0.5, "#FFFFFF"],
                    [1.0, palette.OKABE_ITO["vermillion"]]],
        colorbar={"title": {"text": "change"}},
        hovertemplate=(f"{a.get('x')} = %{{x}}, {a.get('y')} = %{{y}}: "
                       "%{z:+.4f}<extra></extra>")))
    fig.update_layout(**_layout(
        f"{a.get('label', 'Deployment')}: does it deter or provoke?<br><sup>Change in "
        f"{_subject_phrase(a)} after {a.get('horizon', 20)} model years when it is switched on "
        "(model)</sup>",
        height=480, margin={"l": 90, "r": 30, "t": 90, "b": 70},
        xaxis={"title": {"text": _PARAM_WORDS.get(a.get("x"), a.get("x"))},
               "tickvals": xs, "type": "category"},
        yaxis={"title": {"text": _PARAM_WORDS.get(a.get("y"), a.get("y"))},
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
    xw, yw = _SHORT.get(a.get("x"), a.get("x")), _SHORT.get(a.get("y"), a.get("y"))
    deters = grid[grid["change"] < -STEADY]
    provokes = grid[grid["change"] > STEADY]
    what = _subject_phrase(a)
    text = (f"Across {len(grid)} combinations of {xw} and {yw}, switching on “"
            f"{a.get('label', 'the deployment')}” raises {what} (provokes) in "
            f"{len(provokes)} and lowers it (deters) in {len(deters)}")
    if len(deters):
        where = [w for w in (_span(xw, deters["x"], grid["x"]), _span(yw, deters["y"], grid["y"]))
                 if w]
        text += (f", the latter only where {_join(where) or 'any values hold'}, by at most "
                 f"{-deters['change'].min():.4f}")
    text += "."
    if len(provokes):
        worst = provokes.loc[provokes["change"].idxmax()]
        text += (f" The largest rise, {worst['change']:+.3f}, is at {xw} = {worst['x']:g} "
                 f"and {yw} = {worst['y']:g}.")
    return text


# --------------------------------------------------------------------------- Korea


def korea_effects(toggles: Sequence[str] = SEOUL_TOGGLES, scenario: Any = "mid_2024",
                  horizon: int = 20, **params: float) -> pd.DataFrame:
    """How switching ``toggles`` on in ``scenario`` moves the Korean outputs (¶18).

    Parameters
    ----------
    toggles : sequence of str
        Toggle ids switched on (default: Seoul's two steps named in ¶18).
    scenario : str or Scenario
        The starting world.
    horizon : int
        Years simulated.
    **params : float
        Model parameter overrides, applied before and after alike.

    Returns
    -------
    pandas.DataFrame
        One row per output in :data:`KOREA_OUTPUTS`: ``output``, ``metric``, ``subject``,
        ``before``, ``after`` (final values after ``horizon`` years) and ``change``.
        ``attrs``: ``toggles``, ``horizon``, ``theta``.
    """
    model = _model()
    before = scenario_with(scenario, **params)
    after = scenario_with(before, on=toggles)
    r0, r1 = model.simulate(before, horizon=horizon), model.simulate(after, horizon=horizon)
    rows = []
    for label, metric, subject in KOREA_OUTPUTS:
        v0, v1 = r0.final(metric, subject), r1.final(metric, subject)
        rows.append({"output": label, "metric": metric, "subject": subject,
                     "before": round(v0, 4), "after": round(v1, 4),
                     "change": round(v1 - v0, 4)})
    out = pd.DataFrame(rows)
    out.attrs = {"toggles": tuple(toggles), "horizon": int(horizon),
                 "theta": float(before.params["theta"])}
    return out


def _toggle_labels(toggles: Iterable[str]) -> list[str]:
    table = _model().list_toggles().set_index("id")
    return [str(table.loc[t, "label"]) for t in toggles]


@model_summary
def summarise_korea_effects(effects: pd.DataFrame) -> str:
    """The Korea table in words: the window, and which entente moves most."""
    e = effects.set_index("subject")
    labels = _toggle_labels(effects.attrs.get("toggles", ()))
    what = _join([f"“{x}”" for x in labels]) or "the added links"
    w = e.loc["korea"]
    verb = ("narrows" if w["change"] < -STEADY else "widens" if w["change"] > STEADY
            else "barely moves")
    text = (f"With {what} switched on, after {effects.attrs.get('horizon', 20)} model years the "
            f"Korean diplomacy window {verb} from {w['before']:.3f} to {w['after']:.3f} "
            f"({w['change']:+.3f}).")
    pairs = effects[effects["metric"] == "cohesion"].set_index("subject")
    top = pairs["change"].abs().idxmax()
    name = str(pairs.loc[top, "output"]).split(" cohesion")[0]
    text += f" Of the three ententes, {name} tightens most ({pairs.loc[top, 'change']:+.4f})"
    if top != "RUS-PRK":
        text += (f"; Russia–North Korea, already at {e.loc['RUS-PRK', 'before']:.2f}, moves "
                 f"{e.loc['RUS-PRK', 'change']:+.4f}")
    return text + "."


def pair_outcome(toggles: Sequence[str] = SEOUL_TOGGLES, scenario: Any = "mid_2024",
                 horizon: int = 20, tolerance: float = 0.005, **params: float) -> str:
    """Which of Pyongyang's ententes Seoul's alignment tightens more: ``"russia"``,
    ``"china"`` or ``"equal"`` (changes within ``tolerance`` of each other)."""
    e = korea_effects(toggles, scenario, horizon, **params).set_index("subject")["change"]
    diff = float(e["RUS-PRK"] - e["CHN-PRK"])
    return "russia" if diff > tolerance else "china" if diff < -tolerance else "equal"


def korea_steps(scenario: Any = "mid_2024", steps: Sequence[str] = SEOUL_TOGGLES,
                horizon: int = 20, **params: float) -> pd.DataFrame:
    """The change in each Korean output for each of Seoul's steps alone and for all together.

    Returns
    -------
    pandas.DataFrame
        Indexed by output label; one column per step (its toggle label) and a last column
        ``"all together"``; values are changes in the final values after ``horizon``
        years, relative to ``scenario`` (see :func:`korea_effects`).
    """
    labels = _toggle_labels(steps)
    columns = {}
    for step, label in zip(steps, labels, strict=True):
        columns[label] = korea_effects([step], scenario, horizon, **params).set_index(
            "output")["change"]
    columns["all together"] = korea_effects(steps, scenario, horizon, **params).set_index(
        "output")["change"]
    out = pd.DataFrame(columns)
    out.index.name = "change after the step"
    return out


def support_marks(scenario: Any = "mid_2024", **params: float) -> dict[str, float]:
    """The patrons' support for Pyongyang in 2024 in the 2021 baseline and in ``scenario``,
    keyed by readable scenario names (the vertical markers of :func:`restraint_figure`)."""
    from lessons.views.labels import scenario_label

    sc = scenario_with(scenario, **params)
    marks = {"2021 baseline": patron_support("baseline_2021", **params)}
    marks[scenario_label(sc)] = patron_support(sc)
    return marks


def restraint_curves(leverages: Sequence[float] = (0.3, 1.0, 2.0),
                     supports: Sequence[float] | None = None) -> pd.DataFrame:
    """North Korea's belligerence (at its 2021 posture) as its patrons' support grows.

    The model's rule (:func:`lessons.model.korea.belligerence`): belligerence =
    posture × (1 + support) / (1 + leverage × (1 − support)), where support is the mean
    cohesion of China–North Korea and Russia–North Korea.

    Parameters
    ----------
    leverages : sequence of float
        Values of the patrons' leverage, one curve each.
    supports : sequence of float, optional
        Support levels from 0 to 1 (default: 21 even steps).

    Returns
    -------
    pandas.DataFrame
        Long form: ``leverage``, ``support``, ``belligerence``.
    """
    from lessons.model import korea

    s = np.linspace(0.0, 1.0, 21) if supports is None else np.asarray(supports, dtype=float)
    rows = [{"leverage": float(lev), "support": float(si),
             "belligerence": float(korea.belligerence(1.0, si, float(lev)))}
            for lev in leverages for si in s]
    return pd.DataFrame(rows)


def patron_support(scenario: Any = "mid_2024", year_index: int = 0, **params: float) -> float:
    """The patrons' support for Pyongyang in the model (mean cohesion of China–North Korea
    and Russia–North Korea) in a scenario, in 2024 (``year_index`` 0) or a later year."""
    res = _model().simulate(scenario_with(scenario, **params), horizon=max(1, year_index))
    return float(0.5 * (res.series("cohesion", "CHN-PRK")[year_index]
                        + res.series("cohesion", "RUS-PRK")[year_index]))


def restraint_figure(curves: pd.DataFrame, marks: Mapping[str, float] | None = None
                     ) -> go.Figure:
    """Lines of belligerence against support, one per leverage (colour, dash and symbol
    differ), with vertical markers at named support levels (``{"2021": 0.38, ...}``)."""
    from lessons.views.charts import SERIES_COLORS, SERIES_SYMBOLS

    dashes = ("solid", "dash", "dot", "dashdot", "longdash")
    fig = go.Figure()
    for k, (lev, part) in enumerate(curves.groupby("leverage", sort=True)):
        fig.add_trace(go.Scatter(
            x=_r(part["support"]), y=_r(part["belligerence"]), mode="lines+markers",
            name=f"patron leverage {lev:g}",
            line={"color": SERIES_COLORS[k % len(SERIES_COLORS)],
                  "dash": dashes[k % len(dashes)]},
            marker={"symbol": SERIES_SYMBOLS[k % len(SERIES_SYMBOLS)], "size": 6},
            hovertemplate="support %{x:.2f}: belligerence %{y:.2f}<extra></extra>"))
    top = float(curves["belligerence"].max())
    for name, value in (marks or {}).items():
        fig.add_trace(go.Scatter(
            x=[round(value, DIGITS)] * 2, y=[0, round(top, DIGITS)], mode="lines+text",
            name=f"patrons' support, {name}", text=["", f"{name}: {value:.2f}"],
            textposition="top center", line={"color": palette.NEUTRAL, "dash": "dot",
                                             "width": 1},
            showlegend=False, hoverinfo="skip"))
    fig.update_layout(**_layout(
        "Patron restraint: North Korea's belligerence as Beijing and Moscow align with it",
        height=420, margin={"l": 80, "r": 30, "t": 70, "b": 110},
        xaxis={"title": {"text": "patrons' support for Pyongyang (mean cohesion, 0–1)"},
               "range": [0, 1.02]},
        yaxis={"title": {"text": "belligerence (index, at 2021 posture)"},
               "range": [0, top * 1.12]}))
    return fig


@model_summary
def summarise_restraint(curves: pd.DataFrame, marks: Mapping[str, float] | None = None) -> str:
    """The restraint curves in words: how far belligerence rises between the marked
    support levels (or from no support to full support) at each leverage."""
    from lessons.model import korea

    marks = dict(marks or {"no support": 0.0, "full support": 1.0})
    items = list(marks.items())
    (n0, s0), (n1, s1) = items[0], items[-1]
    parts = []
    for lev in sorted(curves["leverage"].unique()):
        b0 = float(korea.belligerence(1.0, s0, lev))
        b1 = float(korea.belligerence(1.0, s1, lev))
        parts.append(f"{b1 / b0:.1f} times at leverage {lev:g}")
    ratios = [float(korea.belligerence(1.0, s1, lev) / korea.belligerence(1.0, s0, lev))
              for lev in sorted(curves["leverage"].unique())]
    verb = "rises" if ratios[0] >= 1 else "falls"
    tail = (": the stronger the restraint Beijing and Moscow could exert, the more is lost "
            "when they align with Pyongyang instead." if ratios[-1] > ratios[0] + 0.01
            else ".")
    return (f"As the patrons' support moves from {s0:.2f} ({mid_sentence(n0)}) to {s1:.2f} "
            f"({mid_sentence(n1)}), "
            f"North Korea's belligerence at the same posture {verb} {_join(parts)}{tail}")


def leverage_sweep(toggles: Sequence[str] = SEOUL_TOGGLES, scenario: Any = "mid_2024",
                   leverages: Sequence[float] = (0.3, 0.6, 1.0, 1.5, 2.0), horizon: int = 20,
                   **params: float) -> pd.DataFrame:
    """The final diplomacy window with and without Seoul's alignment, across leverage.

    Parameters
    ----------
    toggles : sequence of str
        Seoul's steps switched on for the ``with`` column.
    scenario : str or Scenario
        The starting world.
    leverages : sequence of float
        Values of ``patron_leverage``.
    horizon : int
        Years simulated.
    **params : float
        Other parameter overrides.

    Returns
    -------
    pandas.DataFrame
        Columns ``patron_leverage``, ``without`` (``scenario`` as it is), ``with``
        (``toggles`` on) and ``change``. ``attrs``: ``toggles``, ``horizon``.
    """
    model = _model()
    rows = []
    for lev in leverages:
        before = scenario_with(scenario, **{**params, "patron_leverage": float(lev)})
        after = scenario_with(before, on=toggles)
        w0 = model.simulate(before, horizon=horizon).final("diplomacy_window", "korea")
        w1 = model.simulate(after, horizon=horizon).final("diplomacy_window", "korea")
        rows.append({"patron_leverage": float(lev), "without": round(w0, 4),
                     "with": round(w1, 4), "change": round(w1 - w0, 4)})
    out = pd.DataFrame(rows)
    out.attrs = {"toggles": tuple(toggles), "horizon": int(horizon)}
    return out


def leverage_figure(sweep: pd.DataFrame) -> go.Figure:
    """Two lines (solid circles: as it is; dashed squares: with Seoul's alignment)."""
    fig = go.Figure()
    styles = (("without", "Seoul as in the scenario", palette.FRIENDLY, "solid", "circle"),
              ("with", "Seoul aligns against Moscow and Beijing", palette.HOSTILE, "dash",
               "square"))
    for col, name, colour, dash, symbol in styles:
        fig.add_trace(go.Scatter(
            x=_r(sweep["patron_leverage"]), y=_r(sweep[col]), mode="lines+markers",
            name=name, line={"color": colour, "dash": dash},
            marker={"symbol": symbol, "size": 8},
            hovertemplate="leverage %{x:g}: window %{y:.3f}<extra></extra>"))
    fig.update_layout(**_layout(
        f"The diplomacy window after {sweep.attrs.get('horizon', 20)} model years, by the "
        "patrons' leverage", height=400, margin={"l": 80, "r": 30, "t": 70, "b": 110},
        xaxis={"title": {"text": "patrons' restraining leverage (ratio)"}},
        yaxis={"title": {"text": "diplomacy window (index, 0 = closed, 1 = wide open)"},
               "range": [0, max(0.6, float(sweep[["without", "with"]].max().max()) * 1.15)]}))
    return fig


def _trend(values: Sequence[float], up: str, down: str, flat: str) -> str:
    v = [float(x) for x in values]
    if v[-1] - v[0] > STEADY:
        return up
    if v[0] - v[-1] > STEADY:
        return down
    return flat


@model_summary
def summarise_leverage(sweep: pd.DataFrame) -> str:
    """The sweep in words: how the window's level and the cost of Seoul's alignment vary
    with the patrons' leverage."""
    lo, hi = sweep.iloc[0], sweep.iloc[-1]
    level = _trend(sweep["without"], "wider", "narrower", "about as wide")
    cost = _trend(sweep["change"].abs(), "more", "less", "about as much")
    return (f"With the patrons' leverage at {lo['patron_leverage']:g} the window ends at "
            f"{lo['without']:.3f}, and at {hi['patron_leverage']:g} at {hi['without']:.3f}: "
            f"the stronger the patrons' restraint, the {level} the window. Seoul's alignment "
            f"changes it by {lo['change']:+.3f} at the lowest leverage and by "
            f"{hi['change']:+.3f} at the highest, so it costs {cost} where the patrons' "
            "leverage is greater.")


# --------------------------------------------------------------------------- munitions


def munitions_reports(unit: str = "containers") -> pd.DataFrame:
    """Reported North Korean munitions shipments to Russia (``data/support.csv``).

    Parameters
    ----------
    unit : {"containers", "shells"}
        Containers (counted by intelligence services) or shells (capacity-based estimates).

    Returns
    -------
    pandas.DataFrame
        Rows of ``support.csv`` from North Korea to Russia of kind ``munitions`` in that
        unit, sorted by date: ``id``, ``date``, ``value``, ``qualifier``, ``measure``,
        ``is_estimate``, ``after_article``, ``source``, ``when`` (a timestamp).
    """
    support = data.load("support")
    rows = support[(support["from_actor"] == "PRK") & (support["to_actor"] == "RUS")
                   & (support["kind"] == "munitions") & (support["unit"] == unit)].copy()
    rows["when"] = pd.to_datetime(rows["date"].astype(str), errors="coerce")
    keep = ["id", "date", "when", "value", "unit", "qualifier", "measure", "is_estimate",
            "after_article", "source"]
    return rows[keep].sort_values(["when", "value"], kind="stable").reset_index(drop=True)


_QUALIFIER_WORDS = {"more_than": "more than", "about": "about", "almost": "almost",
                    "as_stated": ""}


def _reported(row: Mapping[str, Any]) -> str:
    words = _QUALIFIER_WORDS.get(str(row["qualifier"]), "")
    return f"{words} {float(row['value']):,.0f}".strip()


def munitions_figure(reports: pd.DataFrame) -> go.Figure:
    """Reported totals over time: filled markers before the article (July 2024), hollow
    after it; every marker labelled with its value and hover text giving the source."""
    fig = go.Figure()
    for after in (False, True):
        part = reports[reports["after_article"] == after]
        if not len(part):
            continue
        fig.add_trace(go.Scatter(
            x=[w.strftime("%Y-%m-%d") for w in part["when"]], y=_r(part["value"]),
            mode="markers+text",
            name="reported after the article (hollow)" if after else "reported by July 2024",
            marker={"symbol": "diamond-open" if after else "diamond", "size": 13,
                    "color": palette.HOSTILE, "line": {"width": 2, "color": palette.HOSTILE}},
            text=[_reported(r) for _, r in part.iterrows()], textposition="top center",
            customdata=[[str(r["measure"]), str(r["source"]).split(";")[0][:140]]
                        for _, r in part.iterrows()],
            hovertemplate="%{x}: %{text}<br>%{customdata[0]}<br>%{customdata[1]}"
                          "<extra></extra>"))
    unit = str(reports["unit"].iloc[0]) if len(reports) else "containers"
    fig.update_layout(**_layout(
        f"North Korean munitions for Russia: reported {unit} shipped (all estimates)",
        height=400, margin={"l": 80, "r": 30, "t": 70, "b": 110},
        xaxis={"title": {"text": "date of the report"}},
        yaxis={"title": {"text": f"{unit} reported shipped since 2023 (cumulative)"},
               "range": [0, float(reports["value"].max()) * 1.25 if len(reports) else 1]}))
    return fig


def summarise_munitions(reports: pd.DataFrame) -> str:
    """The reports in words: first and largest figure by the article's date, and what came
    after it; always says they are estimates."""
    if not len(reports):
        return "No reports in data/support.csv match."
    unit = str(reports["unit"].iloc[0])
    before = reports[~reports["after_article"].astype(bool)]
    after = reports[reports["after_article"].astype(bool)]
    text = ""
    if len(before):
        first = before.iloc[0]
        top = before.loc[before["value"].idxmax()]
        text = (f"By the article's date, reports of North Korean {unit} shipped to Russia grew "
                f"from {_reported(first)} ({first['when']:%B %Y}) to {_reported(top)} "
                f"({top['when']:%B %Y}), {len(before)} reports in all")
    if len(after):
        last = after.iloc[-1]
        text += (f"; {plural(len(after), 'later report')} put the figure at "
                 f"{_reported(last)} ({last['when']:%B %Y})")
    if not len(before):  # capital on the first letter only (str.capitalize lowers the rest)
        text = text.lstrip("; ")
        text = text[:1].upper() + text[1:]
    return text + (
        ". Every figure is an intelligence estimate: services count containers, not their "
        "contents.")


# --------------------------------------------------------------------------- assumptions


def assumptions(*names: str) -> pd.DataFrame:
    """The model's documented assumptions for the named parameters (``data/parameters.csv``):
    default, plausible range, unit, basis (article, study or teaching assumption) and the
    sentence explaining where the value comes from."""
    table = _model().list_parameters().set_index("name")
    unknown = [n for n in names if n not in table.index]
    if unknown:
        raise ValueError(f"unknown parameters {unknown}: valid are {sorted(table.index)}")
    cols = ["default", "low", "high", "unit", "basis", "explanation"]
    return table.loc[list(names), cols]
