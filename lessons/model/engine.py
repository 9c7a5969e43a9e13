"""The simulation: every mechanism of the model stepped together, vectorised over draws.

The mechanisms are described in ``docs/model.md``; their code is in the modules below.

One code path serves :func:`simulate` (one draw) and :func:`lessons.model.monte_carlo`
(thousands of draws at once, no Python loop per draw). A year:

1. effective capability ``v = c · x`` (capability index times posture, plus a share of
   the capability of those who support you: arms for Ukraine, munitions for Russia); the
   U.S. pivot from Europe's effort at home (:mod:`~lessons.model.burden`, ¶19–21);
2. perceived threat (:mod:`~lessons.model.threat`, ¶13–14) as an index
   ``τ = 1 + (T - T_2021) / (T_2021 + mean T_2021)``: 1 is what the actor felt in 2021,
   and a change is measured against that plus a common scale, so a state that felt almost
   no threat in 2021 (New Zealand) does not read a small new rivalry as a many-fold jump;
   plus China's provocation (:mod:`~lessons.model.credibility`, ¶16–17). Hostility toward
   China is scaled by the reciprocity game (:mod:`~lessons.model.reciprocity`, ¶17, ¶21);
3. credible deterrence per theater relative to 2021 (¶15–17);
4. posture update (:mod:`~lessons.model.dynamics`, ¶13) and entente cohesion: each pair's
   cohesion moves a share ``cohesion_decay`` toward a target whose log-odds are the
   treaty baseline's plus ``cohesion_gain × (shared threat − 1)`` plus
   ``balance_pressure × (structural-balance pressure / its 2021 value − 1)`` plus
   ``retaliation × (retaliation pressure − its 2021 value)`` (a state answering a
   neighbour who arms its enemy by drawing closer to that neighbour's rival, ¶18; see
   :func:`lessons.model.network.retaliation`), where the
   shared threat is the geometric mean of the partners' threat indices (¶13–14, ¶18);
5. outputs that do not feed back, computed for all years at once: tension and crisis
   risk per theater, the Korean diplomacy window (:mod:`~lessons.model.korea`, ¶18).

Every index is relative to the **2021 reference** — the ``baseline_2021`` network at 2021
postures under the same assumptions, with the 2021 U.S. pivot, the default patrons'
leverage and no reciprocity adjustment — so 1 means "as in 2021". The calibrated
grievance makes that reference a rest point: ``baseline_2021`` at default parameters stays
at 1.

**Crisis risk** in a theater is ``1 - exp(-crisis_scale × pressure)``, where pressure is
``θ × tension + (1 - θ) × opportunity`` and opportunity ``(1 + β) / (1 + β δ)`` falls as
credible deterrence ``δ`` rises: a security-seeking adversary stumbles into crises when
tension is high, a greedy one seizes them when deterrence is weak. An index, not a
probability forecast.

**Stability verdict** (:func:`long_run_verdict`, :func:`jacobian`, :func:`eigenvalue`):
decided on a 200-year path whatever the horizon shown. The one-year map is linearised,
in postures *and* cohesion (the U.S. pivot held), at the path's last year: the scenario's
own rest point when the path has settled, the escaping path when it spirals. Above 1 a
disturbance grows (``"spiral"``), below 1 it dies out (``"settles"``); a path whose
postures still climb geometrically is a spiral whatever the linearisation says. The words
carry the time scale ("spiral within 40 years"): see :func:`lessons.model.dynamics.long_run`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial, wraps
from typing import TypeVar

import numpy as np

from lessons.model import burden, credibility, dynamics, korea, network, parameters, threat
from lessons.model.errors import ModelError

# ``subjects`` is re-exported: the deterrence and uncertainty views read it from here.
from lessons.model.metrics import MAX_HORIZON, THEATER_SUBJECTS, subjects  # noqa: F401
from lessons.model.network import PAIR_LABELS, PAIRS, Actors, Structure
from lessons.model.reciprocity import mutual_accommodation
from lessons.model.result import Result
from lessons.model.scenario import Scenario, active_links_for, reference_toggles

_T = TypeVar("_T")


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


@lru_cache(maxsize=1)
def _constants() -> dict:
    """Indices and constant arrays every run uses (cached)."""
    act = network.actors()
    ia = np.array([act.index(a) for a, _ in PAIRS])
    ib = np.array([act.index(b) for _, b in PAIRS])
    src = np.ravel(np.column_stack([ib, ia]))  # the partner each pair term multiplies
    dst = np.ravel(np.column_stack([ia, ib]))  # the actor each pair row adds to
    eye = np.eye(act.n)
    return {
        "usa": act.index("USA"), "chn": act.index("CHN"), "prk": act.index("PRK"),
        "ia": ia, "ib": ib,
        "k_cp": PAIR_LABELS.index("CHN-PRK"), "k_rp": PAIR_LABELS.index("RUS-PRK"),
        # the theater column each actor lives in (credibility is by theater)
        "theater_of": np.where(act.home_ip > 0, 1, 0),
        "axis": act.axis[None, :].astype(float), "european": act.european[None, :] * 1.0,
        "select_src": eye[src], "select_usa": eye[[act.index("USA")]],
        # the pair each of the 6 pair terms belongs to, and where the row terms land
        "pair_of": np.repeat(np.arange(len(PAIRS)), 2),
        "row_dst": dst,
    }


@lru_cache(maxsize=256)
def _logit_kappa0(structure: Structure) -> np.ndarray:
    return _logit(structure.kappa0)[None, :]


@lru_cache(maxsize=1)
def _reference_structure() -> Structure:
    return network.build_structure(active_links_for(reference_toggles(), 2021))


@lru_cache(maxsize=256)
def _retaliation_change(structure: Structure) -> np.ndarray:
    """Retaliation pressure on each adversary pair above its 2021 value, ``(1, 3)``."""
    return (structure.retaliation - _reference_structure().retaliation)[None, :]


def _m_reference(theta: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Mutual accommodation of the 2021 policy under the same assumptions.

    The draw's motive mix and noise, with the default (2021) generosity. Measuring the
    reciprocity adjustment against it keeps 2021 a rest point whatever θ and noise are;
    only a change of policy (generosity) moves hostility.

    Parameters
    ----------
    theta, noise : ndarray (D,)
        Motive mix and reciprocity noise per draw.

    Returns
    -------
    ndarray (D,)
        Long-run share of mutual accommodation (read-only for a single draw: cached).
    """
    g = np.full_like(theta, parameters.defaults()["generosity"])
    return _mutual_accommodation({"theta": theta, "reciprocity_noise": noise,
                                  "generosity": g})


