"""The model explorer's control panel (lessons 02–06, 09, 10): link switches grouped by
side, a scenario picker, sliders for the assumptions and a reset button.

Standard ipywidgets only (keyboard and screen-reader friendly); :class:`Controls` is wired
to a :class:`lessons.live.model_explorer.Explorer`, which it changes through its scenario,
horizon and ``_refresh``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from lessons import model
from lessons.live.explorer import caption_style, more_controls, visible_controls
from lessons.views import charts
from lessons.views.labels import SCENARIO_LABELS, SIDE_HEADINGS, SLIDER_LABELS

if TYPE_CHECKING:
    from lessons.live.model_explorer import Explorer
    from lessons.model.scenario import Scenario

#: The slider's range of years simulated (the catalog's ``horizon`` range); the default
#: horizon is the model's (:data:`lessons.model.runs.DEFAULT_HORIZON`).
HORIZON_RANGE = (5, 50)



#: Styles for the control panel: link labels may wrap instead of being cut off, and panel
#: text gets normal line spacing (ipywidgets sets every line to the height of a control).
PANEL_CSS = """<style>
.lesson-controls .lesson-link-toggle { height: auto; min-height: 26px; }
.lesson-controls .lesson-link-toggle label,
.lesson-controls .lesson-link-toggle label span { white-space: normal; overflow: visible;
  text-overflow: clip; line-height: 1.3; height: auto; }
.lesson-controls .lesson-text, .lesson-controls .lesson-text .widget-html-content {
  line-height: 1.35; height: auto; }
