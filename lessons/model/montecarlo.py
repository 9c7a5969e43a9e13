"""Uncertainty: seeded Monte Carlo over the parameters' plausible ranges.

Each varied parameter is drawn from a triangular distribution on ``[low, high]`` with its
mode at the scenario's value (the documented default unless the scenario sets it):
values near the default are likeliest, the whole range is possible. Parameters the
scenario sets explicitly (``Scenario.overrides``, e.g. ``theta`` in the deterrence world)
are held at their values, since they define the scenario; pass ``vary`` to choose.

All draws are simulated at once (numpy arrays with a leading draw axis; no Python loop per
draw). The random stream draws every parameter in table order whatever is varied, so the
same seed gives the same numbers, and two scenarios run with the same seed share their
draws (common random numbers: a toggle's effect is measured draw by draw).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from lessons.model import network, parameters
from lessons.model.engine import params_batch, run
from lessons.model.errors import ModelError, choices
from lessons.model.metrics import START_YEAR, subject_column, subjects
from lessons.model.scenario import Scenario, _check_toggle
from lessons.quoting import quote_bounded as short

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
MAX_DRAWS = 200_000


def _whole(value: object) -> bool:
    """Whether ``value`` is a Python or numpy integer (a bool is not a count)."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _check_draws(draws: object) -> int:
    if not _whole(draws) or not 1 <= draws <= MAX_DRAWS:  # type: ignore[operator]
        raise ModelError(f"draws must be a whole number from 1 to {MAX_DRAWS}, "
                         f"got {short(draws)}")
    return int(draws)  # type: ignore[call-overload]


def _check_seed(seed: object) -> int | None:
    """A seed is ``None`` (a fresh, unrepeatable stream) or a whole number >= 0."""
    if seed is None:
        return None
    if not _whole(seed) or seed < 0:  # type: ignore[operator]
        raise ModelError(f"seed must be a whole number of 0 or more (the same seed gives "
                         f"the same draws), or None for a fresh stream; got {short(seed)}")
    return int(seed)  # type: ignore[call-overload]


