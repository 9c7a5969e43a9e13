"""A dated timeline of the events behind the article, drawn from ``data/events.csv``.

Lessons 01 and 03 place the AP4's arrival at NATO summits among the events around it. Each
event category has its own lane, colour *and* marker symbol; events after the article's
publication (July 2024) are drawn hollow so that students can tell what the authors could
and could not have known.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from lessons import data
from lessons.views.style import OKABE_ITO
from lessons.views.text import plural

#: Lane order (top to bottom), colour and symbol for each event category.
CATEGORIES: dict[str, tuple[str, str]] = {
    "summit": (OKABE_ITO["blue"], "star"),
    "partnership": (OKABE_ITO["bluish_green"], "square"),
    "deployment": (OKABE_ITO["sky_blue"], "triangle-up"),
    "aid": (OKABE_ITO["orange"], "circle"),
    "statement": (OKABE_ITO["reddish_purple"], "diamond"),
    "treaty": (OKABE_ITO["black"], "cross"),
    "war": (OKABE_ITO["vermillion"], "x"),
    "publication": (OKABE_ITO["yellow"], "hexagram"),
}
#: The article appeared in July 2024; the exact day is not confirmed (seeds/README.md).
ARTICLE_DATE = pd.Timestamp("2024-07-01")


def events(
    since: str | None = None,
    categories: Iterable[str] | None = None,
    include_after_article: bool = True,
) -> pd.DataFrame:
    """Return the events as a frame with a parsed ``when`` column, filtered and sorted.

    Parameters
    ----------
    since : str, optional
        ISO date; earlier events are dropped.
    categories : iterable of str, optional
        Keep only these categories (see :data:`CATEGORIES`).
    include_after_article : bool
        Keep events after the article's publication (drawn hollow).
    """
    ev = data.load("events")
    ev = ev.assign(when=pd.to_datetime(ev["date"].astype(str), format="mixed"))
    if categories is not None:
        wanted = list(categories)
        unknown = sorted(set(wanted) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown event categories {unknown}: valid are {list(CATEGORIES)}")
        ev = ev[ev["category"].isin(wanted)]
    if since is not None:
        ev = ev[ev["when"] >= pd.Timestamp(since)]
    if not include_after_article:
        ev = ev[~ev["after_article"]]
    return ev.sort_values("when").reset_index(drop=True)


def timeline_figure(ev: pd.DataFrame, title: str = "Events around the article") -> go.Figure:
    """A lane-per-category timeline; hollow markers for events after the article."""
    fig = go.Figure()
    lanes = [c for c in CATEGORIES if c in set(ev["category"])]
    for cat in lanes:
        colour, symbol = CATEGORIES[cat]
        rows = ev[ev["category"] == cat]
        for after, style in ((False, ""), (True, "-open")):
            part = rows[rows["after_article"] == after]
            if part.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=part["when"].dt.strftime("%Y-%m-%d").tolist(),
                    y=[cat] * len(part),
                    mode="markers",
                    name=f"{cat} (after the article)" if after else cat,
                    marker={"color": colour, "symbol": symbol + style, "size": 13,
                            "line": {"width": 2, "color": colour}},
                    text=part["title"].tolist(),
                    customdata=part[["date", "source_title"]].astype(str).to_numpy().tolist(),
                    hovertemplate="<b>%{text}</b><br>%{customdata[0]}<br>"
                    "Source: %{customdata[1]}<extra></extra>",
                )
            )
    fig.add_vline(x=ARTICLE_DATE.strftime("%Y-%m-%d"), line={"dash": "dot", "color": "#555"})
    fig.add_annotation(x=ARTICLE_DATE.strftime("%Y-%m-%d"), y=1.02, yref="paper",
                       text="article published (July 2024)", showarrow=False)
    fig.update_layout(
        title=title,
        xaxis_title="date",
        yaxis={"title": "kind of event", "categoryorder": "array",
               "categoryarray": list(reversed(lanes))},
        height=380,
        margin={"l": 110, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.25},
        template="plotly_white",
    )
    return fig


def summarise_timeline(ev: pd.DataFrame) -> str:
    """One or two sentences that say what the timeline shows (alt text for the chart)."""
    if ev.empty:
        return "The timeline is empty for the chosen filters."
    first, last = ev["when"].min(), ev["when"].max()
    summits = ev[ev["category"] == "summit"]
    years = sorted({int(y) for y in summits["when"].dt.year})
    after = int(ev["after_article"].sum())
    text = (
        f"{plural(len(ev), 'event')} from {first:%B %Y} to {last:%B %Y}, "
        "one lane per kind of event."
    )
    if years:
        text += " NATO summits with the AP4 present: " + ", ".join(map(str, years)) + "."
    if after:
        text += (f" {plural(after, 'event')} came after the article and "
                 f"{'is' if after == 1 else 'are'} drawn hollow.")
    return text
