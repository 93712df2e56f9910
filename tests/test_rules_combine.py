"""The one combination of condition results (Kleene's three-valued AND, two modes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model.information import InformationSet
from ssbx_model.rules.authoring import Mode, Outcome, Reason, ReasonKind, Unknown, combine


def _reason(kind: ReasonKind, n: int) -> Reason:
    return Reason(f"t.{kind.value}.{n}", kind, f"sv {n}", f"en {n}", "test source")


def _unknown(n: int, *sets: InformationSet) -> Unknown:
    return Unknown(_reason(ReasonKind.UNKNOWN, n), sets)


HOLDS = _reason(ReasonKind.HOLDS, 0)
FAILS = _reason(ReasonKind.FAILS, 1)
OPEN = _unknown(2, InformationSet.STUDIES)
WARNS = _reason(ReasonKind.WARNING, 3)


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize(
    ("left", "right", "outcome"),
    [
        # Kleene's AND: false wins over unknown, unknown over true.
        (HOLDS, HOLDS, Outcome.ELIGIBLE),
        (HOLDS, OPEN, Outcome.UNKNOWN),
        (HOLDS, FAILS, Outcome.NOT_ELIGIBLE),
        (OPEN, HOLDS, Outcome.UNKNOWN),
        (OPEN, OPEN, Outcome.UNKNOWN),
        (OPEN, FAILS, Outcome.NOT_ELIGIBLE),
        (FAILS, HOLDS, Outcome.NOT_ELIGIBLE),
        (FAILS, OPEN, Outcome.NOT_ELIGIBLE),
        (FAILS, FAILS, Outcome.NOT_ELIGIBLE),
        (WARNS, HOLDS, Outcome.ELIGIBLE),
        (WARNS, OPEN, Outcome.UNKNOWN),
        (WARNS, FAILS, Outcome.NOT_ELIGIBLE),
    ],
)
def test_the_truth_table_of_two_conditions(
    left: Reason | Unknown, right: Reason | Unknown, outcome: Outcome, mode: Mode
) -> None:
    assert combine([left, right], mode)[0] is outcome


def test_eligible_gives_every_condition_its_reason_in_order() -> None:
    assert combine([HOLDS, WARNS, HOLDS], Mode.EVERY_FAILURE) == (
        Outcome.ELIGIBLE,
        (HOLDS, WARNS, HOLDS),
        (),
    )


def test_every_failure_is_reported_then_the_warnings() -> None:
    second = _reason(ReasonKind.FAILS, 9)
    verdict = combine([WARNS, FAILS, OPEN, second], Mode.EVERY_FAILURE)
    assert verdict == (Outcome.NOT_ELIGIBLE, (FAILS, second, WARNS), ())


def test_the_first_failure_decides_with_the_warnings_before_it() -> None:
    later = _reason(ReasonKind.WARNING, 8)
    verdict = combine([WARNS, OPEN, FAILS, later, _reason(ReasonKind.FAILS, 9)], Mode.FIRST_FAILURE)
    assert verdict == (Outcome.NOT_ELIGIBLE, (FAILS, WARNS), ())


def test_unknown_names_the_union_of_the_missing_sets_in_order() -> None:
    first = _unknown(4, InformationSet.STUDIES, InformationSet.INCOME)
    second = _unknown(5, InformationSet.INCOME, InformationSet.ENROLMENT)
    verdict = combine([first, WARNS, second], Mode.EVERY_FAILURE)
    assert verdict == (
        Outcome.UNKNOWN,
        (first.reason, second.reason, WARNS),
        (InformationSet.STUDIES, InformationSet.INCOME, InformationSet.ENROLMENT),
    )


def test_the_first_failure_ends_the_reading_of_the_results() -> None:
    read: list[int] = []

    def results() -> Iterator[Reason | Unknown]:
        given: tuple[Reason | Unknown, ...] = (HOLDS, FAILS, OPEN, FAILS)
        for n, result in enumerate(given):
            read.append(n)
            yield result

    combine(results(), Mode.FIRST_FAILURE)
    assert read == [0, 1]
    read.clear()
    combine(results(), Mode.EVERY_FAILURE)
    assert read == [0, 1, 2, 3]


_RESULTS = st.lists(
    st.one_of(
        st.integers(0, 5).map(lambda n: _reason(ReasonKind.HOLDS, n)),
        st.integers(0, 5).map(lambda n: _reason(ReasonKind.FAILS, n)),
        st.integers(0, 5).map(lambda n: _reason(ReasonKind.WARNING, n)),
        st.tuples(
            st.integers(0, 5), st.sets(st.sampled_from(list(InformationSet)), min_size=1)
        ).map(lambda t: _unknown(t[0], *sorted(t[1]))),
    ),
    max_size=8,
)


def _kleene(results: list[Reason | Unknown]) -> Outcome:
    # Kleene's AND read from its definition: any false is false; else any unknown is
    # unknown; else true.
    values = {_value(r) for r in results}
    if "false" in values:
        return Outcome.NOT_ELIGIBLE
    if "unknown" in values:
        return Outcome.UNKNOWN
    return Outcome.ELIGIBLE


def _value(result: Reason | Unknown) -> str:
    if isinstance(result, Unknown):
        return "unknown"
    return "false" if result.kind is ReasonKind.FAILS else "true"


@given(results=_RESULTS)
def test_both_modes_give_kleenes_outcome(results: list[Reason | Unknown]) -> None:
    for mode in Mode:
        outcome, reasons, missing = combine(results, mode)
        assert outcome is _kleene(results)
        assert bool(missing) == (outcome is Outcome.UNKNOWN)
        assert reasons or not results


@given(results=_RESULTS)
def test_reading_lazily_gives_what_reading_everything_gives(
    results: list[Reason | Unknown],
) -> None:
    # The engine hands combine a lazy iterator when no trace is wanted and a full list
    # when one is: the verdicts are the same.
    for mode in Mode:
        assert combine(iter(results), mode) == combine(list(results), mode)


@given(results=_RESULTS)
def test_the_modes_differ_only_in_the_failures_reported(
    results: list[Reason | Unknown],
) -> None:
    every = combine(results, Mode.EVERY_FAILURE)
    first = combine(results, Mode.FIRST_FAILURE)
    assert (first[0], first[2]) == (every[0], every[2])
    if every[0] is Outcome.NOT_ELIGIBLE:
        failures = [r for r in results if not isinstance(r, Unknown) and r.kind is ReasonKind.FAILS]
        assert first[1][0] == failures[0]
        assert [r for r in every[1] if r.kind is ReasonKind.FAILS] == failures
    else:
        assert first == every
