"""``lessons present LESSON``: one lesson as a clean classroom dashboard, served by Voilà.

The instructor projects the lesson: the passages, the controls and the live charts, with
the code hidden. Cells tagged ``solution`` are left out unless ``--solutions`` is given
(the class predicts and discusses before it sees them). The server listens on 127.0.0.1
only and needs no network: it uses the project's own template, ``classroom`` (in
``lessons/voila/templates/``), which is Voilà's ``lab`` template without its CDN links.
It works as root (Voilà has no root check) and always runs live: ``LESSONS_STATIC`` is
removed from the environment its kernel inherits.

    lessons present 04                    # http://127.0.0.1:8866/, opens a browser
    lessons present 04 --port 9000 --no-browser
    lessons present path/to/notebook.ipynb
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import click

from lessons import catalog
from lessons.mode import ENV_VAR, FRONT_END_VAR

#: the folder that holds ``voila/templates/<name>/`` (a Jupyter data root of its own)
TEMPLATE_ROOT = Path(__file__).resolve().parent
TEMPLATE = "classroom"
DEFAULT_PORT = 8866
SOLUTION_TAG = "solution"


def resolve_notebook(lesson: str) -> Path:
    """Return the notebook for a lesson ID (``"04"``, ``"4"``) or a path to an ``.ipynb``.

    Raises :class:`click.ClickException` for an unknown lesson or a missing notebook.
    """
    as_path = Path(lesson)
    if as_path.suffix == ".ipynb" or as_path.exists():
        if not as_path.is_file():
            raise click.ClickException(f"no such notebook: {as_path}")
        return as_path.resolve()
    try:
        entry = catalog.load_catalog().get(lesson)
    except catalog.CatalogError as exc:
        raise click.ClickException(str(exc)) from None
    if not entry.path.is_file():
        raise click.ClickException(
            f"lesson {entry.id} ({entry.title}) has no notebook yet: {entry.path}"
        )
    return entry.path


def drop_solutions(notebook: Any) -> Any:
    """A copy of ``notebook`` without the cells tagged ``solution``."""
    trimmed = copy.deepcopy(notebook)
    trimmed.cells = [
        cell for cell in trimmed.cells
        if SOLUTION_TAG not in cell.get("metadata", {}).get("tags", [])
    ]
    return trimmed


def _prelaunch_drop_solutions(_handler: Any, notebook: Any, cwd: str) -> Any:
    return drop_solutions(notebook)


def voila_argv(notebook: Path, port: int, *, open_browser: bool, theme: str,
               port_retries: int) -> list[str]:
    """Command-line arguments for Voilà serving ``notebook`` with the classroom template."""
    argv = [
        str(notebook),
        f"--port={port}",
        f"--Voila.port_retries={port_retries}",
        "--Voila.ip=127.0.0.1",
        f"--template={TEMPLATE}",
        f"--theme={theme}",
        "--strip_sources=True",
        "--VoilaConfiguration.show_margins=True",
    ]
    if not open_browser:
        argv.append("--no-browser")
    return argv


def prepare_environment() -> None:
    """Make this process (and the kernels Voilà starts) find the template and run live,
    and tell the lessons they are shown in Voilà (their how-to text suits a dashboard)."""
    os.environ.pop(ENV_VAR, None)
    os.environ[FRONT_END_VAR] = "voila"
    existing = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    paths = [str(TEMPLATE_ROOT), *filter(None, existing)]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))


@click.command("present")
@click.argument("lesson")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help=f"Port on 127.0.0.1 [default: {DEFAULT_PORT}, or the next free one].")
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
@click.option("--solutions/--no-solutions", default=False, show_default=True,
              help="Show the cells tagged 'solution' (instructor's key).")
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light",
              show_default=True, help="JupyterLab theme of the page.")
def present_cmd(lesson: str, port: int | None, no_browser: bool, solutions: bool,
                theme: str) -> None:
    """Serve LESSON (an ID such as 04, or a notebook path) as a classroom dashboard.

    Code is hidden; passages, controls and live charts are shown. Listens on 127.0.0.1
    only; stop with Ctrl-C.
    """
    notebook = resolve_notebook(lesson)
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
        app.voila_configuration.prelaunch_hook = _prelaunch_drop_solutions
    click.echo(f"Presenting {notebook.name} (code hidden, solutions "
               f"{'shown' if solutions else 'hidden'}); stop with Ctrl-C.", err=True)
    app.start()
