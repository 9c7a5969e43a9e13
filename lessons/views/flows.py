"""Support flows among the article's actors: sourced figures, a Sankey diagram and summaries.

Lessons 02 and 03 read the numbers behind the article's support flows (``data/support.csv``):
China–Russia trade, North Korean munitions for Russia, South Korean shells and Japanese and
Korean aid for Ukraine, with the adversaries' treaty and partnership ties from
``data/links.csv``. Everything here is a pure function of those tables::

    rows = flows.headline(actors=flows.AXIS)           # one comparable figure per flow
    flows.sankey_figure(rows), flows.summarise_sankey(rows)
    flows.ledger(flows.support(kinds=["munitions"]))   # every figure, with its source
    flows.estimates_figure(rows), flows.summarise_estimates(rows)
    flows.aid_figure(flows.aid_totals()), flows.summarise_aid(flows.aid_totals())

**Why the Sankey shows a selection.** A Sankey diagram adds up the bands that meet at a
node. ``support.csv`` holds several figures for the same flow — successive intelligence
counts of the same shipments, a year's trade and its first eleven months, a two-way total
next to its two directions — and drawing them all would count the same shells or dollars two
or three times. :data:`HEADLINE` therefore picks, with a stated reason, one figure per flow
(or yearly figures, which add up), and :func:`sankey_figure` refuses rows that would be
double counted. :func:`ledger` and :func:`estimates_figure` show every figure.

**Reading rules kept everywhere.** A figure keeps its source's qualifier ("more than",
"about", "almost"); intelligence counts, capacity-based estimates and unconfirmed reports
are labelled *estimate*; figures stated after the article (July 2024) are flagged; band
widths compare only within one panel, because panels use different units.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons import data
from lessons.views import style
from lessons.views.style import OKABE_ITO, TEMPLATE, rgba
from lessons.views.text import cell_text, format_number, plural

#: The "Axis of Upheaval" of ¶3: China, Russia and North Korea.
AXIS: tuple[str, ...] = ("CHN", "RUS", "PRK")
#: The kinds of flow: the three of ``support.csv`` and treaty/partnership ties from links.
KINDS: tuple[str, ...] = ("trade", "munitions", "aid", "tie")
KIND_LABELS: dict[str, str] = {
    "trade": "Trade",
    "munitions": "Munitions",
    "aid": "Aid to Ukraine",
    "tie": "Treaty and partnership ties",
}
#: How a source's qualifier is written before the number.
QUALIFIER_WORDS: dict[str, str] = {
    "as_stated": "",
    "more_than": "more than ",
    "about": "about ",
    "almost": "almost ",
}
#: Marker symbol per qualifier: a floor points up, a ceiling points down.
QUALIFIER_SYMBOLS: dict[str, str] = {
    "more_than": "triangle-up",
    "about": "circle",
    "almost": "triangle-down",
    "as_stated": "square",
}
QUALIFIER_LEGEND: dict[str, str] = {
    "more_than": "“more than” (a floor)",
    "about": "“about”",
    "almost": "“almost” (a ceiling)",
    "as_stated": "as stated",
}
#: Link kinds in ``links.csv`` drawn as ties between the adversaries.
TIE_KINDS: tuple[str, ...] = ("strategic_partnership", "treaty_alliance")
#: The unit given to ties: a teaching weight, never a measurement.
TIE_UNIT = "tie weight (0–1, teaching assumption)"
#: Kiel Ukraine Support Tracker measures compared in :func:`aid_figure`.
AID_MEASURES: dict[str, str] = {
    "bilateral allocations, all types": "allocations",
    "bilateral commitments, all types": "commitments",
}
KIEL_CAVEAT = (
    "Kiel Ukraine Support Tracker, release 28 (data from 24 January 2022 to 28 February "
    "2026, so mostly after the article), read from a third-party processed copy of the "
    "Kiel workbook, not the original"
)

#: One figure per flow for the Sankey, each with the reason it was chosen. Yearly figures
#: for the same flow may appear together: they add up without double counting.
HEADLINE: dict[str, str] = {
    "chn_exports_rus_jan_nov_2023": (
        "Chinese exports to Russia, January–November 2023 (China customs): a flow with a "
        "direction; the full-year figure is two-way trade, which has none."),
    "rus_exports_chn_jan_nov_2023": (
        "Chinese imports from Russia over the same months: the other direction of the same "
        "trade, so the two bands add up to the two-way total for those months."),
    "prk_rus_containers_2024_02": (
        "The U.S. State Department's count of containers, the latest official U.S. figure "
        "before the article; counts of the same shipments by others are in the ledger."),
    "prk_rus_shells_152_capacity_2024_02": (
        "South Korea's capacity-based estimate for the same months, if the containers held "
        "152-mm shells; the 122-mm alternative (a smaller number) is in the ledger."),
    "kor_shells_transferable_2023_12": (
        "The U.S. estimate reported with the Washington Post story that ¶11 echoes: shells "
        "that could be moved toward Ukraine, indirectly, via the United States."),
    "jpn_ukr_allocations_2022": "Kiel allocations for 2022, before the article.",
    "jpn_ukr_allocations_2023": "Kiel allocations for 2023, before the article.",
    "kor_ukr_allocations_2022": "Kiel allocations for 2022, before the article.",
    "kor_ukr_allocations_2023": "Kiel allocations for 2023, before the article.",
}

#: Sankey panel sizes in pixels: the title line, and the room per band.
PANEL_TITLE_PX = 30
PANEL_BAND_PX = 42

_YEAR = re.compile(r"^\d{4}$")
_COLUMNS = ["id", "from_actor", "to_actor", "kind", "date", "period", "value", "unit",
            "measure", "qualifier", "is_estimate", "after_article", "source", "confidence",
            "notes"]


# --------------------------------------------------------------------------- helpers


@cache
def actor_names() -> dict[str, str]:
    """Actor id -> readable name, from ``data/actors.csv``."""
    actors = data.load("actors")
    names = dict(zip(actors["id"], actors["name"], strict=True))
    names["NATO"] = "NATO"
    return names


@cache
def _blocs() -> dict[str, str]:
    actors = data.load("actors")
    return dict(zip(actors["id"], actors["bloc"], strict=True))


def _name(actor: str) -> str:
    return actor_names().get(actor, actor)


def format_figure(value: float, unit: str, qualifier: str = "as_stated",
                  is_estimate: bool = False) -> str:
    """A figure in words, keeping the source's qualifier and flagging estimates.

    Parameters
    ----------
    value : float
        The number, in ``unit``.
    unit : str
        One of the units of ``support.csv`` (``"US$ bn"``, ``"containers"``, ...) or
        :data:`TIE_UNIT`.
    qualifier : str
        ``as_stated``, ``more_than``, ``about`` or ``almost``.
    is_estimate : bool
        Intelligence counts, capacity-based estimates and unconfirmed reports.

    Returns
    -------
    str
        For example ``"more than 10,000 containers (estimate)"``.

    >>> format_figure(10000, "containers", "more_than", True)
    'more than 10,000 containers (estimate)'
    >>> format_figure(1.14, "EUR bn")
    'EUR 1.14 bn'
    """
    if qualifier not in QUALIFIER_WORDS:
        raise ValueError(f"unknown qualifier {qualifier!r}: valid are {list(QUALIFIER_WORDS)}")
    n = format_number(value)
    money = {"US$ bn": ("US$ ", " bn"), "US$ m": ("US$ ", " m"), "EUR bn": ("EUR ", " bn")}
    if unit in money:
        pre, post = money[unit]
        body = f"{pre}{n}{post}"
    elif unit.startswith("%"):
        body = f"{n}{unit}"
    elif unit == TIE_UNIT:
        body = f"weight {n} (teaching assumption)"
    else:
        body = f"{n} {unit}"
    text = QUALIFIER_WORDS[qualifier] + body
    return text + " (estimate)" if is_estimate else text


def _when(date: str) -> str:
    """``"2024-02-23"`` -> ``"February 2024"``; ``"2022"`` -> ``"2022"``."""
    date = cell_text(date)
    if _YEAR.match(date):
        return date
    if not date:
        return ""
    return pd.Timestamp(date).strftime("%B %Y")


def _short_source(source: str) -> str:
    return cell_text(source).split(";")[0].strip()


def _check_choices(given: Iterable[str] | None, valid: Sequence[str], what: str) -> list[str]:
    if given is None:
        return list(valid)
    wanted = [given] if isinstance(given, str) else list(given)
    unknown = sorted(set(wanted) - set(valid))
    if unknown:
        raise ValueError(f"unknown {what} {unknown}: valid are {list(valid)}")
    return wanted


def _decorate(rows: pd.DataFrame) -> pd.DataFrame:
    """Add readable ``flow`` and ``figure`` columns."""
    rows = rows.copy()
    rows["flow"] = [f"{_name(a)} → {_name(b)}"
                    for a, b in zip(rows["from_actor"], rows["to_actor"], strict=True)]
    rows["figure"] = [
        format_figure(v, u, q, bool(e))
        for v, u, q, e in zip(rows["value"], rows["unit"], rows["qualifier"],
                              rows["is_estimate"], strict=True)
    ]
    return rows


# --------------------------------------------------------------------------- selections


def support(kinds: Iterable[str] | None = None, actors: Iterable[str] | None = None,
            include_after_article: bool = True,
            ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Rows of ``data/support.csv``, filtered, with readable ``flow`` and ``figure`` columns.

    Parameters
    ----------
    kinds : iterable of str, optional
        Keep these kinds (``trade``, ``munitions``, ``aid``).
    actors : iterable of str, optional
        Keep rows whose giver *or* recipient is one of these actor ids.
    include_after_article : bool
        Keep figures stated after the article (July 2024).
    ids : iterable of str, optional
        Keep only these row ids, in this order.

    Returns
    -------
    pandas.DataFrame
        The table's columns plus ``flow`` ("North Korea → Russia") and ``figure``
        ("more than 10,000 containers (estimate)").
    """
    table = data.load("support")
    kinds_ = _check_choices(kinds, ("trade", "munitions", "aid"), "kinds")
    rows = table[table["kind"].isin(kinds_)]
    if actors is not None:
        wanted = _check_choices(actors, sorted(actor_names()), "actors")
        rows = rows[rows["from_actor"].isin(wanted) | rows["to_actor"].isin(wanted)]
    if not include_after_article:
        rows = rows[~rows["after_article"]]
    if ids is not None:
        order = list(ids)
        missing = sorted(set(order) - set(table["id"]))
        if missing:
            raise ValueError(f"unknown support row ids {missing}")
        rows = rows[rows["id"].isin(order)]
        rows = rows.set_index("id").loc[[i for i in order if i in set(rows["id"])]]
        rows = rows.reset_index()
    return _decorate(rows.reset_index(drop=True))


