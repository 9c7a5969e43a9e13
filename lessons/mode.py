"""The one switch between live widgets and static figures.

A lesson shows live ipywidgets and Plotly FigureWidgets when a person runs it in
JupyterLab, and plain static figures when it runs without a live front end (papermill batch
renders, strict nbval, the committed outputs). Those runs set ``LESSONS_STATIC=1``; nothing
else in the package decides which mode is in force.
"""

from __future__ import annotations

import os

ENV_VAR = "LESSONS_STATIC"


def is_static() -> bool:
    """Return True when lessons must produce static output (``LESSONS_STATIC=1``)."""
    return os.environ.get(ENV_VAR, "").strip().lower() in {"1", "true", "yes"}


def static_env() -> dict[str, str]:
    """A copy of the current environment with static mode switched on (for kernels we start)."""
    return {**os.environ, ENV_VAR: "1"}


#: Set by ``lessons present`` for the kernels Voilà starts (``voila``); may also be set to
#: ``lab`` or ``static`` by hand.
FRONT_END_VAR = "LESSONS_FRONT_END"
#: Where a lesson can be read: JupyterLab (live, code visible), Voilà (live, code hidden)
#: or a static page (saved outputs: the committed notebook, the rendered site).
FRONT_ENDS = ("lab", "voila", "static")
#: Variables Voilà itself sets in the kernels it starts (voila 0.5).
_VOILA_VARS = ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "VOILA_SERVER_URL")


def front_end() -> str:
    """Which front end the lesson is running for: ``"static"``, ``"voila"`` or ``"lab"``.

    Static mode (:func:`is_static`) wins; then :data:`FRONT_END_VAR` (an unknown value is
    ignored); then the variables Voilà sets in its kernels; otherwise JupyterLab.
    """
    if is_static():
        return "static"
    named = os.environ.get(FRONT_END_VAR, "").strip().lower()
    if named in FRONT_ENDS:
        return named
    if any(os.environ.get(v) for v in _VOILA_VARS):
        return "voila"
    return "lab"
