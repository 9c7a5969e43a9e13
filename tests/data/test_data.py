"""The data package: valid, internally consistent, and loud about every kind of bad input.

Bad inputs are tried on a temporary copy of ``data/`` (the real files are never touched):
most on a copy of only the tables their check reads (see ``part``), so that frictionless does
not re-validate every untouched table for each case; one end-to-end case breaks the whole copy.
Expected values are computed from the tables themselves, never pasted.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from lessons import data as ld
from lessons.cli.commands import validate_cmd
from lessons.paths import DATA_DIR
from lessons.sources import article

RESOURCES = [
    "actors",
    "links",
    "toggles",
    "events",
    "military_expenditure",
    "support",
    "claims",
    "parameters",
]
AP4 = {"JPN", "KOR", "AUS", "NZL"}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Keep on-disk validation notes of these tests out of build/."""
    monkeypatch.setattr(ld, "CACHE_DIR", tmp_path / "validation-cache")


def _copy(dest: Path) -> Path:
    """Copy data/ to ``dest``; drop resources whose file does not exist yet (copy only)."""
    root = dest / "data"
    shutil.copytree(DATA_DIR, root)
    descriptor = json.loads((root / ld.DESCRIPTOR).read_text(encoding="utf-8"))
    present = [r for r in descriptor["resources"] if (root / r["path"]).is_file()]
    if len(present) != len(descriptor["resources"]):
        descriptor["resources"] = present
        (root / ld.DESCRIPTOR).write_text(json.dumps(descriptor), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The real data folder when every declared file exists, else a copy limited to those
    that do (e.g. while parameters.csv is still being written by someone else)."""
    names = ld.resource_names(DATA_DIR)
    descriptor = ld.read_descriptor(DATA_DIR)
    if all((DATA_DIR / r["path"]).is_file() for r in descriptor["resources"]):
        return DATA_DIR
    copy = _copy(tmp_path_factory.mktemp("present"))
    assert set(ld.resource_names(copy)) < set(names)
    return copy


@pytest.fixture
def copy(tmp_path) -> Path:
    """A fresh, writable copy of data/ for breaking."""
    return _copy(tmp_path)


def _part(dest: Path, names: tuple[str, ...]) -> Path:
    """Copy to ``dest`` the named resources of data/ and those their foreign keys point to
    (transitively), with a descriptor that lists only them; files that do not exist yet are
    left out, as in ``_copy``."""
    descriptor = ld.read_descriptor(DATA_DIR)
    by_name = {r["name"]: r for r in descriptor["resources"]}
    keep: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep.add(name)
        for fk in by_name[name]["schema"].get("foreignKeys", []):
            todo.append(fk["reference"].get("resource") or name)
    resources = [
        r for r in descriptor["resources"]
        if r["name"] in keep and (DATA_DIR / r["path"]).is_file()
    ]
    root = dest / "data"
    root.mkdir()
    for res in resources:
        shutil.copyfile(DATA_DIR / res["path"], root / res["path"])
    pruned = {**descriptor, "resources": resources}
    (root / ld.DESCRIPTOR).write_text(json.dumps(pruned, indent=2), encoding="utf-8")
    return root


@pytest.fixture
def part(tmp_path):
    """``part("links")``: a fresh, writable copy of only the tables a check reads (links with
    actors and toggles, which its foreign keys need), validated far faster than all of data/."""
    return lambda *names: _part(tmp_path, names)


def _table(root: Path, name: str) -> list[dict[str, str]]:
    with (root / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(root: Path, name: str, rows: list[dict[str, str]], fields: list[str]) -> None:
    with (root / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _set_cell(root: Path, name: str, column: str, value: str, index: int = 0) -> int:
    """Set one cell of a copied CSV file; return its row number (header = row 1)."""
    rows = _table(root, name)
    fields = list(rows[0])
    rows[index][column] = value
    _write(root, name, rows, fields)
    return index + 2


def _problems(root: Path) -> str:
    with pytest.raises(ld.DataError) as info:
        ld.validate(root)
    return str(info.value)


# --------------------------------------------------------------------------- the package


def test_descriptor_declares_every_table():
    assert ld.resource_names() == RESOURCES


def test_package_is_valid(root):
    ld.validate(root)
    rep = ld.report(root)
    assert rep.valid
    assert rep.resources == len(ld.resource_names(root))
    files = [r["path"] for r in ld.read_descriptor(root)["resources"]]
    assert rep.rows == sum(len(_table(root, f)) for f in files)


@pytest.mark.parametrize("name", RESOURCES)
def test_every_resource_loads_with_its_columns(root, name):
    frame = ld.load(name, root)
    (resource,) = [r for r in ld.read_descriptor(root)["resources"] if r["name"] == name]
    assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]
    assert len(frame) == len(_table(root, resource["path"])) > 0


@pytest.mark.parametrize("name", RESOURCES)
def test_every_field_is_described(name):
    (resource,) = [r for r in ld.read_descriptor()["resources"] if r["name"] == name]
    assert resource["title"] and resource["description"]
    for field in resource["schema"]["fields"]:
        assert field["type"] in {"string", "integer", "number", "boolean"}, field
        assert len(field.get("description", "")) > 10, (name, field["name"])


def test_descriptor_documents_licence_sources_and_assumptions():
    desc = ld.read_descriptor()
    assert [lic["name"] for lic in desc["licenses"]] == ["CC-BY-4.0"]
    sipri = [s for s in desc["sources"] if "SIPRI" in s["title"]]
    assert sipri and "April 2024" in sipri[0]["title"] and "April 2025" in sipri[0]["title"]
    assert "terms" in sipri[0]["description"]
    assert any("Kiel" in s["title"] for s in desc["sources"])
    fields = {
        r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in desc["resources"]
    }
    assert "teaching assumption" in fields["links"]["weight"]["unit"]
    assert "layout" in fields["actors"]["x"]["description"]
    assert "layout" in fields["actors"]["y"]["description"]


def test_parameters_schema_is_the_agreed_one():
    (res,) = [r for r in ld.read_descriptor()["resources"] if r["name"] == "parameters"]
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    assert list(fields) == [
        "name", "label", "default", "low", "high", "unit", "mechanism", "basis", "explanation",
        "citation", "paragraph", "quote",
    ]
    assert {n: f["type"] for n, f in fields.items() if f["type"] != "string"} == {
        "default": "number", "low": "number", "high": "number"
    }
    assert res["schema"]["primaryKey"] == ["name"]
    assert fields["name"]["constraints"]["unique"] is True
    assert fields["basis"]["constraints"]["enum"] == ["article", "study", "teaching_assumption"]
    assert not fields["citation"].get("constraints", {}).get("required", False)


def test_foreign_keys_are_declared():
    desc = ld.read_descriptor()
    fks = {
        (r["name"], fk["fields"][0]): fk["reference"]["resource"]
        for r in desc["resources"]
        for fk in r["schema"].get("foreignKeys", [])
    }
    assert fks[("links", "source")] == fks[("links", "target")] == "actors"
    assert fks[("links", "toggle")] == "toggles"
    assert fks[("support", "from_actor")] == fks[("support", "to_actor")] == "actors"
    assert fks[("military_expenditure", "actor")] == "actors"


# --------------------------------------------------------------------------- load


def test_dtypes_follow_the_schema(root):
    actors = ld.load("actors", root)
    assert actors["x"].dtype == "float64" and actors["paragraph"].dtype == "int64"
    links = ld.load("links", root)
    assert links["in_2021"].dtype == bool and links["in_2024"].dtype == bool
    assert links["sign"].dtype == "int64" and links["weight"].dtype == "float64"
    assert links["toggle"].isna().any()  # structural links: empty toggle is missing
    events = ld.load("events", root)
    assert events["paragraph"].dtype == "Int64" and events["paragraph"].isna().any()
    assert events["after_article"].dtype == bool
    milex = ld.load("military_expenditure", root)
    assert milex["value"].dtype == "float64" and milex["is_estimate"].dtype == bool
    assert milex["year"].dtype == "Int64"


def test_load_returns_a_copy(root):
    first = ld.load("actors", root)
    first.loc[:, "name"] = "changed"
    assert (ld.load("actors", root)["name"] != "changed").all()


def test_unknown_table_names_the_valid_ones():
    with pytest.raises(ld.DataError, match="valid: actors, links"):
        ld.load("allies")


def test_validation_runs_once_per_folder(part, monkeypatch):
    copy = part("links")
    calls = []
    real = ld.frictionless_problems
    monkeypatch.setattr(
        ld, "frictionless_problems", lambda *a: calls.append(a) or real(*a)
    )
    for _ in range(3):
        ld.validate(copy)
    ld.load("actors", copy)
    ld.load("links", copy)
    assert len(calls) == 1


def test_valid_result_is_remembered_by_content(part, monkeypatch, tmp_path):
    copy = part("actors")
    ld.validate(copy)
    assert list((tmp_path / "validation-cache").glob("data-valid-*.json"))
    ld.clear_cache()

    def fail(*args):
        raise AssertionError("frictionless ran again on unchanged files")

    monkeypatch.setattr(ld, "frictionless_problems", fail)
    ld.validate(copy)  # unchanged: served from the note on disk
    ld.clear_cache()
    _set_cell(copy, "actors.csv", "notes", "edited")
    with pytest.raises(AssertionError, match="ran again"):
        ld.validate(copy)  # changed content: validated afresh


def test_frictionless_is_imported_only_when_validating():
    code = "import sys, lessons.data; print('frictionless' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- consistency


@pytest.mark.parametrize(
    ("name", "key"),
    [("actors", "id"), ("links", "id"), ("toggles", "id"), ("events", "id"),
     ("support", "id"), ("claims", "id"), ("parameters", "name")],
)
def test_ids_are_unique(root, name, key):
    ids = ld.load(name, root)[key]
    assert ids.notna().all() and ids.is_unique


def test_military_expenditure_has_one_row_per_figure(root):
    milex = ld.load("military_expenditure", root)
    key = ["country", "metric", "release", "year", "period"]
    assert not milex[key].astype(str).duplicated().any()


def test_links_and_toggles_refer_to_known_ids(root):
    actors = set(ld.load("actors", root)["id"])
    links = ld.load("links", root)
    toggles = set(ld.load("toggles", root)["id"])
    assert set(links["source"]) | set(links["target"]) <= actors
    assert set(links["toggle"].dropna()) <= toggles
    assert toggles <= set(links["toggle"].dropna()), "a toggle that switches no link"


def test_events_and_support_refer_to_known_actors(root):
    actors = set(ld.load("actors", root)["id"])
    events = ld.load("events", root)
    listed = {a for cell in events["actors"].dropna() for a in cell.split(";")}
    assert listed <= actors
    support = ld.load("support", root)
    assert set(support["from_actor"]) | set(support["to_actor"]) <= actors


def test_events_cover_the_ap4_summits_and_the_treaty(root):
    events = ld.load("events", root)
    summits = events[events["category"] == "summit"]
    with_ap4 = summits[summits["actors"].map(lambda a: AP4 | {"NATO"} <= set(a.split(";")))]
    assert sorted(with_ap4["date"].str[:4]) == ["2022", "2023", "2024"]
    treaty = events[(events["category"] == "treaty") & (events["actors"] == "RUS;PRK")]
    assert "2024-06-19" in set(treaty["date"])


def test_after_article_agrees_with_dates(root):
    events = ld.load("events", root)
    assert (events["after_article"] == (events["date"] > ld.ARTICLE_DATE)).all()
    support = ld.load("support", root)
    late = support["date"] > ld.ARTICLE_DATE
    assert support.loc[late, "after_article"].all()


def test_memory_only_rows_are_never_verified_facts(root):
    for name in ("events", "military_expenditure", "support"):
        frame = ld.load(name, root)
        assert set(frame["confidence"]) <= {"verified-in-source", "memory-only"}
    # the timeline keeps only verified rows
    assert (ld.load("events", root)["confidence"] == "verified-in-source").all()


def test_estimates_are_flagged(root):
    milex = ld.load("military_expenditure", root)
    assert milex.loc[milex["release"] == "non_sipri", "is_estimate"].all()
    sipri_est = set(milex.loc[(milex["release"] != "non_sipri") & milex["is_estimate"], "actor"])
    assert {"CHN", "RUS", "UKR"} <= sipri_est
    assert not milex.loc[milex["actor"] == "USA", "is_estimate"].any()
    support = ld.load("support", root)
    capacity = support["measure"].str.contains("capacity")
    assert capacity.any() and support.loc[capacity, "is_estimate"].all()
    assert support.loc[support["from_actor"] == "PRK", "is_estimate"].all()


def test_both_sipri_releases_kept_for_2023(root):
    milex = ld.load("military_expenditure", root)
    sipri = milex[(milex["release"] != "non_sipri") & (milex["year"] == 2023)]
    releases = sipri.groupby(["country", "metric"])["release"].agg(frozenset)
    assert (releases == frozenset({"april_2024", "april_2025"})).all()
    revised = sipri.pivot_table(
        index=["country", "metric"], columns="release", values="value", aggfunc="first"
    )
    assert (revised["april_2024"] != revised["april_2025"]).any()


def test_north_korea_has_no_sipri_figure(root):
    milex = ld.load("military_expenditure", root)
    prk = milex[milex["actor"] == "PRK"]
    assert len(prk) and (prk["release"] == "non_sipri").all()
    assert prk["notes"].str.contains("Not a SIPRI figure").all()


# --------------------------------------------------------------------------- capabilities


def _states(root: Path) -> pd.DataFrame:
    actors = ld.load("actors", root)
    return actors[actors["kind"].isin(["state", "state_group"])]


@pytest.fixture(scope="module")
def usd(root, tmp_path_factory) -> dict[tuple[str, str, int], list[float]]:
    """Every SIPRI current-US$ figure by (country, release, year), read once per module."""
    with pytest.MonkeyPatch.context() as mp:  # validation notes stay out of build/
        mp.setattr(ld, "CACHE_DIR", tmp_path_factory.mktemp("validation-cache"))
        milex = ld.load("military_expenditure", root)
    rows = milex[(milex["metric"] == "usd_current_bn") & milex["year"].notna()]
    figures: dict[tuple[str, str, int], list[float]] = {}
    for row in rows.itertuples():
        figures.setdefault((row.country, row.release, int(row.year)), []).append(row.value)
    return figures


def _sipri(usd: dict, country: str, release: str, year: int) -> float:
    values = usd.get((country, release, year), [])
    assert len(values) == 1, (country, release, year)
    return values[0]


def test_capabilities_cover_states_not_nato(root):
    caps = ld.capabilities(root=root)
    assert list(caps.index) == list(_states(root)["id"])
    assert "NATO" not in caps.index
    assert caps.name == "usd_current_bn" and (caps > 0).all()


@pytest.mark.parametrize(("release", "year"), [("april_2024", 2023), ("april_2025", 2023),
                                               ("april_2025", 2024)])
def test_capabilities_match_their_rows(root, usd, release, year):
    caps = ld.capabilities(release, year, root=root)
    for actor in _states(root).itertuples():
        if actor.id == "PRK":
            continue
        parts = [_sipri(usd, c, release, year) for c in actor.sipri_countries.split(";")]
        assert caps[actor.id] == pytest.approx(sum(parts)), actor.id


def test_baltic_capability_is_the_sum_of_three(root, usd):
    caps = ld.capabilities(root=root)
    baltic = ("Estonia", "Latvia", "Lithuania")
    parts = [_sipri(usd, c, "april_2024", 2023) for c in baltic]
    assert caps["BALT"] == pytest.approx(sum(parts))


def test_capability_estimates_are_flagged(root):
    caps = ld.capabilities(root=root)
    table = ld.capability_table(root=root)
    assert {"CHN", "RUS", "UKR", "PRK"} <= set(caps.attrs["estimates"])
    assert "USA" not in caps.attrs["estimates"]
    assert caps.attrs["estimates"] == list(table.index[table["is_estimate"]])
    assert "non-SIPRI" in table.loc["PRK", "basis"]
    milex = ld.load("military_expenditure", root)
    prk = milex[(milex["actor"] == "PRK") & (milex["metric"] == "usd_current_bn")]
    single = prk[prk["year"].notna() & prk["period"].isna()]
    assert caps["PRK"] == single.sort_values("year")["value"].iloc[-1]


def test_capabilities_refuse_what_a_release_does_not_hold(root):
    with pytest.raises(ld.DataError, match="no SIPRI figure"):
        ld.capabilities("april_2024", 2024, root=root)
    with pytest.raises(ld.DataError, match="valid: april_2024, april_2025"):
        ld.capabilities("april_2023", root=root)


# --------------------------------------------------------------------------- claims


def test_every_paragraph_has_a_claim(root):
    claims = ld.load("claims", root)
    assert claims["paragraph"].between(1, 21).all()
    assert set(claims["paragraph"]) == set(range(1, len(article.load_article().paragraphs) + 1))


def test_claim_ids_run_in_reading_order(root):
    claims = ld.load("claims", root)
    assert list(claims["id"]) == [f"C{i:02d}" for i in range(1, len(claims) + 1)]
    assert claims["paragraph"].is_monotonic_increasing


def test_modelled_claims_name_mechanism_and_test(root):
    claims = ld.load("claims", root)
    modelled = claims[claims["status"] == "modelled"]
    assert len(modelled) >= 8
    assert modelled["mechanism"].notna().all() and modelled["reason"].isna().all()
    assert (modelled["test"] == "tests/model/test_claims.py::test_claim_" + modelled["id"]).all()
    others = claims[claims["status"] == "not_modelled"]
    assert others["reason"].notna().all() and others["test"].isna().all()


def test_claims_are_paraphrases_not_quotations(root):
    """No claim shares a run of seven words with the article."""
    words = re.compile(r"[a-z0-9]+")
    body = " ".join(p.text for p in article.load_article().paragraphs).lower()
    text = " " + " ".join(words.findall(body)) + " "
    quoted = {}
    for row in ld.load("claims", root).itertuples():
        tokens = words.findall(row.claim.lower())
        runs = {" ".join(tokens[i : i + 7]) for i in range(len(tokens) - 6)}
        found = sorted(run for run in runs if f" {run} " in text)
        if found:
            quoted[row.id] = found
    assert not quoted


def test_claim_evidence_exists(root):
    known = set(ld.load("events", root)["id"]) | set(ld.load("support", root)["id"])
    for row in ld.load("claims", root).dropna(subset=["evidence"]).itertuples():
        assert set(row.evidence.split(";")) <= known, row.id


# --------------------------------------------------------------------------- bad inputs


def test_missing_descriptor(copy):
    (copy / ld.DESCRIPTOR).unlink()
    assert "data/datapackage.json: the file is missing" in _problems(copy)


def test_missing_file(part):
    copy = part("links")
    (copy / "toggles.csv").unlink()
    message = _problems(copy)
    assert "data/toggles.csv: the file is missing" in message
    with pytest.raises(ld.DataError, match=r"toggles\.csv"):
        ld.load("actors", copy)


def test_missing_column(part):
    copy = part("links")
    rows = _table(copy, "links.csv")
    fields = [f for f in rows[0] if f != "weight"]
    _write(copy, "links.csv", [{k: r[k] for k in fields} for r in rows], fields)
    assert 'data/links.csv, row 1, column "weight": the column is missing' in _problems(copy)


def test_unexpected_column(part):
    copy = part("toggles")
    rows = _table(copy, "toggles.csv")
    fields = [*rows[0], "colour"]
    _write(copy, "toggles.csv", [{**r, "colour": "red"} for r in rows], fields)
    assert 'data/toggles.csv, row 1, column "colour": unexpected column' in _problems(copy)


def test_bad_number(part):
    copy = part("actors")
    row = _set_cell(copy, "actors.csv", "x", "left", index=3)
    message = _problems(copy)
    assert f'data/actors.csv, row {row}, column "x": "left" is not a valid number' in message


def test_bad_boolean(part):
    copy = part("links")
    row = _set_cell(copy, "links.csv", "in_2021", "yes", index=5)
    message = _problems(copy)
    assert f'data/links.csv, row {row}, column "in_2021": "yes" is not a valid boolean' in message


def test_enum_violation_lists_the_choices(part):
    copy = part("links")
    row = _set_cell(copy, "links.csv", "kind", "friendship", index=2)
    message = _problems(copy)
    expected = f'data/links.csv, row {row}, column "kind": "friendship" is not an allowed value'
    assert expected in message
    assert "valid: treaty_alliance, partnership, strategic_partnership" in message


def test_out_of_range(part):
    copy = part("links")
    row = _set_cell(copy, "links.csv", "weight", "1.5", index=0)
    expected = f'data/links.csv, row {row}, column "weight": 1.5 is above the maximum 1'
    assert expected in _problems(copy)


def test_unknown_actor_in_a_link(part):
    copy = part("links")
    row = _set_cell(copy, "links.csv", "source", "XYZ", index=5)
    message = _problems(copy)
    valid = ", ".join(sorted(r["id"] for r in _table(copy, "actors.csv")))
    expected = f'data/links.csv, row {row}, column "source": "XYZ" is not a known actor'
    assert expected in message
    assert f"(valid, from actors.csv: {valid})" in message


def test_unknown_toggle_in_a_link(part):
    copy = part("links")
    index = next(i for i, r in enumerate(_table(copy, "links.csv")) if r["toggle"])
    row = _set_cell(copy, "links.csv", "toggle", "ap4_summit", index=index)
    message = _problems(copy)
    expected = f'data/links.csv, row {row}, column "toggle": "ap4_summit" is not a known toggle'
    assert expected in message and "ap4_summits" in message


def test_duplicate_id(part):
    copy = part("toggles")
    first = _table(copy, "toggles.csv")[0]["id"]
    row = _set_cell(copy, "toggles.csv", "id", first, index=1)
    message = _problems(copy)
    assert f'data/toggles.csv, row {row}, column "id": "{first}" is used by another row' in message


def test_missing_required_value(part):
    copy = part("events")
    row = _set_cell(copy, "events.csv", "source", "", index=4)
    assert f'data/events.csv, row {row}, column "source": a value is required' in _problems(copy)


def test_unknown_actor_in_an_event_list(part):
    copy = part("events", "actors")
    row = _set_cell(copy, "events.csv", "actors", "USA;EU", index=0)
    expected = f'data/events.csv, row {row}, column "actors": "EU" is not a known actor'
    assert expected in _problems(copy)


def test_event_date_must_match_its_precision(part):
    copy = part("events")
    row = _set_cell(copy, "events.csv", "date_precision", "year", index=0)
    assert f'data/events.csv, row {row}, column "date"' in _problems(copy)


def test_modelled_claim_needs_its_test(part):
    copy = part("claims")
    claims = _table(copy, "claims.csv")
    index = next(i for i, c in enumerate(claims) if c["status"] == "modelled")
    row = _set_cell(copy, "claims.csv", "test", "", index=index)
    assert f'data/claims.csv, row {row}, column "test": a modelled claim needs' in _problems(copy)


def test_non_sipri_figure_must_be_an_estimate(part):
    copy = part("military_expenditure")
    milex = _table(copy, "military_expenditure.csv")
    index = next(i for i, r in enumerate(milex) if r["release"] == "non_sipri")
    row = _set_cell(copy, "military_expenditure.csv", "is_estimate", "false", index=index)
    expected = f'data/military_expenditure.csv, row {row}, column "is_estimate"'
    assert expected in _problems(copy)


def test_parameter_default_within_range(part):
    copy = part("parameters")
    first = _table(copy, "parameters.csv")[0]
    row = _set_cell(copy, "parameters.csv", "default", str(float(first["high"]) + 1), index=0)
    assert f'data/parameters.csv, row {row}, column "default"' in _problems(copy)


def test_parameter_labels_are_required_unique_and_short(part):
    copy = part("parameters")
    rows = _table(copy, "parameters.csv")
    twin = _set_cell(copy, "parameters.csv", "label", rows[0]["label"], index=1)
    empty = _set_cell(copy, "parameters.csv", "label", "", index=2)
    long = _set_cell(copy, "parameters.csv", "label", "x" * 41, index=3)
    problems = _problems(copy)
    assert f'data/parameters.csv, row {twin}, column "label": "{rows[0]["label"]}" is used by ' \
        "another row too" in problems
    assert f'row {empty}, column "label": a value is required' in problems
    assert f'row {long}, column "label": "{"x" * 41}" is longer than 40 characters' in problems


def test_every_parameter_has_its_own_label(root):
    params = ld.load("parameters", root)
    assert params["label"].notna().all() and params["label"].is_unique
    assert (params["label"].str.strip() == params["label"]).all()


def test_every_problem_is_reported_not_just_the_first(copy):
    _set_cell(copy, "links.csv", "source", "XYZ", index=1)
    _set_cell(copy, "actors.csv", "bloc", "eu", index=2)
    with pytest.raises(ld.DataError) as info:
        ld.validate(copy)
    files = {p.file for p in info.value.problems}
    assert {"data/links.csv", "data/actors.csv"} <= files
    assert all(p.row and p.column for p in info.value.problems)


# --------------------------------------------------------------------------- command line


def test_cli_reports_valid(root):
    result = CliRunner().invoke(validate_cmd, ["--root", str(root)])
    rep = ld.report(root)
    assert result.exit_code == 0, result.output
    assert f"{root.name}/ is valid: {rep.resources} resources, {rep.rows} rows" in result.output


def test_cli_lists_problems_and_fails(part):
    copy = part("links")
    row = _set_cell(copy, "links.csv", "target", "ABC", index=0)
    result = CliRunner().invoke(validate_cmd, ["--root", str(copy)])
    assert result.exit_code == 1
    expected = f'data/links.csv, row {row}, column "target": "ABC" is not a known actor'
    assert expected in result.output
