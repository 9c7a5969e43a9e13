"""The lesson catalog: one machine-readable list of lessons, read from ``catalog.yaml``.

Everything that needs to know about lessons (``lessons list``, the README table, notebook
metadata, the coverage report, the renderer's parameter checks) reads it from here.

>>> cat = load_catalog()
>>> cat.get("04").title
'The security dilemma'
>>> cat.get("4").id
'04'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import yaml

from lessons.paths import NOTEBOOKS_DIR
from lessons.quoting import quote_short
from lessons.sources import article


class ScenarioLoader(Protocol):
    """What validates a scenario file: the model's ``load_scenario`` (raises ``ValueError``)."""

    def __call__(self, path: Path) -> object: ...

_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


class CatalogError(ValueError):
    """Raised for an unknown lesson, a malformed catalog, or an invalid lesson parameter."""


@dataclass(frozen=True)
class Parameter:
    """One papermill parameter a lesson accepts, with its type and valid values."""

    name: str
    type: str
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    min: float | None = None
    max: float | None = None
    files: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: name, type, default, and the valid range or choices."""
        if self.choices is not None:
            valid = "one of " + ", ".join(map(str, self.choices))
            if self.files:
                valid += " or a path to a " + "/".join(self.files) + " scenario file"
        elif self.min is not None or self.max is not None:
            valid = f"{self.min} to {self.max}"
        else:
            valid = "any"
        return f"{self.name} ({self.type}, default {self.default!r}; {valid}): {self.help}"

    def check(self, value: Any, load_scenario: ScenarioLoader | None = None) -> Any:
        """Return ``value`` converted to this parameter's type, or raise :class:`CatalogError`.

        Strings are converted (as they arrive from a command line); an int is accepted
        where a float is expected, but a bool is never taken for a number. A scenario file
        is validated by ``load_scenario`` (the caller passes the model's loader: the
        sources layer sits below the model and cannot import it).
        """
        want = _TYPES[self.type]
        if isinstance(value, str) and want is not str:
            value = _parse_scalar(value, want, self.name)
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, want) or (want is not bool and isinstance(value, bool)):
            raise CatalogError(
                f"parameter {self.name!r} must be {self.type}, got {type(value).__name__} "
                f"{quote_short(value)}"
            )
        if want is float and not math.isfinite(value):
            # NaN passes every range check (all comparisons are false): refuse it here,
            # before a kernel fails on it cells later
            raise CatalogError(
                f"parameter {self.name!r} must be a finite number, got {value!r}"
                + (f" (valid: {self.min} to {self.max})" if self.min is not None else "")
            )
        if self.files and isinstance(value, str) and value.lower().endswith(self.files):
            return _scenario_file(self.name, value, load_scenario)
        if self.choices is not None and value not in self.choices:
            files = f", or a path to a {'/'.join(self.files)} file" if self.files else ""
            raise CatalogError(
                f"parameter {self.name!r} = {quote_short(value)} is not a valid choice: "
                f"choose one of {list(self.choices)}{files}"
            )
        too_low = self.min is not None and value < self.min
        if too_low or (self.max is not None and value > self.max):
            raise CatalogError(
                f"parameter {self.name!r} = {value!r} is outside its range {self.min} to {self.max}"
            )
        return value


def _scenario_file(name: str, value: str, load_scenario: ScenarioLoader | None) -> str:
    """Check a scenario file given as a parameter; return its absolute path.

    The file is read as data and validated by ``load_scenario`` (in practice
    :func:`lessons.model.load_scenario`: unknown toggles or parameters, values out of range,
    malformed YAML are all rejected) before any kernel starts. The absolute path lets the
    lesson find it from any working directory. Without a loader a file is refused: an
    unchecked file would fail only inside a kernel, cells later.
    """
    path = Path(value).expanduser().resolve()
    if not path.is_file():
        raise CatalogError(
            f"parameter {name!r}: scenario file {Path(value).name!r} (in "
            f"{quote_short(str(Path(value).parent))}) does not exist")
    if load_scenario is None:
        raise CatalogError(
            f"parameter {name!r}: scenario file {quote_short(value)} cannot be checked here "
            "(no scenario loader was given)")
    try:
        load_scenario(path)
    except (ValueError, OSError, UnicodeError, RecursionError, MemoryError) as exc:
        # the loader's own message, kept to one short line whatever the file holds
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if len(first) > 300:
            first = first[:299] + "…"
        raise CatalogError(
            f"parameter {name!r}: scenario file {quote_short(value)} is invalid: {first}"
        ) from None
    return str(path)


def _parse_scalar(text: str, want: type, name: str) -> Any:
    try:
        if want is bool:
            lowered = text.strip().lower()
            if lowered in {"true", "1", "yes"}:
                return True
            if lowered in {"false", "0", "no"}:
                return False
            raise ValueError(text)
        return want(text)
    except ValueError:
        raise CatalogError(
            f"parameter {name!r} must be {want.__name__}, got {quote_short(text)}"
        ) from None


#: View modules every lesson uses (the checks and the explorer), so no entry lists them.
SHARED_VIEWS: tuple[str, ...] = ("lessons.live.ui", "lessons.live.widgets")
#: What a ``views`` entry may name: a module of the views or the live layer.
_VIEW_MODULE = re.compile(r"lessons\.(?:views|live)\.[a-z_][a-z0-9_]*")


def _views(lesson_id: str, raw: object) -> tuple[str, ...]:
    """Check a lesson's ``views`` entry: a list of distinct view-module names, not shared."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise CatalogError(f"catalog lesson {lesson_id}: views must be a list of module "
                           f"names, got {quote_short(raw)}")
    bad = [v for v in raw if not _VIEW_MODULE.fullmatch(v) or v in SHARED_VIEWS]
    if bad:
        raise CatalogError(f"catalog lesson {lesson_id}: views {bad} are not modules of "
                           f"lessons.views or lessons.live (besides {', '.join(SHARED_VIEWS)}, "
                           f"which every lesson uses)")
    if len(set(raw)) != len(raw):
        raise CatalogError(f"catalog lesson {lesson_id}: views lists a module twice: {raw}")
    return tuple(raw)


