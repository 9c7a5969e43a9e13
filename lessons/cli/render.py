"""``lessons params``, ``lessons render`` and ``lessons execute``: the batch renderer's commands."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from lessons.publish.guard import (
    OutputRefused,
)
from lessons.publish.render import DEFAULT_SITE, execute_lessons, render
from lessons.publish.report import (
    CACHED,
    EXECUTED_DIR,
    FAILED,
    OK,
    RenderInterrupted,
    RenderRefused,
    RenderReport,
)
from lessons.sources.catalog import Catalog, CatalogError, Lesson, load_catalog


class Refused(click.ClickException):
    """A command refused before doing anything: ``Error: <message>``, exit status 2."""

    exit_code = 2


#: exit status after Ctrl-C (128 + SIGINT, as a shell reports it)
INTERRUPTED_EXIT = 130


def _run_cli(run: Callable[[], RenderReport], noun: str) -> RenderReport:
    """Call ``run`` and turn every refusal into one clear line, never a traceback.

    Refusals (a protected output folder, bad parameters, broken data, an unreachable
    scheduler, an unwritable folder) exit with 2; Ctrl-C prints what finished and exits
    with 130.
    """
    # a kernel stopped by Ctrl-C leaves asyncio complaining about unretrieved tasks
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    try:
        return run()
    except (CatalogError, OutputRefused, RenderRefused) as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise Refused(f"stopped by the file system: {reason}"
                      + (f" ({exc.filename})" if exc.filename else "")) from None
    except RenderInterrupted as stop:
        done = stop.report
        c = done.counts()
        from lessons.views.summaries import plural

        click.echo(f"Interrupted: {plural(len(done.rows), noun)} finished before Ctrl-C "
                   f"({c[OK]} ok, {c[CACHED]} cached, {c[FAILED]} failed); the rest did not "
                   "run and will run next time.", err=True)
        raise SystemExit(INTERRUPTED_EXIT) from None


def _cli_catalog(path: Path | None) -> Catalog:
    if path is None:
        return load_catalog()
    import yaml

    from lessons.sources.catalog import parse_catalog

    return parse_catalog(yaml.safe_load(path.read_text(encoding="utf-8")))


def _cli_lessons(ids: Sequence[str], catalog: Catalog) -> list[Lesson] | None:
    if not ids:
        return None
    try:
        return [catalog.get(i) for i in ids]
    except CatalogError as exc:
        raise click.BadParameter(str(exc), param_hint="LESSON") from None


_catalog_option = click.option(
    "--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Catalog YAML to use instead of lessons/sources/catalog.yaml.")
_notebooks_option = click.option(
    "--notebooks", "notebooks_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding the notebooks [default: the catalog's notebooks/].")
_jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None,
    help="Parallel worker processes [default: the number of cores].")
_timeout_option = click.option(
    "--timeout", type=click.FloatRange(min=0), default=120.0, show_default=True,
    help="Limit per cell in seconds (0: none).")
_dask_option = click.option(
    "--dask", metavar="SCHEDULER_ADDRESS", default=None,
    help="Send the work to a dask.distributed scheduler (shared file system) "
         "instead of local processes.")
_progress_option = click.option(
    "--progress/--no-progress", default=None,
    help="Show a progress bar [default: when stderr is a terminal].")


@click.command("params")
@click.argument("lesson")
@_catalog_option
def params_cmd(lesson: str, catalog_path: Path | None) -> None:
    """Print the parameters LESSON accepts: name, type, default, valid range, meaning."""
    catalog = _cli_catalog(catalog_path)
    try:
        found = catalog.get(lesson)
    except CatalogError as exc:
        raise click.BadParameter(str(exc), param_hint="LESSON") from None
    if not found.parameters:
        click.echo(f"Lesson {found.id} ({found.title}) takes no parameters.")
        return
    click.echo(f"Parameters of lesson {found.id} ({found.title}); set them with "
               f"`lessons render --lesson {found.id} -p NAME VALUE`:")
    for parameter in found.parameters.values():
        click.echo("  " + parameter.describe())


@click.command("render")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SITE,
              show_default="build/site", help="Site folder.")
@click.option("--lesson", "lesson_ids", multiple=True, metavar="ID",
              help="Lesson to render (repeatable) [default: all].")
@click.option("--edition", type=click.Choice(["student", "instructor", "both"]), default="both",
              show_default=True, help="Which edition(s) to write.")
@click.option("--scenario", "scenarios", multiple=True, metavar="NAME",
              help="Render a variant per scenario (repeatable) [default: the lesson's default].")
@click.option("-p", "--parameter", "raw_parameters", type=(str, str), multiple=True,
              metavar="NAME VALUE", help="Papermill parameter, checked against the catalog "
              "(repeatable; see `lessons params LESSON`).")
@_jobs_option
@_timeout_option
@click.option("--force", is_flag=True, help="Re-render even if nothing changed.")
@click.option("--no-execute", "no_execute", is_flag=True,
              help="Publish the notebooks' committed outputs without running them (fast; "
                   "no scenarios or parameters).")
@_dask_option
@_catalog_option
@_notebooks_option
@_progress_option
@click.pass_context
def render_cmd(
    ctx: click.Context,
    out: Path,
    lesson_ids: tuple[str, ...],
    edition: str,
    scenarios: tuple[str, ...],
    raw_parameters: tuple[tuple[str, str], ...],
    jobs: int | None,
    timeout: float,
    force: bool,
    no_execute: bool,
    dask: str | None,
    catalog_path: Path | None,
    notebooks_dir: Path | None,
    progress: bool | None,
) -> None:
    """Render lessons to an offline HTML site (student and instructor editions).

    Each lesson runs once per scenario with papermill in static mode, into OUT/executed
    (notebooks/ is never written); both editions come from that run. Unchanged pages are
    skipped (a content hash of the notebook, parameters, lock file, data/, seeds/, lessons/
    and the Python version). OUT may not be or touch notebooks/, data/, seeds/, lessons/,
    the notebooks being read or the project root (refused with status 2); every file is
    published atomically, so concurrent renders into one folder both succeed.
    A failing lesson keeps its partial notebook, the others go on; the run ends with a
    summary table and exits with status 1 if anything failed. With --no-execute the
    committed outputs are published as they are (nbval keeps them current).
    """
    catalog = _cli_catalog(catalog_path)
    chosen = _cli_lessons(lesson_ids, catalog)
    report = _run_cli(lambda: render(
        chosen, out=out, editions=edition, scenarios=list(scenarios) or None,
        parameters=dict(raw_parameters), jobs=jobs, timeout=timeout, force=force,
        dask=dask, catalog=catalog, progress=progress, notebooks_dir=notebooks_dir,
        execute=not no_execute,
    ), "page")
    click.echo(report.table())
    click.echo(report.summary())
    click.echo(f"site: {report.index}")
    if report.failed:
        click.echo("failed:\n" + report.failures(), err=True)
        click.echo("Failed pages keep their partial executed notebook in "
                   f"{report.out / EXECUTED_DIR}.", err=True)
    ctx.exit(report.exit_code)


@click.command("execute")
@click.argument("lesson_ids", nargs=-1, metavar="[LESSON_ID]...")
@click.option("--in-place", is_flag=True,
              help="Replace each notebook in notebooks/ with its executed version "
                   "(only on success).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write executed notebooks here instead (with --in-place: where partial "
                   "notebooks of failures go [default: build/executed]).")
@_jobs_option
@_timeout_option
@_dask_option
@_catalog_option
@_notebooks_option
@_progress_option
@click.pass_context
def execute_cmd(
    ctx: click.Context,
    lesson_ids: tuple[str, ...],
    in_place: bool,
    out: Path | None,
    jobs: int | None,
    timeout: float,
    dask: str | None,
    catalog_path: Path | None,
    notebooks_dir: Path | None,
    progress: bool | None,
) -> None:
    """Re-execute lesson notebooks (all, or LESSON_ID...) in static mode.

    Without --in-place, executed notebooks go to --out, a folder of their own (never
    notebooks/, data/, seeds/ or lessons/).

    Maintainers run `lessons execute --in-place` (`make notebooks`) after editing: each
    notebook runs with its default parameters, no widget state, LESSONS_STATIC=1 and
    notebooks/ as working directory, into a temporary file that replaces the source only
    when every cell succeeded.
    """
    if not in_place and out is None:
        raise click.UsageError("choose --in-place (re-execute notebooks/) or --out DIR")
    catalog = _cli_catalog(catalog_path)
    chosen = _cli_lessons(lesson_ids, catalog)
    report = _run_cli(lambda: execute_lessons(
        chosen, in_place=in_place, out=out, timeout=timeout,
        jobs=jobs, dask=dask, catalog=catalog, notebooks_dir=notebooks_dir, progress=progress,
    ), "notebook")
    click.echo(report.table())
    c = report.counts()
    from lessons.views.summaries import plural

    click.echo(f"{plural(len(report.rows), 'notebook')}: {c[OK]} executed, {c[FAILED]} failed "
               f"in {report.seconds:.1f} s")
    if report.skipped:
        click.echo(f"skipped (no notebook yet): {', '.join(report.skipped)}")
    if report.failed:
        click.echo("failed:\n" + report.failures(), err=True)
        where = ("the notebooks that failed were not replaced" if in_place
                 else "no source notebook was written")
        click.echo(f"{where.capitalize()}; their partial runs are in {report.out}.", err=True)
    ctx.exit(report.exit_code)
