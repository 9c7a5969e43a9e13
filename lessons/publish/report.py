"""What a render or execution run did: page rows, the report, and the run's refusals.

Also the names the site layout shares: the editions, the row statuses and the folders
of executed notebooks and shared assets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: The two editions of every page.
EDITIONS: tuple[str, ...] = ("student", "instructor")
#: Name of the default variant (no ``--scenario``) in tables.
DEFAULT_SCENARIO = "default"
#: Row statuses.
OK, FAILED, CACHED = "ok", "failed", "cached"
#: Folder of executed notebooks and their cache stamps, inside the site.
EXECUTED_DIR = "executed"
#: Folder of the files every page shares, inside the site.
ASSETS_DIR = "assets"


@dataclass(frozen=True)
class PageResult:
    """One row of a :class:`RenderReport`: one page (lesson × edition × scenario).

    Attributes
    ----------
    lesson, title : str
        Catalog ID and title of the lesson.
    edition : str
        ``"student"`` or ``"instructor"`` (``"notebook"`` for ``lessons execute`` rows).
    scenario : str
        Scenario name, or ``"default"`` for the lesson's default parameters.
    status : str
        ``"ok"`` (rendered now), ``"cached"`` (inputs unchanged, nothing re-run) or
        ``"failed"``.
    seconds : float
        Wall time spent on this page in this run (execution shared by both editions plus
        this edition's conversion); 0 when cached.
    cell : int or None
        1-based position of the failing cell in the source notebook.
    error : str or None
        ``"ExceptionName: message"`` of the failure.
    html, notebook : Path or None
        The page written, and the executed (or partial) notebook.
    executed : bool
        Whether a kernel ran for this page in this run.
    """

    lesson: str
    title: str
    edition: str
    scenario: str
    status: str
    seconds: float = 0.0
    cell: int | None = None
    error: str | None = None
    html: Path | None = None
    notebook: Path | None = None
    executed: bool = False


@dataclass
class RenderReport:
    """What a :func:`~lessons.publish.render.render` or ``execute_lessons`` run did, by page."""

    rows: list[PageResult] = field(default_factory=list)
    out: Path | None = None
    index: Path | None = None
    seconds: float = 0.0
    #: lesson IDs left out because their notebook does not exist (``execute_lessons`` only)
    skipped: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[PageResult]:
        """The rows whose status is ``"failed"``."""
        return [r for r in self.rows if r.status == FAILED]

    @property
    def ok(self) -> bool:
        """True when no page failed."""
        return not self.failed

    @property
    def exit_code(self) -> int:
        """Process exit status for the command line: 0 when all pages are fine, else 1."""
        return 0 if self.ok else 1

    @property
    def executions(self) -> int:
        """How many notebook executions (kernel runs) this run made."""
        return len({(r.lesson, r.scenario) for r in self.rows if r.executed})

    def counts(self) -> dict[str, int]:
        """Number of rows per status."""
        out = {OK: 0, CACHED: 0, FAILED: 0}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def table(self, width: int = 72) -> str:
        """A plain-text summary table: lesson, edition, scenario, status, seconds, cell, error.

        Parameters
        ----------
        width : int
            Errors longer than this are cut (the full text is in the index and the
            executed notebook).
        """
        head = ("lesson", "edition", "scenario", "status", "seconds", "cell", "error")
        body = []
        for r in self.rows:
            error = r.error or ""
            if len(error) > width:
                error = error[: width - 1] + "…"
            body.append((
                f"{r.lesson} {r.title}", r.edition, r.scenario, r.status,
                f"{r.seconds:.1f}", "" if r.cell is None else str(r.cell), error,
            ))
        widths = [max(len(h), *(len(row[i]) for row in body)) if body else len(h)
                  for i, h in enumerate(head)]
        numeric = {4, 5}

        def fmt(row: Sequence[str]) -> str:
            cells = [c.rjust(w) if i in numeric else c.ljust(w)
                     for i, (c, w) in enumerate(zip(row, widths, strict=True))]
            return "  ".join(cells).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([fmt(head), rule, *(fmt(row) for row in body)])

    def failures(self) -> str:
        """Each failed lesson × scenario with its whole error (the table shortens errors)."""
        seen: dict[tuple[str, str], str] = {}
        for r in self.failed:
            where = f"cell {r.cell}: " if r.cell else ""
            seen.setdefault((r.lesson, r.scenario), f"{where}{r.error}")
        return "\n".join(f"{lesson} ({scenario}) {text}"
                         for (lesson, scenario), text in seen.items())

    def summary(self) -> str:
        """One line: pages per status and the run's wall time."""
        from lessons.views.summaries import plural

        c = self.counts()
        return (f"{plural(len(self.rows), 'page')}: {c[OK]} rendered, {c[CACHED]} cached, "
                f"{c[FAILED]} failed in {self.seconds:.1f} s")



class RenderRefused(ValueError):
    """A render or execution that cannot start: broken data, an unwritable folder, no scheduler."""


class RenderInterrupted(Exception):
    """Ctrl-C stopped a run; ``report`` holds what finished before it."""

    def __init__(self, report: RenderReport) -> None:
        super().__init__("interrupted")
        self.report = report

