"""Lesson 05's credibility views: who makes deterrence credible, what each actor spends,
and what Europe's reported munitions supplies are.

* :func:`credibility_factors` — the credibility of extended deterrence per actor, split
  into capability × interest × proximity × commitment, exactly as the model computes it
  (:mod:`lessons.model.credibility`); :func:`factors_figure`, :func:`summarise_factors`.
* :func:`capability_comparison` — SIPRI military expenditure per actor
  (:func:`lessons.data.capability_table`; estimates flagged); :func:`capability_figure`,
  :func:`summarise_capabilities`.
* :func:`munitions_reports` — reported North Korean munitions shipments to Russia
  (``data/support.csv``, all estimates); :func:`munitions_figure`,
  :func:`summarise_munitions`.
* :func:`scenario_with`, :func:`assumptions` — the scenarios and parameter notes the
  deterrence lessons (05, 06) share.

Every number comes from the model or from ``data/`` through :mod:`lessons.data`; nothing
is typed in. Colours are Okabe–Ito (:mod:`lessons.views.style`) and never carry meaning
alone (bars carry patterns and labels; markers carry symbols).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons import data, model
from lessons.model import decomposition
from lessons.views.style import BLOCS, HOSTILE, LABEL_SIZE, NEUTRAL, OKABE_ITO, lesson_layout
from lessons.views.summaries import model_summary, with_toggles
from lessons.views.text import join_and, plural, rounded, share, small

if TYPE_CHECKING:
    from lessons.model import Scenario

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
    "capability": (OKABE_ITO["blue"], ""),
    "interest": (OKABE_ITO["orange"], "/"),
    "proximity": (OKABE_ITO["bluish_green"], "x"),
    "commitment": (OKABE_ITO["reddish_purple"], "."),
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


# --------------------------------------------------------------------------- scenarios


def scenario_with(scenario: Scenario | str = "mid_2024", on: Iterable[str] = (),
                  off: Iterable[str] = (), **params: float) -> Scenario:
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
    sc = with_toggles(scenario, on, off)
    if params:
        sc = sc.with_params(**{k: float(v) for k, v in params.items()})
    return sc


def without_european_presence(scenario: Scenario | str = "mid_2024") -> Scenario:
    """``scenario`` with every European deployment to Asia switched off (lesson 05's ghost)."""
    return scenario_with(scenario, off=PRESENCE_TOGGLES)


def _names() -> dict[str, str]:
    actors = data.load("actors")
    return dict(zip(actors["id"].astype(str), actors["name"].astype(str), strict=True))


# --------------------------------------------------------------------------- credibility


def credibility_factors(scenario: Scenario | str = "mid_2024", theater: str = "indo_pacific",
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
    sc = scenario_with(scenario, **params)
    table = decomposition.credibility_breakdown(sc, theater)
    names = _names()
    table.insert(1, "name", [names.get(a, a) for a in table["actor"]])
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
                        # the product's title on two lines: in one it ran into the
                        # factors' title in a chart 1024 px wide
                        subplot_titles=("The four factors (each 0–1)",
                                        "Their product:<br>credible deterrence"))
    for factor in reversed(FACTORS):  # horizontal groups stack upwards: capability on top
        colour, pattern = FACTOR_STYLE[factor]
        fig.add_trace(go.Bar(
            x=rounded(rows[factor]), y=list(rows["name"]), orientation="h",
            name=FACTOR_LABELS[factor], legendgroup=factor,
            legendrank=FACTORS.index(factor) + 1,
            marker={"color": colour, "pattern": {"shape": pattern}},
            hovertemplate=f"%{{y}}: {factor} %{{x:.3f}}<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Bar(
        x=rounded(rows["credible"]), y=list(rows["name"]), orientation="h",
        name="Product: credible deterrence (capability-index units)", legendrank=10,
        marker={"color": OKABE_ITO["black"]},
        text=[f"{small(v)} ({share(s)})" for v, s in zip(rows["credible"], rows["share"],
                                                          strict=True)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.4f}<extra></extra>"), row=1, col=2)
    top = float(table["credible"].max()) if len(table) else 1.0
    fig.update_layout(**lesson_layout(
        f"Who makes deterrence credible in the {theater}? (model, 2024)",
        height=max(460, 44 * len(table) + 220), barmode="group", bargap=0.25,
        margin={"l": 150, "r": 30, "t": 100, "b": 150},
        legend={"orientation": "h", "yanchor": "top", "y": -0.13, "x": 0.0}))
    fig.update_xaxes(title_text="factor value (0–1)", range=[0, 1.05], row=1, col=1)
    # room right of the longest bar for its label ("0.485 (36%)") in a narrow chart
    fig.update_xaxes(title_text="product (index units)",
                     range=[0, top * 1.9 if top > 0 else 1], row=1, col=2)
    return fig


@model_summary
def summarise_factors(table: pd.DataFrame) -> str:
    """The decomposition in words: each group's share of credible deterrence and why the
    European states' share is what it is."""
    theater = THEATERS[table.attrs.get("theater", "indo_pacific")]
    by_group = table.groupby("group")["share"].sum()
    parts = [f"{GROUPS[g]} {share(float(by_group[g]))}" for g in GROUPS if g in by_group]
    text = (f"In the {theater} in model year 2024, credible deterrence comes from "
            f"{join_and(parts)} (model index {table.attrs.get('index', float('nan')):.2f}, "
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
            x=rounded(part["usd_bn"]), y=list(part["name"]), orientation="h",
            name="SIPRI estimate (hatched)" if estimate else "SIPRI figure",
            marker={"color": [BLOCS.get(b, NEUTRAL) for b in part["bloc"]],
                    "pattern": {"shape": "/" if estimate else ""},
                    "line": {"color": "#333333", "width": 0.5}},
            text=[f"{v:,.1f}{' (estimate)' if estimate else ''}" for v in part["usd_bn"]],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:,.1f} bn US$<extra></extra>"))
    fig.update_layout(**lesson_layout(
        f"Military expenditure, {year} (SIPRI, {release} release)",
        height=max(380, 30 * len(table) + 150), barmode="overlay", showlegend=False,
        annotations=[{"text": "Hatched bar and “(estimate)”: a SIPRI estimate. Colours: "
                              "blocs as in the network chart (U.S., European NATO, AP4, "
                              "Taiwan, China).",
                      "xref": "paper", "yref": "paper", "x": 0.0, "y": 1.06,
                      "xanchor": "left", "showarrow": False,
                      "font": {"size": LABEL_SIZE}}],
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
            x=[w.strftime("%Y-%m-%d") for w in part["when"]], y=rounded(part["value"]),
            mode="markers+text",
            name="reported after the article (hollow)" if after else "reported by July 2024",
            marker={"symbol": "diamond-open" if after else "diamond", "size": 13,
                    "color": HOSTILE, "line": {"width": 2, "color": HOSTILE}},
            text=[_reported(r) for _, r in part.iterrows()], textposition="top center",
            customdata=[[str(r["measure"]), str(r["source"]).split(";")[0][:140]]
                        for _, r in part.iterrows()],
            hovertemplate="%{x}: %{text}<br>%{customdata[0]}<br>%{customdata[1]}"
                          "<extra></extra>"))
    unit = str(reports["unit"].iloc[0]) if len(reports) else "containers"
    fig.update_layout(**lesson_layout(
        f"North Korean munitions for Russia: reported {unit} shipped (all estimates)",
        height=400, margin={"l": 80, "r": 30, "t": 70, "b": 110},
        xaxis={"title": {"text": "date of the report"}},
        # two lines, so the axis title fits a chart 1024 px wide (a projector)
        yaxis={"title": {"text": f"{unit} reported shipped<br>(each from its own start date)"},
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
    table = model.list_parameters().set_index("name")
    unknown = [n for n in names if n not in table.index]
    if unknown:
        raise ValueError(f"unknown parameters {unknown}: valid are {sorted(table.index)}")
    cols = ["default", "low", "high", "unit", "basis", "explanation"]
    return table.loc[list(names), cols]
