"""Claim checks for the capstone (lesson 09): which of the authors' predictions survive
a change of world?

Every modelled claim of the registry (``data/claims.csv``) checked as a direction of
change in two worlds — the authors' (``mid_2024``, high θ) and the deterrence model's
(``deterrence_world``, low θ) (:data:`CLAIM_CHECKS`, :func:`claims_survival`,
:func:`summarise_survival`, :func:`unchecked_claims`). Two helpers serve the "build, save
and render your own scenario" part of the lesson: :func:`describe_scenario` and
:func:`render_check` (whether ``lessons render`` accepts a value for a lesson's
``scenario`` parameter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lessons import data, model
from lessons.views.labels import change_key, parameter_label
from lessons.views.sensitivity_view import switched
from lessons.views.summaries import (
    as_scenario,
    little_change_for,
    model_summary,
    prediction_word,
    toggle_labels,
)
from lessons.views.text import join_clauses

if TYPE_CHECKING:
    from lessons.model import Scenario

#: The two worlds the capstone compares: the authors' (high θ) and the deterrence model's.
WORLDS: Mapping[str, str] = {"authors' world": "mid_2024",
                             "deterrence world": "deterrence_world"}
# --------------------------------------------------------------------------- claims survival


@dataclass(frozen=True)
class Change:
    """How a run differs from its world: toggles switched on and off, parameters set, or
    the links and explicit parameters of a named scenario (``like``; θ is never copied,
    since θ is what defines the world)."""

    on: tuple[str, ...] = ()
    off: tuple[str, ...] = ()
    params: tuple[tuple[str, float], ...] = ()
    like: str | None = None

    def apply(self, world: Scenario) -> Scenario:
        """The world with this change made."""
        sc = as_scenario(world)
        if self.like is not None:
            other = model.load_scenario(self.like)
            for t, v in other.toggles.items():
                sc = sc.with_toggle(t, bool(v))
            copied = {k: float(other.params[k]) for k in sorted(other.overrides) if k != "theta"}
            if copied:
                sc = sc.with_params(**copied)
        if self.off:
            sc = switched(sc, self.off, False)
        if self.on:
            sc = switched(sc, self.on, True)
        if self.params:
            sc = sc.with_params(**dict(self.params))
        return sc


@dataclass(frozen=True)
class ClaimCheck:
    """One directional check of a registry claim: ``metric``/``subject`` in the last year
    of the ``after`` run minus the ``before`` run, both made from the same world.

    ``expect`` is what the claim's author predicts: ``"rise"``, ``"fall"`` or ``"small"``
    (a change below :data:`~lessons.views.labels.LITTLE_CHANGE` in absolute value: the same
    rule that scores a rise or a fall smaller than that as "little change").
    """

    claim: str
    checked_as: str
    metric: str
    subject: str
    expect: str
    before: Change
    after: Change


_IN_2024 = ("ap4_summits", "nato_itpp", "euro_deployments", "kor_shells_indirect",
            "jpn_aid_ukraine")
_INTERLINKING = (*_IN_2024, "nato_tokyo_office", "euro_taiwan_patrols", "kor_arms_direct",
                 "kor_china_containment", "ap4_membership")
_DEEPER = ("nato_tokyo_office", "euro_taiwan_patrols", "kor_arms_direct",
           "kor_china_containment", "ap4_membership")
_NATO_ASIA = ("nato_tokyo_office", "euro_taiwan_patrols", "ap4_membership")
_NATO_FORCES = ("nato_tokyo_office", "euro_taiwan_patrols")
_SEOUL = ("kor_arms_direct", "kor_china_containment")


def _onoff(toggles: tuple[str, ...]) -> tuple[Change, Change]:
    return Change(off=toggles), Change(on=toggles)


#: The directional checks, one per claim and output, for every modelled claim of
#: ``data/claims.csv`` that a comparison of two model runs can test.
CLAIM_CHECKS: tuple[ClaimCheck, ...] = (
    ClaimCheck("C03", "the mid-2024 interlinking links raise Indo-Pacific tension",
               "tension", "indo_pacific", "rise", Change(off=_INTERLINKING), Change(on=_IN_2024)),
    ClaimCheck("C26", "proponents' hope, read as deterrence: China's posture falls",
               "posture", "CHN", "fall", *_onoff(_DEEPER)),
    ClaimCheck("C27", "deeper interlinking raises China's posture",
               "posture", "CHN", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C27", "deeper interlinking raises Russia's posture",
               "posture", "RUS", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C27", "deeper interlinking raises North Korea's posture",
               "posture", "PRK", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C28", "deeper interlinking raises China–Russia cohesion",
               "cohesion", "CHN-RUS", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C28", "deeper interlinking raises Russia–North Korea cohesion",
               "cohesion", "RUS-PRK", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C28", "deeper interlinking raises China–North Korea cohesion",
               "cohesion", "CHN-PRK", "rise", *_onoff(_DEEPER)),
    ClaimCheck("C29", "NATO–AP4 ties (summits, partnerships) raise China–Russia cohesion",
               "cohesion", "CHN-RUS", "rise", *_onoff(("ap4_summits", "nato_itpp"))),
    ClaimCheck("C31", "more NATO in Asia (Tokyo office, Taiwan patrols, AP4 membership) "
               "raises China's perceived threat", "threat", "CHN", "rise", *_onoff(_NATO_ASIA)),
    ClaimCheck("C32", "more NATO in Asia raises China–Russia cohesion",
               "cohesion", "CHN-RUS", "rise", *_onoff(_NATO_ASIA)),
    ClaimCheck("C34", "NATO's own presence (Tokyo office, Taiwan patrols) adds little credible "
               "deterrence in Asia", "credibility", "indo_pacific", "small",
               *_onoff(_NATO_FORCES)),
    ClaimCheck("C37", "European patrols near Taiwan provoke more than they deter: Indo-Pacific "
               "crisis risk rises", "crisis_risk", "indo_pacific", "rise",
               *_onoff(("euro_taiwan_patrols",))),
    ClaimCheck("C38", "European ships and aircraft in Asia add little credible deterrence",
               "credibility", "indo_pacific", "small", *_onoff(("euro_deployments",))),
    ClaimCheck("C39", "European patrols near Taiwan push China to arm more",
               "posture", "CHN", "rise", *_onoff(("euro_taiwan_patrols",))),
    ClaimCheck("C41", "U.S. generosity (0 → 0.3) lowers Indo-Pacific tension",
               "tension", "indo_pacific", "fall", Change(params=(("generosity", 0.0),)),
               Change(params=(("generosity", 0.3),))),
    ClaimCheck("C44", "Seoul arming Ukraine and joining containment raises Russia–North Korea "
               "cohesion", "cohesion", "RUS-PRK", "rise", *_onoff(_SEOUL)),
    ClaimCheck("C44", "Seoul arming Ukraine and joining containment raises China–North Korea "
               "cohesion", "cohesion", "CHN-PRK", "rise", *_onoff(_SEOUL)),
    ClaimCheck("C45", "Seoul arming Ukraine and joining containment narrows the diplomacy "
               "window", "diplomacy_window", "korea", "fall", *_onoff(_SEOUL)),
    ClaimCheck("C50", "Europe's effort at home (0 → 0.05) frees U.S. capacity for Asia",
               "us_pivot", "indo_pacific", "rise", Change(params=(("euro_home_effort", 0.0),)),
               Change(params=(("euro_home_effort", 0.05),))),
    ClaimCheck("C52", "the authors' alternative ends with lower Indo-Pacific tension than "
               "mid-2024", "tension", "indo_pacific", "fall", Change(like="mid_2024"),
               Change(like="authors_alternative")),
    ClaimCheck("C52", "the authors' alternative ends with lower China–Russia cohesion than "
               "mid-2024", "cohesion", "CHN-RUS", "fall", Change(like="mid_2024"),
               Change(like="authors_alternative")),
)

#: Modelled claims that are not a comparison of two runs, and why.
NOT_SIMULATED: Mapping[str, str] = {
    "C40": "an assumption of the reciprocity game (China plays tit-for-tat with probability θ); "
           "lesson 07 plays the game",
    "C43": "built into the diplomacy-window formula (lessons.model.korea.belligerence): more "
           "patron leverage, less belligerence; comparing runs across leverage values is "
           "confounded, because every index is re-measured against 2021 under the same leverage",
}


def check_scenarios(check: ClaimCheck, world: Scenario | str) -> tuple[Scenario, Scenario]:
    """The two scenarios a check compares in ``world``: ``(before, after)``."""
    w = as_scenario(world)
    return check.before.apply(w), check.after.apply(w)


def _word(check: ClaimCheck, change: float) -> str:
    """How ``check`` fares: a "small" claim ``holds`` or ``fails`` by the little-change
    rule; a rise or fall is scored by :func:`~lessons.views.summaries.prediction_word`."""
    if check.expect == "small":
        same = change_key(0.0, change, little_change_for(check.metric)) == "same"
        return "holds" if same else "fails"
    return prediction_word(1 if check.expect == "rise" else -1, change, check.metric)


@cache
def _claims_registry() -> pd.DataFrame:
    return data.load("claims").set_index("id")


def claims_survival(worlds: Mapping[str, Scenario | str] | None = None, horizon: int = 20,
                    checks: Sequence[ClaimCheck] = CLAIM_CHECKS) -> pd.DataFrame:
    """Which of the registry's modelled claims survive in each world?

    Every check is run in every world: its ``before`` and ``after`` scenarios are built from
    the world (keeping the world's θ), simulated, and the change in the last year compared
    with what the claim's author expects.

    Parameters
    ----------
    worlds : mapping of label -> Scenario or name
        Default :data:`WORLDS` (the authors' world and the deterrence world).
    horizon : int
    checks : sequence of ClaimCheck

    Returns
    -------
    pandas.DataFrame
        One row per check: ``claim``, ``¶``, ``who``, ``type`` (from ``data/claims.csv``),
        ``checked as``, ``expects``; per world ``<label>: change`` and ``<label>``
        (``holds``, ``reverses``, ``little change`` — a move under
        :data:`~lessons.views.labels.LITTLE_CHANGE` — or for "small" claims
        ``holds``/``fails``);
        and ``across worlds`` (``survives`` or what happens where).
    """
    worlds = dict(WORLDS if worlds is None else worlds)
    reg = _claims_registry()
    runs: dict[Any, Any] = {}

    def final(sc: Scenario, metric: str, subject: str) -> float:
        res = runs.get(sc)
        if res is None:
            res = runs[sc] = model.simulate(sc, horizon)
        return res.final(metric, subject)

    rows = []
    for check in checks:
        if check.claim not in reg.index:
            raise ValueError(f"claim {check.claim} is not in data/claims.csv")
        meta = reg.loc[check.claim]
        row: dict[str, Any] = {"claim": check.claim, "¶": int(meta["paragraph"]),
                               "who": str(meta["who"]), "type": str(meta["type"]),
                               "checked as": check.checked_as, "expects": check.expect}
        fates = []
        for label, world in worlds.items():
            before, after = check_scenarios(check, world)
            change = final(after, check.metric, check.subject) - final(
                before, check.metric, check.subject)
            word = _word(check, change)
            row[f"{label}: change"] = round(change, 4)
            row[label] = word
            if word != "holds":
                fates.append(f"{word} in the {label}")
        row["across worlds"] = "survives" if not fates else "; ".join(fates)
        rows.append(row)
    df = pd.DataFrame(rows)
    df.attrs.update(worlds=list(worlds), horizon=horizon)
    return df


@model_summary
def summarise_survival(table: pd.DataFrame) -> str:
    """The survival table in words: how many checks hold in every world, and which claims
    reverse, show little change or fail in which world."""
    worlds = table.attrs.get("worlds") or [c for c in table.columns
                                          if f"{c}: change" in table.columns]
    n = len(table)
    held = int((table["across worlds"] == "survives").sum())
    text = (f"Of {n} checks of {table['claim'].nunique()} modelled claims, {held} hold in "
            f"every world.")
    verbs = {"reverses": ("reverses", "reverse"),
             "little change": ("shows little change", "show little change"),
             "fails": ("fails", "fail")}
    for w in worlds:
        parts = []
        for word, verb in verbs.items():
            hit = table[table[w] == word]
            if not hit.empty:
                items = ", ".join(f"{c} ({what})" for c, what in
                                  zip(hit["claim"], hit["checked as"], strict=True))
                parts.append(f"{len(hit)} {verb[0] if len(hit) == 1 else verb[1]}: {items}")
        text += f" In the {w}, " + ("; ".join(parts) if parts else "every check holds") + "."
    return text


def unchecked_claims() -> pd.DataFrame:
    """Modelled claims of the registry with no two-run check here, and why."""
    reg = _claims_registry()
    modelled = reg[reg["status"] == "modelled"]
    checked = {c.claim for c in CLAIM_CHECKS}
    rows = [{"claim": cid, "¶": int(r["paragraph"]), "who": str(r["who"]),
             "mechanism": str(r["mechanism"]),
             "why not here": NOT_SIMULATED.get(cid, "no check written yet")}
            for cid, r in modelled.iterrows() if cid not in checked]
    return pd.DataFrame(rows, columns=["claim", "¶", "who", "mechanism", "why not here"])


# --------------------------------------------------------------------------- own scenarios


def describe_scenario(sc: Scenario | str, base: Scenario | str | None = None) -> str:
    """A scenario in words: its name and structure year, which switches differ from
    ``base`` (a scenario or name; without one, how many switches are on), and the
    parameters it sets explicitly."""
    sc = as_scenario(sc)
    labels = toggle_labels()
    text = f"Scenario “{sc.name}” (structure {sc.structure})"
    if base is not None:
        b = as_scenario(base)
        on = [labels.get(t, t) for t in sc.toggles if sc.toggles[t] and not b.toggles[t]]
        off = [labels.get(t, t) for t in sc.toggles if not sc.toggles[t] and b.toggles[t]]
        text += f": compared with {b.name}, "
        text += join_clauses([s for s in (
            ("switched on: " + ", ".join(on)) if on else "",
            ("switched off: " + ", ".join(off)) if off else "") if s]) or "the same links"
    else:
        n_on = sum(bool(v) for v in sc.toggles.values())
        text += f": {n_on} of {len(sc.toggles)} switches on"
    if sc.overrides:
        text += "; parameters set: " + ", ".join(
            f"{parameter_label(k)} = {sc.params[k]:g}" for k in sorted(sc.overrides))
    else:
        text += "; every parameter at its default"
    return text + "."


def render_check(lesson_id: str, scenario: str | Path) -> str:
    """Would ``lessons render --lesson ID --scenario VALUE`` accept ``scenario``?

    ``scenario`` is a scenario name or the path to a scenario file (validated by the
    catalog exactly as the renderer does, before any kernel starts). Returns a sentence with
    the command, or the first line of the catalog's error. Files are named by their file
    name only, so no machine-specific path reaches a lesson's output.
    """
    from lessons.sources.catalog import CatalogError, load_catalog

    lesson = load_catalog().get(lesson_id)
    shown = Path(scenario).name if isinstance(scenario, Path) or "/" in str(scenario) else scenario
    try:
        lesson.check_parameters({"scenario": str(scenario)}, model.load_scenario)
    except CatalogError as exc:
        reason = str(exc).splitlines()[0].replace(str(scenario), shown)
        return f"Not accepted: {reason}."
    return f"Accepted: lessons render --lesson {lesson.id} --scenario {shown}"
