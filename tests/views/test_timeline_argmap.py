"""Timeline and argument-map charts: every event and claim drawn, summaries that follow."""

from __future__ import annotations

import pytest

from lessons import data
from lessons.views import argmap, timeline


def test_timeline_draws_every_event_once_with_hollow_markers_after_the_article():
    ev = timeline.events(since="2021-01-01")
    fig = timeline.timeline_figure(ev)
    assert sum(len(t.x) for t in fig.data) == len(ev)
    for trace in fig.data:
        hollow = trace.marker.symbol.endswith("-open")
        assert hollow == trace.name.endswith("(after the article)")
    after = sum(len(t.x) for t in fig.data if t.marker.symbol.endswith("-open"))
    assert after == int(ev["after_article"].sum()) > 0


def test_each_category_has_its_own_colour_and_symbol():
    colours = [c for c, _ in timeline.CATEGORIES.values()]
    symbols = [s for _, s in timeline.CATEGORIES.values()]
    assert len(set(colours)) == len(colours) and len(set(symbols)) == len(symbols)
    assert set(data.load("events")["category"]) <= set(timeline.CATEGORIES)


def test_timeline_filters_and_summary_follow_the_data():
    every = timeline.events()
    summits = timeline.events(categories=["summit"])
    assert 0 < len(summits) < len(every)
    assert set(summits["category"]) == {"summit"}
    before = timeline.events(include_after_article=False)
    assert not before["after_article"].any()
    text = timeline.summarise_timeline(summits)
    assert f"{len(summits)} events" in text
    years = sorted(set(summits["when"].dt.year))
    assert ", ".join(map(str, years)) in text
    assert "empty" in timeline.summarise_timeline(summits.iloc[0:0])


def test_unknown_category_is_rejected_with_choices():
    with pytest.raises(ValueError, match="valid are"):
        timeline.events(categories=["parade"])


def test_argument_map_flows_conserve_claims():
    claims = data.load("claims")
    f = argmap.flows(claims)
    speakers = set(claims["who"])
    kinds = set(claims["type"])
    left = f[f["source"].isin(speakers) & f["target"].isin(kinds)]
    right = f[f["source"].isin(kinds) & ~f["target"].isin(kinds)]
    assert left["claims"].sum() == right["claims"].sum() == len(claims)
    modelled = right[right["target"] != argmap.NOT_MODELLED]["claims"].sum()
    assert modelled == (claims["status"] == "modelled").sum()


def test_argument_map_summary_counts():
    claims = data.load("claims")
    text = argmap.summarise_argument_map(claims)
    assert f"{len(claims)} claims" in text
    fewer = claims[claims["who"] == "authors"]
    assert f"{len(fewer)} claims" in argmap.summarise_argument_map(fewer)
    assert "0 report what others say" in argmap.summarise_argument_map(fewer)