def params_batch(values: Mapping[str, np.ndarray | float], draws: int = 1
                 ) -> dict[str, np.ndarray]:
    """Every parameter as a float array of shape ``(draws,)`` (defaults fill gaps)."""
    defaults = parameters.defaults()
    unknown = [k for k in values if k not in defaults]
    if unknown:
        raise ModelError(f"unknown parameters {sorted(unknown)}; valid parameters: "
                         f"{', '.join(parameters.names())}")
    if draws == 1 and all(isinstance(v, float | int) for v in values.values()):
        return {k: np.array([float(values.get(k, d))]) for k, d in defaults.items()}
    return {k: np.broadcast_to(np.asarray(values.get(k, d), dtype=float), (draws,)).copy()
            for k, d in defaults.items()}


@dataclass(frozen=True, eq=False)
class _World:
    """Per-structure, per-batch arrays (built once per run).

    ``op`` maps effective capability to threat; ``w_cred`` ``(D, 2, n)`` gives credible
    deterrence per theater (U.S. part apart); ``home`` ``(D, n)`` the weights of European
    effort at home (burden shifting).
    """

    op: threat.ThreatOperator
    w_cred: np.ndarray
    home: np.ndarray
    kappa0: np.ndarray
    prov: np.ndarray
    bp: np.ndarray


