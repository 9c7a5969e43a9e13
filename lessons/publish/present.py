"""One lesson as a clean classroom dashboard, served by Voilà (``lessons present LESSON``).

The instructor projects the lesson: the passages, the controls and the live charts, with
the code hidden. Cells tagged ``solution`` are left out unless ``--solutions`` is given
(the class predicts and discusses before it sees them). The server listens on 127.0.0.1
only and needs no network: it uses the project's own template, ``classroom`` (in
``lessons/publish/voila/templates/``), which is Voilà's ``lab`` template without its CDN links.
It works as root (Voilà has no root check) and always runs live: ``LESSONS_STATIC`` is
removed from the environment its kernel inherits.

    lessons present 04                    # http://127.0.0.1:8866/, opens a browser
    lessons present 04 --port 9000 --no-browser
    lessons present notebooks/04_security_dilemma.ipynb   # a lesson's notebook only
    lessons present 91 --catalog tests/fixtures/render/catalog.yaml
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from lessons.mode import ENV_VAR, FRONT_END_VAR
from lessons.paths import NOTEBOOKS_DIR
from lessons.sources import catalog

#: the folder that holds ``voila/templates/<name>/`` (a Jupyter data root of its own)
TEMPLATE_ROOT = Path(__file__).resolve().parent
TEMPLATE = "classroom"
DEFAULT_PORT = 8866
SOLUTION_TAG = "solution"


class PresentRefused(ValueError):
    """A lesson that cannot be presented: unknown, not a lesson's notebook, or missing.

    The command line shows the message as ``Error: <message>`` (exit status 1).
    """


def _lessons(catalog_file: Path | None) -> tuple[catalog.Catalog, Path]:
    """The catalog to serve from, and the folder its notebooks are in."""
    if catalog_file is None:
        return catalog.load_catalog(), NOTEBOOKS_DIR
    import yaml

    try:
        raw = yaml.safe_load(catalog_file.read_text(encoding="utf-8"))
        return catalog.parse_catalog(raw), catalog_file.resolve().parent
    except (OSError, UnicodeError, yaml.YAMLError, catalog.CatalogError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise PresentRefused(f"cannot read the catalog {catalog_file}: {first}") from None


def resolve_notebook(lesson: str, catalog_file: Path | None = None) -> Path:
    """Return the notebook for a lesson ID (``"04"``, ``"4"``) or the path of a lesson.

    Only the catalog's lessons are served: a path must be one of their notebooks (a
    classroom server runs whatever notebook it is given, with a live kernel).

    Raises :class:`PresentRefused` for an unknown lesson, a path that is not a
    lesson's notebook, or a missing notebook. ``catalog_file`` serves another catalog
    (its notebooks sit beside it), as ``lessons render --catalog`` does.
    """
    as_path = Path(lesson)
    lessons, folder = _lessons(catalog_file)
    if as_path.suffix == ".ipynb" or as_path.exists():
        if not as_path.is_file():
            raise PresentRefused(f"no such notebook: {as_path}")
        known = {(folder / entry.notebook).resolve() for entry in lessons}
        if as_path.resolve() not in known:
            ids = ", ".join(entry.id for entry in lessons)
            raise PresentRefused(
                f"{as_path} is not one of the lessons: give a lesson ID ({ids}) or the "
                f"path of a lesson's notebook in {folder}")
        return as_path.resolve()
    try:
        entry = lessons.get(lesson)
    except catalog.CatalogError as exc:
        raise PresentRefused(str(exc)) from None
    path = folder / entry.notebook
    if not path.is_file():
        raise PresentRefused(f"lesson {entry.id} ({entry.title}) has no notebook yet: {path}")
    return path


def drop_solutions(notebook: Any) -> Any:
    """A copy of ``notebook`` without the cells tagged ``solution``."""
    trimmed = copy.deepcopy(notebook)
    trimmed.cells = [
        cell for cell in trimmed.cells
        if SOLUTION_TAG not in cell.get("metadata", {}).get("tags", [])
    ]
    return trimmed


def prelaunch_drop_solutions(_handler: Any, notebook: Any, cwd: str) -> Any:
    """Voilà's prelaunch hook: serve ``notebook`` without its solution cells."""
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