def ties(actors: Iterable[str] | None = None) -> pd.DataFrame:
    """The adversaries' treaty and partnership ties from ``data/links.csv``, as flow rows.

    The value of a tie is its link weight, a teaching assumption (unit :data:`TIE_UNIT`);
    its source is the link's evidence. Only ties in force when the article was written.
    """
    links = data.load("links")
    toggles = data.load("toggles").set_index("id")["side"]
    adversary = links["toggle"].map(lambda t: toggles.get(cell_text(t), "") == "adversary")
    rows = links[adversary & links["kind"].isin(TIE_KINDS) & links["in_2024"]]
    if actors is not None:
        wanted = _check_choices(actors, sorted(actor_names()), "actors")
        rows = rows[rows["source"].isin(wanted) | rows["target"].isin(wanted)]
    out = pd.DataFrame({
        "id": rows["id"],
        "from_actor": rows["source"],
        "to_actor": rows["target"],
        "kind": "tie",
        "date": rows["established"],
        "period": "",
        "value": rows["weight"].astype(float),
        "unit": TIE_UNIT,
        "measure": rows["kind"].str.replace("_", " "),
        "qualifier": "as_stated",
        "is_estimate": False,
        "after_article": False,
        "source": rows["evidence"],
        "confidence": rows["confidence"],
        "notes": "A tie in data/links.csv; its weight is the model's teaching assumption.",
    })
    return _decorate(out.reset_index(drop=True))


