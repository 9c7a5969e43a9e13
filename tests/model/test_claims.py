"""The claim registry (``data/claims.csv``) wired to the model.

Each claim the registry marks ``modelled`` has a test here, ``test_claim_<id>``, that checks
the direction the claim asserts, under the assumptions it is made under (the authors'
predictions with the authors' security-seeking adversary; the proponents' deterrence claim
with a greedy one). Claims ``not_modelled`` carry a reason instead; the meta-tests at the
end keep the registry and this file in step.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from lessons.data import load
from lessons.model import (
    MECHANISMS,
    burden,
    credibility_contributions,
    korea,
    list_toggles,
    load_scenario,
    network,
    parameters,
    simulate,
    structural_balance,
)
from lessons.model.reciprocity import play, stationary

DEFAULT_THETA = parameters.defaults()["theta"]  # the authors' assumption: high
TOGGLES = list_toggles()
INTERLINKING = tuple(TOGGLES.loc[TOGGLES["side"] == "interlinking", "id"])
#: Toggles that put NATO or its European members into the Asia-Pacific (¶14, ¶16-17).
NATO_IN_ASIA = ("ap4_summits", "nato_itpp", "euro_deployments", "nato_tokyo_office",
                "euro_taiwan_patrols", "ap4_membership")
SEOUL_ALIGNS = ("kor_arms_direct", "kor_china_containment")
ADVERSARIES = ("CHN", "RUS", "PRK")
PAIRS = ("CHN-RUS", "RUS-PRK", "CHN-PRK")


def effect(sc, toggle, metric, subject, year=-1):
    """Outcome with ``toggle`` on minus off (in the final year by default)."""
    on = simulate(sc.with_toggle(toggle, True)).series(metric, subject)[year]
    off = simulate(sc.with_toggle(toggle, False)).series(metric, subject)[year]
    return on - off


def all_interlinking(sc, on: bool):
    for t in INTERLINKING:
        sc = sc.with_toggle(t, on)
    return sc


# --------------------------------------------------------------------------- claims


def test_claim_C03():
    """¶2: interlinking may escalate flashpoints — with the authors' assumptions, turning
    on the interlinking links raises Indo-Pacific tension above the 2021 baseline."""
    base = load_scenario("baseline_2021")
    b = simulate(base).final("tension", "indo_pacific")
    assert simulate(all_interlinking(base, True)).final("tension", "indo_pacific") > b
    for name in ("mid_2024", "deeper_interlinking"):
        assert simulate(load_scenario(name)).final("tension", "indo_pacific") > b
    for t in INTERLINKING:
        assert effect(base, t, "tension", "indo_pacific") > 0, t


def test_claim_C26():
    """¶13, the proponents: a tightly interlinked network deters — with a greedy adversary
    (low theta) facing credible forces, added capability lowers its posture."""
    det = load_scenario("deterrence_world").with_params(euro_interest=1.0)
    assert det.params["theta"] <= 0.2
    # credible U.S. capability moved to Asia (no burden shifting, to isolate it)
    calm = det.with_params(burden_shift=0.0)
    small = simulate(calm.with_params(us_pivot=0.3))
    large = simulate(calm.with_params(us_pivot=0.6))
    assert large.final("credibility", "indo_pacific") > small.final("credibility",
                                                                    "indo_pacific")
    assert large.final("posture", "CHN") < small.final("posture", "CHN")
    # committed (credible) European allies through AP4 membership
    assert effect(det, "ap4_membership", "credibility", "indo_pacific") > 0
    assert effect(det, "ap4_membership", "posture", "CHN") < 0


def test_claim_C27():
    """¶13: interlinking may worsen the escalation spirals with Russia, China and North
    Korea — with a security-seeking adversary it raises all three postures."""
    mid = load_scenario("mid_2024")
    assert mid.params["theta"] == DEFAULT_THETA >= 0.7
    linked, unlinked = simulate(all_interlinking(mid, True)), simulate(all_interlinking(mid,
                                                                                       False))
    deeper = simulate(load_scenario("deeper_interlinking"))
    for actor in ADVERSARIES:
        assert linked.final("posture", actor) > unlinked.final("posture", actor), actor
        assert deeper.final("posture", actor) > simulate(mid).final("posture", actor), actor
    assert deeper.verdict.eigenvalue > simulate(mid).verdict.eigenvalue


def test_claim_C28():
    """¶13: interlinking may bring Russia, China and North Korea closer together — it
    raises the cohesion of all three pairs."""
    mid = load_scenario("mid_2024")
    linked, unlinked = simulate(all_interlinking(mid, True)), simulate(all_interlinking(mid,
                                                                                       False))
    for pair in PAIRS:
        assert linked.final("cohesion", pair) > unlinked.final("cohesion", pair), pair


def test_claim_C29():
    """¶14: a U.S. web of alliances with European members behind it motivates Beijing's
    alignment with Moscow — linking NATO and the AP4 against China and Russia makes a
    positive China–Russia tie the balanced configuration."""
    # without the entente itself, so the pressure toward a tie is visible on its own
    sc = load_scenario("mid_2024").with_toggle("chn_rus_entente", False)
    G = network.signed_graph(network.build_structure(sc.link_set()))
    friendly, hostile = G.copy(), G.copy()
    friendly.add_edge("CHN", "RUS", weight=1.0)
    hostile.add_edge("CHN", "RUS", weight=-1.0)
    assert network.triad_census(friendly)[1] == network.triad_census(G)[1]
    assert network.triad_census(hostile)[1] > network.triad_census(G)[1]
    pressure = structural_balance(sc)["pressure"]["CHN-RUS"]
    assert pressure > 0
    for t in ("ap4_summits", "nato_itpp", "nato_tokyo_office", "ap4_membership"):
        more = structural_balance(sc.with_toggle(t, True))["pressure"]["CHN-RUS"]
        less = structural_balance(sc.with_toggle(t, False))["pressure"]["CHN-RUS"]
        assert more > less, t


def test_claim_C31():
    """¶14: a bigger NATO presence in the Asia-Pacific raises the threat Beijing
    perceives."""
    for name in ("baseline_2021", "mid_2024"):
        sc = load_scenario(name)
        for t in NATO_IN_ASIA:
            assert effect(sc, t, "threat", "CHN") > 0, (name, t)
            assert effect(sc, t, "threat", "CHN", year=0) >= 0, (name, t)  # at once


def test_claim_C32():
    """¶14: a bigger NATO presence in the Asia-Pacific gives Beijing a further reason to
    strengthen its entente with Moscow."""
    for name in ("baseline_2021", "mid_2024"):
        sc = load_scenario(name)
        for t in NATO_IN_ASIA:
            assert effect(sc, t, "cohesion", "CHN-RUS") > 0, (name, t)


def test_claim_C34():
    """¶15: NATO adds little to deterrence in Asia — the credible deterrence of European
    forces there is far below that of U.S. forces, because interest and proximity are
    low."""
    europe = ["GBR", "FRA", "DEU", "ITA", "ESP", "BALT"]
    for name, ceiling in (("mid_2024", 0.05), ("deeper_interlinking", 0.15)):
        # even with patrols near Taiwan and the AP4 in NATO, Europe stays a small part
        df = credibility_contributions(load_scenario(name))
        ip = df[df["theater"] == "indo_pacific"].set_index("actor")
        eu = ip.reindex(europe)["credible"].fillna(0).sum()
        assert eu < ceiling * ip.loc["USA", "credible"], name
        assert ip.loc["BALT", "credible"] < 0.01 * ip.loc["USA", "credible"]  # ¶15
    sc = load_scenario("mid_2024")
    df = credibility_contributions(sc)
    ip = df[df["theater"] == "indo_pacific"].set_index("actor")
    eu = ip.reindex(europe)["credible"].fillna(0).sum()

    def eu_share(**params):
        d = credibility_contributions(sc.with_params(**params))
        d = d[d["theater"] == "indo_pacific"].set_index("actor")
        return d.reindex(europe)["credible"].fillna(0).sum()

    assert eu_share(euro_interest=1.0) > 3 * eu  # interest at stake is what is missing
    assert eu_share(distance_discount=0.5) > eu_share()  # and proximity


def test_claim_C37():
    """¶16: European assets near China provoke more than they deter — adding regular
    European patrols raises China's perceived threat by more than it raises the credible
    deterrence China faces."""
    for name in ("mid_2024", "baseline_2021"):
        sc = load_scenario(name)
        for year in (0, -1):
            for t in ("euro_taiwan_patrols", "euro_deployments"):
                on = simulate(sc.with_toggle(t, True))
                off = simulate(sc.with_toggle(t, False))
                d_threat = (on.series("threat", "CHN")[year] / off.series("threat", "CHN")[year]
                            - 1)
                d_cred = (on.series("credibility", "indo_pacific")[year]
                          / off.series("credibility", "indo_pacific")[year] - 1)
                assert d_threat > 0 and d_threat > 3 * d_cred, (name, t, year)


def test_claim_C38():
    """¶17: European ships and aircraft would "run back home", so they deter China little —
    they barely change the credible deterrence China faces."""
    sc = load_scenario("mid_2024")
    for t in ("euro_deployments", "euro_taiwan_patrols"):
        on = simulate(sc.with_toggle(t, True)).series("credibility", "indo_pacific")[0]
        off = simulate(sc.with_toggle(t, False)).series("credibility", "indo_pacific")[0]
        assert abs(on / off - 1) < 0.02, t
    # the same forces with a real stake in Asia would count for more
    keen = sc.with_params(euro_interest=1.0)
    on = simulate(keen.with_toggle("euro_taiwan_patrols", True))
    off = simulate(keen.with_toggle("euro_taiwan_patrols", False))
    assert (on.series("credibility", "indo_pacific")[0]
            > off.series("credibility", "indo_pacific")[0])


def test_claim_C39():
    """¶17: routine European activity near China inflames nationalism and pushes Beijing
    to harder countermeasures — the nationalism weight raises China's posture even when
    the deploying forces have no credibility."""
    sc = load_scenario("mid_2024").with_toggle("euro_taiwan_patrols", True).with_params(
        euro_interest=parameters.ranges()["euro_interest"][0])
    calm = simulate(sc.with_params(nationalism=0.0)).final("posture", "CHN")
    angry = simulate(sc.with_params(nationalism=0.5)).final("posture", "CHN")
    assert angry > calm
    # it is the presence that provokes: without out-of-region forces nationalism is inert
    away = sc.with_toggle("euro_taiwan_patrols", False).with_toggle("euro_deployments", False)
    assert simulate(away.with_params(nationalism=0.0)).final("posture", "CHN") == \
        simulate(away.with_params(nationalism=0.5)).final("posture", "CHN")


def test_claim_C40():
    """¶17: China answers accommodation with accommodation and confrontation with
    confrontation — in the reciprocity game, tit-for-tat does exactly that."""
    kind = play("always_accommodate", "tit_for_tat", rounds=200, matches=100, noise=0.0)
    hard = play("always_confront", "tit_for_tat", rounds=200, matches=100, noise=0.0)
    assert kind.accommodation_b == 1.0
    assert hard.accommodation_b == pytest.approx(1 / 200)  # its opening move only
    # with misperception, still mostly in kind
    noisy = play("always_accommodate", "tit_for_tat", rounds=200, matches=200, noise=0.05)
    assert noisy.accommodation_b > 0.85
    noisy = play("always_confront", "tit_for_tat", rounds=200, matches=200, noise=0.05)
    assert noisy.accommodation_b < 0.15


def _confrontation_runs(r) -> float:
    """Mean length of runs of mutual confrontation, over all matches."""
    dd = ~r.moves_a & ~r.moves_b
    lengths, current = [], np.zeros(dd.shape[0], dtype=int)
    for t in range(dd.shape[1]):
        ended = ~dd[:, t] & (current > 0)
        lengths += list(current[ended])
        current = np.where(dd[:, t], current + 1, 0)
    lengths += list(current[current > 0])
    return float(np.mean(lengths))


def test_claim_C41():
    """¶17: de-escalation may depend on a search for mutual accommodation — with
    misperception noise, a generous response ends the confrontation echoes that strict
    reciprocity prolongs."""
    strict = play("tit_for_tat", "tit_for_tat", rounds=300, matches=300, noise=0.05, seed=1)
    generous = play("generous_tit_for_tat", "tit_for_tat", rounds=300, matches=300,
                    noise=0.05, generosity=0.3, seed=1)
    assert generous.mutual_accommodation > strict.mutual_accommodation + 0.2
    assert _confrontation_runs(generous) < _confrontation_runs(strict)
    assert stationary("generous_tit_for_tat", "tit_for_tat", 0.05, 0.3)[0] > \
        stationary("tit_for_tat", "tit_for_tat", 0.05)[0]
    # in the model: the coalition's generosity lowers China's threat and Asian tension
    mid = load_scenario("mid_2024")
    kind, firm = simulate(mid.with_params(generosity=0.3)), simulate(mid)
    assert kind.final("threat", "CHN") < firm.final("threat", "CHN")
    assert kind.final("tension", "indo_pacific") < firm.final("tension", "indo_pacific")


def test_claim_C43():
    """¶18: Beijing and Moscow remain decisive in restraining North Korea — raising the
    patrons' restraining leverage lowers its belligerence and widens the window."""
    support = np.linspace(0.0, 0.9, 7)
    weak = korea.belligerence(1.0, support, 0.3)
    strong = korea.belligerence(1.0, support, 2.0)
    assert np.all(strong < weak)
    assert np.all(np.diff(strong) > 0)  # more support for Pyongyang, more belligerence
    mid = load_scenario("mid_2024")
    lo = simulate(mid.with_params(patron_leverage=0.3)).final("diplomacy_window", "korea")
    hi = simulate(mid.with_params(patron_leverage=2.0)).final("diplomacy_window", "korea")
    assert hi > lo


