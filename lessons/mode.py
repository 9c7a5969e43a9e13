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
