"""The argument map: who makes which kind of claim, and which mechanism models it.

Drawn as a Sankey diagram from the claim registry (``data/claims.csv``): on the left the
speakers (the authors, and the proponents whose views the article reports), in the middle
the kind of claim (fact, prediction, recommendation, attribution), on the right the model
mechanism that encodes it, or "discussed, not modelled". Band widths count claims.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lessons import data
from lessons.views.style import OKABE_ITO

NOT_MODELLED = "discussed, not modelled"
_TYPE_COLOURS = {
    "fact": OKABE_ITO["sky_blue"],
    "prediction": OKABE_ITO["vermillion"],
    "recommendation": OKABE_ITO["bluish_green"],
    "attribution": OKABE_ITO["reddish_purple"],
}


def flows(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count claims along speaker → type and type → mechanism.

    Returns a frame with columns ``source``, ``target``, ``claims`` (one row per band).
    """
    c = data.load("claims") if claims is None else claims
    mech = c["mechanism"].fillna("").str.replace("_", " ")
    target = mech.where(c["status"] == "modelled", NOT_MODELLED)
    left = c.groupby(["who", "type"]).size().rename("claims").reset_index()
    left.columns = ["source", "target", "claims"]
    right = (
        c.assign(mech=target).groupby(["type", "mech"]).size().rename("claims").reset_index()
    )
    right.columns = ["source", "target", "claims"]
    return pd.concat([left, right], ignore_index=True)


def argument_map_figure(claims: pd.DataFrame | None = None) -> go.Figure:
    """A Sankey diagram of the claim registry (speaker → kind of claim → mechanism)."""
    f = flows(claims)
    labels = list(dict.fromkeys([*f["source"], *f["target"]]))
    index = {label: i for i, label in enumerate(labels)}
    node_colours = [_TYPE_COLOURS.get(label, "#999999") for label in labels]
    link_colours = [
        _TYPE_COLOURS.get(s, _TYPE_COLOURS.get(t, "#bbbbbb")) + "66"
        for s, t in zip(f["source"], f["target"], strict=True)
    ]
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            node={"label": labels, "color": node_colours, "pad": 12, "thickness": 14},
            link={
                "source": [index[s] for s in f["source"]],
                "target": [index[t] for t in f["target"]],
                "value": f["claims"].tolist(),
                "color": link_colours,
            },
        )
    )
    fig.update_layout(
        title="The argument map: who claims what, and how the model encodes it",
        height=520,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"size": 12},
    )
    return fig


def summarise_argument_map(claims: pd.DataFrame | None = None) -> str:
    """Alt text: how many claims of each kind, by whom, and how many are modelled."""
    c = data.load("claims") if claims is None else claims
    kinds = c["type"].value_counts()
    by_authors = int((c["who"] == "authors").sum())
    modelled = int((c["status"] == "modelled").sum())
    parts = ", ".join(f"{n} {k}s" for k, n in kinds.items())
    return (
        f"The registry holds {len(c)} claims ({parts}); {by_authors} are the authors' own and "
        f"{len(c) - by_authors} report what others say. {modelled} of them are encoded in a "
        f"model mechanism and checked by a test; the rest are discussed, not simulated."
    )
