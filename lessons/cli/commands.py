"""Small ``lessons`` sub-commands: ``list``, ``coverage`` and ``lab``."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from lessons import data
from lessons.cli.ports import check_port
from lessons.paths import NOTEBOOKS_DIR, ROOT
from lessons.publish.guard import atomic_write
from lessons.sources import article
from lessons.sources.catalog import load_catalog


def lesson_table_markdown() -> str:
    """The README's lesson table, generated from the catalog (a test keeps them equal)."""
    rows = ["| # | Lesson | Article | Time |", "|---|---|---|---|"]
    for lesson in load_catalog():
        link = f"[{lesson.title}](notebooks/{lesson.notebook})"
        rows.append(f"| {lesson.id} | {link} | {lesson.paragraph_label} | {lesson.minutes} min |")
    return "\n".join(rows)


@click.command("list")
@click.option("--markdown", is_flag=True, help="Print the README's Markdown table instead.")
def list_cmd(markdown: bool) -> None:
    """List the lessons: ID, title, article paragraphs, time, and whether the notebook exists."""
    if markdown:
        click.echo(lesson_table_markdown())
        return
    for lesson in load_catalog():
        state = "" if lesson.path.exists() else "  (notebook missing)"
        click.echo(
            f"{lesson.id}  {lesson.title:<45} {lesson.paragraph_label:<14} "
            f"{lesson.minutes:>3} min  {lesson.notebook}{state}"
        )


@click.command("coverage")
def coverage_cmd() -> None:
    """Report which of the article's 21 body paragraphs the existing lessons teach."""
    taught = load_catalog().coverage()
    art = article.load_article()
    for pid, lesson_ids in taught.items():
        where = ", ".join(lesson_ids) if lesson_ids else "NOT TAUGHT"
        first = art.paragraph(pid).text[:60]
        click.echo(f"{pid}  {where:<12} {first}…")
    done = sum(1 for v in taught.values() if v)
    click.echo(f"{done}/{len(taught)} paragraphs taught")


#: JupyterLab settings the project ships (the news pop-up off); Binder's postBuild
#: installs the same file. Not in a binder/ folder: repo2docker would then ignore the
#: environment.yml and postBuild at the top of the repository.
LAB_OVERRIDES = ROOT / "jupyter" / "overrides.json"
#: the environment variable ``lessons lab`` takes a fixed token from
TOKEN_ENV = "LESSONS_LAB_TOKEN"
#: where a fixed token may be kept instead: readable by its owner only (mode 0600)
TOKEN_FILE = Path("~/.config/lessons/lab-token")


def lab_token(env: Mapping[str, str] | None = None, token_file: Path = TOKEN_FILE) -> str:
    """The token for ``lessons lab``: ``$LESSONS_LAB_TOKEN``, the token file, or a new one.

    A token file that other users could read is refused: the token is the only lock on
    the server.

    Raises
    ------
    click.ClickException
        When the token file is readable by group or others.
    """
    env = os.environ if env is None else env
    if env.get(TOKEN_ENV):
        return env[TOKEN_ENV]
    path = token_file.expanduser()
    if path.is_file():
        if path.stat().st_mode & 0o077:
            raise click.ClickException(
                f"{path} can be read by other users: make it private (chmod 600 {path})")
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
    return secrets.token_hex(24)


def lab_argv(port: int) -> list[str]:
    """Command line that starts JupyterLab safely: loopback only, token required.

    The token is not on it (every user sees every process's arguments): JupyterLab reads
    it from ``JUPYTER_TOKEN`` in its environment (see :func:`lab_environment`).
    """
    jupyter = shutil.which("jupyter", path=os.path.dirname(sys.executable)) or "jupyter"
    argv = [
        jupyter, "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # fail clearly rather than move to an unprinted port
        f"--ServerApp.root_dir={ROOT}",
        # notebook_shim (classic-notebook compatibility, which JupyterLab 4 does not need)
        # reads the deprecated ServerApp.token and prints a DeprecationWarning on start
        "--ServerApp.jpserver_extensions=notebook_shim=False",
        "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # JupyterLab refuses root otherwise (CI and containers)
    return argv


def lab_environment(token: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for JupyterLab: the token, live widgets (no ``LESSONS_STATIC``)."""
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if k != "LESSONS_STATIC"}
    env["JUPYTER_TOKEN"] = token  # read by IdentityProvider.token; only this user sees it
    return env


def install_lab_overrides(prefix: str | Path = sys.prefix, source: Path = LAB_OVERRIDES) -> Path:
    """Install the project's JupyterLab settings overrides into the environment ``prefix``.

    JupyterLab reads ``<prefix>/share/jupyter/lab/settings/overrides.json`` as its default
    settings; the project's file turns the news pop-up (which asks students to go online)
    off. The file is written only when it differs, atomically.
    """
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    wanted = source.read_bytes()
    if not target.is_file() or target.read_bytes() != wanted:
        atomic_write(target, wanted)
    return target


@click.command("lab")
@click.option("--port", type=int, default=8888, show_default=True,
              help="Port on 127.0.0.1 (1-65535; 0 picks a free one).")
def lab_cmd(port: int) -> None:
    """Start JupyterLab on the collection (127.0.0.1 only, with a token) and print its URL.

    A fixed token can be given in $LESSONS_LAB_TOKEN or in ~/.config/lessons/lab-token
    (mode 600); otherwise a new one is made for each start.
    """
    if not NOTEBOOKS_DIR.is_dir():
        raise click.ClickException(f"no notebooks folder at {NOTEBOOKS_DIR}")
    port = check_port(port)
    token = lab_token()
    install_lab_overrides()
    click.echo(f"Open this URL in your browser: http://127.0.0.1:{port}/lab?token={token}")
    click.echo(f"(If port {port} is busy, JupyterLab stops: try  make lab PORT=0  for a free one)")
    sys.stdout.flush()
    argv = lab_argv(port)
    os.execve(argv[0], argv, lab_environment(token))


@click.command("validate-data")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder to check (default: the project's data/).",
)
def validate_cmd(root: Path | None) -> None:
    """Validate data/ against data/datapackage.json and list any problem."""
    rep = data.report(root)
    if rep.problems:
        click.echo(data.problem_message(rep), err=True)
        raise SystemExit(1)
    click.echo(f"{rep.root.name}/ is valid: {rep.resources} resources, {rep.rows} rows")