@dataclass(frozen=True)
class Lesson:
    """One lesson of the collection, as described in the catalog."""

    id: str
    title: str
    notebook: str
    paragraphs: tuple[str, ...]
    minutes: int
    prerequisites: tuple[str, ...]
    objectives: tuple[str, ...]
    concepts: tuple[str, ...]
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    #: Modules of ``lessons.views`` and ``lessons.live`` that serve this lesson, besides
    #: :data:`SHARED_VIEWS` (dotted names; the notebook's import cell imports each).
    views: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        """Where the lesson's notebook lives."""
        return NOTEBOOKS_DIR / self.notebook

    @property
    def paragraph_label(self) -> str:
        """Human label for the paragraphs covered, e.g. ``"¶13–14"`` or ``"whole article"``."""
        if not self.paragraphs:
            return "whole article"
        nums = [int(p[1:]) for p in self.paragraphs]
        runs: list[str] = []
        start = prev = nums[0]
        for n in [*nums[1:], None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            runs.append(f"{start}" if start == prev else f"{start}–{prev}")
            if n is not None:
                start = prev = n
        return "¶" + ", ".join(runs)

    def metadata(self) -> dict[str, Any]:
        """The ``lesson`` block stored in the notebook's metadata (machine-readable)."""
        return {
            "id": self.id,
            "title": self.title,
            "paragraphs": list(self.paragraphs),
            "minutes": self.minutes,
            "prerequisites": list(self.prerequisites),
            "objectives": list(self.objectives),
            "concepts": list(self.concepts),
        }

    def check_parameters(self, given: Mapping[str, Any],
                         load_scenario: ScenarioLoader | None = None) -> dict[str, Any]:
        """Validate papermill parameters; return defaults updated with the checked values.

        ``load_scenario`` validates a scenario file given as a parameter (the model's
        :func:`lessons.model.load_scenario`; see :meth:`Parameter.check`).

        Raises
        ------
        CatalogError
            For an unknown name, a wrong type or a value out of range. The message lists
            every valid parameter with its type, default and range.
        """
        problems: list[str] = []
        checked = {name: p.default for name, p in self.parameters.items()}
        for name, value in given.items():
            if name not in self.parameters:
                problems.append(f"unknown parameter {name!r}")
                continue
            try:
                checked[name] = self.parameters[name].check(value, load_scenario)
            except CatalogError as exc:
                problems.append(str(exc))
        if problems:
            valid = "\n".join("  " + p.describe() for p in self.parameters.values())
            raise CatalogError(
                f"lesson {self.id} ({self.title}): " + "; ".join(problems)
                + f"\nValid parameters for lesson {self.id}:\n{valid}"
            )
        return checked


@dataclass(frozen=True)
class Catalog:
    """All lessons, in order."""

    lessons: tuple[Lesson, ...]

    def get(self, lesson_id: str | int) -> Lesson:
        """Return a lesson by ID (``"04"``, ``"4"`` or ``4``) or raise with the valid IDs."""
        key = str(lesson_id).strip()
        key = f"{int(key):02d}" if key.isdigit() else key
        for lesson in self.lessons:
            if lesson.id == key:
                return lesson
        raise CatalogError(f"unknown lesson {lesson_id!r}: valid lessons are {self.ids}")

    @property
    def ids(self) -> list[str]:
        """Lesson IDs in order."""
        return [lesson.id for lesson in self.lessons]

    def __iter__(self):
        return iter(self.lessons)

    def coverage(self) -> dict[str, list[str]]:
        """Map every body paragraph ID to the lessons that teach it (empty list: not taught)."""
        taught: dict[str, list[str]] = {pid: [] for pid in article.load_article().ids}
        for lesson in self.lessons:
            if lesson.path.exists():
                for pid in lesson.paragraphs:
                    taught[pid].append(lesson.id)
        return taught


def _parameter(name: str, spec: Mapping[str, Any]) -> Parameter:
    if spec.get("type") not in _TYPES:
        raise CatalogError(f"parameter {name!r}: type must be one of {list(_TYPES)}")
    choices = spec.get("choices")
    param = Parameter(
        name=name,
        type=spec["type"],
        default=spec.get("default"),
        help=str(spec.get("help", "")),
        choices=tuple(choices) if choices is not None else None,
        min=spec.get("min"),
        max=spec.get("max"),
        files=tuple(spec.get("files", ())),
    )
    param.check(param.default)  # a default outside its own range is a catalog bug
    return param


def parse_catalog(raw: Mapping[str, Any]) -> Catalog:
    """Build a :class:`Catalog` from the parsed YAML, checking every field."""
    required = ("id", "title", "notebook", "paragraphs", "minutes", "objectives")
    lessons = []
    for i, entry in enumerate(raw.get("lessons") or []):
        missing = [k for k in required if k not in entry]
        if missing:
            raise CatalogError(f"catalog lesson #{i + 1}: missing field(s) {missing}")
        bad = [o for o in entry["objectives"] if not isinstance(o, str)]
        if bad:  # e.g. an unquoted "a: b" in YAML becomes a mapping
            raise CatalogError(f"catalog lesson {entry['id']}: objectives must be text, got {bad}")
        lessons.append(
            Lesson(
                id=str(entry["id"]),
                title=str(entry["title"]),
                notebook=str(entry["notebook"]),
                paragraphs=tuple(article.expand(entry["paragraphs"])),
                minutes=int(entry["minutes"]),
                prerequisites=tuple(str(x) for x in entry.get("prerequisites", [])),
                objectives=tuple(entry["objectives"]),
                concepts=tuple(entry.get("concepts", [])),
                parameters={
                    n: _parameter(n, s) for n, s in (entry.get("parameters") or {}).items()
                },
                views=_views(str(entry["id"]), entry.get("views")),
            )
        )
    ids = [lesson.id for lesson in lessons]
    if len(set(ids)) != len(ids):
        raise CatalogError(f"duplicate lesson IDs in the catalog: {ids}")
    return Catalog(tuple(lessons))


@cache
def load_catalog() -> Catalog:
    """Read ``lessons/sources/catalog.yaml`` (cached)."""
    text = resources.files("lessons.sources").joinpath("catalog.yaml").read_text(encoding="utf-8")
    return parse_catalog(yaml.safe_load(text))


# --------------------------------------------------------------------------- lesson time

#: Reading speed used to turn a lesson's words into minutes (a careful reader of
#: argumentative prose).
READING_WPM = 200
#: Minutes each activity of a lesson is given on top of the reading: a predict-first
#: question, a live explorer with controls, one check for understanding, one exercise, and
#: a block of discussion questions.
ACTIVITY_MINUTES: Mapping[str, float] = {
    "predict": 3.0, "explorer": 8.0, "check": 1.5, "exercise": 5.0, "discussion": 5.0,
}
#: Lesson times are stated in steps of this many minutes.
MINUTES_STEP = 5
#: Cells with this tag hold solutions: they are not part of a student's main path.
SOLUTION_TAG = "solution"

_DETAILS = re.compile(r"<details\b.*?</details>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_PREDICT = re.compile(r"\b(?:predict\w*|Predict)\(")
_EXPLORER = re.compile(r"\b(?:\w*Explorer|explore)\(")
_CHECKS = re.compile(r"\bui\.checks\(")


def cell_source(cell: Mapping[str, Any]) -> str:
    """A notebook cell's source as one string (nbformat stores a string or a list)."""
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def is_solution(cell: Mapping[str, Any]) -> bool:
    """Whether ``cell`` is tagged ``solution`` (dropped from the student edition)."""
    return SOLUTION_TAG in (cell.get("metadata", {}).get("tags") or [])


def main_path_text(markdown: str) -> str:
    """A markdown cell's main-path text: collapsed ``<details>`` blocks ("Go deeper")
    and HTML tags removed, so only what every student reads is left."""
    return _TAG.sub(" ", _DETAILS.sub(" ", markdown))


def word_count(text: str) -> int:
    """Words in ``text``: whitespace-separated tokens holding a letter or a digit.

    >>> word_count("## The text — ¶13 and *two* words")
    6
    """
    return sum(1 for tok in text.split() if any(ch.isalnum() for ch in tok))


def main_path_words(cells: Sequence[Mapping[str, Any]]) -> list[int]:
    """The main-path words of every cell (0 for code and solution cells), in order."""
    return [word_count(main_path_text(cell_source(c)))
            if c.get("cell_type") == "markdown" and not is_solution(c) else 0
            for c in cells]


def cell_activities(cell: Mapping[str, Any]) -> list[str]:
    """The activities a cell gives the student, in order: ``"predict"``, ``"explorer"``
    (a live explorer with controls), ``"checks"``, ``"exercise"`` (one per line opening
    with **Exercise**, **Try it** or **Your turn**) or ``"discussion"`` (a "Discussion
    questions" heading). Solution cells give none."""
    if is_solution(cell):
        return []
    src = cell_source(cell)
    if cell.get("cell_type") == "code":
        code = "\n".join(line.split("#", 1)[0] for line in src.splitlines())
        if _PREDICT.search(code):
            return ["predict"]
        if _CHECKS.search(code):
            return ["checks"]
        if _EXPLORER.search(code) and "controls=False" not in code.replace(" ", ""):
            return ["explorer"]
        return []
    text = main_path_text(src)
    found = ["discussion"] * len(re.findall(r"^#+\s*Discussion questions", text, re.M))
    found += ["exercise"] * len(re.findall(r"^\s*\*\*(?:Exercise|Try it|Your turn)\b",
                                           text, re.M))
    return found


def cell_activity(cell: Mapping[str, Any]) -> str | None:
    """The first activity of ``cell`` (see :func:`cell_activities`), or ``None``."""
    found = cell_activities(cell)
    return found[0] if found else None


def estimate_minutes(cells: Sequence[Mapping[str, Any]], checks: int) -> int:
    """A lesson's time recomputed from its content.

    Reading the main path at :data:`READING_WPM` words a minute, plus
    :data:`ACTIVITY_MINUTES` for each predict question, explorer, exercise and discussion
    block, and for each of the lesson's ``checks``; rounded up to :data:`MINUTES_STEP`.

    Parameters
    ----------
    cells : sequence of mapping
        The notebook's cells (nbformat JSON).
    checks : int
        How many checks for understanding the lesson's ``ui.checks`` cell shows.
    """
    total = sum(main_path_words(cells)) / READING_WPM
    for kind in (k for cell in cells for k in cell_activities(cell)):
        total += ACTIVITY_MINUTES["check"] * checks if kind == "checks" \
            else ACTIVITY_MINUTES[kind]
    return int(MINUTES_STEP * math.ceil(total / MINUTES_STEP))
