"""Scenario files: hostile and broken input gets a short message naming the file, and every
shipped scenario says why it sets what it sets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from lessons.model import ModelError, list_scenarios, load_scenario, save_scenario
from lessons.model import scenario as sm
from lessons.model.scenario import scenario_from_dict, scenario_reasons
from lessons.sources.article import load_article

#: What a student may wait for, and read, when a file is bad.
MAX_SECONDS = 10
MAX_MESSAGE = 10_000


def _bomb(levels: int) -> str:
    """The classic 'billion laughs': each level lists the previous one nine times
    (anchors a, b, c, ...; nine levels take about 300 bytes and expand to 9**9 values)."""
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = ["a: &a [l,l,l,l,l,l,l,l,l]"]
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + f"\nname: *{names[levels - 1]}\n"


def _refused(path: Path) -> str:
    """Load ``path``, expecting a quick, short ModelError that names the file."""
    start = time.perf_counter()
    with pytest.raises(ModelError) as e:
        load_scenario(path)
    elapsed = time.perf_counter() - start
    msg = str(e.value)
    assert elapsed < MAX_SECONDS, elapsed
    assert len(msg) < MAX_MESSAGE, len(msg)
    assert str(path) in msg, msg
    return msg


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ------------------------------------------------------------------ numbers and keys

def test_yaml_1_2_floats(tmp_path):
    """``1e-1`` is a float (YAML 1.2); PyYAML alone reads it as the string '1e-1'."""
    assert yaml.safe_load("x: 1e-1")["x"] == "1e-1"  # the trap this loader avoids
    for text, value in (("1e-1", 0.1), ("5E-2", 0.05), (".5", 0.5), ("+0.25", 0.25)):
        sc = load_scenario(_write(tmp_path, "f.yaml", f"name: x\nparams:\n  theta: {text}\n"))
        assert sc.params["theta"] == pytest.approx(value)


def test_quoted_numbers_stay_text(tmp_path):
    msg = _refused(_write(tmp_path, "q.yaml", "name: x\nparams:\n  theta: '1e-1'\n"))
    assert "must be a number" in msg


@pytest.mark.parametrize("text, key", [
    ("name: x\nname: y\n", "name"),
    ("name: x\ntoggles:\n  ap4_summits: true\n  ap4_summits: false\n", "ap4_summits"),
    ("name: x\nparams: {theta: 0.2, theta: 0.9}\n", "theta"),
])
def test_duplicate_keys_are_refused(tmp_path, text, key):
    msg = _refused(_write(tmp_path, "dup.yaml", text))
    assert "duplicate key" in msg and key in msg


def test_duplicate_keys_in_json_are_refused(tmp_path):
    msg = _refused(_write(tmp_path, "dup.json", '{"name": "x", "name": "y"}'))
    assert "duplicate key" in msg


@pytest.mark.parametrize("value", [np.float32(0.5), np.float64(0.5), np.int64(0),
                                   np.int8(1), np.uint16(1), 1, 0.5])
def test_any_real_numpy_number_is_a_number(value):
    sc = scenario_from_dict({"name": "x", "params": {"theta": value}})
    assert sc.params["theta"] == float(value) and type(sc.params["theta"]) is float
    assert load_scenario("mid_2024").with_params(theta=value).params["theta"] == float(value)


@pytest.mark.parametrize("value", [True, np.bool_(True), "0.5", None, [0.5], 1j])
def test_non_numbers_are_refused(value):
    with pytest.raises(ModelError) as e:
        scenario_from_dict({"name": "x", "params": {"theta": value}}, "mine.yaml")
    assert "must be a number" in str(e.value) and str(e.value).startswith("mine.yaml")


def test_numpy_bools_are_toggle_values():
    sc = scenario_from_dict({"name": "x", "toggles": {"kor_arms_direct": np.bool_(True)}})
    assert sc.toggles["kor_arms_direct"] is True
    assert load_scenario("mid_2024").with_toggle("ap4_summits", np.False_).toggles[
        "ap4_summits"] is False


def test_bad_values_are_quoted_short(tmp_path):
    msg = _refused(_write(tmp_path, "long.yaml",
                          "name: x\nparams:\n  theta: " + "a" * 200_000 + "\n"))
    assert len(msg) < 500 and "..." in msg
    msg = _refused(_write(tmp_path, "many.yaml",
                          "name: x\n" + "".join(f"k{i}: 1\n" for i in range(5000))))
    assert len(msg) < 500


# ------------------------------------------------------------------ hostile files

def test_an_alias_bomb_of_about_300_bytes(tmp_path):
    text = _bomb(9)
    assert len(text.encode()) < 320  # the issue saw a 296-byte one print 39 MB
    msg = _refused(_write(tmp_path, "bomb.yaml", text))
    assert "expands to more than" in msg


@pytest.mark.parametrize("levels", [4, 6, 9, 12])
def test_alias_bombs_of_any_depth(tmp_path, levels):
    assert "expands to more than" in _refused(_write(tmp_path, "b.yaml", _bomb(levels)))


def test_a_shared_anchor_of_sensible_size_is_fine(tmp_path):
    text = "params: &p {theta: 0.3}\nname: x\n"
    assert load_scenario(_write(tmp_path, "ok.yaml", text)).params["theta"] == 0.3


@pytest.mark.parametrize("depth", [25, 1_000, 200_000])
def test_deep_nesting(tmp_path, depth):
    msg = _refused(_write(tmp_path, "deep.yaml", "name: " + "[" * depth + "]" * depth))
    assert "nested" in msg or "nesting" in msg


def test_deep_block_nesting(tmp_path):
    text = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v\n"
    assert "nested" in _refused(_write(tmp_path, "block.yaml", text))


@pytest.mark.parametrize("depth", [25, 200_000])
def test_deep_json(tmp_path, depth):
    msg = _refused(_write(tmp_path, "deep.json", "[" * depth + "]" * depth))
    assert "nested" in msg


def test_fifty_megabytes_are_refused_at_once(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:  # sparse: the size without the disk
        fh.truncate(50_000_000)
    start = time.perf_counter()
    msg = _refused(path)
    assert time.perf_counter() - start < 1
    assert "50.0 MB" in msg and "1 MB" in msg


def test_just_over_the_limit(tmp_path):
    text = "name: x\n# " + "z" * sm.MAX_BYTES + "\n"
    assert "limited to" in _refused(_write(tmp_path, "big.yaml", text))


def test_latin_1(tmp_path):
    msg = _refused(_write(tmp_path, "latin.yaml",
                          "name: x\ndescription: caf\u00e9\n".encode("latin-1")))
    assert "not UTF-8" in msg and "line 2" in msg


def test_utf8_bom_is_read_as_utf8(tmp_path):
    """A byte-order mark (as some Windows editors write) is allowed: the file reads the
    same as without it, in YAML and in JSON."""
    plain = "name: café\nparams:\n  theta: 0.4\n"
    with_bom = load_scenario(_write(tmp_path, "bom.yaml", b"\xef\xbb\xbf" + plain.encode()))
    assert with_bom == load_scenario(_write(tmp_path, "plain.yaml", plain))
    js = json.dumps({"name": "café"}).encode()
    assert load_scenario(_write(tmp_path, "bom.json", b"\xef\xbb\xbf" + js)).name == "café"


@pytest.mark.parametrize("content", ["", "\n\n   \n", "# only a comment\n", "---\n"])
def test_empty_files(tmp_path, content):
    assert "empty" in _refused(_write(tmp_path, "empty.yaml", content))


def test_empty_json(tmp_path):
    assert "empty" in _refused(_write(tmp_path, "empty.json", ""))


@pytest.mark.parametrize("content, words", [
    (bytes(range(256)) * 4, "binary"),
    (bytes(range(128, 256)) * 8, "not UTF-8"),
    (b"name: x\x07\x1b\n", "not valid YAML"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary"),
])
def test_binary_garbage(tmp_path, content, words):
    assert words in _refused(_write(tmp_path, "garbage.yaml", content))


def test_huge_integer(tmp_path):
    msg = _refused(_write(tmp_path, "int.yaml", "name: x\nparams:\n  theta: " + "9" * 6000))
    assert "not valid YAML" in msg or "outside its range" in msg


def test_huge_json_integer(tmp_path):
    msg = _refused(_write(tmp_path, "int.json", '{"name": "x", "params": {"theta": '
                          + "9" * 6000 + "}}"))
    assert "not valid JSON" in msg


def test_every_content_error_names_the_file(tmp_path):
    for text in ("name: x\ntoggles:\n  warp: true\n", "name: x\nstructure: 1999\n",
                 "name: x\nparams:\n  theta: 7\n", "name: x\ncolour: red\n"):
        _refused(_write(tmp_path, "content.yaml", text))


def test_the_c_loader_is_used_where_libyaml_is_present():
    assert issubclass(sm._Loader, yaml.CSafeLoader if yaml.__with_libyaml__
                      else yaml.SafeLoader)


@pytest.mark.parametrize("kind", ["bomb", "huge", "latin-1"])
def test_render_refuses_a_hostile_scenario_file_before_any_kernel(tmp_path, kind):
    """The command line a maintainer uses: exit status 2, quickly, with a short message
    naming the file, and nothing written."""
    path = tmp_path / f"{kind}.yaml"
    if kind == "bomb":
        path.write_text(_bomb(9))
    elif kind == "huge":
        with path.open("wb") as fh:
            fh.truncate(50_000_000)
    else:
        path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    out = tmp_path / "site"
    cli = Path(sys.executable).with_name("lessons")
    start = time.perf_counter()
    run = subprocess.run([str(cli), "render", "--lesson", "09", "--scenario", str(path),
                          "--out", str(out), "--jobs", "1", "--no-progress"],
                         capture_output=True, timeout=60, check=False)
    elapsed = time.perf_counter() - start
    printed = run.stdout + run.stderr
    assert run.returncode == 2, printed[-2000:]
    assert elapsed < MAX_SECONDS, elapsed
    assert len(printed) < MAX_MESSAGE, len(printed)
    assert str(path).encode() in printed
    assert not out.exists()


# ------------------------------------------------------------------ paths

def test_a_directory_named_like_a_scenario(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    msg = _refused(tmp_path / "x.yaml")
    assert "is a directory" in msg and "does not exist" not in msg


def test_a_missing_file_is_named(tmp_path):
    assert "does not exist" in _refused(tmp_path / "nowhere.yaml")


def test_save_into_a_missing_folder(tmp_path):
    target = tmp_path / "no_such_folder" / "mine.yaml"
    with pytest.raises(ModelError) as e:
        save_scenario(load_scenario("mid_2024"), target)
    assert "does not exist" in str(e.value) and str(target.parent) in str(e.value)
    assert not target.parent.exists()


def test_save_onto_a_directory(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    with pytest.raises(ModelError) as e:
        save_scenario(load_scenario("mid_2024"), tmp_path / "x.yaml")
    assert "is a directory" in str(e.value)


def test_save_leaves_one_readable_file(tmp_path):
    path = save_scenario(load_scenario("authors_alternative"), tmp_path / "alt.yaml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alt.yaml"]
    assert os.stat(path).st_mode & 0o444 == 0o444


# ------------------------------------------------------------------ reasons

@pytest.fixture(scope="module")
def paragraph_ids() -> set[str]:
    return {p.id for p in load_article().paragraphs}


@pytest.mark.parametrize("name", list_scenarios())
def test_every_setting_of_a_shipped_scenario_says_why(name, paragraph_ids):
    sc = load_scenario(name)
    table = scenario_reasons(sc)
    assert set(table.loc[table.kind == "toggle", "item"]) == set(sc.toggles)
    assert set(table.loc[table.kind == "parameter", "item"]) == set(sc.overrides)
    for row in table.itertuples():
        assert len(row.reason.split()) >= 3, (name, row.item)
        ids = row.paragraph.split(", ")
        assert ids and set(ids) <= paragraph_ids, (name, row.item, row.paragraph)
    on = table.set_index("item")["value"]
    assert all(on[t] == sc.toggles[t] for t in sc.toggles)


def test_reason_texts_start_from_the_value_they_explain():
    """A toggle's reason opens with On or Off, and it matches the value set."""
    for name in list_scenarios():
        t = scenario_reasons(load_scenario(name))
        for row in t[t.kind == "toggle"].itertuples():
            assert row.reason.startswith("On" if row.value else "Off"), (name, row.item)


