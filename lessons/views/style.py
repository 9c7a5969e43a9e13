"""The house style of every chart: colours (Okabe–Ito), the Plotly template, and the
shared sizes (title and label fonts).

Colour never carries meaning alone: charts pair each colour with a line dash, a marker
symbol or a text label. The colours are the colour-blind-safe palette of Okabe and Ito
(2008). Change a value here to restyle every lesson's charts at once; a view module sets
only what is particular to its own chart (its height, its margins).
"""

from __future__ import annotations

from typing import Any

# --------------------------------------------------------------------------- palette

#: The eight Okabe–Ito colours.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: The palette by its usual names (the same object as :data:`OKABE_ITO`).
PALETTE: dict[str, str] = OKABE_ITO

#: Roles used across lessons.
FRIENDLY = OKABE_ITO["blue"]
HOSTILE = OKABE_ITO["vermillion"]
NEUTRAL = OKABE_ITO["black"]
BLOCS: dict[str, str] = {
    "us": OKABE_ITO["blue"],
    "nato": OKABE_ITO["sky_blue"],
    "ap4": OKABE_ITO["bluish_green"],
    "axis": OKABE_ITO["vermillion"],
    "partner": OKABE_ITO["orange"],
}
#: Marker symbols paired with the bloc colours, so blocs differ by shape as well.
BLOC_SYMBOLS: dict[str, str] = {
    "us": "star",
    "nato": "circle",
    "ap4": "square",
    "axis": "diamond",
    "partner": "triangle-up",
}
#: A wide translucent band under what the last change touched (behind a coloured line).
HIGHLIGHT = OKABE_ITO["reddish_purple"]

#: Colours for data series, in order (yellow is left out: too pale for lines on white).
SERIES_COLORS: tuple[str, ...] = (
    PALETTE["blue"],
    PALETTE["vermillion"],
    PALETTE["bluish_green"],
    PALETTE["orange"],
    PALETTE["reddish_purple"],
    PALETTE["sky_blue"],
    PALETTE["black"],
)
#: Marker symbols paired with :data:`SERIES_COLORS`, so series differ by shape as well.
SERIES_SYMBOLS: tuple[str, ...] = (
    "circle", "square", "diamond", "triangle-up", "x", "star", "cross",
)
#: Friendly links are solid blue, hostile links dashed vermillion: sign is never colour alone.
SIGN_STYLE: dict[int, dict[str, str]] = {
    1: {"color": FRIENDLY, "dash": "solid", "label": "friendly", "symbol": "circle"},
    -1: {"color": HOSTILE, "dash": "dash", "label": "hostile", "symbol": "x"},
}
_BLOC_LABELS = {
    "us": "United States",
    "nato": "NATO and members",
    "ap4": "AP4 (Asian partners)",
    "partner": "Ukraine and Taiwan",
    "axis": "China, Russia, North Korea",
}
#: Node style by bloc: colour and marker symbol (:data:`BLOCS`, :data:`BLOC_SYMBOLS`),
#: legend label.
BLOC_STYLE: dict[str, dict[str, str]] = {
    bloc: {"color": BLOCS[bloc], "symbol": BLOC_SYMBOLS[bloc], "label": label}
    for bloc, label in _BLOC_LABELS.items()
}
#: Opacity of a "ghost" (baseline) trace.
GHOST_OPACITY = 0.45
#: Colour of what is switched off (grey is allowed beside the palette: it means "absent").
OFF_COLOR = "#999999"


def rgba(hex_colour: str, alpha: float) -> str:
    """``"#0072B2"`` with opacity ``alpha`` as a CSS ``"rgba(0,114,178,0.35)"`` colour."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# --------------------------------------------------------------------------- sizes

#: Font size of a chart's title.
TITLE_SIZE = 16
#: Font size of a title of a wider, denser chart (tornado, fan).
SUBTITLE_SIZE = 15
#: Font size of legends and annotations.
LABEL_SIZE = 12
#: Font size of small notes on a chart (reference-line labels, cell texts).
NOTE_SIZE = 11


def title(text: str, size: int = TITLE_SIZE) -> dict[str, Any]:
    """A left-aligned chart title, as every lesson's charts draw it."""
    return {"text": text, "x": 0.0, "xanchor": "left", "font": {"size": size}}


# --------------------------------------------------------------------------- template

#: The axis style of every chart of the collection.
AXIS_STYLE: dict[str, Any] = {"showgrid": True, "gridcolor": "#E5E5E5", "linecolor": "#444444",
                              "ticks": "outside", "zeroline": False}
#: A small explicit template: keeps each figure's JSON small (the default template is
#: about 10 KB per figure) and sets the palette as the colourway.
TEMPLATE: dict[str, Any] = {
    "layout": {
        "colorway": list(SERIES_COLORS),
        "font": {"family": "Arial, Helvetica, sans-serif", "size": 13, "color": "#222222"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"size": 13}},
        "xaxis": dict(AXIS_STYLE),
        "yaxis": dict(AXIS_STYLE),
    }
}


def template_without(*keys: str) -> dict[str, Any]:
    """:data:`TEMPLATE` without the layout ``keys``, for views that set those themselves
    (one house style for every lesson's charts, defined once)."""
    return {"layout": {k: v for k, v in TEMPLATE["layout"].items() if k not in keys}}


def lesson_layout(text: str, **extra: Any) -> dict[str, Any]:
    """The layout the deterrence lessons' figures (05, 06) start from: the template, a
    left-aligned title, room on the left for actor names and the legend below the plot;
    ``extra`` keys replace or add to it."""
    layout: dict[str, Any] = {
        "template": TEMPLATE,
        "title": title(text),
        "margin": {"l": 150, "r": 30, "t": 70, "b": 110},
        "height": 420,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.24, "x": 0.0},
    }
    layout.update(extra)
    return layout
