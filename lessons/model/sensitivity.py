"""One-factor-at-a-time sensitivity (ten Broeke et al. 2016).

Every parameter in turn is set to the low and then the high end of its range, the others
held at the scenario's values; the outcome is recomputed each time. The table says which
assumption moves the outcome most (``swing``) and which flip its sign (``flips_sign``) or
the stability verdict (``flips_verdict``). All variants are simulated in one vectorised
batch.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from lessons.model import network, parameters
from lessons.model.engine import params_batch, run
from lessons.model.errors import ModelError
from lessons.model.metrics import subject_column
from lessons.model.scenario import Scenario, _check_toggle


def sensitivity(sc: Scenario, metric: str = "tension", subject: str = "indo_pacific",
                toggle: str | None = None, horizon: int = 20,
                vary: Iterable[str] | None = None) -> pd.DataFrame:
    """One-factor-at-a-time sensitivity of a final-year outcome.

    Parameters
    ----------
    sc : Scenario
    metric, subject : str
        The outcome: ``metric`` for ``subject`` in the last year.
    toggle : str, optional
        If given, the outcome is the toggle's *effect*: the outcome with the toggle on
        minus with it off — so ``flips_sign`` says which assumptions reverse the effect.
    horizon : int
    vary : iterable of str, optional
        Only these parameters, as a list (``vary=["theta"]``; not one string); default:
        every parameter.

    Returns
    -------
    pandas.DataFrame
        One row per parameter, sorted by ``swing`` (largest first): ``parameter,
        low_value, high_value, outcome_at_low, outcome_at_high, swing`` (absolute
        difference), ``flips_sign`` (the outcome's sign differs between the two ends),
        ``base_outcome`` (at the scenario's values), ``verdict_at_low``,
        ``verdict_at_high`` and ``flips_verdict`` (the stability verdict — of the scenario
        as given, with the toggle on if one is given — differs).
    """
    if not isinstance(sc, Scenario):
        raise ModelError(f"sensitivity() needs a Scenario (use load_scenario), got "
                         f"{type(sc).__name__}")
    col = subject_column(metric, subject)
    names = parameters.names() if vary is None else tuple(
        dict.fromkeys(parameters.check_names(vary)))
    if not names:
        raise ModelError("vary is empty: name at least one parameter, or leave it out for all")
    rng = parameters.ranges()
    n = len(names)
    # row 0: the scenario; rows 1..n: low ends; rows n+1..2n: high ends
    values = {k: np.full(2 * n + 1, sc.params[k]) for k in parameters.names()}
    for i, k in enumerate(names):
        values[k][1 + i], values[k][1 + n + i] = rng[k]
    P = params_batch(values, 2 * n + 1)
    if toggle is None:
        out = run(network.build_structure(sc.link_set()), P, horizon)
        y = out[metric][:, -1, col]
        eig = out["eigenvalue"]
    else:
        _check_toggle(toggle)
        on = run(network.build_structure(sc.with_toggle(toggle, True).link_set()), P, horizon)
        off = run(network.build_structure(sc.with_toggle(toggle, False).link_set()), P,
                  horizon, verdict=False)
        y = on[metric][:, -1, col] - off[metric][:, -1, col]
        eig = on["eigenvalue"]
    low, high = y[1:n + 1], y[n + 1:]
    label = np.where(eig > 1.0, "spiral", "settles")
    df = pd.DataFrame({
        "parameter": list(names),
        "low_value": [rng[k][0] for k in names],
        "high_value": [rng[k][1] for k in names],
        "outcome_at_low": low,
        "outcome_at_high": high,
        "swing": np.abs(high - low),
        "flips_sign": np.sign(low) != np.sign(high),
        "base_outcome": np.full(n, y[0]),
        "verdict_at_low": label[1:n + 1],
        "verdict_at_high": label[n + 1:],
    })
    df["flips_verdict"] = df["verdict_at_low"] != df["verdict_at_high"]
    df = df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    df.attrs.update(scenario=sc.name, metric=metric, subject=subject, toggle=toggle)
    return df