def test_claim_C44():
    """¶18: Seoul aligning against Moscow and Beijing (arming Ukraine directly, joining the
    containment of China) pushes them closer to Pyongyang: in direction everywhere, and
    under the authors' assumptions (every default) by at least 0.01 over 20 years."""
    mid = load_scenario("mid_2024")
    for t, pair in SEOUL_PAIR:
        assert effect(mid, t, "cohesion", pair) >= VISIBLE, t
    _retaliation_is_moscows_answer()
    for name in ("mid_2024", "baseline_2021"):
        sc = load_scenario(name)
        for t in SEOUL_ALIGNS:
            assert effect(sc, t, "cohesion", "RUS-PRK") > 0, (name, t)
            assert effect(sc, t, "cohesion", "CHN-PRK") > 0, (name, t)


#: The smallest change over 20 years that counts as visible in a lesson's chart (¶18).
VISIBLE = 0.01


#: Each of Seoul's moves and the pair ¶18's mechanism moves most: arming Ukraine directly
#: through Moscow's retaliation, joining containment through China's shared threat.
SEOUL_PAIR = (("kor_arms_direct", "RUS-PRK"), ("kor_china_containment", "CHN-PRK"))


def _retaliation_is_moscows_answer():
    """With retaliation switched off the direct-arms effect on Russia-North Korea cohesion
    falls below visible size, and the channel does not act in a world with no supply
    links (2021): it is an answer to Seoul, not a shared threat."""
    sc = load_scenario("mid_2024")
    assert effect(sc.with_params(retaliation=0.0), "kor_arms_direct", "cohesion",
                  "RUS-PRK") < VISIBLE <= effect(sc, "kor_arms_direct", "cohesion", "RUS-PRK")
    base = load_scenario("baseline_2021")
    np.testing.assert_array_equal(simulate(base).arrays["cohesion"],
                                  simulate(base.with_params(retaliation=1.5)).arrays["cohesion"])


