"""The synthetic municipality shows every outcome of every rule, in plausible proportions
(issue 18, point 10): seeded, deterministic, at the demo's size.

A rule that reads information sets can be *eligible*, *not eligible* and *unknown*; a
rule that reads none (``inuk``: only the case's own interventions and the identity
number) is never unknown. Each outcome a rule can give is at least 1 % of the people and
none is everyone. On dates from 2022-01-01 AF makes no new extratjänst assignments
(parameter ``extratjanst.open_for_new_assignments``), so there the rule is not eligible
for everyone, for exactly that reason.
"""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from ssbx_model.rules import Outcome, evaluate_many, get_rule, rule_ids
from ssbx_model.synth import generate

PERSONS, SEED = 400, 2026
#: At least this share of the people for every outcome a rule can give.
MIN_SHARE = 0.01


def _outcomes(on: dt.date) -> dict[str, collections.Counter[Outcome]]:
    town = generate(persons=PERSONS, seed=SEED, on=on)
    counts: dict[str, collections.Counter[Outcome]] = collections.defaultdict(collections.Counter)
    for decision in evaluate_many(town.cases, rule_ids(), on):
        counts[decision.rule_id][decision.outcome] += 1
    return counts


def _possible(rule_id: str) -> set[Outcome]:
    if get_rule(rule_id).needs:
        return set(Outcome)
    return {Outcome.ELIGIBLE, Outcome.NOT_ELIGIBLE}


def _check(counts: dict[str, collections.Counter[Outcome]], rule_id: str) -> list[str]:
    found = counts[rule_id]
    problems = [
        f"{rule_id}: {o.value} for {found[o]} of {PERSONS}"
        for o in _possible(rule_id)
        if found[o] < MIN_SHARE * PERSONS or found[o] == PERSONS
    ]
    problems += [
        f"{rule_id}: {o.value}, which it cannot be" for o in set(found) - _possible(rule_id)
    ]
    return problems


@pytest.mark.parametrize("on", [dt.date(2021, 11, 15), dt.date(2021, 12, 31)])
def test_every_rule_gives_every_outcome_it_can_while_extratjanst_is_open(on: dt.date) -> None:
    counts = _outcomes(on)
    assert set(counts) == set(rule_ids())
    problems = [p for rule_id in rule_ids() for p in _check(counts, rule_id)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("on", [dt.date(2022, 1, 1), dt.date(2024, 6, 3), dt.date(2026, 2, 28)])
def test_after_2021_every_rule_but_extratjanst_gives_every_outcome_it_can(on: dt.date) -> None:
    counts = _outcomes(on)
    problems = [
        p for rule_id in rule_ids() if rule_id != "extratjanst" for p in _check(counts, rule_id)
    ]
    assert not problems, "\n".join(problems)
    assert counts["extratjanst"] == {Outcome.NOT_ELIGIBLE: PERSONS}
    town = generate(persons=20, seed=SEED, on=on)
    codes = {d.reason_codes()[0] for d in evaluate_many(town.cases, ["extratjanst"], on)}
    assert codes == {"extratjanst.closed-for-new-assignments"}


def test_the_municipality_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    on = dt.date(2024, 6, 3)
    first = generate(persons=50, seed=SEED, on=on)
    assert generate(persons=50, seed=SEED, on=on) == first
    assert generate(persons=50, seed=SEED + 1, on=on).cases != first.cases
