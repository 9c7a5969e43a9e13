"""The ``--port`` option of ``lessons lab`` and ``lessons present``: checked, 0 for a free one."""

from __future__ import annotations

import click

from lessons.publish.servers import free_port


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