def test_claim_C45():
    """¶18: such alignment narrows the already slim window for Korean diplomacy, under the
    authors' assumptions by at least 0.01 over 20 years for each move."""
    for t, _ in SEOUL_PAIR:
        assert effect(load_scenario("mid_2024"), t, "diplomacy_window", "korea") <= -VISIBLE
    for name in ("mid_2024", "baseline_2021"):
        sc = load_scenario(name)
        for t in SEOUL_ALIGNS:
            assert effect(sc, t, "diplomacy_window", "korea") < 0, (name, t)
    both = load_scenario("mid_2024")
    for t in SEOUL_ALIGNS:
        both = both.with_toggle(t, True)
    assert simulate(both).final("diplomacy_window", "korea") < \
        simulate(load_scenario("mid_2024")).final("diplomacy_window", "korea") < \
        simulate(load_scenario("baseline_2021")).final("diplomacy_window", "korea")


def test_claim_C50():
    """¶20: Europeans carrying more of NATO's load in Europe help the U.S. move resources
    to Asia — European effort in Europe frees more U.S. capacity for Asia than the same
    effort spent in Asia."""
    base, shift, effort = np.array([0.5]), np.array([0.5]), np.array([1.2])
    extra = np.array([0.1])
    home = burden.pivot(base, shift, effort + extra, effort)
    asia = burden.pivot(base, shift, effort - extra, effort)  # the same effort sent away
    assert home > base > asia
    mid = load_scenario("mid_2024").with_toggle("euro_deployments", False)
    stay = simulate(mid.with_params(euro_home_effort=0.05)).final("us_pivot", "indo_pacific")
    go = simulate(mid.with_toggle("euro_taiwan_patrols", True)).final("us_pivot",
                                                                       "indo_pacific")
    none = simulate(mid).final("us_pivot", "indo_pacific")
    assert stay > none > go