def test_authors_alternative_holds_only_what_the_authors_recommend():
    alt, mid = load_scenario("authors_alternative"), load_scenario("mid_2024")
    # the article calls the indirect shells (and Japan's aid) real progress (P10-P11) and
    # never asks the AP4 to stop attending NATO summits
    for t in ("ap4_summits", "kor_shells_indirect", "jpn_aid_ukraine", "nato_itpp"):
        assert alt.toggles[t], t
    recommends = {f"P{i}" for i in range(15, 22)}
    reasons = scenario_reasons(alt).set_index("item")
    changed = [t for t in alt.toggles if alt.toggles[t] != mid.toggles[t]]
    assert changed == ["euro_deployments"]
    for item in [*changed, *alt.overrides]:
        assert recommends & set(reasons.loc[item, "paragraph"].split(", ")), item
    assert "interpretation" in reasons.loc["euro_deployments", "reason"]
    assert "interpretation" in reasons.loc["generosity", "reason"]


@pytest.mark.parametrize("reasons, words", [
    ({"ap4_summits": {"paragraph": "P22", "reason": "some words here"}}, "paragraph"),
    ({"ap4_summits": {"paragraph": [], "reason": "some words here"}}, "paragraph"),
    ({"ap4_summits": {"paragraph": "P06", "reason": "  "}}, "some words"),
    ({"ap4_summits": {"paragraph": "P06"}}, "reason"),
    ({"ap4_summits": "because"}, "reason"),
    ({"theta": {"paragraph": "P16", "reason": "set nowhere"}}, "neither a toggle"),
    ({"warp": {"paragraph": "P16", "reason": "no such thing"}}, "warp"),
    (["ap4_summits"], "'reasons' must map"),
])
def test_bad_reasons_are_refused(reasons, words):
    with pytest.raises(ModelError) as e:
        scenario_from_dict({"name": "x", "reasons": reasons}, "mine.yaml")
    assert words in str(e.value) and str(e.value).startswith("mine.yaml")


