"""lessons.model.credibility_breakdown: the factor-by-factor credibility lesson 05 charts.

It must give exactly what lessons.views.deterrence_view.credibility_factors computes today (the
view is imported read-only, to compare), so the view can call the model instead.
"""

import numpy as np
import pandas as pd
import pytest

from lessons.model import (
    ModelError,
    credibility_breakdown,
    credibility_contributions,
    list_scenarios,
    load_scenario,
)
from lessons.model.decomposition import CREDIBILITY_FACTORS
from lessons.views import credibility_view

CASES = [(name, theater, {}) for name in list_scenarios()
         for theater in ("indo_pacific", "euro_atlantic")]
CASES += [("mid_2024", "indo_pacific", {"euro_interest": 0.6, "distance_discount": 0.5}),
          ("deeper_interlinking", "indo_pacific", {"deployment_share": 0.2}),
          ("deterrence_world", "euro_atlantic", {"capability_exponent": 0.8})]


@pytest.mark.parametrize(("name", "theater", "params"), CASES)
def test_equals_the_view(name, theater, params):
    view = credibility_view.credibility_factors(name, theater, **params)
    sc = credibility_view.scenario_with(name, **params)
    got = credibility_breakdown(sc, theater)
    pd.testing.assert_frame_equal(got, view.drop(columns="name"), check_exact=True)
    assert got.attrs == view.attrs


def test_the_factors_are_the_views():
    assert CREDIBILITY_FACTORS == credibility_view.FACTORS


@pytest.mark.parametrize("theater", ["indo_pacific", "euro_atlantic"])
def test_the_product_and_shares(theater):
    t = credibility_breakdown(load_scenario("mid_2024"), theater)
    np.testing.assert_array_equal(t["credible"], t[list(CREDIBILITY_FACTORS)].prod(axis=1))
    assert t["share"].sum() == pytest.approx(1.0)
    assert t.attrs["total"] == pytest.approx(t["credible"].sum())
    assert (t.loc[t["group"] == "us", "actor"] == "USA").all()


def test_agrees_with_credibility_contributions():
    sc = load_scenario("deeper_interlinking")
    contrib = credibility_contributions(sc)
    for theater in ("indo_pacific", "euro_atlantic"):
        t = credibility_breakdown(sc, theater)
        c = contrib[contrib["theater"] == theater].set_index("actor")["credible"]
        t = t.set_index("actor")["credible"]
        t = t[t > 0]
        assert set(t.index) == set(c.index)
        np.testing.assert_allclose(t.sort_index(), c.sort_index(), rtol=1e-12)


def test_errors():
    with pytest.raises(ModelError, match="valid theaters: euro_atlantic, indo_pacific"):
        credibility_breakdown(load_scenario("mid_2024"), "arctic")
    with pytest.raises(ModelError, match="expected a Scenario"):
        credibility_breakdown("mid_2024")
