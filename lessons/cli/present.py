"""``lessons present LESSON``: serve one lesson as a classroom dashboard (Voilà).

The work is in :mod:`lessons.publish.present`; this module holds only the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from lessons.cli.ports import check_port
from lessons.publish.present import (
    DEFAULT_PORT,
    PresentRefused,
    prelaunch_drop_solutions,
    prepare_environment,
    resolve_notebook,
    voila_argv,
)


@click.command("present")
@click.argument("lesson")
@click.option("--port", type=int, default=None,
              help=f"Port on 127.0.0.1: 1-65535, or 0 for a free one [default: {DEFAULT_PORT}, "
                   "or the next free one].")
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@click.option("--solutions/--no-solutions", default=False, show_default=True,
              help="Show the cells tagged 'solution' (instructor's key).")
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light",
              show_default=True, help="JupyterLab theme of the page.")
@click.option("--catalog", "catalog_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Catalog YAML to serve from (its notebooks beside it) instead of "
                   "lessons/sources/catalog.yaml.")
def present_cmd(lesson: str, port: int | None, no_browser: bool, solutions: bool,
                theme: str, catalog_file: Path | None) -> None:
    """Serve LESSON (an ID such as 04, or a notebook path) as a classroom dashboard.

    Code is hidden; passages, controls and live charts are shown. Listens on 127.0.0.1
    only; stop with Ctrl-C.
    """
    try:
        notebook = resolve_notebook(lesson, catalog_file)
    except PresentRefused as exc:
        raise click.ClickException(str(exc)) from None
    if port is not None:
        port = check_port(port)
    prepare_environment()
    from voila.app import Voila  # imported late: it is slow and sets up logging

    app = Voila()
    app.initialize(voila_argv(
        notebook,
        port or DEFAULT_PORT,
        open_browser=not no_browser,
        theme=theme,
        port_retries=0 if port else 20,
    ))
    if not solutions:
        app.voila_configuration.prelaunch_hook = prelaunch_drop_solutions
    click.echo(f"Presenting {notebook.name} (code hidden, solutions "
               f"{'shown' if solutions else 'hidden'}) at http://127.0.0.1:{app.port}/ ; "
               "stop with Ctrl-C.", err=True)
    app.start()
