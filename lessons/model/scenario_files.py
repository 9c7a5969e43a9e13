"""Scenario files on disk: where the shipped ones live, and how any file is read safely.

:func:`read_scenario_file` turns a ``.yaml``/``.yml``/``.json`` file into plain data;
:func:`lessons.model.scenario.scenario_from_dict` then validates it as a scenario.

Reading files
-------------
Files are read as data only (a safe loader, like ``yaml.safe_load``, or ``json``; never
pickle or eval) and validated: an unknown key, toggle or parameter, a value out of range or
of the wrong type raises :class:`ModelError` naming the file, the problem and the valid
choices. A hostile or broken file gets the same short message, quickly:

* files over :data:`MAX_BYTES` (1 MB) are refused before they are read;
* YAML is scanned as a stream of events first, and a document nested deeper than
  :data:`MAX_DEPTH` or expanding (through aliases) to more than :data:`MAX_NODES` values
  is refused before any value is built, so an alias bomb costs milliseconds;
* numbers follow YAML 1.2 (``1e-1`` is a float), duplicate keys are refused;
* the text must be UTF-8 (a leading byte-order mark is allowed and dropped); another
  encoding, binary data or an empty file is named as such;
* values quoted in messages are cut short (:func:`lessons.model.errors.short`).

libyaml's C parser is used where PyYAML was built with it, the pure-Python one otherwise.

"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import yaml

from lessons.model.errors import ModelError, choices
from lessons.paths import DATA_DIR
from lessons.quoting import quote_bounded as short

SCENARIO_DIR_NAME = "scenarios"
#: The shipped scenarios, in teaching order.
SCENARIOS: tuple[str, ...] = ("baseline_2021", "mid_2024", "deeper_interlinking",
                              "authors_alternative", "deterrence_world")
KEYS: tuple[str, ...] = ("name", "description", "structure", "toggles", "params", "reasons",
                        "label", "phrase")
SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".json")
#: Largest scenario file read (a full scenario with reasons is a few kilobytes).
MAX_BYTES = 1_000_000
#: Deepest nesting of mappings and lists accepted (a scenario needs 3).
MAX_DEPTH = 20
#: Most values a file may expand to, aliases counted at every use (a shipped scenario,
#: reasons and all, has under 200).
MAX_NODES = 10_000


def scenario_dir() -> Path:
    """Folder of the shipped scenario files."""
    return DATA_DIR / SCENARIO_DIR_NAME


def list_scenarios() -> list[str]:
    """Names of the shipped scenarios, in teaching order (then any others in the folder)."""
    extra = sorted(p.stem for p in scenario_dir().glob("*.yaml") if p.stem not in SCENARIOS)
    return [*SCENARIOS, *extra]


class ScenarioNames(NamedTuple):
    """How a reader calls a scenario: on its own (a legend, the scenario picker) and inside
    a sentence ("compared with the …")."""

    label: str
    phrase: str


def readable_name(name: str) -> str:
    """A scenario name as a reader would write it, for a file that gives no ``label``.

    >>> readable_name("middle_path")
    'Middle path'
    """
    text = " ".join(name.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def scenario_names_from(data: Mapping, source: str = "scenario") -> ScenarioNames:
    """The ``label`` and ``phrase`` a parsed scenario file gives, checked.

    Both keys are optional: without ``label`` the scenario is called by
    :func:`readable_name` of its ``name``, without ``phrase`` by its label. They are not
    part of a :class:`~lessons.model.scenario.Scenario` (a changed scenario keeps its
    parent's name, but is no longer what the label says), so they are read here, by name.

    Raises
    ------
    ModelError
        If either is present but not a non-empty string.
    """
    given = {}
    for key in ("label", "phrase"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ModelError(f"{source}: {key!r} must be a non-empty string, got "
                             f"{short(value)}")
        given[key] = " ".join(value.split()) if value else ""
    label = given["label"] or readable_name(str(data.get("name") or ""))
    return ScenarioNames(label, given["phrase"] or label)


@cache
def shipped_scenario_names() -> Mapping[str, ScenarioNames]:
    """Label and phrase of every shipped scenario (:func:`list_scenarios`), by the name
    its file gives; each file is read once per process.

    Raises
    ------
    ModelError
        If a file cannot be read, is not a mapping, or gives a bad label or phrase.
    """
    out: dict[str, ScenarioNames] = {}
    for stem in list_scenarios():
        path = scenario_dir() / f"{stem}.yaml"
        data = read_scenario_file(path)
        if not isinstance(data, Mapping):
            raise ModelError(f"{path}: a scenario must be a mapping with keys {choices(KEYS)}")
        name = data.get("name") if isinstance(data.get("name"), str) else stem
        out[str(name).strip()] = scenario_names_from(data, str(path))
    return MappingProxyType(out)


#: YAML 1.2's float (core schema): ``1e-1``, ``.5``, ``-2.0E+3``, ``.inf``, ``.nan``.
#: PyYAML follows YAML 1.1, where a float needs a dot, so ``1e-1`` would be a string.
_FLOAT_12 = re.compile(r"""^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?
                           |[-+]?[0-9]+[eE][-+]?[0-9]+
                           |[-+]?\.(?:inf|Inf|INF)
                           |\.(?:nan|NaN|NAN))$""", re.X)
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader (libyaml's C parser if available) with YAML 1.2 floats and
    duplicate keys refused."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                k = (key.tag, key.value)
                if k in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {short(key.value)} (lines {seen[k]} "
                        f"and {key.start_mark.line + 1}): each key may appear once",
                        key.start_mark)
                seen[k] = key.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _FLOAT_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(_FLOAT_TAG, _FLOAT_12, list("-+0123456789."))

_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_shape(text: str) -> None:
    """Refuse YAML nested deeper than :data:`MAX_DEPTH` or expanding to more than
    :data:`MAX_NODES` values, from the event stream alone (no value is built, so neither
    an alias bomb nor deep nesting costs memory or recursion)."""
    loader = _Loader(text)
    sizes: dict[str, int] = {}  # anchor -> values under it, aliases expanded
    stack: list[list] = [[None, 0]]  # [anchor, values so far] of each open collection
    try:
        while loader.check_event():
            ev = loader.get_event()
            if isinstance(ev, _STARTS):
                stack.append([ev.anchor, 1])
                if len(stack) - 1 > MAX_DEPTH:
                    raise ModelError(f"nested more than {MAX_DEPTH} levels deep (a scenario "
                                     f"needs 3)")
                continue
            if isinstance(ev, _ENDS):
                anchor, n = stack.pop()
            elif isinstance(ev, yaml.ScalarEvent):
                anchor, n = ev.anchor, 1
            elif isinstance(ev, yaml.AliasEvent):
                anchor, n = None, sizes.get(ev.anchor, 1)
            else:
                continue
            if anchor is not None:
                sizes[anchor] = n
            stack[-1][1] += n
            if stack[-1][1] > MAX_NODES:
                raise ModelError(f"expands to more than {MAX_NODES} values (aliases counted "
                                 f"at every use); a shipped scenario has under 200")
    finally:
        loader.dispose()


def _parse_yaml(text: str) -> object:
    _check_shape(text)
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise ModelError(f"duplicate key {short(k)}: each key may appear once")
        out[k] = v
    return out


def _depth(obj: object) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, todo = 0, [(obj, 0)]
    while todo:
        item, d = todo.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, d + 1)
            if deepest > MAX_DEPTH:
                break
            todo.extend((v, d + 1) for v in (item.values() if isinstance(item, dict)
                                             else item))
    return deepest


def _parse_json(text: str) -> object:
    data = json.loads(text, object_pairs_hook=_no_duplicates)
    if _depth(data) > MAX_DEPTH:
        raise ModelError(f"nested more than {MAX_DEPTH} levels deep (a scenario needs 3)")
    return data


def _read_text(path: Path) -> str:
    """The file's text, refusing what is not a small UTF-8 text file (see the module doc)."""
    try:
        if path.is_dir():
            raise ModelError(f"{path} is a directory, not a scenario file")
        if not path.exists():
            raise ModelError(f"scenario file {path} does not exist; shipped scenarios: "
                             f"{', '.join(list_scenarios())}")
        if not path.is_file():
            raise ModelError(f"{path} is not a regular file (a device or a pipe?); a "
                             f"scenario is a .yaml or .json file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ModelError(f"{path}: the file is {size / 1e6:.1f} MB; scenario files are "
                             f"limited to {MAX_BYTES / 1e6:.0f} MB (a scenario is a few KB)")
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ModelError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise ModelError(f"{path}: the file is over {MAX_BYTES / 1e6:.0f} MB; scenario files "
                         f"are limited to that")
    raw = raw.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in raw:
        raise ModelError(f"{path}: holds binary data (NUL bytes), not YAML or JSON text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ModelError(f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02X} on line "
                         f"{line}); save the file as UTF-8") from None
    if not text.strip():
        raise ModelError(f"{path}: the file is empty; a scenario needs at least a 'name' "
                         f"(valid keys: {choices(KEYS)})")
    return text


def read_scenario_file(path: str | Path) -> object:
    """Parse a scenario file into plain data (not yet validated as a scenario).

    Raises
    ------
    ModelError
        Naming the file, for every way a file can be wrong: missing, a directory, too
        large, not UTF-8, binary, empty, not valid YAML/JSON, duplicate keys, too deep,
        an alias bomb (see the module doc).
    """
    path = Path(path)
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    text = _read_text(path)
    try:
        return _parse_json(text) if kind == "JSON" else _parse_yaml(text)
    except ModelError as exc:
        raise ModelError(f"{path}: {exc}") from None
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: not valid {kind}: {_clip(str(exc))}") from None
    except RecursionError:
        raise ModelError(f"{path}: nested more than {MAX_DEPTH} levels deep (a scenario "
                         f"needs 3)") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise ModelError(f"{path}: not valid {kind}: {_clip(str(exc))}") from None


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