</style>"""


def _text_html(value: str, margin: str = "0"):
    """An HTML widget for panel text (normal line spacing, see :data:`PANEL_CSS`)."""
    import ipywidgets as w

    widget = w.HTML(value, layout=w.Layout(margin=margin))
    widget.add_class("lesson-text")
    return widget


def _status_html(text: str) -> str:
    return (f'<p role="status" aria-live="polite" style="margin:4px 0;font-size:90%">'
            f"<strong>Showing:</strong> {html.escape(text)}</p>")


class Controls:
    """The explorer's control panel: standard ipywidgets only (keyboard and screen-reader
    friendly), wired to an :class:`Explorer`."""

    def __init__(self, explorer: Explorer) -> None:
        import ipywidgets as w

        self.explorer = explorer
        table = model.list_toggles().set_index("id")
        params = model.list_parameters().set_index("name")
        sc = explorer.scenario

        # scenario picker and reset
        names = list(model.list_scenarios())
        self.scenario = w.Dropdown(
            options=[(SCENARIO_LABELS.get(n, n), n) for n in names],
            value=sc.name if getattr(sc, "name", None) in names else None,
            description="Scenario",
            tooltip="Load a named scenario: every switch and slider takes its values",
            layout=w.Layout(width="100%"),
        )
        self.reset = w.Button(description="Reset", icon="undo",
                              tooltip="Return to where this explorer started",
                              layout=w.Layout(width="auto"))
        self.status = _text_html(_status_html(explorer.describe()))
        self.about = _text_html(_about_html(sc))

        # link toggles in panel order (grouped by side), and which are shown up front
        by_side = {side: [t for t in explorer.toggle_ids
                          if t in table.index and table.loc[t, "side"] == side]
                   for side in SIDE_HEADINGS}
        order = [t for side in SIDE_HEADINGS for t in by_side[side]]
        shown = visible_controls(order, explorer.slider_names, explorer.visible)
        self.toggles: dict[str, Any] = {}
        rows_of: dict[str, Any] = {}
        for tid in order:
            row = table.loc[tid]
            box = w.Checkbox(
                value=bool(sc.toggles[tid]),
                description=str(row["label"]),
                indent=False,
                tooltip=_toggle_tooltip(row),
                layout=w.Layout(width="100%"),
            )
            box.add_class("lesson-link-toggle")
            box.observe(self._toggle_handler(tid), names="value")
            self.toggles[tid] = box
            hint = html.escape(str(row["description"]), quote=True)
            meta = _text_html(
                f"<span style='font-size:80%;color:#444' title=\"{hint}\">"
                f"{html.escape(_when(row))} · article ¶{int(row['paragraph'])}</span>",
                margin="-6px 0 2px 22px")
            rows_of[tid] = w.VBox([box, meta])

        def grouped(keep: Callable[[str], bool]) -> list[Any]:
            groups = []
            for side, (heading, blurb) in SIDE_HEADINGS.items():
                rows = [rows_of[t] for t in by_side[side] if keep(t)]
                if rows:
                    groups.append(w.VBox([_text_html(
                        f"<div role='heading' aria-level='4' style='margin-top:10px'>"
                        f"<strong>{heading}</strong></div>"
                        f"<div style='font-size:85%;color:#444'>{blurb}</div>"), *rows]))
            return groups

        groups = grouped(lambda t: t in shown)
        more_groups = grouped(lambda t: t not in shown)

        # sliders
        self.sliders: dict[str, Any] = {}
        slider_rows = []
        more_sliders = []
        for name in explorer.slider_names:
            if name == "horizon":
                s = w.IntSlider(value=explorer.horizon, min=HORIZON_RANGE[0],
                                max=HORIZON_RANGE[1], step=1, description=SLIDER_LABELS[name],
                                tooltip="How many years the model runs",
                                continuous_update=False,
                                style=caption_style(),
                                layout=w.Layout(width="100%"))
            else:
                if name not in params.index:
                    raise KeyError(f"unknown parameter {name!r} for a slider: valid are "
                                   f"{sorted(params.index)}")
                p = params.loc[name]
                lo, hi = float(p["low"]), float(p["high"])
                if name == "theta":
                    lo, hi = 0.0, 1.0
                s = w.FloatSlider(
                    value=float(sc.params[name]), min=lo, max=hi,
                    step=_step(lo, hi), readout_format=".2f",
                    description=SLIDER_LABELS.get(name, name),
                    tooltip=str(p.get("explanation", "")) or name,
                    continuous_update=False,
                    style=caption_style(),
                    layout=w.Layout(width="100%"))
            s.observe(self._param_handler(name), names="value")
            self.sliders[name] = s
            (slider_rows if name in shown else more_sliders).append(s)
        notes = []
        if "theta" in self.sliders:
            notes.append(_text_html(
                "<span style='font-size:85%;color:#444'>θ = 1: adversaries seek security "
                "(spiral model); θ = 0: they are greedy and only credible deterrence "
                "restrains them (deterrence model).</span>"))
        hidden = [*more_groups, *more_sliders]
        #: the collapsed accordion of the controls not shown up front (None: none)
        self.more = more_controls(hidden) if hidden else None

        self.scenario.observe(self._on_scenario, names="value")
        self.reset.on_click(lambda _b: explorer.reset())
        self.panel = w.VBox(
            [w.HTML(PANEL_CSS), _text_html("<strong>Controls</strong>"), self.scenario,
             self.about, self.reset, self.status, *groups,
             *([_text_html("<div role='heading' aria-level='4' style='margin-top:10px'>"
                           "<strong>Assumptions</strong></div>")] if slider_rows else []),
             *slider_rows, *notes, *([self.more] if self.more is not None else [])],
            layout=w.Layout(width="380px", min_width="300px", padding="6px",
                            border="1px solid #CCCCCC", margin="4px", flex="0 0 auto"),
        )
        self.panel.add_class("lesson-controls")

    def _toggle_handler(self, tid: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            ex = self.explorer
            ex.scenario = ex.scenario.with_toggle(tid, bool(change["new"]))
            ex._refresh()

        return handler

    def _param_handler(self, name: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            ex = self.explorer
            if name == "horizon":
                ex.horizon = int(change["new"])
            else:
                ex.scenario = ex.scenario.with_params(**{name: float(change["new"])})
            ex._refresh()

        return handler

    def _on_scenario(self, change: dict) -> None:
        if change["new"] is not None and not self.explorer._hold:
            self.explorer.select_scenario(change["new"])

    def show_status(self, text: str) -> None:
        """Say under the reset button what the charts show (``text``, in words)."""
        self.status.value = _status_html(text)

    def sync(self, scenario: Scenario, horizon: int) -> None:
        """Set every control to ``scenario`` and ``horizon`` (the explorer is on hold)."""
        for tid, box in self.toggles.items():
            box.value = bool(scenario.toggles[tid])
        for name, slider in self.sliders.items():
            slider.value = horizon if name == "horizon" else float(scenario.params[name])
        name = getattr(scenario, "name", None)
        options = [v for _, v in self.scenario.options]
        self.scenario.value = name if name in options else None
        self.about.value = _about_html(scenario)


def _about_html(scenario: Scenario) -> str:
    text = str(getattr(scenario, "description", "") or "")
    return (f"<p style='font-size:85%;color:#444;margin:2px 0 6px 0'>{html.escape(text)}</p>"
            if text else "")


def _step(lo: float, hi: float) -> float:
    span = hi - lo
    return 0.05 if span <= 2 else round(span / 40, 2)


def _when(row: Mapping[str, Any]) -> str:
    date = charts._text(row.get("date"))
    status = charts._text(row.get("status"))
    if status == "in_force":
        return f"since {date}" if date else "in force"
    return f"{status} {date}".strip()


def _toggle_tooltip(row: Mapping[str, Any]) -> str:
    parts = [charts._text(row.get("description")),
             f"{_when(row)}; article paragraph {int(row['paragraph'])}",
             f"proposed by: {charts._text(row.get('proposed_by'))}"]
    return " — ".join(p for p in parts if p)
