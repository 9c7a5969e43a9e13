"""Fixtures shared by the unit tests of the display code (widgets and live explorers).

``live`` and ``static`` switch :func:`lessons.mode.is_static` off or on and return the list
that records, in order, what the code under test displays, instead of showing it: objects
passed to ``display`` by :mod:`lessons.live.explorer` or :mod:`lessons.live.predict`, and figures
shown with ``fig.show()``. A test then asserts on exactly what a student would see.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from lessons.live import explorer, predict


def capture(monkeypatch: pytest.MonkeyPatch, static: bool) -> list:
    """Set the mode and record displays (see the module docstring)."""
    shown: list = []
    if static:
        monkeypatch.setenv("LESSONS_STATIC", "1")
    else:
        monkeypatch.delenv("LESSONS_STATIC", raising=False)
    for module in (explorer, predict):
        monkeypatch.setattr(module, "display", lambda *objs, **kw: shown.extend(objs))
    monkeypatch.setattr(go.Figure, "show", lambda fig, *a, **kw: shown.append(fig))
    return shown


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> list:
    """Live mode (a person in JupyterLab), with displays recorded instead of shown."""
    return capture(monkeypatch, static=False)


@pytest.fixture
def static(monkeypatch: pytest.MonkeyPatch) -> list:
    """Static mode (batch render, nbval): figures and Markdown recorded instead of shown."""
    return capture(monkeypatch, static=True)
