"""Colour-blind-safe colours (Okabe and Ito 2008) and the roles they play in charts.

Colour never carries meaning alone: charts pair each colour with a line dash, a marker
symbol or a text label.
"""

from __future__ import annotations

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
