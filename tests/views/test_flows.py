"""Support flows: every figure drawn with its own value, estimates and qualifiers kept,
nothing counted twice, and summaries that follow the filters."""

from __future__ import annotations

import re

import pytest

from lessons import data
from lessons.views import flows
from lessons.views.text import format_number


def _support():
    return data.load("support").set_index("id")


def _links():
    return data.load("links").set_index("id")


def _expected_value(row_id: str) -> float:
    """The value of a row straight from the CSV tables (support first, then links)."""
    support, links = _support(), _links()
    if row_id in support.index:
        return float(support.loc[row_id, "value"])
    return float(links.loc[row_id, "weight"])


def _drawn(fig) -> dict[str, float]:
    """Row id -> band value, over every Sankey panel of a figure."""
    out: dict[str, float] = {}
    for trace in fig.data:
        ids = list(trace.meta["ids"])
        values = list(trace.link.value)
        assert len(ids) == len(values) == len(trace.link.source)
        for i, v in zip(ids, values, strict=True):
            assert i not in out, f"{i} drawn twice"
            out[i] = float(v)
    return out


SELECTIONS = {
    "everything": {},
    "axis": {"actors": flows.AXIS},
    "tokyo and seoul": {"actors": ["JPN", "KOR"]},
    "trade only": {"kinds": ["trade"]},
    "munitions and ties": {"kinds": ["munitions", "tie"]},
}


def test_every_headline_row_exists_and_has_a_reason():
    support = _support()
    for row_id, reason in flows.HEADLINE.items():
        assert row_id in support.index, f"HEADLINE names a missing row {row_id}"
        assert len(reason) > 20
        assert not support.loc[row_id, "after_article"], f"{row_id} is after the article"


@pytest.mark.parametrize("name", list(SELECTIONS))
def test_sankey_draws_every_row_once_with_its_data_value(name):
    rows = flows.headline(**SELECTIONS[name])
    assert len(rows) > 0
    drawn = _drawn(flows.sankey_figure(rows))
    assert sorted(drawn) == sorted(rows["id"])
    for row_id, value in drawn.items():
        assert value == _expected_value(row_id), row_id


def test_sankey_panels_share_one_unit_and_givers_sit_left_of_recipients():
    rows = flows.headline()
    fig = flows.sankey_figure(rows)
    by_id = rows.set_index("id")
    assert len(fig.data) == len(rows.groupby(["kind", "unit"]))
    for trace in fig.data:
        units = {by_id.loc[i, "unit"] for i in trace.meta["ids"]}
        assert len(units) == 1, trace.meta["panel"]
        assert max(trace.link.source) < min(trace.link.target)  # bipartite: no cycles


def test_every_support_row_is_in_the_ledger_once_with_its_figure():
    support = data.load("support")
    table = flows.ledger(flows.support())
    assert list(table.index) == list(support["id"])
    for row_id, value in zip(support["id"], support["value"], strict=True):
        assert format_number(value) in table.loc[row_id, "figure"]


def test_estimates_are_labelled_everywhere():
    rows = flows.support()
    for fig_text, est in zip(rows["figure"], rows["is_estimate"], strict=True):
        assert ("(estimate)" in fig_text) == bool(est), fig_text
    table = flows.ledger(rows)
    assert (table["estimate"] == "estimate").sum() == rows["is_estimate"].sum()
    # in the Sankey, each estimate's giver label says so, and the summary counts them
    head = flows.headline()
    fig = flows.sankey_figure(head)
    by_id = head.set_index("id")
    for trace in fig.data:
        labels = list(trace.node.label)
        for i, s in zip(trace.meta["ids"], trace.link.source, strict=True):
            assert ("estimate" in labels[s]) == bool(by_id.loc[i, "is_estimate"]), labels[s]
    n_est = int(head["is_estimate"].sum())
    assert n_est > 0
    assert f"{n_est} of the {len(head)} figures" in flows.summarise_sankey(head)


def test_qualifiers_are_kept():
    rows = flows.support()
    for text, q in zip(rows["figure"], rows["qualifier"], strict=True):
        if q == "as_stated":
            assert not re.match(r"^(more than|about|almost) ", text), text
        else:
            assert text.startswith(flows.QUALIFIER_WORDS[q]), text
    assert flows.format_figure(10000, "containers", "more_than", True) == (
        "more than 10,000 containers (estimate)")
    with pytest.raises(ValueError, match="valid are"):
        flows.format_figure(1, "shells", "roughly")