def _world(st: Structure, act: Actors, P: dict[str, np.ndarray], f: np.ndarray) -> _World:
    op = threat.threat_operator(st, f, P["encirclement"], P["distance_discount"],
                                P["deployment_share"])
    dep = threat.deployed_share(st, P["deployment_share"])
    w_ea, w_ip = credibility.credibility_weights(st, act, dep, P["distance_discount"],
                                                 P["euro_interest"])
    D = f.shape[0]
    return _World(op=op, w_cred=np.stack([w_ea, w_ip], axis=1),
                  home=act.european[None, :] * (1 - dep),
                  kappa0=np.broadcast_to(st.kappa0, (D, len(PAIRS))).copy(),
                  prov=credibility.provocation(st, P["nationalism"]),
                  bp=network.pressure(st, P["encirclement"]))


def run(structure: Structure, P: dict[str, np.ndarray], horizon: int,
        verdict: bool = True) -> dict[str, np.ndarray]:
    """Simulate a batch of draws on one structure.

    Parameters
    ----------
    structure : Structure
        The links in force (:func:`lessons.model.network.build_structure`).
    P : dict of str to ndarray (D,)
        Every parameter per draw (see :func:`params_batch`).
    horizon : int
        Years after 2024 (the arrays hold ``horizon + 1`` years).
    verdict : bool
        Also decide the stability verdict: the dynamics run on to
        ``dynamics.VERDICT_YEARS`` (200 years) if the horizon is shorter, and the result
        has ``"eigenvalue"`` ``(D,)`` and ``"verdict"`` (:func:`lessons.model.dynamics.
        long_run`'s arrays); otherwise ``"state"``, the state at the horizon's end.

    Returns
    -------
    dict of str to ndarray
        One array per metric, shape ``(D, horizon + 1, number of subjects)``, and
        ``"eigenvalue"`` or ``"state"``.
    """
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) \
            or not 1 <= horizon <= MAX_HORIZON:
        raise ModelError(f"horizon must be a whole number of years from 1 to {MAX_HORIZON}, "
                         f"got {horizon!r}")
    act = network.actors()
    K = _constants()
    n, D = act.n, P["theta"].shape[0]
    usa, chn, prk, ia, ib, k_cp, k_rp, theater_of, axis, european = (
        K["usa"], K["chn"], K["prk"], K["ia"], K["ib"], K["k_cp"], K["k_rp"],
        K["theater_of"], K["axis"], K["european"])

    th, k, a = P["theta"], P["reaction"], P["fatigue"]
    greed, beta = P["greed"], P["deterrence_sensitivity"]
    c = threat.capability_index(act.spending, P["capability_exponent"])
    theta_i = np.where(axis, th[:, None], 1.0)

    # reciprocity: hostility toward China scales with the long-run lack of accommodation
    m = _mutual_accommodation(P)
    m_ref = _m_reference(th, P["reciprocity_noise"])
    f = 1 + P["reciprocity_weight"] * ((1 - m) / (1 - m_ref) - 1)

    # the 2021 reference under the same assumptions (2021 pivot, f = 1: no new policy)
    ref = _reference(P)
    t_ref, t_scale, cred_ref, e_ref, bp_ref, tension_ref, bel_ref = ref

    # this scenario's world
    w = _world(structure, act, P, f)
    drive = dynamics.calibrated_grievance(a, k, theta_i, 1.0, greed, beta)
    drive += axis * P["grievance"][:, None] + european * P["euro_home_effort"][:, None]
    z0 = _logit_kappa0(structure) - P["cohesion_gain"][:, None] \
        + P["balance_pressure"][:, None] * (w.bp / bp_ref - 1) \
        + P["retaliation"][:, None] * _retaliation_change(structure)
    gain, speed = P["cohesion_gain"][:, None], P["cohesion_decay"][:, None]
    inv_scale = 1 / t_scale
    offset = 1 - t_ref * inv_scale
    offset[:, chn] += w.prov
    inv_cred_ref = 1 / cred_ref
    keep = (1 - a)[:, None]
    react = k[:, None] * theta_i
    greedy = (1 - theta_i) * greed[:, None]
    b1 = beta[:, None]

    # the verdict looks at a long path whatever the horizon shown (see dynamics.long_run)
    span = max(horizon, dynamics.VERDICT_YEARS) if verdict else horizon
    years = span + 1
    X = np.empty((years, D, n))
    TAU = np.empty((years, D, n))
    KAP = np.empty((years, D, len(PAIRS)))
    REL = np.empty((years, D, 2))
    PIV = np.empty((years, D))
    # Every linear function of posture-weighted capability v a year needs, in one matrix
    # (so a year costs one matrix product): effective capability is A v with
    # A = I + deployment_share * support (support received); rows: the static threat
    # (scaled to index units), the partner capability each pair term uses, the pair rows,
    # Europe's effort at home, credible deterrence per theater (scaled by its 2021 value)
    # and U.S. capability.
    op = w.op
    npair = op.col.shape[1]
    w_cred = w.w_cred.copy()
    w_cred[:, 0, usa] += 1.0  # the U.S. share in Europe is 1 - p: the -p comes below
    L0 = np.concatenate([op.B0 * inv_scale[:, :, None],
                         np.broadcast_to(K["select_src"], (D, npair, n)),
                         op.row, w.home[:, None, :], w_cred * inv_cred_ref[:, :, None],
                         np.broadcast_to(K["select_usa"], (D, 1, n))], axis=1)
    # L A with A = I + s * support; support links are few: one column each, not a product
    L = credibility.supported_map(L0, structure, P["deployment_share"], inplace=True)
    i_pair, i_row, i_home = n, n + npair, n + 2 * npair
    i_cred, i_usa = n + 2 * npair + 1, n + 2 * npair + 3
    scatter = op.scatter  # (6, n): row term j adds to the threat its pair's target feels
    # the pair terms: columns (the partner's capability seen by the other's rivals) and
    # rows (one partner feels the other's rivals), in index units
    col_out = op.col * inv_scale[:, None, :]
    row_piv = op.row1
    row_scale = inv_scale[:, K["row_dst"]]
    enc = P["encirclement"][:, None]
    pair_of = K["pair_of"]  # which pair each of the 6 terms belongs to
    base = P["us_pivot"] - P["burden_shift"] * e_ref
    shift = P["burden_shift"]
    # the pivot moves U.S. credibility from Europe to Asia
    sign = np.array([-1.0, 1.0])[None, :] * inv_cred_ref
    b1_scaled = op.b1 * inv_scale  # threat terms in index units
    # cohesion: kappa' = (1 - speed) kappa + speed * logistic(z0 + gain * shared threat),
    # with the logistic written through tanh
    z0h, gainh, half_speed, keep_k = 0.5 * z0, 0.5 * gain, 0.5 * speed, 1 - speed
    lo, hi = burden.PIVOT_MIN, burden.PIVOT_MAX
    if D == 1:  # one draw (a widget's run): the same map on 1-d arrays and plain floats
        # A benchmark (make bench: simulate_ms, toggle_to_chart_ms) shows the batched loop
        # at 30 µs a year for one draw against 13 µs here: numpy's per-call overhead on
        # (1, n) arrays. tests/model/test_model.py checks both paths give the same run.
        L1, c1, off1, b1s = L[0], c[0], offset[0], b1_scaled[0]
        sgn, react1, greedy1, drive1, z0h1 = sign[0], react[0], greedy[0], drive[0], z0h[0]
        co1, rp1, rs1, enc1 = col_out[0], row_piv[0], row_scale[0], float(enc[0, 0])
        base1, shift1, keep1, beta1 = float(base[0]), float(shift[0]), float(keep[0, 0]), \
            float(beta[0])
        gh1, hs1, kk1 = float(gainh[0, 0]), float(half_speed[0, 0]), float(keep_k[0, 0])
        x1, kappa1 = np.ones(n), w.kappa0[0].copy()
        for t in range(years):
            z = L1 @ (c1 * x1)
            p1 = min(max(base1 + shift1 * float(z[i_home]), lo), hi)
            pu1 = p1 * float(z[i_usa])
            wk1 = enc1 * kappa1[pair_of]
            tau1 = z[:n] + off1 + pu1 * b1s + (wk1 * z[i_pair:i_row]) @ co1
            tau1 += (wk1 * (z[i_row:i_home] + pu1 * rp1) * rs1) @ scatter
            rel1 = z[i_cred:i_usa] + pu1 * sgn
            X[t, 0], TAU[t, 0], KAP[t, 0], REL[t, 0], PIV[t, 0] = x1, tau1, kappa1, rel1, p1
            if t == span:
                break
            x1 = keep1 * x1 + react1 * tau1 + greedy1 / (1 + beta1 * rel1[theater_of]) + drive1
            np.maximum(x1, 0.0, out=x1)  # the calibrated drive may be negative: floor at 0
            kappa1 = kk1 * kappa1 + hs1 * (1 + np.tanh(z0h1 + gh1 * np.sqrt(tau1[ia]
                                                                            * tau1[ib])))
        x, tau, kappa, rel, p = x1[None], tau1[None], kappa1[None], rel1[None], np.array([p1])
    else:
        x = np.ones((D, n))
        kappa = w.kappa0
        for t in range(years):
            z = np.matmul(L, (c * x)[:, :, None])[:, :, 0]
            p = np.minimum(np.maximum(base + shift * z[:, i_home], lo), hi)
            pu = p * z[:, i_usa]  # U.S. effective capability in Asia
            wk = enc * kappa[:, pair_of]  # (D, 6)
            tau = (z[:, :n] + offset + pu[:, None] * b1_scaled + np.matmul(
                (wk * z[:, i_pair:i_row])[:, None, :], col_out)[:, 0])
            # each adversary is in two pairs: scatter the six row terms onto their targets
            tau += (wk * (z[:, i_row:i_home] + pu[:, None] * row_piv) * row_scale) @ scatter
            rel = z[:, i_cred:i_usa] + pu[:, None] * sign
            X[t], TAU[t], KAP[t], REL[t], PIV[t] = x, tau, kappa, rel, p
            if t == span:
                break
            x = keep * x + react * tau + greedy / (1 + b1 * rel[:, theater_of]) + drive
            np.maximum(x, 0.0, out=x)
            kappa = keep_k * kappa + half_speed * (
                1 + np.tanh(z0h + gainh * np.sqrt(tau[:, ia] * tau[:, ib])))

    X_long = X
    X, TAU, KAP, REL, PIV = (a[:horizon + 1] for a in (X, TAU, KAP, REL, PIV))
    # outputs that do not feed back, computed for all years at once: (years, D, ...)
    vt = c[None] * X * TAU
    homes = np.stack([act.home_ea, act.home_ip], axis=1)  # (n, 2)
    ten = (threat.small_dot(vt, homes)
           + np.stack([1 - PIV, PIV], axis=-1) * vt[..., usa, None]) / tension_ref
    opp = (1 + beta)[None, :, None] / (1 + beta[None, :, None] * REL)
    press = th[None, :, None] * ten + (1 - th)[None, :, None] * opp
    crisis = -np.expm1(-P["crisis_scale"][None, :, None] * press)
    support = 0.5 * (KAP[..., k_cp] + KAP[..., k_rp])
    # a patron retaliating against Seoul also restrains Pyongyang less (¶18)
    dr = _retaliation_change(structure)[0]
    leverage = korea.retaliating_leverage(P["patron_leverage"], P["retaliation"],
                                          0.5 * (dr[k_cp] + dr[k_rp]))
    bel = korea.belligerence(X[..., prk], support, leverage[None])
    window = korea.window(bel, bel_ref[None], P["window_base"][None],
                          P["window_sensitivity"][None])
    out = {
        "posture": X, "threat": TAU, "tension": ten, "cohesion": KAP, "credibility": REL,
        "diplomacy_window": window[..., None], "crisis_risk": crisis,
        "us_pivot": PIV[..., None],
    }
    out = {name: arr.swapaxes(0, 1) for name, arr in out.items()}

    state = _FinalState(w=w, x=x, tau=tau, kappa=kappa, p=p, rel=rel, c=c,
                        t_scale=t_scale, theta_i=theta_i, P=P, inv_cred_ref=inv_cred_ref,
                        structure=structure, z0=z0, offset=offset, drive=drive,
                        e_ref=e_ref)
    if verdict:
        long = dynamics.long_run(X_long.swapaxes(0, 1), eigenvalue(state))
        out["eigenvalue"] = long["eigenvalue"]
        out["verdict"] = long
    else:
        out["state"] = state
    return out


