"""The reciprocity game (¶17, ¶21): strategies checked against the game theory."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.model import ModelError
from lessons.model.reciprocity import (
    STRATEGIES,
    P,
    R,
    S,
    T,
    converges_to,
    mutual_accommodation,
    noise_sweep,
    play,
    replicator,
    stationary,
    tournament,
)

MEMORY_ONE = ("tit_for_tat", "generous_tit_for_tat", "always_confront", "always_accommodate")


def test_payoffs_make_a_prisoners_dilemma():
    assert T > R > P > S and 2 * R > T + S


def test_noiseless_classics():
    r = play("tit_for_tat", "always_confront", rounds=10, matches=3, noise=0.0)
    assert r.moves_a[:, 0].all() and not r.moves_a[:, 1:].any()  # suckered once, then never
    assert r.payoff_a == pytest.approx((S + 9 * P) / 10)
    assert r.payoff_b == pytest.approx((T + 9 * P) / 10)
    r = play("tit_for_tat", "tit_for_tat", rounds=50, matches=2, noise=0.0)
    assert r.mutual_accommodation == 1.0 and r.payoff_a == pytest.approx(R)
    r = play("always_accommodate", "always_confront", rounds=5, matches=1, noise=0.0)
    assert r.payoff_a == pytest.approx(S) and r.payoff_b == pytest.approx(T)
    r = play("grim", "always_accommodate", rounds=20, matches=1, noise=0.0)
    assert r.moves_a.all()
    r = play("generous_tit_for_tat", "always_confront", rounds=4000, matches=1, noise=0.0,
             generosity=0.3)
    assert r.accommodation_a == pytest.approx(0.3, abs=0.03)  # forgives 30% of the time


def test_tit_for_tat_answers_in_kind():
    """China as tit-for-tat meets accommodation with accommodation and confrontation with
    confrontation (¶17)."""
    kind = play("always_accommodate", "tit_for_tat", rounds=100, matches=50, noise=0.0)
    assert kind.accommodation_b == 1.0
    hard = play("always_confront", "tit_for_tat", rounds=100, matches=50, noise=0.0)
    assert hard.accommodation_b == pytest.approx(1 / 100)  # only the opening move


def test_grim_never_forgives_under_noise():
    r = play("grim", "tit_for_tat", rounds=400, matches=200, noise=0.05)
    late = (~r.moves_a[:, -50:] & ~r.moves_b[:, -50:]).mean()
    assert late > 0.8  # one misread move, then mutual confrontation for ever


def test_tit_for_tat_echoes_under_noise_and_generosity_ends_it():
    strict = stationary("tit_for_tat", "tit_for_tat", 0.05)
    assert np.allclose(strict, 0.25)  # echo spirals: every outcome equally common
    generous = stationary("generous_tit_for_tat", "tit_for_tat", 0.05, 0.3)
    assert generous[0] > 2 * strict[0]


@settings(max_examples=15, deadline=None)
@given(a=st.sampled_from(MEMORY_ONE), b=st.sampled_from(MEMORY_ONE),
       noise=st.floats(0.05, 0.3), generosity=st.floats(0.0, 0.6))
def test_simulated_frequencies_match_the_exact_chain(a, b, noise, generosity):
    exact = stationary(a, b, noise, generosity)
    assert exact.shape == (4,) and np.isclose(exact.sum(), 1) and np.all(exact >= 0)
    r = play(a, b, rounds=400, matches=200, noise=noise, generosity=generosity, seed=11)
    A, B = r.moves_a[:, 150:], r.moves_b[:, 150:]  # after the opening transient
    sim = np.array([(A & B).mean(), (A & ~B).mean(), (~A & B).mean(), (~A & ~B).mean()])
    assert np.allclose(sim, exact, atol=0.025)


def test_always_accommodate_pair_is_noise_squared():
    e = 0.1
    assert np.allclose(stationary("always_accommodate", "always_accommodate", e),
                       [(1 - e) ** 2, e * (1 - e), e * (1 - e), e ** 2])


def test_vectorised_and_monotone():
    g = np.linspace(0, 0.5, 6)
    m = mutual_accommodation(1.0, 0.05, g)
    assert m.shape == (6,) and np.all(np.diff(m) > 0)
    noise = np.array([0.01, 0.05, 0.2])
    assert np.all(np.diff(mutual_accommodation(1.0, noise, 0.0)) <= 1e-12)
    th = np.linspace(0, 1, 5)
    assert np.all(np.diff(mutual_accommodation(th, 0.05, 0.2)) > 0)
    batch = stationary("generous_tit_for_tat", "tit_for_tat", noise[:, None], g[None, :])
    assert batch.shape == (3, 6, 4)
    assert np.allclose(batch[1, 3], stationary("generous_tit_for_tat", "tit_for_tat",
                                               0.05, g[3]))


def test_same_seed_same_moves():
    a = play("tit_for_tat", "generous_tit_for_tat", rounds=50, matches=20, seed=3)
    b = play("tit_for_tat", "generous_tit_for_tat", rounds=50, matches=20, seed=3)
    c = play("tit_for_tat", "generous_tit_for_tat", rounds=50, matches=20, seed=4)
    assert np.array_equal(a.moves_a, b.moves_a) and np.array_equal(a.moves_b, b.moves_b)
    assert not np.array_equal(a.moves_a, c.moves_a)


def test_every_strategy_plays():
    for a in STRATEGIES:
        for b in STRATEGIES:
            r = play(a, b, rounds=20, matches=5, noise=0.1)
            assert r.moves_a.shape == (5, 20) and r.moves_a.dtype == bool


@pytest.mark.parametrize("call, word", [
    (lambda: play("copycat", "tit_for_tat"), "tit_for_two_tats"),
    (lambda: play("tit_for_tat", "grim", noise=1.5), "noise"),
    (lambda: play("tit_for_tat", "grim", generosity=-0.1), "generosity"),
    (lambda: play("tit_for_tat", "grim", rounds=0), "rounds"),
    (lambda: play("tit_for_tat", "grim", rounds=2.5), "whole number"),
    (lambda: play("tit_for_tat", "grim", rounds=True), "rounds"),
    (lambda: play("tit_for_tat", "grim", matches="3"), "matches"),
    (lambda: play("tit_for_tat", "grim", seed=-1), "seed"),
    (lambda: play("tit_for_tat", "grim", seed=1.5), "seed"),
    (lambda: replicator(np.ones((2, 3))), "square"),
    (lambda: replicator(np.ones((2, 2)), generations=0), "generations"),
    (lambda: tournament(strategies=("tit_for_tat", "copycat")), "copycat"),
    (lambda: stationary("tit_for_tat", "tit_for_tat", 0.0), "noise"),
    (lambda: stationary("grim", "tit_for_tat", 0.1), "memory-one"),
    (lambda: stationary("tit_for_tat", "tit_for_tat", float("nan")), "noise"),
])
def test_bad_input(call, word):
    with pytest.raises(ModelError) as e:
        call()
    assert word in str(e.value)


def test_two_tit_for_tat_players_with_noise_settle_at_one_quarter():
    """Two-sided 5% noise: the exact Markov chain gives mutual cooperation 0.25 (every
    outcome equally common), and long simulated matches agree."""
    exact = stationary("tit_for_tat", "tit_for_tat", 0.05)
    assert exact[0] == pytest.approx(0.25, abs=1e-12)
    sim = play("tit_for_tat", "tit_for_tat", rounds=2000, matches=100, noise=0.05, seed=1)
    assert sim.mutual_accommodation == pytest.approx(0.25, abs=0.01)


def test_generous_and_tit_for_two_tats_recover_much_of_what_noise_costs():
    """Without noise two reciprocators always cooperate (1.0); 5% noise costs strict
    tit-for-tat three quarters of that. Generous tit-for-tat (generosity 1/3, Nowak and
    Sigmund) and tit-for-two-tats each win back more than half of the loss."""
    noise = 0.05
    strict = stationary("tit_for_tat", "tit_for_tat", noise)[0]
    loss = 1.0 - strict
    generous = stationary("generous_tit_for_tat", "generous_tit_for_tat", noise, 1 / 3)[0]
    two_tats = play("tit_for_two_tats", "tit_for_two_tats", rounds=2000, matches=100,
                    noise=noise, seed=1).mutual_accommodation
    assert generous - strict > 0.5 * loss
    assert two_tats - strict > 0.5 * loss
    # noiseless, they cooperate fully like tit-for-tat
    assert play("tit_for_two_tats", "tit_for_tat", rounds=30, matches=2,
                noise=0.0).mutual_accommodation == 1.0


def test_tit_for_two_tats_forgives_one_confrontation_not_two():
    r = play("tit_for_two_tats", "always_confront", rounds=10, matches=2, noise=0.0)
    assert r.moves_a[:, :2].all() and not r.moves_a[:, 2:].any()
    assert r.payoff_a == pytest.approx((2 * S + 8 * P) / 10)


def test_tournament_known_values_without_noise():
    names = ("tit_for_tat", "always_confront", "always_accommodate")
    M = tournament(noise=0.0, rounds=10, matches=3, strategies=names)
    assert M.shape == (3, 3)
    assert M[0, 0] == pytest.approx(R) and M[1, 1] == pytest.approx(P)
    assert M[0, 1] == pytest.approx((S + 9 * P) / 10)
    assert M[1, 2] == pytest.approx(T) and M[2, 1] == pytest.approx(S)


def test_replicator_dynamics():
    # a strategy that earns more against everyone takes over; shares stay shares
    M = np.array([[3.0, 3.0], [1.0, 1.0]])
    x = replicator(M, generations=40)
    assert x.shape == (41, 2)
    np.testing.assert_allclose(x.sum(axis=1), 1.0)
    assert x[0, 0] == 0.5 and x[-1, 0] > 0.999 and np.all(np.diff(x[:, 0]) >= 0)
    assert x[1, 0] == pytest.approx(0.5 * 3 / 2)  # share times payoff over the mean (2)
    # equal payoffs: nothing moves
    np.testing.assert_allclose(replicator(np.ones((3, 3)), 10), 1 / 3)
    # from chosen shares
    assert replicator(M, 1, shares=np.array([1.0, 3.0]))[0, 0] == 0.25


def test_noise_sweep_is_computed_from_the_tournament():
    """Each level's winner is the leader of the replicator dynamics on that level's
    round-robin, recomputed here; and the winner changes with the noise (the headline of
    "The Evolution of Trust", here computed for these strategies and payoffs)."""
    rows = noise_sweep(rounds=30, matches=100, generations=200)
    assert [r["noise"] for r in rows] == [0.0, 0.05, 0.25]
    for r in rows:
        final = replicator(tournament(r["noise"], 30, 0.3, 2024, 100), 200)[-1]
        assert r["winner"] == STRATEGIES[int(np.argmax(final))]
        assert r["share"] == pytest.approx(final.max())
        assert r["winner"] in r["leaders"]
        assert sum(r["shares"].values()) == pytest.approx(1.0)
        assert (r["winner"], r["share"]) == converges_to(r["noise"], 30, 0.3, 2024, 100, 200)
    assert len({r["winner"] for r in rows}) > 1
    # much noise: no reciprocator leads
    assert rows[-1]["winner"] not in ("tit_for_tat", "generous_tit_for_tat",
                                      "tit_for_two_tats")
