"""Free ports for the servers the commands start (JupyterLab, Voila, the browser tests' pages).

Both ``lessons lab`` and ``lessons present`` listen on 127.0.0.1 only; port 0 means "any
free port", which the operating system picks (the ``--port`` check is
:func:`lessons.cli.ports.check_port`).
"""

from __future__ import annotations

import socket


def free_port(host: str = "127.0.0.1") -> int:
    """A port on ``host`` that is free now (the operating system's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
