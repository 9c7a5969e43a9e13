"""Small ``lessons`` sub-commands: ``list``, ``coverage`` and ``lab``."""

from __future__ import annotations

import os
import secrets
import shutil
import sys

import click

from lessons import article
from lessons.catalog import load_catalog
from lessons.paths import NOTEBOOKS_DIR, ROOT


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


def lab_argv(port: int, token: str) -> list[str]:
    """Command line that starts JupyterLab safely: loopback only, token required."""
    jupyter = shutil.which("jupyter", path=os.path.dirname(sys.executable)) or "jupyter"
    argv = [
        jupyter, "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # fail clearly rather than move to an unprinted port
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # JupyterLab refuses root otherwise (CI and containers)
    return argv


@click.command("lab")
@click.option("--port", default=8888, show_default=True, help="Port on 127.0.0.1.")
def lab_cmd(port: int) -> None:
    """Start JupyterLab on the collection (127.0.0.1 only, with a token) and print its URL."""
    if not NOTEBOOKS_DIR.is_dir():
        raise click.ClickException(f"no notebooks folder at {NOTEBOOKS_DIR}")
    token = os.environ.get("LESSONS_LAB_TOKEN") or secrets.token_hex(24)
    env = {k: v for k, v in os.environ.items() if k != "LESSONS_STATIC"}  # live widgets
    click.echo(f"Open this URL in your browser: http://127.0.0.1:{port}/lab?token={token}")
    click.echo(f"(If port {port} is busy, JupyterLab stops: try  make lab PORT=8890)")
    sys.stdout.flush()
    argv = lab_argv(port, token)
    os.execve(argv[0], argv, env)
