"""Lesson building blocks: verbatim passages, checks with answer keys, references."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections import Counter

import pytest

from lessons.live import ui
from lessons.sources import article
from lessons.sources.catalog import load_catalog


def test_passages_are_verbatim_and_attributed():
    out = ui.passages_html("P13-P14")
    for pid in ("P13", "P14"):
        p = article.passage(pid)
        assert html.escape(p.text) in out
        assert f"¶{p.number}" in out
    assert out.count("<blockquote") == 2
    assert "Park and DerSimonian" in out


def test_passages_reject_unknown_ids():
    with pytest.raises(article.ArticleError):
        ui.passages_html("P99")


def test_header_comes_from_the_catalog():
    lesson = load_catalog().get("04")
    text = ui.header_markdown("04")
    assert lesson.title in text and "¶13–14" in text and f"{lesson.minutes} minutes" in text
    for objective in lesson.objectives:
        assert objective in text


def test_every_existing_checks_file_has_answers_and_feedback():
    found = 0
    for lesson in load_catalog():
        try:
            items = ui.load_checks(lesson.id)
        except ui.ContentError as exc:
            assert "does not exist" in str(exc)
            continue
        found += 1
        assert len(items) >= 3, lesson.id
        for c in items:
            assert c.answer, c.id
            assert all(o.feedback.strip() for o in c.options)
            assert len(c.options) >= 2
            ok, text = c.grade(c.answer[0])
            assert ok and text
    assert found >= 1


def test_grade_rejects_out_of_range_choice():
    c = ui.Check("q", "Q?", (ui.Option("a", True, "yes"), ui.Option("b", False, "no")), "E")
    assert c.grade(1) == (False, "no")
    with pytest.raises(ui.ContentError, match=r"valid options are 0\.\.1"):
        c.grade(2)


def test_malformed_check_is_named():
    with pytest.raises(ui.ContentError, match="no option is marked correct"):
        ui._parse_check({"id": "q1", "question": "?", "explanation": "e",
                         "options": [{"text": "a", "feedback": "f"}]}, "x.yaml")
    with pytest.raises(ui.ContentError, match="option 0: needs text and feedback"):
        ui._parse_check({"id": "q1", "question": "?", "explanation": "e",
                         "options": [{"text": "a", "correct": True}]}, "x.yaml")


def test_static_check_hides_answers_in_details():
    c = ui.Check("q", "Q?", (ui.Option("a", True, "yes"), ui.Option("b", False, "no")), "Why.")
    out = ui.check_html(c, 1)
    before, after = out.split("<details>", 1)
    assert "yes" not in before and "yes" in after and "Why." in after


def test_live_check_gives_feedback_on_click():
    c = ui.Check("q", "Q?", (ui.Option("a", True, "right"), ui.Option("b", False, "wrong")), "E")
    box = ui.check_widget(c, 1)
    _, choice, button, feedback = box.children
    button.click()
    assert "Choose an answer first" in feedback.value
    choice.value = 1
    button.click()
    assert "Not quite" in feedback.value and "wrong" in feedback.value
    choice.value = 0
    button.click()
    assert "Correct" in feedback.value and "right" in feedback.value


def test_references_by_key_and_unknown_key():
    text = ui.references_markdown("jervis1976", "walt1987")
    assert text.index("Jervis") < text.index("Walt")
    with pytest.raises(ui.ContentError, match="valid keys are"):
        ui.references_markdown("nobody2020")


# --------------------------------------------------------------------------- fair checks


def _all_checks() -> list[ui.Check]:
    return [c for lesson in load_catalog() for c in ui.load_checks(lesson.id)]


def test_options_are_shown_in_a_stable_shuffle_the_same_live_and_static():
    moved = 0
    for c in _all_checks():
        order = ui.option_order(c)
        assert sorted(order) == list(range(len(c.options))), c.id
        assert ui.option_order(c) == order  # the same at every call
        moved += order != tuple(range(len(c.options)))
        static = ui.check_html(c, 1)
        listed = re.findall(r"<li>(.*?)</li>", static.split("<details>")[0])
        assert listed == [html.escape(c.options[i].text) for i in order], c.id
        live = ui.check_widget(c, 1).children[1]
        assert [v for _, v in live.options] == list(order), c.id
        assert [t for t, _ in live.options] == [c.options[i].text for i in order], c.id
    assert moved > 0
    unshuffled = ui.check_widget(_all_checks()[0], 1, shuffle=False).children[1]
    assert [v for _, v in unshuffled.options] == list(range(len(unshuffled.options)))


def test_the_shuffle_depends_on_the_check_id_not_on_the_process():
    opts = tuple(ui.Option(f"option {i}", i == 0, "f") for i in range(4))
    orders = {ui.option_order(ui.Check(f"id{k}", "?", opts, "e")) for k in range(24)}
    assert len(orders) > 1
    code = ("from lessons.live import ui; o = tuple(ui.Option(str(i), i == 0, 'f') for i in "
            "range(4)); print(ui.option_order(ui.Check('stable', '?', o, 'e')))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(runs) == 1


def test_no_position_holds_the_answer_in_more_than_40_percent_of_checks():
    items = _all_checks()
    where = Counter(ui.option_order(c).index(c.answer[0]) for c in items)
    position, count = where.most_common(1)[0]
    assert count <= 0.4 * len(items), (f"option {ui.LETTERS[position]} is correct in "
                                       f"{count} of {len(items)} checks")


def test_the_correct_option_is_strictly_the_longest_in_at_most_40_percent_of_checks():
    items = _all_checks()
    longest = [c.id for c in items
               if all(len(c.options[c.answer[0]].text) > len(o.text)
                      for j, o in enumerate(c.options) if j != c.answer[0])]
    assert len(longest) <= 0.4 * len(items), (
        f"the correct option is strictly the longest in {len(longest)} of {len(items)} "
        f"checks: {longest}")


def test_every_option_of_every_check_has_feedback():
    for c in _all_checks():
        for o in c.options:
            assert o.feedback.strip(), (c.id, o.text)
            assert o.feedback.strip() != o.text.strip(), (c.id, o.text)


def test_check_options_wrap_inside_their_box():
    box = ui.check_widget(_all_checks()[0], 1)
    question, choice = box.children[:2]
    assert "lesson-options" in choice._dom_classes
    assert ".lesson-options" in question.value and "white-space: normal" in question.value


# --------------------------------------------------------------------------- how to use


def test_the_header_says_how_to_use_the_lesson_where_it_is_shown(monkeypatch):
    from lessons import mode

    for var in ("LESSONS_STATIC", "LESSONS_FRONT_END", "VOILA_KERNEL_ID", "VOILA_BASE_URL",
                "VOILA_SERVER_URL"):
        monkeypatch.delenv(var, raising=False)
    assert mode.front_end() == "lab"
    assert "Run the cells from the top" in ui.header_markdown("04")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    assert mode.front_end() == "voila"
    text = ui.header_markdown("04")
    assert "Run the cells" not in text and "no code to run" in text
    monkeypatch.delenv("VOILA_KERNEL_ID")
    monkeypatch.setenv("LESSONS_FRONT_END", "voila")
    assert mode.front_end() == "voila"
    monkeypatch.setenv("LESSONS_STATIC", "1")
    assert mode.front_end() == "static"
    assert "Reveal the model's answer" in ui.header_markdown("04")
    assert ui.header_markdown("04", "lab") != ui.header_markdown("04", "voila")
    with pytest.raises(ui.ContentError, match="valid are"):
        ui.how_to_use("tv")


def test_present_tells_the_kernels_they_run_in_voila(monkeypatch):
    from lessons import mode
    from lessons.publish import present

    monkeypatch.setenv("LESSONS_STATIC", "1")
    monkeypatch.delenv("LESSONS_FRONT_END", raising=False)
    monkeypatch.setenv("JUPYTER_PATH", "")
    present.prepare_environment()
    assert os.environ.get("LESSONS_FRONT_END") == "voila" and mode.front_end() == "voila"


# --------------------------------------------------------------------------- scenario reasons


def _rows(block: str) -> list[list[str]]:
    """The body rows of a reasons table, each a list of its cells' HTML."""
    body = re.search(r"<tbody>(.*)</tbody>", block, re.S).group(1)
    return [re.findall(r"<td>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.mark.parametrize("name", ["mid_2024", "authors_alternative", "deterrence_world"])
def test_scenario_reasons_show_every_switch_and_parameter_of_the_file(name):
    import yaml

    from lessons import model
    from lessons.model.scenario_files import scenario_dir
    from lessons.views.labels import parameter_label, scenario_label

    raw = yaml.safe_load((scenario_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    block = ui.scenario_reasons_html(name)
    assert block.startswith('<details class="lesson-go-deeper lesson-scenario-reasons">')
    assert "<details open" not in block and block.endswith("</details>")
    assert f"<em>{html.escape(scenario_label(name))}</em>" in block
    assert "<caption>" in block and block.count('<th scope="col">') == 4
    toggles = model.list_toggles()
    labels = dict(zip(toggles["id"], toggles["label"], strict=True))
    rows = {row[0]: row for row in _rows(block)}
    settings = [(labels[t], "on" if on else "off", t) for t, on in raw["toggles"].items()]
    settings += [(parameter_label(k), f"{float(v):g}", k) for k, v in raw["params"].items()]
    assert len(rows) == len(settings)
    for setting, value, item in settings:
        row = rows[html.escape(setting)]
        reason = raw["reasons"][item]
        ids = reason["paragraph"] if isinstance(reason["paragraph"], list) \
            else [reason["paragraph"]]
        assert row[1] == value, item
        assert row[2] == html.escape(" ".join(reason["reason"].split())), item
        assert row[3] == ", ".join(f"¶{int(pid[1:])}" for pid in ids), item


def test_scenario_reasons_escape_the_text_and_accept_a_scenario():
    from dataclasses import replace

    from lessons import model
    from lessons.model.scenario import Reason

    sc = replace(model.load_scenario("mid_2024").with_params(theta=0.5), name="mine<&>",
                 reasons={"theta": Reason(("P14", "P17"), "0.5 <b>mixed</b> & \"unsure\"")})
    block = ui.scenario_reasons_html(sc)
    assert "<b>" not in block and "&lt;b&gt;mixed&lt;/b&gt; &amp; &quot;unsure&quot;" in block
    assert "mine&lt;&amp;&gt;" in block and "mine<&>" not in block
    theta = next(r for r in _rows(block) if r[0] == "θ motive mix")
    assert theta[1:] == ["0.5", "0.5 &lt;b&gt;mixed&lt;/b&gt; &amp; &quot;unsure&quot;",
                         "¶14, ¶17"]
    # a toggle this scenario gives no reason for says so with a dash, not an empty cell
    assert all(r[2] == r[3] == "—" for r in _rows(block) if r[0] != "θ motive mix")
    assert ui.scenario_reasons_html(sc) == block  # deterministic


def test_an_unknown_scenario_names_the_valid_ones():
    from lessons import model

    with pytest.raises(ui.ContentError) as err:
        ui.scenario_reasons_html("no_such_world")
    message = str(err.value)
    assert "no_such_world" in message
    assert all(name in message for name in model.list_scenarios())
    assert err.value.__cause__ is None and err.value.__suppress_context__
    with pytest.raises(ui.ContentError, match="mid_2024"):
        ui.scenario_reasons_html(42)


def test_scenario_reasons_display_the_same_block(monkeypatch):
    shown = []
    monkeypatch.setattr(ui, "display", shown.append)
    ui.scenario_reasons("baseline_2021")
    assert [s.data for s in shown] == [ui.scenario_reasons_html("baseline_2021")]