def _check_flag(value: object, arg: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise ModelError(f"{arg} must be True or False, got {short(value)}")
    return bool(value)


def _check_scenario(sc: object, caller: str) -> None:
    if not isinstance(sc, Scenario):
        raise ModelError(f"{caller}() needs a Scenario (use load_scenario), got "
                         f"{type(sc).__name__}")


def draw_params(sc: Scenario, draws: int, seed: int | None = 2024,
                vary: Iterable[str] | None = None) -> dict[str, np.ndarray]:
    """Parameter draws, one array of shape ``(draws,)`` per parameter.

    Parameters
    ----------
    sc : Scenario
        Supplies the fixed values and the modes.
    draws : int
        Number of draws.
    seed : int or None
        Seed of numpy's default generator (a whole number >= 0; ``None``: a fresh stream).
    vary : iterable of str, optional
        Parameters to draw (a list, not one string); default: every parameter the
        scenario does not override.

    Raises
    ------
    ModelError
        For a bad ``draws``, ``seed`` or ``vary`` (the message says what is valid).
    """
    _check_scenario(sc, "draw_params")
    draws = _check_draws(draws)
    seed = _check_seed(seed)
    names = parameters.names()
    if vary is None:
        varied = [n for n in names if n not in sc.overrides]
    else:
        varied = list(parameters.check_names(vary))
    rng = np.random.default_rng(seed)
    out = {}
    for name in names:
        low, high = parameters.ranges()[name]
        sample = rng.triangular(low, sc.params[name], high, size=draws)
        out[name] = sample if name in varied else np.full(draws, sc.params[name])
    return out


def quantiles(values: np.ndarray, probs: tuple[float, ...] = QUANTILES) -> np.ndarray:
    """Quantiles along the last axis (numpy's default 'linear' method), shape
    ``(len(probs), ...)``.

    Sorts a single-precision copy along the last axis once and interpolates in double
    precision: several times faster than ``np.quantile(..., axis=0)`` on a
    ``(draws, series)`` array, to about seven significant digits — plenty for a fan chart.
    """
    return _sorted_quantiles(values.astype(np.float32), probs)


def _sorted_quantiles(values: np.ndarray, probs: tuple[float, ...] = QUANTILES
                      ) -> np.ndarray:
    """:func:`quantiles` of an array it may sort in place."""
    values.sort(axis=-1)
    srt = values
    n = srt.shape[-1]
    out = []
    for q in probs:
        h = (n - 1) * q
        lo = int(np.floor(h))
        hi = min(lo + 1, n - 1)
        a, b = srt[..., lo].astype(float), srt[..., hi].astype(float)
        out.append(a + (h - lo) * (b - a))
    return np.stack(out)


def _summary(arrays: dict[str, np.ndarray], years: np.ndarray, subj: dict,
             eigen: np.ndarray | None) -> pd.DataFrame:
    names = list(subj)
    D, Y = arrays[names[0]].shape[:2]
    # per metric, a contiguous (years, subjects, draws) copy: mean and standard deviation
    # over draws in double precision, quantiles from a single-precision sort
    q, mean, sd = [], [], []
    for m in names:
        series = np.ascontiguousarray(np.transpose(arrays[m], (1, 2, 0))).reshape(-1, D)
        mean.append(series.mean(axis=1))
        sd.append(series.std(axis=1))
        q.append(_sorted_quantiles(series.astype(np.float32)))
    q, mean, sd = np.concatenate(q, axis=1), np.concatenate(mean), np.concatenate(sd)
    df = pd.DataFrame({
        "year": np.concatenate([np.repeat(years, len(subj[m])) for m in names]),
        "metric": np.concatenate([np.full(Y * len(subj[m]), m, dtype=object) for m in names]),
        "subject": np.concatenate([np.tile(np.array(subj[m], dtype=object), Y)
                                   for m in names]),
        "mean": mean, "sd": sd,
        **{f"q{round(p * 100):02d}": q[i] for i, p in enumerate(QUANTILES)},
    })
    if eigen is not None:
        qe = quantiles(eigen)
        row = {"year": int(years[-1]), "metric": "eigenvalue", "subject": "posture_system",
               "mean": eigen.mean(), "sd": eigen.std(),
               **{f"q{round(p * 100):02d}": qe[i] for i, p in enumerate(QUANTILES)}}
        df = pd.concat([df, pd.DataFrame([row])], ignore_index=True)
    df["year"] = df["year"].astype("int64")
    df["metric"] = df["metric"].astype(str)
    df["subject"] = df["subject"].astype(str)
    return df


def monte_carlo(sc: Scenario, draws: int = 10_000, seed: int | None = 2024,
                horizon: int = 20, *, summary: bool = True,
                vary: Iterable[str] | None = None,
                metrics: Iterable[str] | None = None, verdict: bool = False
                ) -> pd.DataFrame:
    """Seeded Monte Carlo of one scenario over its parameters' ranges.

    Parameters
    ----------
    sc : Scenario
    draws, horizon : int
        Number of draws (1 to 200,000) and of years.
    seed : int or None
        A whole number >= 0 (the same seed gives the same numbers), or ``None``.
    summary : bool
        ``True`` (default): one row per year, metric and subject with columns ``year,
        metric, subject, mean, sd, q05, q25, q50, q75, q95`` — for fan charts.
        ``False``: every draw in tidy form, columns ``draw, year, metric, subject,
        value`` (large: restrict ``metrics``).
    vary : iterable of str, optional
        Parameters to draw, as a list (default: those the scenario does not override).
    metrics : iterable of str, optional
        Only these metrics (tidy form only).
    verdict : bool
        Also compute each draw's stability verdict (an eigenvalue problem per draw: about
        a second more for 10,000 draws): the summary gets a row ``metric="eigenvalue"``,
        ``subject="posture_system"`` in the last year (above 1 means spiral); the tidy
        form gets rows with ``year`` the last year.

    Returns
    -------
    pandas.DataFrame
        ``df.attrs`` records the scenario name, draws, seed and varied parameters.
    """
    _check_scenario(sc, "monte_carlo")
    summary, verdict = _check_flag(summary, "summary"), _check_flag(verdict, "verdict")
    vary = None if vary is None else parameters.check_names(vary)
    if metrics is not None and isinstance(metrics, str):
        raise ModelError(f"metrics must be a list of metric names, not the single string "
                         f"{short(metrics)}: write metrics=[{short(metrics)}]")
    P = draw_params(sc, draws, seed, vary)
    out = run(network.build_structure(sc.link_set()), params_batch(P, len(P["theta"])),
              horizon, verdict=verdict)
    eigen = out.get("eigenvalue")
    subj = subjects(network.actors())
    years = np.arange(START_YEAR, START_YEAR + horizon + 1)
    if summary:
        df = _summary(out, years, subj, eigen)
    else:
        wanted = list(subj) if metrics is None else list(metrics)
        bad = [m for m in wanted if m not in subj]
        if bad:
            raise ModelError(f"unknown metrics {short(bad)}; valid metrics: {choices(subj)}")
        frames = []
        D = len(P["theta"])
        for metric in wanted:
            arr = out[metric]
            _, Y, S = arr.shape
            frames.append(pd.DataFrame({
                "draw": np.repeat(np.arange(D), Y * S),
                "year": np.tile(np.repeat(years, S), D),
                "metric": metric,
                "subject": np.tile(np.array(subj[metric], dtype=object), D * Y),
                "value": arr.reshape(-1),
            }))
        if eigen is not None:
            frames.append(pd.DataFrame({
                "draw": np.arange(D), "year": int(years[-1]), "metric": "eigenvalue",
                "subject": "posture_system", "value": eigen}))
        df = pd.concat(frames, ignore_index=True)
        df["metric"] = df["metric"].astype(str)
        df["subject"] = df["subject"].astype(str)
    df.attrs.update(scenario=sc.name, draws=len(P["theta"]), seed=seed,
                    varied=[n for n in parameters.names()
                            if np.ptp(P[n]) > 0 or (vary is not None and n in vary)])
    return df


def toggle_effect(sc: Scenario, toggle: str, *, metric: str = "crisis_risk",
                  subject: str = "indo_pacific", draws: int = 2000, seed: int | None = 2024,
                  horizon: int = 20, vary: Iterable[str] | None = None) -> dict[str, float]:
    """Effect of a toggle on one final-year outcome across Monte Carlo draws.

    Each draw is simulated with the toggle on and off (the same parameters), so the
    effect is measured draw by draw.

    Returns
    -------
    dict
        ``share_raises`` (share of draws in which turning the toggle on raises the
        outcome), ``mean_effect``, ``q05``, ``q50``, ``q95`` (on minus off), ``draws``.
    """
    _check_scenario(sc, "toggle_effect")
    _check_toggle(toggle)
    col = subject_column(metric, subject)
    P = params_batch(draw_params(sc, draws, seed, vary), int(draws))
    final = {}
    for on in (True, False):
        st = network.build_structure(sc.with_toggle(toggle, on).link_set())
        final[on] = run(st, P, horizon, verdict=False)[metric][:, -1, col]
    eff = final[True] - final[False]
    q = np.quantile(eff, (0.05, 0.5, 0.95))
    return {"share_raises": float((eff > 0).mean()), "mean_effect": float(eff.mean()),
            "q05": float(q[0]), "q50": float(q[1]), "q95": float(q[2]), "draws": int(draws)}
