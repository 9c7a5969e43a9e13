"""Charts: pure builders with a fixed trace count, the Okabe–Ito palette, never colour alone,
and text summaries that state the direction and size of every change."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest

from lessons import data, model
from lessons.views import chart_spec, charts, network_chart, series_charts, style, summaries
from lessons.views.chart_spec import ChartState
from lessons.views.text import DIGITS

#: The Okabe–Ito palette as published (Okabe and Ito 2008): the standard to compare with.
OKABE_ITO_HEX = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                 "#D55E00", "#CC79A7"}
SERIES_CHARTS = ["tension", "cohesion", "diplomacy", "credibility", "crisis", "posture"]


# --------------------------------------------------------------------------- fakes


@dataclass(frozen=True)
class FakeVerdict:
    eigenvalue: float
    label: str


@dataclass(frozen=True)
class FakeResult:
    """A result built by hand: a tidy frame and a verdict (what the summaries need)."""

    tidy: pd.DataFrame
    verdict: FakeVerdict = field(default_factory=lambda: FakeVerdict(0.9, "settles"))


def fake(series: dict[tuple[str, str], list[float]], start: int = 2024,
         verdict: FakeVerdict | None = None) -> FakeResult:
    rows = [
        {"year": start + i, "metric": m, "subject": s, "value": v}
        for (m, s), values in series.items()
        for i, v in enumerate(values)
    ]
    return FakeResult(pd.DataFrame(rows), verdict or FakeVerdict(0.9, "settles"))


def tension(ip: list[float], ea: list[float]) -> FakeResult:
    return fake({("tension", "indo_pacific"): ip, ("tension", "euro_atlantic"): ea})


# --------------------------------------------------------------------------- palette


def test_palette_is_okabe_ito():
    assert {c.upper() for c in style.PALETTE.values()} == OKABE_ITO_HEX
    assert set(style.SERIES_COLORS) <= set(style.OKABE_ITO.values())
    for bloc in style.BLOC_STYLE.values():
        assert bloc["color"] in style.OKABE_ITO.values()
    assert len(set(style.SERIES_SYMBOLS)) == len(style.SERIES_SYMBOLS)


def test_every_colour_in_every_figure_is_okabe_ito():
    sc = model.load_scenario("mid_2024")
    res, base = model.simulate(sc, horizon=10), model.simulate(
        model.load_scenario("baseline_2021"), horizon=10)
    state = ChartState(sc, res, base)
    allowed = set(style.OKABE_ITO.values()) | {style.OFF_COLOR}
    for name in charts.CHARTS:
        for trace in charts.figure_data(charts.figure(name, state)):
            for part in ("line", "marker"):
                color = trace.get(part, {}).get("color")
                colors = color if isinstance(color, list) else [color]
                assert all(c is None or c in allowed for c in colors), (name, trace["name"])


# --------------------------------------------------------------------------- network


def _segments(trace: dict) -> int:
    return sum(1 for v in trace["x"] if v is None)


def test_hostile_links_are_dashed_and_friendly_solid():
    fig = network_chart.network_figure(model.load_scenario("mid_2024"))
    lines = [t for t in charts.figure_data(fig) if t.get("mode") == "lines"
             and t.get("visible") != "legendonly" and not t["name"].startswith("Changed")]
    assert len(lines) == 4
    for t in lines:
        hostile = t["name"].startswith("Hostile")
        assert t["line"]["dash"] == ("dash" if hostile else "solid"), t["name"]
        assert t["line"]["color"] == (style.PALETTE["vermillion"] if hostile
                                      else style.PALETTE["blue"])
    # and the hostile traces hold exactly the active links of negative sign
    links = data.load("links")
    on = summaries.active_links(model.load_scenario("mid_2024"))
    n_hostile = int(((links["sign"] < 0) & links["id"].isin(on)).sum())
    assert sum(_segments(t) for t in lines if t["name"].startswith("Hostile")) == n_hostile
    assert n_hostile > 0


def test_links_appear_and_disappear_with_toggles_and_trace_count_is_fixed():
    sc = model.load_scenario("mid_2024")
    toggle = "euro_taiwan_patrols"
    assert not sc.toggles[toggle]
    links = data.load("links")
    n_links = int((links["toggle"] == toggle).sum())
    off = charts.figure_data(network_chart.network_figure(sc))
    on = charts.figure_data(network_chart.network_figure(sc.with_toggle(toggle, True)))
    assert len(off) == len(on)
    switchable = [i for i, t in enumerate(off) if t["name"] == "Friendly link, switchable"]
    assert _segments(on[switchable[0]]) == _segments(off[switchable[0]]) + n_links
    hover_off = [h for t in off if t["name"].startswith("Link details") for h in t["hovertext"]]
    hover_on = [h for t in on if t["name"].startswith("Link details") for h in t["hovertext"]]
    assert len(hover_on) == len(hover_off) + n_links
    again = charts.figure_data(network_chart.network_figure(sc.with_toggle(toggle, True)
                                                     .with_toggle(toggle, False)))
    assert again == off


def _node_positions(fig: list[dict]) -> dict[str, tuple[float, float]]:
    labels = {style["label"] for style in style.BLOC_STYLE.values()}
    return {a: (x, y) for t in fig if t["name"] in labels
            for a, x, y in zip(t["customdata"], t["x"], t["y"], strict=True)}


@pytest.mark.parametrize("expand", [False, True])
def test_network_is_map_like_europe_left_asia_right(expand):
    fig = charts.figure_data(network_chart.network_figure(model.load_scenario("mid_2024"),
                                                   expand_nato=expand))
    pos = _node_positions(fig)
    europe = ["NATO", "UKR"] + (["GBR", "FRA", "DEU", "ITA", "ESP", "BALT"] if expand else [])
    asia = ["JPN", "KOR", "CHN", "AUS", "NZL", "PRK", "TWN"]
    assert max(pos[a][0] for a in europe) < min(pos[a][0] for a in asia)
    allies, rivals = ["NATO", "JPN", "KOR", "AUS"], ["RUS", "CHN", "PRK"]
    assert min(pos[a][1] for a in allies) > max(pos[a][1] for a in rivals)
    assert ("GBR" in pos) == expand  # member states are bundled into NATO by default


def _polylines(trace: dict) -> list[list[tuple[float, float]]]:
    """The polylines of a line trace (plotly separates them with ``None``)."""
    out: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(trace["x"], trace["y"], strict=True):
        if x is None:
            out.append([])
        else:
            out[-1].append((x, y))
    return [line for line in out if line]


def _crossings(lines: list[list[tuple[float, float]]]) -> int:
    """Proper crossings between the segments of different polylines (touching at a shared
    end point, as links meeting at a node do, is not a crossing)."""
    segs = [(np.array(a), np.array(b), k) for k, line in enumerate(lines)
            for a, b in itertools.pairwise(line)]

    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    count = 0
    for i, (p1, p2, k1) in enumerate(segs):
        for p3, p4, k2 in segs[i + 1:]:
            if k1 != k2 and side(p3, p4, p1) * side(p3, p4, p2) < 0 \
                    and side(p1, p2, p3) * side(p1, p2, p4) < 0:
                count += 1
    return count


def _drawn_lines(fig: list[dict]) -> list[list[tuple[float, float]]]:
    return [line for t in fig if t.get("mode") == "lines" and t.get("visible") != "legendonly"
            and not t["name"].startswith("Changed") for line in _polylines(t)]


@pytest.mark.parametrize("expand", [False, True])
def test_mid_2024_network_has_at_most_100_crossings_and_draws_every_switchable_link(expand):
    sc = model.load_scenario("mid_2024")
    fig = charts.figure_data(network_chart.network_figure(sc, expand_nato=expand))
    lines = _drawn_lines(fig)
    assert _crossings(lines) <= 100
    # every active switchable link is a polyline of its own, from node to node
    links = data.load("links").set_index("id")
    on = summaries.active_links(sc)
    switchable = sorted(i for i in on if isinstance(links.loc[i, "toggle"], str))
    assert len(switchable) > 10
    thick = [line for t in fig if t["name"].endswith("link, switchable")
             for line in _polylines(t)]
    assert len(thick) == len(switchable)
    hover = [i for t in fig if t["name"] == "Link details (hover), switchable"
             for i in t["customdata"]]
    assert sorted(hover) == switchable
    pos = _node_positions(fig)
    ends = {frozenset((line[0], line[-1])) for line in thick}
    for lid in switchable:
        a, b = (network_chart.node_of(links.loc[lid, c], expand) for c in ("source", "target"))
        assert frozenset((pos[a], pos[b])) in ends, lid


def test_crossing_counter_counts_a_crossing_and_ignores_shared_nodes():
    assert _crossings([[(0, 0), (1, 1)], [(0, 1), (1, 0)]]) == 1
    assert _crossings([[(0, 0), (1, 1)], [(1, 1), (2, 0)]]) == 0
    assert _crossings([[(0, 0), (0.5, 0.6), (1, 0)], [(0, 0.5), (1, 0.5)]]) == 2


def test_the_last_change_is_highlighted():
    sc = model.load_scenario("mid_2024")
    after = sc.with_toggle("euro_taiwan_patrols", True)
    links = data.load("links")
    n = int((links["toggle"] == "euro_taiwan_patrols").sum())

    def band(fig):
        return next(t for t in charts.figure_data(fig) if t["name"].startswith("Changed"))

    assert _polylines(band(network_chart.network_figure(after))) == []
    lit = band(network_chart.network_figure(after, previous=sc))
    assert len(_polylines(lit)) == n and lit["showlegend"]
    assert lit["line"]["color"] in OKABE_ITO_HEX
    assert len(network_chart.network_figure(after, previous=sc).data) == len(
        network_chart.network_figure(after).data)  # the trace count stays fixed


def test_node_labels_sit_away_from_their_links():
    assert network_chart.label_position([90.0, 270.0]) in {"middle right", "middle left"}
    assert network_chart.label_position([0.0, 180.0]) in {"top center", "bottom center"}
    for expand in (False, True):
        geo = network_chart._geometry(expand)
        pos = network_chart.positions(expand)
        anchors = {"top center": 90, "bottom center": 270, "middle right": 0,
                   "middle left": 180, "top right": 45, "top left": 135,
                   "bottom left": 225, "bottom right": 315}
        for ids, _x, _y, _n, _t, where in geo.nodes.values():
            for node, w in zip(ids, where, strict=True):
                angles = []
                for lk in geo.links:
                    for end, other in (((lk.xs[0], lk.ys[0]), (lk.xs[-1], lk.ys[-1])),
                                       ((lk.xs[-1], lk.ys[-1]), (lk.xs[0], lk.ys[0]))):
                        if np.allclose(end, pos[node]):
                            angles.append(np.degrees(np.arctan2(other[1] - end[1],
                                                                other[0] - end[0])))
                gaps = [abs((a - anchors[w] + 180) % 360 - 180) for a in angles]
                assert min(gaps, default=180) >= 25, (node, w)


def test_link_hover_names_kind_date_and_paragraph():
    fig = charts.figure_data(network_chart.network_figure(model.load_scenario("mid_2024")))
    hover = [h for t in fig if t["name"].startswith("Link details") for h in t["hovertext"]]
    links = data.load("links").set_index("id")
    row = links.loc["jpn_nato_summit"]
    text = [h for h in hover if "Japan" in h and "NATO" in h and "since 2022" in h]
    assert text, hover[:3]
    assert f"¶{int(row['paragraph'])}" in text[0] and "partnership" in text[0]
    assert all("¶" in h for h in hover)


def test_network_summary_counts_links_and_changes():
    sc = model.load_scenario("mid_2024")
    base = model.load_scenario("baseline_2021")
    links = data.load("links")
    on, base_on = summaries.active_links(sc), summaries.active_links(base)
    text = summaries.summarise_network(sc, baseline=base)
    assert f"shows {len(on)} links" in text
    assert f"{int((links['id'].isin(on) & (links['sign'] > 0)).sum())} friendly" in text
    assert f"{len(on - base_on)} link" in text and f"{len(base_on - on)} removed" in text


# --------------------------------------------------------------------------- series charts


@pytest.fixture(scope="module")
def runs():
    sc = model.load_scenario("mid_2024")
    deeper = model.load_scenario("deeper_interlinking")
    base = model.load_scenario("baseline_2021")
    return {n: model.simulate(s, horizon=15) for n, s in
            (("mid", sc), ("deeper", deeper), ("base", base))}


@pytest.mark.parametrize("name", SERIES_CHARTS)
def test_series_axes_are_words_with_units(name, runs):
    fig = charts.figure(name, ChartState(None, runs["mid"], runs["base"]))
    layout = chart_spec.figure_layout(fig)
    assert layout["xaxis"]["title"]["text"].startswith("Model year")
    assert re.search(r"index \((2021 = 1|0–1)", layout["yaxis"]["title"]["text"])
    hover = [t["hovertemplate"] for t in fig.to_dict()["data"]]
    assert all("model year %{x}" in h for h in hover)


@pytest.mark.parametrize("name", SERIES_CHARTS)
def test_series_data_are_the_model_outputs_and_ghost_is_the_baseline(name, runs):
    spec = charts.spec(name)
    meta = summaries.METRICS[{"diplomacy": "diplomacy_window", "crisis": "crisis_risk"}
                             .get(name, name)]
    fig = charts.figure_data(spec.figure(ChartState(None, runs["mid"], runs["base"])))
    n = len(meta.subjects)
    assert len(fig) == 2 * n
    for i, s in enumerate(meta.subjects):
        np.testing.assert_allclose(fig[i]["y"], runs["mid"].series(meta.metric, s), atol=1e-6)
        np.testing.assert_allclose(fig[n + i]["y"], runs["base"].series(meta.metric, s),
                                   atol=1e-6)
        assert fig[i]["line"]["dash"] == "solid" and fig[n + i]["line"]["dash"] == "dot"
        assert fig[n + i]["opacity"] < 1
        assert fig[i]["marker"]["symbol"] != fig[(i + 1) % n]["marker"]["symbol"] or n == 1


def test_tension_figure_signature_and_trace_count_without_baseline(runs):
    assert len(series_charts.tension_figure(runs["mid"]).data) == 2
    assert len(series_charts.tension_figure(runs["mid"], runs["base"]).data) == 4


def test_verdict_figure_shows_eigenvalue_and_label_in_words(runs):
    for res in runs.values():
        trace = charts.figure_data(series_charts.verdict_figure(res))[0]
        assert trace["type"] == "indicator"
        assert trace["value"] == pytest.approx(res.verdict.eigenvalue, abs=1e-4)
        word = "Spiral" if res.verdict.label == "spiral" else "Settles"
        assert word in trace["title"]["text"]
        assert res.verdict.label in summaries.summarise_verdict(res)
        assert f"{res.verdict.eigenvalue:.3f}" in summaries.summarise_verdict(res)


def test_figures_are_deterministic_and_rounded(runs):
    state = ChartState(model.load_scenario("mid_2024"), runs["mid"], runs["base"])
    for name in charts.CHARTS:
        a = charts.figure_data(charts.figure(name, state))
        b = charts.figure_data(charts.figure(name, state))
        assert a == b
    for t in charts.figure_data(charts.figure("tension", state)):
        assert all(v == round(v, DIGITS) for v in t["y"])


# --------------------------------------------------------------------------- summaries


def test_summary_states_direction_and_size_of_each_change():
    res = tension([0.40, 0.50, 0.60], [0.50, 0.45, 0.40])
    text = summaries.summarise_tension(res)
    assert "Indo-Pacific tension rises by 0.20 (from 0.40 to 0.60)" in text
    assert "Euro-Atlantic tension falls by 0.10 (from 0.50 to 0.40)" in text
    assert text.startswith("In the model, over 2 model years (2024 to 2026), ")
    # largest change first
    assert text.index("Indo-Pacific") < text.index("Euro-Atlantic")


def test_summary_says_steady_when_nothing_moves_and_changes_with_the_data():
    flat = summaries.summarise_tension(tension([0.4, 0.4, 0.4], [0.5, 0.5, 0.5]))
    assert "stays at about 0.40" in flat and "rises" not in flat and "falls" not in flat
    moved = summaries.summarise_tension(tension([0.4, 0.4, 0.7], [0.5, 0.5, 0.5]))
    assert moved != flat and "rises by 0.30" in moved


def test_summary_compares_with_the_baseline():
    res = tension([0.4, 0.6], [0.5, 0.5])
    base = tension([0.4, 0.5], [0.5, 0.55])
    text = summaries.summarise_tension(res, base, baseline_label="2021 baseline")
    assert "At the end of the run (model year 2025), set against the run with the " \
           "2021 baseline, " in text
    # both numbers of a comparison are levels at the end, and the gap between them
    assert "Indo-Pacific tension ends at 0.60 against 0.50 (0.10 higher)" in text
    # a gap within rounding of the 0.05 little-change cut-off gets a third decimal
    assert "Euro-Atlantic tension ends at 0.50 against 0.55 (0.050 lower)" in text


def test_each_series_summary_names_its_subjects_and_moves():
    values = {("cohesion", "CHN-RUS"): [0.5, 0.7], ("cohesion", "RUS-PRK"): [0.5, 0.4],
              ("cohesion", "CHN-PRK"): [0.3, 0.3],
              ("diplomacy_window", "korea"): [0.6, 0.45],
              ("credibility", "indo_pacific"): [0.5, 0.55],
              ("credibility", "euro_atlantic"): [0.7, 0.7]}
    res = fake(values)
    coh = summaries.summarise_cohesion(res)
    assert "China–Russia cohesion rises by 0.20" in coh
    assert "Russia–North Korea cohesion falls by 0.10" in coh
    assert "China–North Korea cohesion stays at about 0.30" in coh
    assert "the Korean diplomacy window falls by 0.15" in summaries.summarise_diplomacy(res)
    cred = summaries.summarise_credibility(res)
    assert "Indo-Pacific deterrence credibility rises by 0.05" in cred


def test_verdict_summary_spiral_settles_and_baseline():
    up = fake({}, verdict=FakeVerdict(1.08, "spiral"))
    down = fake({}, verdict=FakeVerdict(0.93, "settles"))
    assert "spiral" in summaries.summarise_verdict(up)
    assert "above" in summaries.summarise_verdict(up)
    assert "settles" in summaries.summarise_verdict(down)
    assert "below" in summaries.summarise_verdict(down)
    assert "0.150 higher than with the 2021 baseline" in summaries.summarise_verdict(up, down)


def test_summaries_of_real_runs_agree_with_the_numbers(runs):
    res, base = runs["deeper"], runs["base"]
    text = summaries.summarise_cohesion(res, base)
    for s in summaries.METRICS["cohesion"].subjects:
        v = res.series("cohesion", s)
        phrase = summaries.METRICS["cohesion"].phrase(s)
        assert f"{phrase} {summaries.moves(v[0], v[-1])}" in text
        d = v[-1] - base.final("cohesion", s)
        word = "about the same" if abs(d) < summaries.STEADY else (
            f"{abs(d):.2f} {'higher' if d > 0 else 'lower'}")
        assert f"{phrase} ends at {v[-1]:.2f} against {base.final('cohesion', s):.2f} " \
               f"({word})" in text


def test_unknown_chart_name_lists_valid_names():
    with pytest.raises(KeyError, match="valid charts are"):
        charts.spec("pie")


# --------------------------------------------------------------------------- composition


def test_composite_holds_each_chart_unchanged_in_its_own_cell(runs):
    names = ["network", "tension", "cohesion", "posture", "verdict"]
    state = ChartState(model.load_scenario("mid_2024"), runs["mid"], runs["base"])
    fig = charts.compose(names, state)
    data, layout = charts.figure_data(fig), chart_spec.figure_layout(fig)
    cells = charts.cells(names, state)
    assert [c.name for c in cells] == names
    assert cells[-1].stop == len(data)
    for c in cells:
        part = data[c.start:c.stop]
        assert charts.strip_composite(part) == charts.chart_data(c.name, state), c.name
        if c.name == "verdict":
            dom = part[0]["domain"]
            assert c.x[0] <= dom["x"][0] < dom["x"][1] <= c.x[1]
            assert c.y[0] <= dom["y"][0] < dom["y"][1] <= c.y[1]
            continue
        assert {t["xaxis"] for t in part} == {f"x{c.suffix}"}
        assert {t["legend"] for t in part} == {f"legend{c.suffix}"}
        assert layout[f"xaxis{c.suffix}"]["domain"] == list(c.x)
        assert layout[f"yaxis{c.suffix}"]["domain"] == list(c.y)
    # cells do not overlap, and each chart's title sits above its cell
    boxes = [(c.x, c.y) for c in cells]
    for i, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[i + 1:]:
            assert x1[1] <= x2[0] or x2[1] <= x1[0] or y1[1] <= y2[0] or y2[1] <= y1[0]
    titles = [a["text"] for a in layout["annotations"] if a["text"].startswith("<b>")]
    assert titles == [f"<b>{charts.spec(n).layout(state)['title']['text']}</b>" for n in names]
    # the network keeps its map proportions in its cell
    net = next(c for c in cells if c.name == "network")
    assert layout[f"yaxis{net.suffix}"]["scaleanchor"] == f"x{net.suffix}"


def test_composite_trace_count_is_fixed_across_states(runs):
    names = ["network", "tension", "cohesion", "diplomacy", "credibility", "verdict"]
    counts = {len(charts.compose(names, ChartState(r.scenario, r, runs["base"])).data)
              for r in runs.values()}
    assert len(counts) == 1
