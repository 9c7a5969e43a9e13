"""Lesson 09's live parts: the predict-first question on the sensitivity table.

The charts and the sentences are :mod:`lessons.views.uncertainty_view`'s; this module only
wires them into a :class:`~lessons.live.predict.Predict`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from lessons.live.predict import Predict
from lessons.views import uncertainty_view as uv


def predict_assumption(sens: pd.DataFrame, candidates: Sequence[str]) -> Any:
    """A predict-first question: which of ``candidates`` moves the outcome most?

    Parameters
    ----------
    sens : pandas.DataFrame
        A sensitivity table (:func:`lessons.model.sensitivity`).
    candidates : sequence of str
        Parameter names offered as the options.

    Returns
    -------
    Predict
        The model's answer is :func:`~lessons.views.uncertainty_view.top_parameter` among
        the candidates; its explanation is
        :func:`~lessons.views.uncertainty_view.summarise_tornado`.
    """
    candidates = list(candidates)
    what = uv._sens_outcome(sens.attrs)
    return Predict(
        f"Which of these assumptions, moved across its plausible range with the others held "
        f"fixed, changes the {what} the most?",
        {p: uv.parameter_label(p) for p in candidates},
        outcome=lambda: uv.top_parameter(sens, among=candidates),
        explain=lambda _key: uv.summarise_tornado(sens),
    )