def headline(kinds: Iterable[str] | None = None, actors: Iterable[str] | None = None,
             include_ties: bool = True) -> pd.DataFrame:
    """The figures the Sankey draws: :data:`HEADLINE` rows plus the adversaries' ties.

    Parameters
    ----------
    kinds : iterable of str, optional
        Keep these kinds (``trade``, ``munitions``, ``aid``, ``tie``).
    actors : iterable of str, optional
        Keep flows whose giver or recipient is one of these actor ids.
    include_ties : bool
        Add the treaty and partnership ties of :func:`ties` (kind ``tie``).
    """
    kinds_ = _check_choices(kinds, KINDS, "kinds")
    flows_ = [k for k in kinds_ if k != "tie"]
    parts = []
    if flows_:
        parts.append(support(kinds=flows_, actors=actors, ids=HEADLINE))
    if include_ties and "tie" in kinds_:
        parts.append(ties(actors=actors))
    if not parts:
        return support(ids=[])
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------- panels


def _panel_title(kind: str, unit: str, rows: pd.DataFrame) -> str:
    if kind == "tie":
        return ("Treaty and partnership ties (data/links.csv) — width is the model's "
                "teaching weight, 0–1, not a measurement")
    estimates = int(rows["is_estimate"].sum())
    note = ("all figures are estimates" if estimates == len(rows)
            else f"{estimates} of {len(rows)} figures are estimates" if estimates
            else "reported figures")
    return f"{KIND_LABELS.get(kind, kind)}, in {unit} — {note}"


