"""Schema differential: every document the model accepts, the shipped schemas accept.

Documents written from generated cases are edited (a value replaced by another of any
JSON type or by a lexical near miss, a field removed or copied, an element renamed) or
mutated byte by byte; whenever a reader accepts the result, the shipped JSON Schema
(``jsonschema``, with format checks) and XSD (``xmlschema``) must accept it too: a vendor
who validates with the schema never refuses what the library reads.

The other direction (a document the model refuses for a lexical reason, the schema
refuses too) is not asserted here.
"""

from __future__ import annotations

import copy
import json as stdjson
from functools import cache

import jsonschema
import xmlschema
from codec_support import positions
from fuzz_support import FORMS, fuzz_settings, mutated, seed_free_text
from hypothesis import event, given
from hypothesis import strategies as st
from lxml import etree

from ssbx_model.codec import json as cj
from ssbx_model.codec import schema_text
from ssbx_model.codec import xml as cx
from ssbx_model.errors import SsbxError
from ssbx_model.testing import strategies as ss


@cache
def _json_schema() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        stdjson.loads(schema_text("json")),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@cache
def _xsd() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(schema_text("xsd"))


_CASES = st.lists(ss.cases(max_interventions=2), min_size=1, max_size=2).map(
    lambda cases: [seed_free_text(c) for c in cases]
)

#: Texts a reader might be lenient about: near-miss dates, numbers, booleans and codes,
#: blank and odd whitespace, identity-number look-alikes.
_NEAR_MISSES = st.sampled_from(
    [
        "",
        " ",
        "\u00a0",
        "\t",
        "2024-02-30",
        "2024-1-01",
        " 2024-01-01",
        "2024-01-01 ",
        "2024-01-01Z",
        "20240101",
        "2024-01-01T00:00:00",
        "2024-01-01T10:00:00Z",
        "2024-01-01T10:00:00",
        "2024-01-01T10:00:00+01:00",
        "2024-01-01T24:00:00+00:00",
        "+1",
        "01",
        "1.0",
        "1e2",
        "-0",
        "0",
        "101",
        "True",
        "1",
        "yes",
        "known",
        "absent",
        "not-found",
        "unavailable",
        "withheld",
        "not-requested",
        "15",
        "1287",
        *FORMS[:6],
        "556036-0793",
        "5560360793",
        "1.0.0",
        "x",
        "\uff11",
    ]
)
_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**65), 2**65)
    | st.floats(allow_nan=False)
    | _NEAR_MISSES
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(
            st.sampled_from(["status", "value", "start", "end", "x"]), inner, max_size=2
        )
    ),
    max_leaves=4,
)


@st.composite
def _edited_json(draw: st.DrawFn) -> bytes:
    cases = draw(_CASES)
    document = stdjson.loads(cj.dumps_many(cases) if len(cases) > 1 else cj.dumps(cases[0]))
    for _ in range(draw(st.integers(1, 3))):
        spots = positions(document, [])
        container, key = draw(st.sampled_from(spots))
        edit = draw(st.sampled_from(["replace", "replace", "remove", "copy"]))
        if edit == "replace":
            container[key] = draw(_JSON_VALUES)
        elif edit == "remove" and isinstance(container, dict):
            del container[key]
        elif edit == "remove":
            container.pop(key)
        elif isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        else:
            container[draw(st.sampled_from(["x", key + "_", "reason", "value"]))] = copy.deepcopy(
                container[key]
            )
    return stdjson.dumps(document, ensure_ascii=False).encode()


@st.composite
def _edited_xml(draw: st.DrawFn) -> bytes:
    cases = draw(_CASES)
    root = etree.fromstring(cx.dumps_many(cases) if len(cases) > 1 else cx.dumps(cases[0]))
    for _ in range(draw(st.integers(1, 3))):
        elements = list(root.iter())[1:]
        if not elements:
            break
        el = draw(st.sampled_from(elements))
        tags = sorted({e.tag for e in elements})
        edit = draw(st.sampled_from(["text", "text", "remove", "copy", "rename", "child"]))
        parent = el.getparent()
        if edit == "text":
            el.text = draw(_NEAR_MISSES | st.text(max_size=8).filter(_xml_text))
        elif edit == "remove" and parent is not None:
            parent.remove(el)
        elif edit == "copy" and parent is not None:
            el.addnext(copy.deepcopy(el))
        elif edit == "rename":
            el.tag = draw(st.sampled_from(tags))
        elif edit == "child":
            etree.SubElement(el, draw(st.sampled_from(tags))).text = draw(_NEAR_MISSES)
    return etree.tostring(root)


def _xml_text(text: str) -> bool:
    return all(c in "\t\n\r" or 0x20 <= ord(c) < 0xD800 or 0xE000 <= ord(c) < 0xFFFE for c in text)


def _json_accepted(data: bytes) -> bool:
    try:
        cj.loads_many(data)
    except SsbxError:
        return False
    return True


def _xml_accepted(data: bytes) -> bool:
    try:
        cx.loads_many(data)
    except SsbxError:
        return False
    return True


def _assert_json_schema_accepts(data: bytes) -> None:
    event("accepted by the model")
    errors = sorted(_json_schema().iter_errors(stdjson.loads(data)), key=lambda e: e.path)
    assert not errors, "the model read it, the JSON Schema refuses: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.validator}" for e in errors[:3]
    )


def _assert_xsd_accepts(data: bytes) -> None:
    event("accepted by the model")
    errors = list(_xsd().iter_errors(data.decode("utf-8")))
    assert not errors, f"the model read it, the XSD refuses: {errors[0].reason} at {errors[0].path}"


@fuzz_settings()
@given(_edited_json())
def test_an_edited_json_document_the_model_reads_is_valid_under_the_json_schema(
    data: bytes,
) -> None:
    if _json_accepted(data):
        _assert_json_schema_accepts(data)


@fuzz_settings()
@given(_edited_xml())
def test_an_edited_xml_document_the_model_reads_is_valid_under_the_xsd(data: bytes) -> None:
    if _xml_accepted(data):
        _assert_xsd_accepts(data)


@fuzz_settings(0.5)
@given(_CASES.flatmap(lambda cases: mutated(cj.dumps_many(cases))))
def test_a_mutated_json_document_the_model_reads_is_valid_under_the_json_schema(
    data: bytes,
) -> None:
    if _json_accepted(data):
        _assert_json_schema_accepts(data)


@fuzz_settings(0.5)
@given(_CASES.flatmap(lambda cases: mutated(cx.dumps_many(cases))))
def test_a_mutated_xml_document_the_model_reads_is_valid_under_the_xsd(data: bytes) -> None:
    if _xml_accepted(data):
        _assert_xsd_accepts(data)
