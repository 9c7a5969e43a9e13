"""Ports for the servers the commands start (JupyterLab, Voila, the browser tests' pages).

Both ``lessons lab`` and ``lessons present`` listen on 127.0.0.1 only; port 0 means "any
free port", which the operating system picks.
"""

from __future__ import annotations

import socket

import click


def check_port(port: int) -> int:
    """The port to listen on: ``port`` itself, or a free one for 0.

    Raises
    ------
    click.BadParameter
        Outside 0–65535 (the operating system would silently take another port).
    """
    if not 0 <= port <= 65535:
        raise click.BadParameter(
            f"{port} is not a port: choose 1-65535, or 0 for a free one", param_hint="--port")
    return port or free_port()


def free_port(host: str = "127.0.0.1") -> int:
    """A port on ``host`` that is free now (the operating system's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