def test_claim_C52():
    """¶21: reversing the hardening of blocs while reassuring Beijing lets Washington pivot
    without deepening confrontation — the authors' alternative ends with lower
    Indo-Pacific tension and China–Russia cohesion than mid-2024, with more of the U.S. in
    Asia."""
    alt, mid = simulate(load_scenario("authors_alternative")), simulate(load_scenario(
        "mid_2024"))
    assert alt.final("tension", "indo_pacific") < mid.final("tension", "indo_pacific")
    assert alt.final("cohesion", "CHN-RUS") < mid.final("cohesion", "CHN-RUS")
    assert alt.final("us_pivot", "indo_pacific") > mid.final("us_pivot", "indo_pacific")


# --------------------------------------------------------------------------- the registry


@pytest.fixture(scope="module")
def claims():
    return load("claims")


def _tests_here() -> set[str]:
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def test_every_modelled_claim_has_its_test(claims):
    here = _tests_here()
    modelled = claims[claims["status"] == "modelled"]
    assert len(modelled) > 0
    for row in modelled.itertuples(index=False):
        expected = f"tests/model/test_claims.py::test_claim_{row.id}"
        assert row.test == expected, row.id
        assert f"test_claim_{row.id}" in here, f"{row.id} has no test in this file"
        assert row.mechanism in MECHANISMS, (row.id, row.mechanism)


def test_no_test_without_a_modelled_claim(claims):
    modelled = set(claims.loc[claims["status"] == "modelled", "id"])
    orphans = {n for n in _tests_here() if n.startswith("test_claim_")} - {
        f"test_claim_{i}" for i in modelled}
    assert not orphans


def test_every_unmodelled_claim_has_a_reason(claims):
    assert set(claims["status"]) <= {"modelled", "not_modelled"}
    rest = claims[claims["status"] == "not_modelled"]
    for row in rest.itertuples(index=False):
        assert isinstance(row.reason, str) and len(row.reason.strip()) > 10, row.id
        assert not (isinstance(row.test, str) and row.test.strip()), row.id
