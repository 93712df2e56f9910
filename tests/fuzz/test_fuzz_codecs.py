"""Mutation fuzzing of both codecs and of streaming: whatever the bytes, a reader gives
cases or raises an ``SsbxError`` (never another exception), what it gives round-trips,
whole and streamed reading agree, and no error shows an identity number in clear.

The documents are written from generated cases (``ssbx_model.testing.strategies``)
whose free text holds identity numbers, then mutated byte by byte.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from fuzz_support import (
    assert_no_identity_shape,
    error_texts,
    fuzz_settings,
    mutated,
    round_trips,
    seed_free_text,
)
from hypothesis import event, given
from hypothesis import strategies as st

from ssbx_model.case import Case
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import SsbxError
from ssbx_model.testing import strategies as ss

_CASES = st.lists(ss.cases(max_interventions=2), min_size=1, max_size=3).map(
    lambda cases: [seed_free_text(c) for c in cases]
)


def _outcome(read: Callable[[bytes], Any], data: bytes) -> list[Case] | SsbxError:
    """The cases ``read`` gives, or the SsbxError it raises (anything else fails)."""
    try:
        result = read(data)
    except SsbxError as exc:
        assert_no_identity_shape(error_texts(exc), f"{type(exc).__name__} of {read.__name__}")
        event(f"{read.__module__}.{read.__name__}: {type(exc).__name__}")
        return exc
    event(f"{read.__module__}.{read.__name__}: cases")
    cases = result if isinstance(result, list) else [result]
    assert all(isinstance(c, Case) for c in cases)
    return cases


def _stream(iterate: Callable[..., Any], data: bytes) -> tuple[list[Any], SsbxError | None]:
    """What ``iterate`` yields (cases, and errors for ``iter_results``) before it ends
    or raises, and the SsbxError it raised (anything else fails)."""
    items: list[Any] = []
    try:
        for item in iterate(io.BytesIO(data)):
            assert isinstance(item, Case | SsbxError)
            items.append(item)
    except SsbxError as exc:
        assert_no_identity_shape(error_texts(exc), f"{type(exc).__name__} while streaming")
        return items, exc
    for item in items:
        if isinstance(item, SsbxError):
            assert_no_identity_shape(error_texts(item), "an error yielded while streaming")
    return items, None


def _check_streaming(
    iter_cases: Callable[..., Any], iter_results: Callable[..., Any], data: bytes
) -> None:
    """``iter_cases`` gives the cases ``iter_results`` gives up to its first bad case,
    and raises exactly when ``iter_results`` yields or raises an error."""
    cases, raised = _stream(iter_cases, data)
    results, results_raised = _stream(iter_results, data)
    good = []
    for item in results:
        if isinstance(item, SsbxError):
            break
        good.append(item)
    assert cases == good
    bad_case = len(good) < len(results)
    assert (raised is not None) == (bad_case or results_raised is not None)
    round_trips(good)


@st.composite
def _json_documents(draw: st.DrawFn) -> bytes:
    cases = draw(_CASES)
    kind = draw(st.sampled_from(["one", "many", "pretty"]))
    many = cj.dumps_many(cases, pretty=kind == "pretty")
    seed = cj.dumps(cases[0]) if kind == "one" else many
    return draw(mutated(seed))


@st.composite
def _json_lines(draw: st.DrawFn) -> bytes:
    return draw(mutated(b"".join(cj.dumps_line(c) for c in draw(_CASES))))


@st.composite
def _xml_documents(draw: st.DrawFn) -> bytes:
    cases = draw(_CASES)
    pretty = draw(st.booleans())
    if draw(st.booleans()):
        seed = cx.dumps(cases[0], pretty=pretty)
    else:
        seed = cx.dumps_many(cases, pretty=pretty)
    return draw(mutated(seed))


@fuzz_settings()
@given(_json_documents())
def test_mutated_json_reads_as_cases_or_an_ssbx_error(data: bytes) -> None:
    one = _outcome(cj.loads, data)
    many = _outcome(cj.loads_many, data)
    for outcome in (one, many):
        if isinstance(outcome, list):
            round_trips(outcome)
    if isinstance(one, list):
        assert many == one  # a one-case document reads alike either way


@fuzz_settings()
@given(_json_lines())
def test_mutated_json_lines_stream_as_cases_or_an_ssbx_error(data: bytes) -> None:
    _check_streaming(cj.iter_cases, cj.iter_results, data)


@fuzz_settings()
@given(_xml_documents())
def test_mutated_xml_reads_and_streams_as_cases_or_an_ssbx_error(data: bytes) -> None:
    one = _outcome(cx.loads, data)
    many = _outcome(cx.loads_many, data)
    for outcome in (one, many):
        if isinstance(outcome, list):
            round_trips(outcome)
    _check_streaming(cx.iter_cases, cx.iter_results, data)
    if isinstance(many, list):
        assert _stream(cx.iter_cases, data) == (many, None)  # whole and streamed agree


@fuzz_settings(0.5)
@given(st.binary(max_size=512), st.sampled_from([b"", b"<", b"{", b"<cases"]))
def test_arbitrary_bytes_read_as_an_ssbx_error_or_cases(data: bytes, start: bytes) -> None:
    data = start + data
    for read in (cj.loads, cj.loads_many, cx.loads, cx.loads_many):
        _outcome(read, data)
    _check_streaming(cj.iter_cases, cj.iter_results, data)
    _check_streaming(cx.iter_cases, cx.iter_results, data)
