"""The XML text limit holds whichever check sees a text: the generated reader (free
texts, the white space between elements) or the XPath count (limits under the longest
fixed-form text, ``FIXED_FORM_MAX``): a document is read exactly when its longest text
is within ``Limits.max_text_length``, one case or many, whole or streamed."""

from __future__ import annotations

import io

import pytest
from codec_support import minimal_case, rich_case
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ssbx_model.codec import Limits, _plan, _scalars, _xml_read
from ssbx_model.codec import xml as cx
from ssbx_model.errors import UnsafeXmlError


def _longest_text(data: bytes) -> int:
    """The longest text node of the document, found without the codec."""
    root = etree.fromstring(data)
    texts = [t for el in root.iter() for t in (el.text, el.tail) if t is not None]
    return max(len(t) for t in texts)


def _read_every_way(data: bytes, limits: Limits) -> list[object]:
    outcomes: list[object] = []
    for read in (
        lambda: cx.loads_many(data, limits=limits),
        lambda: list(cx.iter_cases(io.BytesIO(data), limits=limits)),
    ):
        try:
            outcomes.append(read())
        except UnsafeXmlError:
            outcomes.append(UnsafeXmlError)
    return outcomes


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(1, 120),
    pretty=st.booleans(),
    padding=st.integers(0, 150),
    free_text=st.integers(0, 150),
)
def test_a_document_is_read_exactly_when_its_texts_fit_the_limit(
    limit: int, pretty: bool, padding: int, free_text: int
) -> None:
    cases = [rich_case(), minimal_case()]
    data = cx.dumps_many(cases, pretty=pretty)
    # a long free text, and long white space between two elements of the first case
    data = data.replace(b"</municipality>", b"</municipality>" + b" " * padding, 1)
    data = data.replace(b"<reference>", b"<reference>" + b"r" * free_text, 1)
    expected_cases = [cx.loads_many(data)[0], cases[1]]
    fits = _longest_text(data) <= limit
    expected = [expected_cases] * 2 if fits else [UnsafeXmlError] * 2
    assert _read_every_way(data, Limits(max_text_length=limit)) == expected


@pytest.mark.parametrize("padding", [0, 5, 300])
def test_white_space_between_cases_counts_against_the_limit(padding: int) -> None:
    data = cx.dumps_many([minimal_case(), minimal_case()]).replace(
        b"</case><case>", b"</case>" + b"\n" * padding + b"<case>"
    )
    limits = Limits(max_text_length=100)
    if padding > 100:
        with pytest.raises(UnsafeXmlError):
            cx.loads_many(data, limits=limits)
    else:
        assert cx.loads_many(data, limits=limits) == [minimal_case(), minimal_case()]


def test_no_fixed_form_text_is_longer_than_fixed_form_max() -> None:
    # the longest datetime the parser accepts is FIXED_FORM_MAX long at most; one more
    # digit of fraction is refused
    longest = "2024-01-01T12:00:00.123456+01:00"
    assert len(longest) <= _xml_read.FIXED_FORM_MAX
    assert _scalars.parse_datetime(longest)
    with pytest.raises(_scalars.Invalid):
        _scalars.parse_datetime("2024-01-01T12:00:00.1234567+01:00")
    for enum in _plan.enums():
        assert all(len(m.value) <= _xml_read.FIXED_FORM_MAX for m in enum)