def panels(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Group flow rows into Sankey panels, one per kind and unit, checking for double counts.

    Within a panel, band widths share one unit. Two rows for the same giver and recipient
    may share a panel only if each covers a different calendar year (``period`` ``"2022"``,
    ``"2023"``...), since such figures add up; anything else (successive counts of the same
    shipments, overlapping spans) would be counted twice, and raises ``ValueError``.

    Returns
    -------
    list of (title, rows)
        In the order trade, munitions, aid, ties; within a kind, by unit.
    """
    out = []
    order = {k: i for i, k in enumerate(KINDS)}
    keys = sorted({(k, u) for k, u in zip(rows["kind"], rows["unit"], strict=True)},
                  key=lambda ku: (order.get(ku[0], 99), ku[1]))
    for kind, unit in keys:
        part = rows[(rows["kind"] == kind) & (rows["unit"] == unit)]
        for (a, b), same in part.groupby(["from_actor", "to_actor"]):
            if len(same) < 2:
                continue
            periods = [cell_text(p) for p in same["period"]]
            yearly = all(_YEAR.match(p) for p in periods) and len(set(periods)) == len(periods)
            if not yearly:
                raise ValueError(
                    f"rows {list(same['id'])} are figures for the same flow {a} → {b} in "
                    f"{unit}; a Sankey would add them up and count the same flow twice. "
                    "Keep one (see flows.HEADLINE), or use yearly figures that add up.")
        out.append((_panel_title(kind, unit, part), part))
    return out


def _band_text(row: pd.Series, with_period: bool) -> str:
    text = format_number(row["value"]) if row["unit"] == TIE_UNIT else row["figure"]
    period = cell_text(row["period"])
    if with_period and period:
        text += f" ({period})"
    return text


def sankey_figure(rows: pd.DataFrame, title: str = "Support flows, one panel per unit",
                  ) -> go.Figure:
    """A Sankey diagram of flow rows: one panel per kind and unit, one band per row.

    Each band's value is the row's value, exactly; givers stand on the left and recipients
    on the right of each panel (an actor can be both, as Russia is in trade). Node labels
    carry the figures in words, qualifiers and the word *estimate* included, so nothing is
    told by colour alone; hovering a band shows its measure, period and source.

    Parameters
    ----------
    rows : pandas.DataFrame
        From :func:`headline`, :func:`support` or :func:`ties`; rows that would be counted
        twice raise ``ValueError`` (see :func:`panels`).
    title : str
        Figure title.
    """
    groups = panels(rows)
    fig = go.Figure()
    # panel heights in pixels: a title line, then room for each band
    sizes = [PANEL_TITLE_PX + PANEL_BAND_PX * max(len(part), 1) for _, part in groups]
    total = sum(sizes) or PANEL_BAND_PX
    annotations = []
    top_px = 0
    for (panel_title, part), size in zip(groups, sizes, strict=True):
        top = 1 - top_px / total
        bottom = 1 - (top_px + size) / total
        top_px += size
        givers = list(dict.fromkeys(part["from_actor"]))
        takers = list(dict.fromkeys(part["to_actor"]))
        several = {a for a in givers if (part["from_actor"] == a).sum() > 1}
        left_labels = []
        for a in givers:
            mine = part[part["from_actor"] == a]
            one_target = len(set(mine["to_actor"])) == 1
            bits = [(_band_text(r, a in several) if one_target
                     else f"{_band_text(r, False)} to {_name(r['to_actor'])}")
                    for _, r in mine.iterrows()]
            left_labels.append(f"{_name(a)}: " + "; ".join(bits))
        labels = left_labels + [_name(b) for b in takers]
        colours = [style.BLOCS.get(_blocs().get(a, ""), style.NEUTRAL)
                   for a in givers + takers]
        source = [givers.index(a) for a in part["from_actor"]]
        target = [len(givers) + takers.index(b) for b in part["to_actor"]]
        hover = [
            f"{r['flow']}: {r['figure']}<br>{r['measure']}"
            + (f"<br>period: {cell_text(r['period'])}" if cell_text(r["period"]) else "")
            + f"<br>stated: {_when(r['date'])}"
            + ("<br>stated after the article" if bool(r["after_article"]) else "")
            + f"<br>source: {_short_source(r['source'])}"
            for _, r in part.iterrows()
        ]
        title_share = PANEL_TITLE_PX / total
        fig.add_trace(go.Sankey(
            domain={"x": [0.0, 1.0], "y": [max(bottom, 0.0), top - title_share]},
            arrangement="snap",
            valueformat=",.6~g",
            node={"label": labels, "color": colours, "pad": 10, "thickness": 14,
                  "line": {"color": "#444444", "width": 0.5},
                  "hovertemplate": "%{label}<extra></extra>"},
            link={"source": source, "target": target,
                  "value": [float(v) for v in part["value"]],
                  "color": [rgba(colours[s], 0.35) for s in source],
                  "customdata": hover,
                  "hovertemplate": "%{customdata}<extra></extra>"},
            meta={"ids": list(part["id"]), "panel": panel_title},
            name=panel_title,
        ))
        annotations.append({"text": f"<b>{panel_title}</b>", "x": 0.0, "y": top,
                            "xref": "paper", "yref": "paper", "xanchor": "left",
                            "yanchor": "top", "showarrow": False,
                            "font": {"size": style.LABEL_SIZE}})
    if not groups:
        annotations.append({"text": "No flows match the chosen filters.", "x": 0.5, "y": 0.5,
                            "xref": "paper", "yref": "paper", "showarrow": False})
    fig.update_layout(
        template=TEMPLATE,
        title=style.title(title),
        height=90 + total,
        margin={"l": 20, "r": 20, "t": 70, "b": 20},
        annotations=annotations,
    )
    return fig


def summarise_sankey(rows: pd.DataFrame) -> str:
    """The Sankey in words (its alt text): each panel's flows, figures and estimates.

    Recomputed from the rows, so it follows any filter.
    """
    if rows.empty:
        return "No flows match the chosen filters."
    groups = panels(rows)
    parts = []
    for panel_title, part in groups:
        head = panel_title.split(" — ")[0]
        several = part.duplicated(["from_actor", "to_actor"], keep=False)
        flows_ = "; ".join(
            f"{r['flow']} {r['figure'] if r['unit'] == TIE_UNIT else _band_text(r, bool(s))}"
            for (_, r), s in zip(part.iterrows(), several, strict=True))
        parts.append(f"{head}: {flows_}.")
    estimates = int(rows["is_estimate"].sum())
    figures = len(rows)
    text = (f"{plural(figures, 'figure')} in {plural(len(groups), 'panel')}, "
            "one band per figure; widths compare only "
            "within a panel. " + " ".join(parts))
    if estimates:
        verb = "is an estimate, not a count" if estimates == 1 else "are estimates, not counts"
        text += f" {estimates} of the {figures} figures {verb}."
    return text


# --------------------------------------------------------------------------- every figure


def ledger(rows: pd.DataFrame) -> pd.DataFrame:
    """Every row as a readable table: flow, what is measured, the figure, when, the source.

    Indexed by row id; ``estimate`` says "estimate" or "reported" (or "teaching weight"
    for ties), ``after article`` says "yes" for figures stated after July 2024.
    """
    basis = ["teaching weight" if u == TIE_UNIT else "estimate" if e else "reported"
             for u, e in zip(rows["unit"], rows["is_estimate"], strict=True)]
    out = pd.DataFrame({
        "flow": rows["flow"].to_numpy(),
        "measure": rows["measure"].to_numpy(),
        "figure": rows["figure"].to_numpy(),
        "period": [cell_text(p) for p in rows["period"]],
        "stated": [_when(d) for d in rows["date"]],
        "estimate": basis,
        "after article": ["yes" if a else "" for a in rows["after_article"]],
        "source": [_short_source(s) for s in rows["source"]],
    }, index=pd.Index(rows["id"].to_numpy(), name="id"))
    return out


def _dates(rows: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(rows["date"].astype(str), format="mixed")


def estimates_figure(rows: pd.DataFrame, units: Sequence[str] = ("containers", "shells"),
                     title: str = "Reported figures over time") -> go.Figure:
    """Figures by the date they were stated, one panel per unit, marked by qualifier.

    Every row whose unit is in ``units`` is one marker at (date stated, value): a triangle
    pointing up for "more than" (a floor), down for "almost" (a ceiling), a circle for
    "about", a square for a figure as stated; hollow when stated after the article. Each
    marker is labelled with its figure, so shape and text carry the meaning, not colour.
    """
    units = list(units)
    shown = rows[rows["unit"].isin(units)]
    present = [u for u in units if u in set(shown["unit"])] or units[:1]
    fig = make_subplots(rows=len(present), cols=1, shared_xaxes=True,
                        vertical_spacing=0.12, subplot_titles=present)
    when = _dates(shown) if not shown.empty else pd.Series(dtype="datetime64[ns]")
    for r, unit in enumerate(present, start=1):
        for q, symbol in QUALIFIER_SYMBOLS.items():
            sel = (shown["unit"] == unit) & (shown["qualifier"] == q)
            part = shown[sel]
            if part.empty:
                continue
            colours = [style.BLOCS.get(_blocs().get(a, ""), style.NEUTRAL)
                       for a in part["from_actor"]]
            fig.add_trace(go.Scatter(
                x=when[sel].dt.strftime("%Y-%m-%d").tolist(),
                y=[float(v) for v in part["value"]],
                mode="markers+text",
                text=[QUALIFIER_WORDS[q] + format_number(v) for v in part["value"]],
                textposition="middle right",
                marker={"symbol": [symbol + ("-open" if a else "") for a in part["after_article"]],
                        "size": 13, "color": colours, "line": {"width": 2, "color": colours}},
                customdata=[f"{f}<br>{fl}<br>{m}<br>source: {_short_source(s)}"
                            for f, fl, m, s in zip(part["figure"], part["flow"], part["measure"],
                                                   part["source"], strict=True)],
                hovertemplate="%{customdata}<extra></extra>",
                name=QUALIFIER_LEGEND[q], legendgroup=q, showlegend=r == 1 or not any(
                    t.legendgroup == q for t in fig.data),
                meta={"ids": list(part["id"]), "unit": unit},
            ), row=r, col=1)
        fig.update_yaxes(title_text=f"{unit} (number)", rangemode="tozero", row=r, col=1)
    fig.update_xaxes(title_text="date the figure was stated", row=len(present), col=1)
    if not shown.empty:  # room on the right for the last figure's label
        span = [(when.min() - pd.Timedelta(days=30)).strftime("%Y-%m-%d"),
                (when.max() + pd.Timedelta(days=120)).strftime("%Y-%m-%d")]
        fig.update_xaxes(range=span)
    fig.update_layout(
        template=TEMPLATE,
        title=style.title(title),
        height=140 + 230 * len(present),
        margin={"l": 80, "r": 140, "t": 70, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0.0,
                "title": {"text": "qualifier (hollow: stated after the article)"}},
    )
    return fig


def summarise_estimates(rows: pd.DataFrame,
                        units: Sequence[str] = ("containers", "shells")) -> str:
    """The estimates chart in words: per unit, the first and last figure and how many."""
    shown = rows[rows["unit"].isin(list(units))]
    if shown.empty:
        return "No figures in these units match the chosen filters."
    shown = shown.assign(_when=_dates(shown)).sort_values(
        ["_when", "value"], ascending=[True, False], kind="stable")
    parts = []
    for unit in [u for u in units if u in set(shown["unit"])]:
        part = shown[shown["unit"] == unit]
        first, last = part.iloc[0], part.iloc[-1]
        text = (f"{unit}: {plural(len(part), 'figure')}, from "
                f"{first['figure']} stated in {_when(first['date'])}")
        if len(part) > 1:
            text += f" to {last['figure']} stated in {_when(last['date'])}"
        parts.append(text)
    flows_ = sorted(set(shown["flow"]))
    estimates = int(shown["is_estimate"].sum())
    after = int(shown["after_article"].sum())
    text = f"{' and '.join(flows_)} — " + "; ".join(parts) + "."
    verb = "is an estimate" if estimates == 1 else "are estimates"
    text += (f" {estimates} of {len(shown)} {verb}"
             + (f", and {after} {'was' if after == 1 else 'were'} stated after the article "
                "(hollow)." if after else "."))
    left = rows[~rows["unit"].isin(list(units))]
    if not left.empty:
        text += (f" {plural(len(left), 'figure')} in other units "
                 f"{'is' if len(left) == 1 else 'are'} in the ledger, not on the chart.")
    return text


# --------------------------------------------------------------------------- aid


def aid_totals(actors: Iterable[str] | None = None) -> pd.DataFrame:
    """Kiel totals of bilateral aid to Ukraine (allocations and commitments, EUR bn).

    Rows of ``support.csv`` whose measure is one of :data:`AID_MEASURES`, with a
    ``measure_kind`` column (``allocations`` or ``commitments``).
    """
    rows = support(kinds=["aid"], actors=actors)
    rows = rows[(rows["unit"] == "EUR bn") & rows["measure"].isin(list(AID_MEASURES))]
    return rows.assign(measure_kind=rows["measure"].map(AID_MEASURES)).reset_index(drop=True)


def aid_figure(rows: pd.DataFrame,
               title: str = "Bilateral aid to Ukraine: allocated and committed") -> go.Figure:
    """Horizontal bars per giver: allocations (solid) beside commitments (hatched).

    Each bar is labelled with its figure; commitments differ from allocations by hatching
    as well as colour. Values are the rows' values, exactly.
    """
    fig = go.Figure()
    givers = list(dict.fromkeys(rows["from_actor"]))
    names = [_name(a) for a in givers]
    bars = {
        "allocations": (OKABE_ITO["blue"], ""),
        "commitments": (OKABE_ITO["orange"], "/"),
    }
    for kind, (colour, pattern) in bars.items():
        part = rows[rows["measure_kind"] == kind]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            y=[_name(a) for a in part["from_actor"]],
            x=[float(v) for v in part["value"]],
            orientation="h",
            name=f"{kind} (Kiel)",
            text=list(part["figure"]),
            textposition="outside",
            marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "#333333"},
                    "line": {"color": "#333333", "width": 1}},
            meta={"ids": list(part["id"])},
            hovertemplate="%{y}: %{text}<extra>" + kind + "</extra>",
        ))
    top = float(rows["value"].max()) if not rows.empty else 1.0
    fig.update_layout(
        template=TEMPLATE,
        title=style.title(title),
        barmode="group",
        height=120 + 70 * max(len(givers), 1),
        margin={"l": 110, "r": 40, "t": 60, "b": 60},
        xaxis={"title": {"text": "aid to Ukraine (EUR bn)"}, "range": [0, top * 1.3]},
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(names))},
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0.0},
    )
    return fig


def summarise_aid(rows: pd.DataFrame) -> str:
    """The aid chart in words: per giver, allocations against commitments, and the caveat."""
    if rows.empty:
        return "No aid totals match the chosen filters."
    parts = []
    for giver in dict.fromkeys(rows["from_actor"]):
        mine = rows[rows["from_actor"] == giver].set_index("measure_kind")
        alloc = float(mine.loc["allocations", "value"]) if "allocations" in mine.index else None
        comm = float(mine.loc["commitments", "value"]) if "commitments" in mine.index else None
        if alloc is not None and comm:
            parts.append(f"{_name(giver)} EUR {format_number(alloc)} bn allocated of "
                         f"EUR {format_number(comm)} bn committed ({alloc / comm:.0%})")
        elif alloc is not None:
            parts.append(f"{_name(giver)} EUR {format_number(alloc)} bn allocated "
                         "(commitments not in the data)")
        else:
            parts.append(f"{_name(giver)} EUR {format_number(comm)} bn committed")
    return ("Bilateral aid to Ukraine: " + "; ".join(parts) + ". Source: "
            + KIEL_CAVEAT + ".")
