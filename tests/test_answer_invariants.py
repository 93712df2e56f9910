"""Answer's invariants hold for every combination of status, value, reason and provenance."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssbx_model.errors import ValidationError
from ssbx_model.information import Answer, AnswerStatus, Provenance

WHEN = Provenance("Arbetsförmedlingen", "1.0", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def expected_problem_paths(
    status: AnswerStatus, value: object, reason: str | None, provenance: Provenance | None
) -> set[str]:
    """The rules of Answer, written out independently of its implementation."""
    paths = set()
    if status is AnswerStatus.KNOWN:
        if value is None or value == ():
            paths.add("value")
    elif value is not None:
        paths.add("value")
    if status in (AnswerStatus.UNAVAILABLE, AnswerStatus.WITHHELD) and not (reason or "").strip():
        paths.add("reason")
    if status is AnswerStatus.UNAVAILABLE and provenance is None:
        paths.add("provenance")
    return paths


@given(
    status=st.sampled_from(list(AnswerStatus)),
    value=st.sampled_from([None, (), ("x",), "x"]),
    reason=st.sampled_from([None, "", "  ", "timeout at the provider"]),
    provenance=st.sampled_from([None, WHEN]),
)
def test_answer_accepts_exactly_the_valid_combinations(
    status: AnswerStatus, value: object, reason: str | None, provenance: Provenance | None
) -> None:
    wanted = expected_problem_paths(status, value, reason, provenance)
    if not wanted:
        Answer(status, value, reason, provenance)
        return
    with pytest.raises(ValidationError) as caught:
        Answer(status, value, reason, provenance)
    assert {p.path for p in caught.value.problems} == wanted
