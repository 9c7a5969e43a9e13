"""The time-series charts (one model output over the run, with an optional dotted
baseline "ghost") and the stability-verdict gauge.

Each chart has a fixed number of traces whatever the state, so a live chart is updated in
place; figure data are rounded (:func:`lessons.views.text.rounded_array`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from lessons.views import summaries
from lessons.views.chart_spec import ChartSpec, ChartState, base_layout
from lessons.views.style import (
    GHOST_OPACITY,
    LABEL_SIZE,
    PALETTE,
    SERIES_COLORS,
    SERIES_SYMBOLS,
    TITLE_SIZE,
)
from lessons.views.summaries import METRICS, get_series, scenario_of, summarise_verdict, years_of
from lessons.views.text import rounded_array

# --------------------------------------------------------------------------- time series


def _series_traces(metric: str, subjects: Sequence[str] | None = None):
    meta = METRICS[metric]

    def traces(state: ChartState) -> list[dict[str, Any]]:
        subs = list(subjects or meta.subjects)
        years = rounded_array(years_of(state.result))
        out: list[dict[str, Any]] = []
        for i, s in enumerate(subs):
            label = meta.label(s)
            color, symbol = SERIES_COLORS[i % len(SERIES_COLORS)], SERIES_SYMBOLS[i % 7]
            out.append({
                "type": "scatter", "mode": "lines+markers", "name": label,
                "x": years, "y": rounded_array(get_series(state.result, metric, s)),
                "line": {"color": color, "dash": "solid", "width": 2.5},
                "marker": {"symbol": symbol, "size": 6, "color": color},
                "legendgroup": s,
                "hovertemplate": f"{label}<br>model year %{{x}}: %{{y:.2f}}<extra></extra>",
            })
        if state.baseline is not None:
            base_years = rounded_array(years_of(state.baseline))
            for i, s in enumerate(subs):
                label = f"{meta.label(s)} — {state.baseline_label}"
                color = SERIES_COLORS[i % len(SERIES_COLORS)]
                out.append({
                    "type": "scatter", "mode": "lines", "name": label,
                    "x": base_years, "y": rounded_array(get_series(state.baseline, metric, s)),
                    "line": {"color": color, "dash": "dot", "width": 2},
                    "opacity": GHOST_OPACITY, "legendgroup": s, "showlegend": False,
                    "hovertemplate": f"{label}<br>model year %{{x}}: %{{y:.2f}}<extra></extra>",
                })
        return out

    return traces


def _series_layout(metric: str):
    meta = METRICS[metric]

    def layout(state: ChartState) -> dict[str, Any]:
        ghost = f" (dotted: {state.baseline_label})" if state.baseline is not None else ""
        yaxis: dict[str, Any] = {"title": {"text": meta.axis, "standoff": 10},
                                 "automargin": True}
        if meta.range is not None:
            yaxis["range"] = list(meta.range)
        return base_layout(
            meta.title + ghost,
            xaxis={"title": {"text": "Model year (an illustration, not a forecast)", "standoff": 4},
                   "dtick": 5, "automargin": True},
            yaxis=yaxis,
        )

    return layout


def _series_summary(metric: str, subjects: Sequence[str] | None = None):
    def summary(state: ChartState) -> str:
        return summaries.summarise_series(
            state.result, metric, subjects, baseline=state.baseline,
            baseline_label=state.baseline_label,
        )

    return summary


def _series_spec(name: str, metric: str, subjects: Sequence[str] | None = None) -> ChartSpec:
    meta = METRICS[metric]
    return ChartSpec(
        name=name,
        title=meta.title,
        traces=_series_traces(metric, subjects),
        layout=_series_layout(metric),
        summary=_series_summary(metric, subjects),
        description=meta.description,
    )


#: The time-series charts by name, in the order :data:`lessons.views.charts.CHARTS` lists them.
SERIES_SPECS: dict[str, ChartSpec] = {
    "tension": _series_spec("tension", "tension"),
    "cohesion": _series_spec("cohesion", "cohesion"),
    "diplomacy": _series_spec("diplomacy", "diplomacy_window"),
    "credibility": _series_spec("credibility", "credibility"),
    "crisis": _series_spec("crisis", "crisis_risk"),
    "posture": _series_spec("posture", "posture"),
}


def _series_figure(name: str, result: Any, baseline: Any, baseline_label: str) -> go.Figure:
    return SERIES_SPECS[name].figure(
        ChartState(scenario=scenario_of(result), result=result, baseline=baseline,
                   baseline_label=baseline_label)
    )


def tension_figure(result: Any, baseline: Any = None,
                   baseline_label: str = "2021 baseline") -> go.Figure:
    """Tension by theater (Euro-Atlantic, Indo-Pacific) over time, baseline dotted."""
    return _series_figure("tension", result, baseline, baseline_label)


def cohesion_figure(result: Any, baseline: Any = None,
                    baseline_label: str = "2021 baseline") -> go.Figure:
    """Cohesion of the China–Russia, Russia–North Korea and China–North Korea pairs."""
    return _series_figure("cohesion", result, baseline, baseline_label)


def diplomacy_figure(result: Any, baseline: Any = None,
                     baseline_label: str = "2021 baseline") -> go.Figure:
    """The window for diplomacy on the Korean peninsula over time."""
    return _series_figure("diplomacy", result, baseline, baseline_label)


def credibility_figure(result: Any, baseline: Any = None,
                       baseline_label: str = "2021 baseline") -> go.Figure:
    """Credibility of extended deterrence by theater over time."""
    return _series_figure("credibility", result, baseline, baseline_label)


def crisis_figure(result: Any, baseline: Any = None,
                  baseline_label: str = "2021 baseline") -> go.Figure:
    """The crisis-risk index by theater over time."""
    return _series_figure("crisis", result, baseline, baseline_label)


def posture_figure(result: Any, baseline: Any = None,
                   baseline_label: str = "2021 baseline") -> go.Figure:
    """Military posture of China, Russia, North Korea and the United States over time."""
    return _series_figure("posture", result, baseline, baseline_label)


# --------------------------------------------------------------------------- verdict


def _verdict_values(result: Any) -> tuple[float, str, float, tuple[float, float]]:
    v = result.verdict
    eig = float(v.eigenvalue)
    threshold = float(getattr(v, "threshold", summaries.VERDICT_THRESHOLD))
    lo, hi = summaries.VERDICT_RANGE
    return eig, str(v.label), threshold, (min(lo, eig), max(hi, eig))


def _verdict_traces(state: ChartState) -> list[dict[str, Any]]:
    eig, label, threshold, (lo, hi) = _verdict_values(state.result)
    spiral = label == "spiral"
    return [{
        "type": "indicator",
        "mode": "gauge+number",
        "value": round(eig, 4),
        "number": {"valueformat": ".3f", "font": {"size": 24}},
        "title": {"text": (f"<b>{'Spiral' if spiral else 'Settles'}</b><br>"
                           "<span style='font-size:12px'>"
                           + ("tensions feed on each other" if spiral
                              else "reactions die down")
                           + "<br>largest eigenvalue →</span>"),
                  "font": {"size": TITLE_SIZE}},
        "gauge": {
            "shape": "bullet",
            "axis": {"range": [round(lo, 4), round(hi, 4)]},
            "bar": {"color": PALETTE["vermillion"] if spiral else PALETTE["blue"],
                    "thickness": 0.45},
            "steps": [
                {"range": [round(lo, 4), threshold], "color": "#DCEBF5"},
                {"range": [threshold, round(hi, 4)], "color": "#F7DDCB"},
            ],
            "threshold": {"line": {"color": PALETTE["black"], "width": 3},
                          "thickness": 0.9, "value": threshold},
        },
        "domain": {"x": [0.25, 0.85], "y": [0.3, 0.9]},
    }]


def _verdict_layout(state: ChartState) -> dict[str, Any]:
    _eig, _label, threshold, _range = _verdict_values(state.result)
    return base_layout(
        "Stability verdict: does the arms–threat loop spiral or settle?",
        height=230,
        margin={"l": 30, "r": 30, "t": 60, "b": 20},
        annotations=[
            {"text": f"← settles (below {threshold:g})", "x": 0.25, "y": 0.05,
             "xref": "paper", "yref": "paper", "showarrow": False, "xanchor": "left",
             "font": {"color": "#333333", "size": LABEL_SIZE}},
            {"text": f"spiral (above {threshold:g}) →", "x": 0.85, "y": 0.05,
             "xref": "paper", "yref": "paper", "showarrow": False, "xanchor": "right",
             "font": {"color": "#333333", "size": LABEL_SIZE}},
        ],
    )


def _verdict_summary(state: ChartState) -> str:
    return summarise_verdict(state.result, baseline=state.baseline,
                             baseline_label=state.baseline_label)


def verdict_figure(result: Any) -> go.Figure:
    """The stability verdict: the largest eigenvalue on a bullet gauge, labelled in words."""
    return VERDICT_SPEC.figure(ChartState(scenario=scenario_of(result), result=result))


#: The stability-verdict chart (:data:`lessons.views.charts.CHARTS` ``"verdict"``).
VERDICT_SPEC = ChartSpec(
    name="verdict",
    title="Stability verdict",
    traces=_verdict_traces,
    layout=_verdict_layout,
    summary=_verdict_summary,
    description="Whether the linearised posture–threat system spirals or settles.",
)