@dataclass(frozen=True, eq=False)
class _FinalState:
    """What the stability verdict needs from the end of a run."""

    w: _World
    x: np.ndarray
    tau: np.ndarray
    kappa: np.ndarray
    p: np.ndarray
    rel: np.ndarray
    c: np.ndarray
    t_scale: np.ndarray
    theta_i: np.ndarray
    P: dict
    inv_cred_ref: np.ndarray
    structure: Structure
    z0: np.ndarray
    offset: np.ndarray
    drive: np.ndarray
    e_ref: np.ndarray


def jacobian(state: _FinalState) -> np.ndarray:
    """The one-year map linearised at a run's final state, ``(D, n + 3, n + 3)``.

    The state is the postures of the ``n`` actors and the cohesion of the three adversary
    pairs: interlinking feeds back through both (threat raises cohesion, cohesion carries
    encirclement, which raises threat). The U.S. pivot is held at its final value.
    """
    act = network.actors()
    w, p, c, P, op = state.w, state.p, state.c, state.P, state.w.op
    D, n = c.shape
    usa = act.index("USA")
    theater_of = np.where(act.home_ip > 0, 1, 0)
    # effective capability is A v with A = I + s * support (support received)
    A = np.eye(n)[None] + P["deployment_share"][:, None, None] * state.structure.support[None]
    M = np.matmul(op.matrix(state.kappa, p), A)
    # derivative of the deterrence each adversary faces w.r.t. postures
    dd = np.zeros((D, n, n))
    for i in np.flatnonzero(act.axis):
        col = theater_of[i]
        row = w.w_cred[:, col].copy()
        row[:, usa] += p if col == 1 else 1 - p
        dd[:, i, :] = np.matmul(row[:, None, :], A)[:, 0] * c \
            * state.inv_cred_ref[:, col, None]
    B = dynamics.posture_jacobian(M, c, state.t_scale, state.theta_i, P["fatigue"],
                                  P["reaction"], P["greed"], P["deterrence_sensitivity"],
                                  state.rel[:, theater_of], dd)
    # threat per unit of cohesion: the pair terms without their weight e * kappa
    ve = np.matmul(A, (c * state.x)[:, :, None])[:, :, 0]
    pu = p * ve[:, usa]
    g = op.col * ve[:, op.col_src][:, :, None]  # (D, 6, n)
    rows = np.matmul(op.row, ve[:, :, None])[:, :, 0] + pu[:, None] * op.row1
    g += rows[:, :, None] * op.scatter[None]
    dT_dk = P["encirclement"][:, None, None] * (g[:, 0::2] + g[:, 1::2])  # (D, 3, n)
    dtau_dk = dT_dk / state.t_scale[:, None, :]
    dtau_dx = M * c[:, None, :] / state.t_scale[:, :, None]
    # cohesion: kappa' = kappa + speed (sigmoid(z0 + gain sqrt(tau_a tau_b)) - kappa)
    ia = np.array([act.index(a) for a, _ in PAIRS])
    ib = np.array([act.index(b) for _, b in PAIRS])
    ta, tb = state.tau[:, ia], state.tau[:, ib]
    gain, speed = P["cohesion_gain"][:, None], P["cohesion_decay"][:, None]
    tgt = 0.5 + 0.5 * np.tanh(0.5 * (state.z0 + gain * np.sqrt(ta * tb)))
    slope = speed * tgt * (1 - tgt) * gain * 0.5  # (D, 3)
    wa, wb = np.sqrt(tb / ta), np.sqrt(ta / tb)
    J = np.zeros((D, n + 3, n + 3))
    J[:, :n, :n] = B
    J[:, :n, n:] = np.swapaxes(P["reaction"][:, None, None] * state.theta_i[:, None, :]
                               * dtau_dk, 1, 2)
    J[:, n:, :n] = slope[:, :, None] * (wa[:, :, None] * dtau_dx[:, ia, :]
                                        + wb[:, :, None] * dtau_dx[:, ib, :])
    J[:, n:, n:] = slope[:, :, None] * (wa[:, :, None] * np.swapaxes(dtau_dk[:, :, ia], 1, 2)
                                        + wb[:, :, None] * np.swapaxes(dtau_dk[:, :, ib], 1, 2))
    J[:, n:, n:] += (1 - speed)[:, :, None] * np.eye(3)[None]
    # A posture held at the floor (x = 0 at rest: the map pushes it below zero and
    # np.maximum puts it back) does not move when the others are nudged: its row of the
    # floored map's derivative is zero. Linearising through the floor would report an
    # instability along a direction the postures cannot take.
    J[:, :n, :] *= (state.x > 0.0)[:, :, None]
    return J