def test_reasons_survive_a_save_and_follow_changes(tmp_path):
    alt = load_scenario("authors_alternative")
    for suffix in (".yaml", ".json"):
        back = load_scenario(save_scenario(alt, tmp_path / f"alt{suffix}"))
        assert dict(back.reasons) == dict(alt.reasons)
    flipped = alt.with_toggle("kor_arms_direct", True)
    assert "kor_arms_direct" not in flipped.reasons and "ap4_summits" in flipped.reasons
    assert "kor_arms_direct" in alt.with_toggle("kor_arms_direct", False).reasons
    moved = alt.with_params(us_pivot=0.7, generosity=0.3)
    assert "us_pivot" not in moved.reasons and "generosity" in moved.reasons
    row = scenario_reasons(flipped).set_index("item").loc["kor_arms_direct"]
    assert row["value"] is True
    assert row["reason"] == "" and row["paragraph"] == ""


def test_scenario_reasons_needs_a_scenario():
    with pytest.raises(ModelError) as e:
        scenario_reasons("authors_alternative")  # type: ignore[arg-type]
    assert "load_scenario" in str(e.value)


# --------------------------------------------------------------------------- labels


def test_every_shipped_scenario_file_names_itself():
    from lessons.model import scenario_files as sf

    names = sf.shipped_scenario_names()
    assert list(names) == list_scenarios()
    for name in list_scenarios():
        data = yaml.safe_load((sf.scenario_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
        assert names[name].label == data["label"]
        assert names[name].phrase == data.get("phrase", data["label"])


def test_a_scenario_file_without_a_label_is_called_by_a_readable_name(tmp_path, monkeypatch):
    from lessons.model import scenario_files as sf

    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in list_scenarios():
        (folder / f"{name}.yaml").write_bytes((sf.scenario_dir() / f"{name}.yaml").read_bytes())
    (folder / "middle_path.yaml").write_text("name: middle_path\nstructure: 2024\n",
                                             encoding="utf-8")
    monkeypatch.setattr(sf, "scenario_dir", lambda: folder)
    sf.shipped_scenario_names.cache_clear()
    try:
        names = sf.shipped_scenario_names()
        assert names["middle_path"] == ("Middle path", "Middle path")
        assert names["mid_2024"].phrase != names["mid_2024"].label  # the file's own two
    finally:
        sf.shipped_scenario_names.cache_clear()


def test_readable_name_of_a_scenario_name():
    from lessons.model.scenario_files import readable_name

    assert readable_name("my__own_world") == "My own world"
    assert readable_name("x") == "X"


@pytest.mark.parametrize("bad", ["''", "[a, b]", "3"])
@pytest.mark.parametrize("key", ["label", "phrase"])
def test_a_bad_label_or_phrase_is_refused_naming_the_file(tmp_path, key, bad):
    path = tmp_path / "mine.yaml"
    path.write_text(f"name: mine\n{key}: {bad}\n", encoding="utf-8")
    message = _refused(path)
    assert f"'{key}' must be a non-empty string" in message


def test_label_and_phrase_name_a_file_but_are_not_part_of_the_scenario(tmp_path):
    plain, named = tmp_path / "plain.yaml", tmp_path / "named.yaml"
    plain.write_text("name: mine\nstructure: 2024\n", encoding="utf-8")
    named.write_text("name: mine\nlabel: My own world\nphrase: my own world\n"
                     "structure: 2024\n", encoding="utf-8")
    sc = load_scenario(named)
    assert sc == load_scenario(plain)
    saved = save_scenario(sc, tmp_path / "saved.yaml").read_text(encoding="utf-8")
    assert "label" not in yaml.safe_load(saved)