def test_summary_changes_with_filters_and_names_what_is_drawn():
    every = flows.summarise_sankey(flows.headline())
    trade = flows.summarise_sankey(flows.headline(kinds=["trade"]))
    axis = flows.summarise_sankey(flows.headline(actors=flows.AXIS))
    assert len({every, trade, axis}) == 3
    assert "China → Russia" in trade and "100.33" in trade
    assert "containers" not in trade and "Japan" not in trade
    assert "more than 10,000 containers (estimate)" in axis and "Japan" not in axis
    assert "Japan → Ukraine" in every
    n = len(flows.headline(actors=flows.AXIS))
    assert axis.startswith(f"{n} figures")
    assert flows.summarise_sankey(flows.headline().iloc[0:0]).startswith("No flows")


def test_figures_for_the_same_flow_are_not_counted_twice():
    same = flows.support(ids=["prk_rus_containers_2024_02", "prk_rus_containers_shin_2024_02"])
    with pytest.raises(ValueError, match="twice"):
        flows.sankey_figure(same)
    with pytest.raises(ValueError, match="twice"):
        flows.summarise_sankey(same)
    yearly = flows.support(ids=["jpn_ukr_allocations_2022", "jpn_ukr_allocations_2023"])
    drawn = _drawn(flows.sankey_figure(yearly))  # different years add up: allowed
    assert sum(drawn.values()) == pytest.approx(1.14 + 4.84)


def test_ties_come_from_links_with_their_weights():
    t = flows.ties()
    links = _links()
    assert len(t) >= 3
    for _, r in t.iterrows():
        link = links.loc[r["id"]]
        assert r["value"] == float(link["weight"])
        assert {r["from_actor"], r["to_actor"]} <= set(flows.AXIS)
        assert "teaching assumption" in r["figure"]
    assert {"rus_prk", "chn_prk"} <= set(t["id"])


def test_estimates_chart_draws_every_figure_with_its_qualifier_shape():
    rows = flows.support(kinds=["munitions"], actors=["PRK"])
    fig = flows.estimates_figure(rows)
    in_units = rows[rows["unit"].isin(["containers", "shells"])].set_index("id")
    seen = {}
    for trace in fig.data:
        for i, y, sym in zip(trace.meta["ids"], trace.y, trace.marker.symbol, strict=True):
            seen[i] = (y, sym)
    assert sorted(seen) == sorted(in_units.index)
    for i, (y, sym) in seen.items():
        r = in_units.loc[i]
        assert y == r["value"]
        assert sym.startswith(flows.QUALIFIER_SYMBOLS[r["qualifier"]])
        assert sym.endswith("-open") == bool(r["after_article"])
    text = flows.summarise_estimates(rows)
    assert f"{len(in_units)} are estimates" in text or f"of {len(in_units)}" in text
    assert "in the ledger" in text  # the rows in other units are accounted for


def test_aid_totals_chart_and_summary_follow_the_data():
    rows = flows.aid_totals()
    support = _support()
    assert set(rows["measure_kind"]) == {"allocations", "commitments"}
    drawn = {i: v for t in flows.aid_figure(rows).data
             for i, v in zip(t.meta["ids"], t.x, strict=True)}
    assert sorted(drawn) == sorted(rows["id"])
    for i, v in drawn.items():
        assert v == float(support.loc[i, "value"])
    text = flows.summarise_aid(rows)
    jpn = rows[rows["from_actor"] == "JPN"].set_index("measure_kind")["value"]
    assert f"({jpn['allocations'] / jpn['commitments']:.0%})" in text
    assert "third-party" in text and "after the article" in text
    only_korea = flows.summarise_aid(flows.aid_totals(actors=["KOR"]))
    assert "South Korea" in only_korea and "Japan" not in only_korea


def test_unknown_filters_are_rejected_with_choices():
    with pytest.raises(ValueError, match="valid are"):
        flows.support(kinds=["loans"])
    with pytest.raises(ValueError, match="valid are"):
        flows.headline(actors=["XYZ"])
    with pytest.raises(ValueError, match="unknown support row ids"):
        flows.support(ids=["no_such_row"])