def eigenvalue(state: _FinalState) -> np.ndarray:
    """Spectral radius of :func:`jacobian` at a run's final state, ``(D,)``: above 1 the
    postures and cohesion spiral, below 1 they settle."""
    return dynamics.spectral_radius(jacobian(state))


def long_run_verdict(structure: Structure, P: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The stability verdict of a batch of draws on one structure, from a 200-year path
    (:func:`lessons.model.dynamics.long_run`'s arrays, vectorised over draws)."""
    return run(structure, P, dynamics.VERDICT_YEARS, verdict=True)["verdict"]


def _one_draw_memo(*keys: str, maxsize: int = 256
                   ) -> Callable[[Callable[[dict[str, np.ndarray]], _T]],
                                 Callable[[Mapping[str, np.ndarray]], _T]]:
    """Memoise a vectorised function of some parameters for single draws.

    A widget re-simulates one draw on every click, and the 2021 reference and the
    reciprocity game depend on only a few parameters, so a single draw's result is cached
    under those parameters' values. The cache calls the same vectorised function with
    one-element arrays, so cached and batched results come from one implementation.

    Parameters
    ----------
    *keys : str
        The parameters the function reads (it is given only these).
    maxsize : int
        Distinct single draws remembered.

    Returns
    -------
    callable
        A decorator; the wrapped function takes the parameter arrays ``(D,)`` and has a
        ``cache_clear()``. Cached arrays are read-only.
    """
    def decorate(fn: Callable[[dict[str, np.ndarray]], _T]
                 ) -> Callable[[Mapping[str, np.ndarray]], _T]:
        @lru_cache(maxsize=maxsize)
        def one(values: tuple[float, ...]) -> _T:
            out = fn({k: np.array([v]) for k, v in zip(keys, values, strict=True)})
            for arr in out if isinstance(out, tuple) else (out,):
                arr.setflags(write=False)
            return out

        @wraps(fn)
        def call(P: Mapping[str, np.ndarray]) -> _T:
            if P[keys[0]].shape[0] == 1:
                return one(tuple(float(P[k][0]) for k in keys))
            return fn({k: P[k] for k in keys})

        call.cache_clear = one.cache_clear  # type: ignore[attr-defined]
        return call
    return decorate


@_one_draw_memo("theta", "reciprocity_noise", "generosity", maxsize=512)
def _mutual_accommodation(P: dict[str, np.ndarray]) -> np.ndarray:
    """Long-run mutual accommodation between the coalition and China per draw.

    Parameters
    ----------
    P : dict of str to ndarray (D,)
        ``theta``, ``reciprocity_noise`` and ``generosity`` per draw.

    Returns
    -------
    ndarray (D,)
        :func:`lessons.model.reciprocity.mutual_accommodation` (cached, read-only, for a
        single draw: a widget re-simulates one draw on every click).
    """
    return mutual_accommodation(P["theta"], P["reciprocity_noise"], P["generosity"])


@_one_draw_memo("capability_exponent", "deployment_share", "distance_discount",
                "encirclement", "euro_interest", "nationalism")
def _reference(P: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """The 2021 reference every index is measured against, for a batch of draws.

    The ``baseline_2021`` network at 2021 postures (x = 1), with the 2021 U.S. pivot and
    no reciprocity adjustment (f = 1), under each draw's assumptions.

    Parameters
    ----------
    P : dict of str to ndarray (D,)
        The parameters named in the decorator, per draw.

    Returns
    -------
    tuple of ndarray
        Threat ``(D, n)``, its scale ``(D, n)``, credibility ``(D, 2)``, European home
        effort ``(D,)``, balance pressure ``(D, 3)``, tension ``(D, 2)`` and North Korean
        belligerence ``(D,)`` (cached and read-only for a single draw).
    """
    act = network.actors()
    D = P["encirclement"].shape[0]
    usa = act.index("USA")
    ref_st = _reference_structure()
    ref = _world(ref_st, act, P, np.ones(D))
    p_ref = np.full(D, parameters.defaults()["us_pivot"])  # the 2021 pivot
    c = threat.capability_index(act.spending, P["capability_exponent"])
    c_eff = credibility.supported(c, ref_st, P["deployment_share"])
    t_ref = ref.op(c_eff, ref.kappa0, p_ref)
    t_scale = t_ref + t_ref.mean(axis=1, keepdims=True)
    cred_ref = credibility.credibility(c_eff, p_ref, ref.w_cred, usa)
    e_ref = np.einsum("dn,dn->d", c, ref.home)
    bp_ref = np.maximum(ref.bp, 1e-6)
    tension_ref = np.stack([c @ act.home_ea + (1 - p_ref) * c[:, usa],
                            c @ act.home_ip + p_ref * c[:, usa]], axis=1)
    k_cp, k_rp = PAIR_LABELS.index("CHN-PRK"), PAIR_LABELS.index("RUS-PRK")
    s_ref = 0.5 * (ref.kappa0[:, k_cp] + ref.kappa0[:, k_rp])
    # 2021 belligerence with the default leverage: stronger restraint than that widens
    # the window even in the 2021 world
    bel_ref = korea.belligerence(1.0, s_ref, parameters.defaults()["patron_leverage"])
    return t_ref, t_scale, cred_ref, e_ref, bp_ref, tension_ref, bel_ref


def simulate(sc: Scenario, horizon: int = 20) -> Result:
    """Simulate one scenario from 2024 to ``2024 + horizon``.

    Parameters
    ----------
    sc : Scenario
        From :func:`lessons.model.load_scenario` (possibly with toggles or parameters
        changed).
    horizon : int
        Number of years to run (1 to 200); the result has ``horizon + 1`` years.

    Returns
    -------
    Result
        Metrics by year and subject, the scenario and parameters that produced them, and
        the stability verdict.
    """
    if not isinstance(sc, Scenario):
        raise ModelError(f"simulate() needs a Scenario (load_scenario(name)), got "
                         f"{type(sc).__name__}")
    st = network.build_structure(sc.link_set())
    out = run(st, params_batch(sc.params), horizon, verdict=False)
    state = out.pop("state")
    arrays = {name: arr[0] for name, arr in out.items()}
    return Result(scenario=sc, params=sc.params, horizon=horizon, arrays=arrays,
                  _state=state, _long_run=partial(long_run_verdict, st, state.P))
