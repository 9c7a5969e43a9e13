"""Scenarios: which links are in force and which assumptions hold, as small data files.

A scenario file (``data/scenarios/<name>.yaml``, or any ``.yaml``/``.yml``/``.json`` file a
student saves) holds::

    name: my_world
    description: Two or three sentences in plain words.
    structure: 2024        # which year's structural links are in force: 2021 or 2024
    toggles:               # toggle id -> true/false (see data/toggles.csv)
      euro_taiwan_patrols: true
    params:                # overrides of data/parameters.csv defaults, within their ranges
      theta: 0.3

Files are read as data only (``yaml.safe_load`` / ``json``; never pickle or eval) and
validated: an unknown key, toggle or parameter, a value out of range or of the wrong type
raises :class:`ModelError` naming the problem and the valid choices.

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import yaml

from lessons.model import parameters
from lessons.model.errors import ModelError, choices
from lessons.model.tables import table
from lessons.paths import DATA_DIR

SCENARIO_DIR_NAME = "scenarios"
#: The shipped scenarios, in teaching order.
SCENARIOS: tuple[str, ...] = ("baseline_2021", "mid_2024", "deeper_interlinking",
                              "authors_alternative", "deterrence_world")
STRUCTURES: tuple[int, ...] = (2021, 2024)
KEYS: tuple[str, ...] = ("name", "description", "structure", "toggles", "params")
SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".json")


def scenario_dir() -> Path:
    """Folder of the shipped scenario files."""
    return DATA_DIR / SCENARIO_DIR_NAME


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
    if isinstance(structure, bool) or structure not in STRUCTURES:
        raise ModelError(f"structure must be one of {list(STRUCTURES)} (the year whose "
                         f"structural links are in force), got {structure!r}")
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
    """

    name: str
    description: str
    toggles: Mapping[str, bool]
    params: Mapping[str, float]
    structure: int = 2024
    overrides: frozenset[str] = field(default_factory=frozenset)

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
        object.__setattr__(self, "toggles", MappingProxyType(toggles))
        object.__setattr__(self, "params", MappingProxyType(params))
        object.__setattr__(self, "overrides", frozenset(self.overrides))

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
        if not isinstance(on, bool):
            raise ModelError(f"toggle {toggle!r} must be set to True or False, got {on!r}")
        return Scenario(self.name, self.description, {**self.toggles, toggle: on},
                        self.params, self.structure, self.overrides)

    def with_link(self, link: str, on: bool) -> Scenario:
        """A copy with the toggle that switches ``link`` set to ``on`` (and so every other
        link of that toggle). Structural links cannot be switched."""
        toggle_of = {rec[0]: rec[1] for rec in _link_records()}
        if link not in toggle_of:
            raise ModelError(f"unknown link {link!r}; valid links: {choices(toggle_of)}")
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
        return Scenario(self.name, self.description, self.toggles,
                        {**self.params, **checked}, self.structure,
                        self.overrides | set(checked))

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
    raise ModelError(f"unknown toggle {toggle!r}{hint}; valid toggles: {choices(valid)}")


def list_scenarios() -> list[str]:
    """Names of the shipped scenarios, in teaching order (then any others in the folder)."""
    extra = sorted(p.stem for p in scenario_dir().glob("*.yaml") if p.stem not in SCENARIOS)
    return [*SCENARIOS, *extra]


def list_toggles() -> pd.DataFrame:
    """The toggles a student can switch (``data/toggles.csv``), as a DataFrame copy."""
    return table("toggles").copy()


def scenario_from_dict(data: object, source: str = "scenario") -> Scenario:
    """Validate a parsed scenario (a mapping) and build a :class:`Scenario`."""
    if not isinstance(data, Mapping):
        raise ModelError(f"{source}: a scenario must be a mapping with keys "
                         f"{choices(KEYS)}, got {type(data).__name__}")
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise ModelError(f"{source}: unknown key(s) {unknown}; valid keys: {choices(KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ModelError(f"{source}: 'name' must be a non-empty string, got {name!r}")
    desc = data.get("description", "")
    if not isinstance(desc, str):
        raise ModelError(f"{source}: 'description' must be a string, got {desc!r}")
    structure = _check_structure(data.get("structure", 2024))
    toggles = data.get("toggles") or {}
    if not isinstance(toggles, Mapping):
        raise ModelError(f"{source}: 'toggles' must map toggle ids to true/false; "
                         f"valid toggles: {choices(toggle_ids())}")
    values = dict(default_toggles(structure))
    for t, on in toggles.items():
        _check_toggle(t)
        if not isinstance(on, bool):
            raise ModelError(f"{source}: toggle {t!r} must be true or false, got {on!r}")
        values[t] = on
    params = data.get("params") or {}
    if not isinstance(params, Mapping):
        raise ModelError(f"{source}: 'params' must map parameter names to numbers; "
                         f"valid parameters: {choices(parameters.names())}")
    checked = {k: parameters.check(k, v) for k, v in params.items()}
    return Scenario(name.strip(), desc.strip(), values, {**parameters.defaults(), **checked},
                    structure, frozenset(checked))


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
        Unknown scenario (lists the valid names), missing file, malformed file, or invalid
        content (see :func:`scenario_from_dict`).
    """
    if isinstance(name_or_path, Path) or (isinstance(name_or_path, str) and (
            name_or_path.endswith(SUFFIXES) or "/" in name_or_path or "\\" in name_or_path)):
        path = Path(name_or_path)
    elif isinstance(name_or_path, str):
        path = scenario_dir() / f"{name_or_path}.yaml"
        if not path.is_file():
            raise ModelError(f"unknown scenario {name_or_path!r}; valid scenarios: "
                             f"{', '.join(list_scenarios())} (or a path to a .yaml/.json file)")
    else:
        raise ModelError(f"expected a scenario name or path, got {name_or_path!r}; "
                         f"valid scenarios: {', '.join(list_scenarios())}")
    if path.suffix.lower() not in SUFFIXES:
        raise ModelError(f"{path}: a scenario file must end in {', '.join(SUFFIXES)}")
    if not path.is_file():
        raise ModelError(f"scenario file {path} does not exist; shipped scenarios: "
                         f"{', '.join(list_scenarios())}")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}"
                         f": {exc}") from None
    return scenario_from_dict(data, str(path))


def scenario_to_dict(sc: Scenario) -> dict:
    """The file form of a scenario: every toggle, and the parameters it overrides."""
    return {
        "name": sc.name,
        "description": sc.description,
        "structure": sc.structure,
        "toggles": {t: bool(sc.toggles[t]) for t in toggle_ids()},
        "params": {k: float(sc.params[k]) for k in parameters.names() if k in sc.overrides},
    }


def save_scenario(sc: Scenario, path: str | Path) -> Path:
    """Write ``sc`` to ``path`` (``.yaml``/``.yml`` as YAML, ``.json`` as JSON).

    The file lists every toggle and the overridden parameters, so that
    ``load_scenario(path) == sc``. Returns the path written.
    """
    if not isinstance(sc, Scenario):
        raise ModelError(f"expected a Scenario, got {type(sc).__name__}")
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ModelError(f"{path}: a scenario file must end in {', '.join(SUFFIXES)}")
    data = scenario_to_dict(sc)
    if path.suffix.lower() == ".json":
        text = json.dumps(data, indent=2) + "\n"
    else:
        text = ("# A scenario for lessons.model (load it with load_scenario(path)).\n"
                + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88))
    path.write_text(text, encoding="utf-8")
    return path
