"""Scenarios: which links are in force and which assumptions hold, as small data files.

A scenario file (``data/scenarios/<name>.yaml``, or any ``.yaml``/``.yml``/``.json`` file a
student saves) holds::

    name: my_world
    label: My world        # optional: how a legend calls it (else "My world", from name)
    phrase: my world       # optional: how a sentence calls it (else the label)
    description: Two or three sentences in plain words.
    structure: 2024        # which year's structural links are in force: 2021 or 2024
    toggles:               # toggle id -> true/false (see data/toggles.csv)
      euro_taiwan_patrols: true
    params:                # overrides of data/parameters.csv defaults, within their ranges
      theta: 0.3
    reasons:               # optional: why each toggle or parameter is set, and where
      euro_taiwan_patrols: # the article says so (see scenario_reasons)
        paragraph: P16     # or a list: [P16, P20]
        reason: The path the authors warn against.

Files are read by :mod:`lessons.model.scenario_files` (safely: see there).

Rules for what is in force
--------------------------
* A **toggle** switches every link whose ``toggle`` column names it.
* A toggle a file does not list is on if any of its links was in force in the scenario's
  structure year (``in_2021`` / ``in_2024`` in ``links.csv``), off otherwise — so proposed
  and hypothetical toggles are off unless a scenario turns them on.
* A **structural** link (empty ``toggle``: alliances, rivalries, aid flows) is in force if
  its ``in_<structure>`` column is true: the 2021 structure has no aid flows to Ukraine and
  no Japan–Australia access agreement; the 2024 structure has both.
* The **2021 reference** every index is measured against (1 = 2021) is the 2021 structure
  with every interlinking toggle off and the adversary toggles as in 2021: exactly the
  ``baseline_2021`` scenario.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import yaml

from lessons.model import parameters
from lessons.model.errors import ModelError, choices

# The file-reading names stay importable from here (tests and callers use them).
from lessons.model.scenario_files import (  # noqa: F401
    KEYS,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    SCENARIO_DIR_NAME,
    SCENARIOS,
    SUFFIXES,
    _BaseLoader,
    _Loader,
    list_scenarios,
    read_scenario_file,
    scenario_dir,
    scenario_names_from,
)
from lessons.model.tables import table
from lessons.quoting import quote_bounded as short

STRUCTURES: tuple[int, ...] = (2021, 2024)
#: Keys of one entry under ``reasons``.
REASON_KEYS: tuple[str, ...] = ("paragraph", "reason")


@cache
def _toggle_links() -> MappingProxyType:
    """Toggle id -> tuple of link ids it switches (every toggle in toggles.csv)."""
    links = table("links")
    out = {str(t): () for t in table("toggles")["id"]}
    for r in links.itertuples(index=False):
        if isinstance(r.toggle, str) and r.toggle:
            if r.toggle not in out:
                raise ModelError(f"link {r.id!r} names unknown toggle {r.toggle!r}; "
                                 f"valid toggles: {choices(out)}")
            out[r.toggle] = (*out[r.toggle], str(r.id))
    return MappingProxyType(out)


def toggle_ids() -> tuple[str, ...]:
    """Every toggle id, in ``toggles.csv`` order."""
    return tuple(_toggle_links())


@cache
def _default_toggles(year: int) -> MappingProxyType:
    col = 2 if year == 2021 else 3
    in_force = {rec[0]: rec[col] for rec in _link_records()}
    return MappingProxyType({t: any(in_force[i] for i in ids)
                             for t, ids in _toggle_links().items()})


def default_toggles(structure: int = 2024) -> Mapping[str, bool]:
    """Toggles a scenario file does not list take these values (see the module doc)."""
    _check_structure(structure)
    return _default_toggles(structure)


@cache
def reference_toggles() -> MappingProxyType:
    """The 2021 reference: interlinking toggles off, adversary toggles as in 2021."""
    side = dict(zip(table("toggles")["id"], table("toggles")["side"], strict=True))
    d = _default_toggles(2021)
    return MappingProxyType({t: bool(d[t]) and side[t] != "interlinking" for t in d})


def _check_structure(structure: object) -> int:
    if not parameters.is_real(structure) or structure not in STRUCTURES:
        raise ModelError(f"structure must be one of {list(STRUCTURES)} (the year whose "
                         f"structural links are in force), got {short(structure)}")
    return int(structure)  # type: ignore[call-overload]


@cache
def _link_records() -> tuple[tuple[str, str | None, bool, bool], ...]:
    """(id, toggle or None, in_2021, in_2024) for every link, in ``links.csv`` order."""
    out = []
    for r in table("links").itertuples(index=False):
        t = r.toggle if isinstance(r.toggle, str) and r.toggle else None
        out.append((str(r.id), t, bool(r.in_2021), bool(r.in_2024)))
    return tuple(out)


@cache
def _link_sets() -> tuple[MappingProxyType, MappingProxyType]:
    """Links of each toggle, and structural links in force by structure year."""
    by_toggle: dict[str, set[str]] = {t: set() for t in _toggle_links()}
    by_year: dict[int, set[str]] = {2021: set(), 2024: set()}
    for link, toggle, in_2021, in_2024 in _link_records():
        if toggle:
            by_toggle[toggle].add(link)
        else:
            for year, on in ((2021, in_2021), (2024, in_2024)):
                if on:
                    by_year[year].add(link)
    return (MappingProxyType({t: frozenset(v) for t, v in by_toggle.items()}),
            MappingProxyType({y: frozenset(v) for y, v in by_year.items()}))


def active_links_for(toggles: Mapping[str, bool], structure: int) -> frozenset[str]:
    """Link ids in force for a toggle setting and structure year (see the module doc)."""
    by_toggle, by_year = _link_sets()
    return by_year[structure].union(*(by_toggle[t] for t, on in toggles.items() if on))


@dataclass(frozen=True)
class Reason:
    """Why a scenario sets one toggle or parameter, and where the article says so.

    Attributes
    ----------
    paragraphs : tuple of str
        Paragraph IDs (``"P01"`` .. ``"P21"``, see :mod:`lessons.sources.article`).
    text : str
        One or two sentences; where a setting is the project's reading rather than the
        article's words, the text says so.
    """

    paragraphs: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Scenario:
    """One world the model can simulate: links in force and assumptions. Immutable.

    Attributes
    ----------
    name, description : str
    toggles : Mapping[str, bool]
        Every toggle id in ``data/toggles.csv``.
    params : Mapping[str, float]
        Every parameter in ``data/parameters.csv`` (defaults unless overridden).
    structure : int
        2021 or 2024: which year's structural links are in force.
    overrides : frozenset of str
        Parameters the scenario sets explicitly; Monte Carlo holds them fixed and
        :func:`save_scenario` writes them.
    reasons : Mapping[str, Reason]
        Why the file sets a toggle or parameter (see :func:`scenario_reasons`). Not part
        of equality: two scenarios that simulate the same world are equal. A reason is
        dropped when :meth:`with_toggle` or :meth:`with_params` changes what it explains.
    """

    name: str
    description: str
    toggles: Mapping[str, bool]
    params: Mapping[str, float]
    structure: int = 2024
    overrides: frozenset[str] = field(default_factory=frozenset)
    reasons: Mapping[str, Reason] = field(default_factory=dict)

    def __post_init__(self) -> None:
        toggles, params = dict(self.toggles), dict(self.params)
        if set(toggles) != set(_toggle_links()):
            raise ModelError(f"a Scenario needs a value for every toggle, got "
                             f"{sorted(set(toggles) ^ set(_toggle_links()))} wrong; valid "
                             f"toggles: {choices(_toggle_links())} (use load_scenario)")
        if set(params) != set(parameters.names()):
            raise ModelError(f"a Scenario needs every parameter, got "
                             f"{sorted(set(params) ^ set(parameters.names()))} wrong; valid "
                             f"parameters: {choices(parameters.names())} (use load_scenario)")
        _check_structure(self.structure)
        stray = sorted(set(self.reasons) - set(toggles) - set(self.overrides))
        if stray:
            raise ModelError(f"reasons given for {short(stray)}, which are neither toggles "
                             f"nor parameters the scenario sets")
        object.__setattr__(self, "toggles", MappingProxyType(toggles))
        object.__setattr__(self, "params", MappingProxyType(params))
        object.__setattr__(self, "overrides", frozenset(self.overrides))
        object.__setattr__(self, "reasons", MappingProxyType(dict(self.reasons)))

    def __hash__(self) -> int:
        return hash((self.name, self.structure, tuple(sorted(self.toggles.items())),
                     tuple(sorted(self.params.items())), self.overrides))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return (self.name, self.description, self.structure, dict(self.toggles),
                dict(self.params), self.overrides) == (
            other.name, other.description, other.structure, dict(other.toggles),
            dict(other.params), other.overrides)

    def with_toggle(self, toggle: str, on: bool) -> Scenario:
        """A copy with ``toggle`` switched on (``True``) or off (``False``).

        Raises
        ------
        ModelError
            For an unknown toggle id (listing the valid ones; a link id is pointed to its
            toggle) or a value that is not a bool.
        """
        _check_toggle(toggle)
        if not isinstance(on, bool | np.bool_):
            raise ModelError(f"toggle {toggle!r} must be set to True or False, "
                             f"got {short(on)}")
        on = bool(on)
        kept = {k: r for k, r in self.reasons.items()
                if k != toggle or self.toggles[toggle] == on}
        return Scenario(self.name, self.description, {**self.toggles, toggle: on},
                        self.params, self.structure, self.overrides, kept)

    def with_link(self, link: str, on: bool) -> Scenario:
        """A copy with the toggle that switches ``link`` set to ``on`` (and so every other
        link of that toggle). Structural links cannot be switched."""
        toggle_of = {rec[0]: rec[1] for rec in _link_records()}
        if link not in toggle_of:
            raise ModelError(f"unknown link {short(link)}; valid links: {choices(toggle_of)}")
        t = toggle_of[link]
        if t is None:
            toggled = [i for i, tg in toggle_of.items() if tg]
            raise ModelError(f"link {link!r} is structural (an alliance, rivalry or aid flow "
                             f"set by the scenario's structure year) and cannot be toggled; "
                             f"toggleable links: {choices(toggled)}")
        return self.with_toggle(t, on)

    def with_params(self, **values: float) -> Scenario:
        """A copy with parameters overridden, e.g. ``sc.with_params(theta=0.2)``.

        Raises
        ------
        ModelError
            For an unknown name or a value outside its range (the message gives the range
            and the valid names).
        """
        checked = {k: parameters.check(k, v) for k, v in values.items()}
        kept = {k: r for k, r in self.reasons.items()
                if k not in checked or checked[k] == self.params[k]}
        return Scenario(self.name, self.description, self.toggles,
                        {**self.params, **checked}, self.structure,
                        self.overrides | set(checked), kept)

    def active_links(self) -> list[str]:
        """Ids of the links in force, in ``links.csv`` order."""
        active = self.link_set()
        return [rec[0] for rec in _link_records() if rec[0] in active]

    def link_set(self) -> frozenset[str]:
        """The links in force as a frozen set (what the structure cache is keyed by)."""
        return active_links_for(self.toggles, self.structure)


def _check_toggle(toggle: object) -> str:
    valid = _toggle_links()
    if isinstance(toggle, str) and toggle in valid:
        return toggle
    hint = ""
    if isinstance(toggle, str):
        for t, ids in valid.items():
            if toggle in ids:
                hint = f" ({toggle!r} is a link; the toggle that switches it is {t!r})"
    raise ModelError(f"unknown toggle {short(toggle)}{hint}; valid toggles: {choices(valid)}")


def list_toggles() -> pd.DataFrame:
    """The toggles a student can switch (``data/toggles.csv``), as a DataFrame copy."""
    return table("toggles").copy()


def scenario_from_dict(data: object, source: str = "scenario") -> Scenario:
    """Validate a parsed scenario (a mapping) and build a :class:`Scenario`.

    Every error message starts with ``source`` (the file's path when loading a file).
    """
    try:
        return _from_dict(data, source)
    except ModelError as exc:
        msg = str(exc)
        raise ModelError(msg if msg.startswith(source) else f"{source}: {msg}") from None


def _from_dict(data: object, source: str) -> Scenario:
    if data is None:
        raise ModelError(f"{source}: the file is empty; a scenario needs at least a 'name' "
                         f"(valid keys: {choices(KEYS)})")
    if not isinstance(data, Mapping):
        raise ModelError(f"{source}: a scenario must be a mapping with keys "
                         f"{choices(KEYS)}, got {type(data).__name__}")
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise ModelError(f"{source}: unknown key(s) {short(unknown)}; valid keys: "
                         f"{choices(KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ModelError(f"{source}: 'name' must be a non-empty string, got {short(name)}")
    scenario_names_from(data, source)  # label and phrase: checked, read by name elsewhere
    desc = data.get("description", "")
    if not isinstance(desc, str):
        raise ModelError(f"{source}: 'description' must be a string, got {short(desc)}")
    structure = _check_structure(data.get("structure", 2024))
    toggles = data.get("toggles") or {}
    if not isinstance(toggles, Mapping):
        raise ModelError(f"{source}: 'toggles' must map toggle ids to true/false; "
                         f"valid toggles: {choices(toggle_ids())}")
    values = dict(default_toggles(structure))
    for t, on in toggles.items():
        _check_toggle(t)
        if not isinstance(on, bool | np.bool_):
            raise ModelError(f"{source}: toggle {t!r} must be true or false, got {short(on)}")
        values[t] = bool(on)
    params = data.get("params") or {}
    if not isinstance(params, Mapping):
        raise ModelError(f"{source}: 'params' must map parameter names to numbers; "
                         f"valid parameters: {choices(parameters.names())}")
    checked = {k: parameters.check(k, v) for k, v in params.items()}
    reasons = _reasons_from(data.get("reasons") or {}, source, set(values), set(checked))
    return Scenario(name.strip(), desc.strip(), values, {**parameters.defaults(), **checked},
                    structure, frozenset(checked), reasons)


@cache
def _paragraph_ids() -> frozenset[str]:
    from lessons.sources.article import load_article

    return frozenset(p.id for p in load_article().paragraphs)


def _reasons_from(raw: object, source: str, toggles: set[str],
                  params: set[str]) -> dict[str, Reason]:
    """Validate the ``reasons`` mapping of a scenario file (see the module doc)."""
    form = ("'reasons' must map a toggle or a parameter the file sets to {paragraph: P16, "
            "reason: some words}")
    if not isinstance(raw, Mapping):
        raise ModelError(f"{source}: {form}")
    out = {}
    for key, entry in raw.items():
        if key not in toggles and key not in params:
            valid = [*sorted(toggles), *sorted(params)]
            raise ModelError(f"{source}: a reason for {short(key)}, which is neither a toggle "
                             f"nor a parameter the file sets; valid: {', '.join(valid)}")
        if not isinstance(entry, Mapping) or set(entry) != set(REASON_KEYS):
            raise ModelError(f"{source}: reason for {key!r}: {form}, got {short(entry)}")
        text, paras = entry["reason"], entry["paragraph"]
        if not isinstance(text, str) or not text.strip():
            raise ModelError(f"{source}: reason for {key!r} must be some words, "
                             f"got {short(text)}")
        paras = [paras] if isinstance(paras, str) else paras
        if not isinstance(paras, list) or not paras or any(p not in _paragraph_ids()
                                                          for p in paras):
            raise ModelError(f"{source}: reason for {key!r}: paragraph must be a paragraph ID "
                             f"or a list of them (P01 to P{len(_paragraph_ids()):02d}), "
                             f"got {short(entry['paragraph'])}")
        out[str(key)] = Reason(tuple(paras), " ".join(text.split()))
    return out


def scenario_reasons(sc: Scenario) -> pd.DataFrame:
    """Why the scenario sets what it sets: the table a lesson shows beside a scenario.

    Parameters
    ----------
    sc : Scenario
        Usually a shipped scenario (``load_scenario("authors_alternative")``), whose file
        gives a reason for every toggle and parameter it sets.

    Returns
    -------
    pandas.DataFrame
        One row per toggle (in ``toggles.csv`` order), then one per parameter the scenario
        sets (in ``parameters.csv`` order), with columns ``kind`` (``"toggle"`` or
        ``"parameter"``), ``item`` (the id), ``label`` (the toggle's label, or the
        parameter's name), ``value`` (``True``/``False`` or the number), ``reason`` and
        ``paragraph`` (comma-separated IDs such as ``"P16, P20"``); the last two are empty
        where the scenario gives no reason (a student's own change, for instance).
    """
    if not isinstance(sc, Scenario):
        raise ModelError(f"scenario_reasons() needs a Scenario (use load_scenario), got "
                         f"{type(sc).__name__}")
    labels = dict(zip(table("toggles")["id"], table("toggles")["label"], strict=True))
    rows = [("toggle", t, str(labels[t]), bool(sc.toggles[t])) for t in toggle_ids()]
    rows += [("parameter", k, k, float(sc.params[k]))
             for k in parameters.names() if k in sc.overrides]
    none = Reason((), "")
    return pd.DataFrame(
        [{"kind": kind, "item": item, "label": label, "value": value,
          "reason": sc.reasons.get(item, none).text,
          "paragraph": ", ".join(sc.reasons.get(item, none).paragraphs)}
         for kind, item, label, value in rows],
        columns=["kind", "item", "label", "value", "reason", "paragraph"])


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a shipped scenario by name, or a scenario file by path.

    Parameters
    ----------
    name_or_path : str or Path
        A name from :func:`list_scenarios` (``"mid_2024"``), or a path to a ``.yaml``,
        ``.yml`` or ``.json`` file.

    Raises
    ------
    ModelError
        Unknown scenario (lists the valid names), missing, unreadable or malformed file,
        or invalid content (see :func:`scenario_from_dict`); every message about a file
        names it.
    """
    if isinstance(name_or_path, Path) or (isinstance(name_or_path, str) and (
            name_or_path.endswith(SUFFIXES) or "/" in name_or_path or "\\" in name_or_path)):
        path = Path(name_or_path)
    elif isinstance(name_or_path, str):
        path = scenario_dir() / f"{name_or_path}.yaml"
        if not path.is_file():
            raise ModelError(f"unknown scenario {short(name_or_path)}; valid scenarios: "
                             f"{', '.join(list_scenarios())} (or a path to a .yaml/.json file)")
    else:
        raise ModelError(f"expected a scenario name or path, got {short(name_or_path)}; "
                         f"valid scenarios: {', '.join(list_scenarios())}")
    if path.suffix.lower() not in SUFFIXES:
        raise ModelError(f"{path}: a scenario file must end in {', '.join(SUFFIXES)}")
    return scenario_from_dict(read_scenario_file(path), str(path))


def resolve(scenario: Scenario | str | Path) -> Scenario:
    """The scenario a caller means: a :class:`Scenario` as is, a name or file loaded.

    Widgets, views and summaries accept either a scenario or its name; this is the one
    place that turns what they were given into a :class:`Scenario`, with one error message
    for everything else.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A :class:`Scenario` (returned unchanged, not copied), a name from
        :func:`list_scenarios` (``"mid_2024"``), or the path of a ``.yaml``/``.yml``/
        ``.json`` scenario file (loaded with :func:`load_scenario`).

    Returns
    -------
    Scenario

    Raises
    ------
    ModelError
        For an unknown name, a bad file, or a value that is neither a scenario nor a name;
        the message names the problem and lists the valid scenario names.

    Examples
    --------
    >>> from lessons.model import load_scenario, resolve
    >>> resolve("mid_2024").name
    'mid_2024'
    >>> sc = load_scenario("baseline_2021")
    >>> resolve(sc) is sc
    True
    >>> resolve(2024)  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    lessons.model.errors.ModelError: expected a Scenario or a scenario name, got 2024;
    valid scenarios: baseline_2021, mid_2024, ...
    """
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | Path):
        return load_scenario(scenario)
    raise ModelError(f"expected a Scenario or a scenario name, got {short(scenario)}; "
                     f"valid scenarios: {', '.join(list_scenarios())}")


def scenario_to_dict(sc: Scenario) -> dict:
    """The file form of a scenario: every toggle, the parameters it overrides, and the
    reasons it carries."""
    out = {
        "name": sc.name,
        "description": sc.description,
        "structure": sc.structure,
        "toggles": {t: bool(sc.toggles[t]) for t in toggle_ids()},
        "params": {k: float(sc.params[k]) for k in parameters.names() if k in sc.overrides},
    }
    if sc.reasons:
        order = [*toggle_ids(), *parameters.names()]
        out["reasons"] = {k: {"paragraph": list(sc.reasons[k].paragraphs),
                              "reason": sc.reasons[k].text}
                          for k in order if k in sc.reasons}
    return out


def save_scenario(sc: Scenario, path: str | Path) -> Path:
    """Write ``sc`` to ``path`` (``.yaml``/``.yml`` as YAML, ``.json`` as JSON).

    The file lists every toggle, the overridden parameters and the scenario's reasons, so
    that ``load_scenario(path) == sc``. The folder must exist (a typo in a folder name
    should not silently create a new one); the file is written under a temporary name and
    renamed into place, so a failed write never leaves half a file. Returns the path.

    Raises
    ------
    ModelError
        Not a Scenario, a wrong suffix, a missing folder, a path that is a directory, or
        a folder that cannot be written (each message names the path).
    """
    if not isinstance(sc, Scenario):
        raise ModelError(f"expected a Scenario, got {type(sc).__name__}")
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ModelError(f"{path}: a scenario file must end in {', '.join(SUFFIXES)}")
    if path.is_dir():
        raise ModelError(f"{path} is a directory; give the path of a file to write, such as "
                         f"{path / (sc.name + '.yaml')}")
    folder = path.parent
    if not folder.is_dir():
        raise ModelError(f"cannot save {path.name}: the folder {folder} does not exist "
                         f"(create it first, or choose an existing folder)")
    data = scenario_to_dict(sc)
    if path.suffix.lower() == ".json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = ("# A scenario for lessons.model (load it with load_scenario(path)).\n"
                + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp, 0o644)  # mkstemp's 0o600 would hide the file from a grader
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ModelError(f"cannot save {path}: {exc.strerror or exc}") from None
    return path
