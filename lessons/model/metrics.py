"""The metrics a simulation reports and their subjects (shared by the engine and the result).

This module sits below both :mod:`lessons.model.engine` (which computes the metrics) and
:mod:`lessons.model.result` (which names and reshapes them), so neither has to import the
other.
"""

from __future__ import annotations

from lessons.model import network
from lessons.model.errors import ModelError, choices
from lessons.model.network import PAIR_LABELS, Actors

#: The first simulated year (the article was published in July 2024).
START_YEAR = 2024
#: The longest horizon a run accepts, in years.
MAX_HORIZON = 200
#: The theaters, subjects of the by-theater metrics.
THEATER_SUBJECTS = network.THEATERS


def subjects(act: Actors) -> dict[str, tuple[str, ...]]:
    """Subjects of each metric, in the order of :attr:`lessons.model.Result.tidy`.

    Parameters
    ----------
    act : Actors
        The actors (:func:`lessons.model.network.actors`).

    Returns
    -------
    dict of str to tuple of str
        Metric name -> its subjects (actors, theaters, adversary pairs, ...).
    """
    return {
        "posture": act.ids,
        "threat": act.ids,
        "tension": THEATER_SUBJECTS,
        "cohesion": PAIR_LABELS,
        "credibility": THEATER_SUBJECTS,
        "diplomacy_window": ("korea",),
        "crisis_risk": THEATER_SUBJECTS,
        "us_pivot": ("indo_pacific",),
    }


def subject_column(metric: str, subject: str) -> int:
    """Column of ``subject`` in ``metric``'s output.

    Parameters
    ----------
    metric, subject : str
        A metric of :func:`subjects` and one of its subjects.

    Returns
    -------
    int
        The column index.

    Raises
    ------
    ModelError
        If the metric or the subject is unknown (the message lists the valid choices).
    """
    subj = subjects(network.actors())
    if metric not in subj:
        raise ModelError(f"unknown metric {metric!r}; valid metrics: {choices(subj)}")
    if subject not in subj[metric]:
        raise ModelError(f"unknown subject {subject!r} for metric {metric!r}; valid "
                         f"subjects: {choices(subj[metric])}")
    return subj[metric].index(subject)
