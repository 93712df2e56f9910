"""The generated readers and their explaining passes accept and refuse exactly the same
documents (issue 17): valid documents from the shipped strategies and the same documents
mutated (wrong JSON types, missing and unknown keys, bad codes, bad identity numbers,
repeated keys, NaN, lone surrogates, stray elements and attributes, ...).

For each document the reader alone (msgspec and the generated JSON reader; the generated
XML reader and its XPath check) and the explaining pass alone (the standard library's
parser and the plan walk; the plan walk over the element tree) are asked; both accept with
the same cases, or both refuse and the error the public function raises is the
explaining pass's list of problems, naming the mutated place where the mutation alone is
a problem."""

from __future__ import annotations

import copy
import io
import json as stdjson
import os
from typing import Any

import pytest
from codec_support import PERSON, edit_element, json_doc, paths_of, positions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ssbx_model.case import Case
from ssbx_model.codec import DEFAULT_LIMITS, _json_read, _xml_read, _xml_safe
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import SsbxError, ValidationError
from ssbx_model.testing import strategies as ss

# SSBX_DIFFERENTIAL_EXAMPLES: fewer examples where the suite runs again (make compat).
_SETTINGS = settings(
    max_examples=int(os.environ.get("SSBX_DIFFERENTIAL_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- JSON ----------------------------------------------------------------------------------

_WRONG = st.sampled_from(
    [
        None,
        True,
        0,
        -1,
        2**64,
        1.5,
        "",
        " ",
        "ZZZ-not-a-code",
        "2024-02-30",
        "19900101-1238",  # a personnummer with a wrong check digit
        "556036-0794",  # an organisationsnummer with a wrong check digit
        "\x01",
        "\ufffe",
        [],
        {},
        {"x": 1},
    ]
)


@st.composite
def _json_documents(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """A JSON case document, valid or mutated; and the paths a mutation alone makes bad
    (checked to be among the problems when the document is refused)."""
    cases = draw(st.lists(ss.cases(), min_size=1, max_size=2))
    many = len(cases) > 1 or draw(st.booleans())
    document = json_doc(cj.dumps_many(cases) if many else cj.dumps(cases[0]))
    surely_bad: list[str] = []
    text_edits: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["value", "drop", "unknown", "duplicate", "nan", "surrogate"]))
        spots = [(c, k) for c, k in positions(document, []) if c is not document]
        if not spots:
            break
        container, key = draw(st.sampled_from(spots))
        if kind == "value":
            container[key] = copy.deepcopy(draw(_WRONG))
        elif kind == "drop" and isinstance(container, dict):
            del container[key]
        elif kind == "unknown" and isinstance(container, dict):
            container["unknown_field"] = 1
        elif kind in ("duplicate", "nan", "surrogate"):
            text_edits.append(kind)
    text = stdjson.dumps(document, ensure_ascii=draw(st.booleans()))
    for kind in text_edits:
        if kind == "duplicate" and '"municipality": ' in text:
            text = text.replace('"municipality": ', '"municipality": "1287", "municipality": ', 1)
            surely_bad.append("municipality")
        elif kind == "nan" and '"municipality": ' in text:
            text = text.replace('"municipality": ', '"municipality": NaN, "x": ', 1)
            surely_bad.append("municipality")
        elif kind == "surrogate" and '"reference": "' in text:
            text = text.replace('"reference": "', '"reference": "\\ud800', 1)
            surely_bad.append("reference")
    return text.encode(), surely_bad


def _explained_json(data: bytes) -> tuple[list[Any], list[Any]]:
    """The explaining pass alone: (cases, problems)."""
    value = _json_read.parse_json_text(data.decode())
    cases_raw, prefix, _ = cj._cases_of(value, None, None)
    problems: list[Any] = []
    built = []
    for i, raw in enumerate(cases_raw):
        path = "case" if prefix is None else f"{prefix}[{i}]"
        built.append(_json_read.read_case_detailed(raw, path, problems))
    return built, problems


@_SETTINGS
@given(_json_documents())
def test_the_json_reader_and_its_explaining_pass_agree(drawn: tuple[bytes, list[str]]) -> None:
    data, surely_bad = drawn
    try:
        fast: list[Any] | None = cj._read_fast(data, None)[0]
    except cj._Refused:
        fast = None
    try:
        explained, problems = _explained_json(data)
    except SsbxError:  # the document itself (its envelope or version) is refused
        assert fast is None
        return
    assert (fast is not None) == (problems == [])
    if fast is not None:
        assert fast == explained
        return
    with pytest.raises(ValidationError) as info:
        cj.loads_many(data)
    assert list(info.value.problems) == problems  # the public error is the explaining pass's
    names = {p.rsplit(".", 1)[-1].split("[", 1)[0] for p in paths_of(info.value)}
    assert all(name in names for name in surely_bad), (surely_bad, paths_of(info.value))


# -- XML -----------------------------------------------------------------------------------


@st.composite
def _xml_documents(draw: st.DrawFn) -> bytes:
    cases = draw(st.lists(ss.cases(), min_size=1, max_size=2))
    many = len(cases) > 1 or draw(st.booleans())
    root = etree.fromstring(cx.dumps_many(cases) if many else cx.dumps(cases[0]))
    texts = st.sampled_from(["", "x", "ZZZ", "true", "known", "2024-02-30", "19900101-1238", "101"])
    for _ in range(draw(st.integers(0, 3))):
        if len(list(root.iter())) < 2:
            break
        edit_element(draw, root, texts, st.sampled_from([" ", "x", "\u00a0"]))
    return bytes(etree.tostring(root))


def _explained_xml(root: Any, many: bool) -> tuple[list[Any], list[Any]]:
    """The explaining pass alone: (cases, problems)."""
    _xml_safe.check_tree(root, DEFAULT_LIMITS)
    problems: list[Any] = []
    elements = list(root) if many else [root]
    built = []
    for i, el in enumerate(elements):
        if many and el.tag != _xml_read.CASE_TAG:
            problems.append(("stray", i))
            continue
        path = f"cases[{i}]" if many else "case"
        built.append(_xml_read.read_case_detailed(el, path, problems, root=not many))
    if many:
        texts = [root.text] + [c.tail for c in root]
        if any(t is not None and t.strip(" \t\n\r") for t in texts):
            problems.append(("text", None))
    return built, problems


@_SETTINGS
@given(_xml_documents())
def test_the_xml_reader_and_its_explaining_pass_agree(data: bytes) -> None:
    try:
        root = _xml_safe.parse_bytes(data, DEFAULT_LIMITS)
        many, _ = cx._root_info(root)
    except SsbxError:
        return  # the document itself is refused before either pass runs
    elements = list(root) if many else [root]
    fast = cx._build_fast(elements, root, many, DEFAULT_LIMITS)
    try:
        explained, problems = _explained_xml(root, many)
    except SsbxError:  # too deep or too long for the limits
        assert fast is None
        return
    assert (fast is not None) == (problems == [])
    if fast is not None:
        assert fast == explained
    try:
        public = cx.loads_many(data)
    except ValidationError:
        assert fast is None
    else:
        assert public == fast
    # and streamed, case by case, the same
    streamed = list(cx.iter_results(io.BytesIO(data)))
    if fast is not None:
        assert streamed == fast


def test_a_repeated_key_is_found_however_the_document_is_spaced() -> None:
    # '"key" :' with a space, an escaped quote before a colon, or neither: the count of
    # keys in the text is exact, or the explaining parse looks for the repeated key.
    base = cj.dumps(Case(PERSON, "1287", reference="ÄR-1"))
    variants = [
        base,
        base.replace(b'":', b'" :'),
        base.replace(b'"\xc3\x84R-1"'.decode("unicode_escape").encode("latin-1"), b'"R\\":1"'),
    ]
    assert len(set(variants)) == 3
    for spaced in variants:
        assert cj.loads(spaced).municipality == "1287"
        doubled = spaced.replace(b'{"person', b'{"municipality":"1287","person', 1)
        assert doubled != spaced
        with pytest.raises(ValidationError) as info:
            cj.loads(doubled)
        assert paths_of(info.value) == ["case.municipality"]
