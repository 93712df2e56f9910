"""XML in encodings other than UTF-8 is refused before parsing, naming the encoding.

The ``<!DOCTYPE`` byte scan only sees declarations written in an ASCII-compatible
encoding; a UTF-32 document used to be accepted and parsed with its DTD out of the
scan's sight (issue 19). Every document here is encoded by Python's own codecs, not by
the tables of the reader, and carries a DTD with an entity that would fill the person's
number: it must never be parsed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from codec_support import PERSON, minimal_case

from ssbx_model.codec import NAMESPACE, SCHEMA_VERSION, Limits
from ssbx_model.codec import xml as cx
from ssbx_model.codec._xml_safe import DECLARATION_MAX
from ssbx_model.errors import SsbxError, ValidationError

_BODY = (
    f'<case xmlns="{NAMESPACE}" schemaVersion="{SCHEMA_VERSION}">'
    f"<person>{PERSON.reveal()}</person><municipality>1287</municipality></case>"
)
_SMUGGLED = f'<!DOCTYPE case [<!ENTITY p "{PERSON.reveal()}">]>' + _BODY.replace(
    PERSON.reveal(), "&p;"
)


def _declared(encoding: str, body: str = _SMUGGLED) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>\n{body}'


class _OneByteAtATime(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        return super().read(1)


def _readers() -> list[tuple[str, Callable[[bytes], Any]]]:
    return [
        ("loads", cx.loads),
        ("loads_many", cx.loads_many),
        ("iter_cases", lambda data: list(cx.iter_cases(io.BytesIO(data)))),
        ("iter_cases, 1 byte a read", lambda data: list(cx.iter_cases(_OneByteAtATime(data)))),
        ("is_many_document", lambda data: cx.is_many_document(io.BytesIO(data))),
    ]


# (the document's bytes, what the error must name)
_REFUSED: list[tuple[str, bytes, str]] = [
    ("utf-16 with bom", _SMUGGLED.encode("utf-16"), "UTF-16"),
    ("utf-16-be with bom", b"\xfe\xff" + _SMUGGLED.encode("utf-16-be"), "UTF-16"),
    ("utf-16-le no bom", _SMUGGLED.encode("utf-16-le"), "UTF-16"),
    ("utf-16-be no bom", _SMUGGLED.encode("utf-16-be"), "UTF-16"),
    ("utf-16 declared", _declared("UTF-16").encode("utf-16-le"), "UTF-16"),
    ("utf-32 with bom", _SMUGGLED.encode("utf-32"), "UTF-32"),
    ("utf-32-be no bom", _SMUGGLED.encode("utf-32-be"), "UTF-32"),
    ("utf-32-le no bom", _SMUGGLED.encode("utf-32-le"), "UTF-32"),
    ("utf-32 declared", _declared("UTF-32").encode("utf-32-be"), "UTF-32"),
    ("utf-7 declared", _declared("UTF-7").encode("utf-7"), "'UTF-7'"),
    ("utf-7 bom", b"+/v8-" + _SMUGGLED.encode("utf-7"), "UTF-7"),
    ("ebcdic cp037 declared", _declared("IBM037").encode("cp037"), "EBCDIC"),
    ("ebcdic cp500 declared", _declared("IBM500").encode("cp500"), "EBCDIC"),
    ("latin-1 declared", _declared("ISO-8859-1").encode("latin-1"), "'ISO-8859-1'"),
    ("windows-1252 declared", _declared("windows-1252").encode("cp1252"), "'windows-1252'"),
    ("shift_jis declared", _declared("Shift_JIS").encode("shift_jis"), "'Shift_JIS'"),
    (
        "utf-8 bom, utf-16 declared",
        b"\xef\xbb\xbf" + _declared("UTF-16", _BODY).encode(),
        "'UTF-16'",
    ),
    (
        "declared after many spaces",
        f'<?xml version="1.0"{" " * 900}encoding="ISO-8859-1"?>{_BODY}'.encode(),
        "'ISO-8859-1'",
    ),
    (
        "declared on a later line",
        f"<?xml version=\"1.0\"\n\n  encoding='UTF-7' ?>{_SMUGGLED}".encode("utf-7"),
        "'UTF-7'",
    ),
]


@pytest.mark.parametrize(
    ("data", "named"), [(d, n) for _, d, n in _REFUSED], ids=[i for i, _, _ in _REFUSED]
)
def test_a_document_in_another_encoding_is_refused_naming_it(data: bytes, named: str) -> None:
    for reader, read in _readers():
        with pytest.raises(ValidationError) as info:
            read(data)
        [problem] = info.value.problems
        assert problem.path == "", reader
        assert named in problem.message, reader
        assert "case documents are UTF-8" in problem.message, reader
        assert PERSON.reveal() not in str(info.value), reader


def test_a_declared_encoding_name_that_could_be_data_is_not_shown() -> None:
    data = _declared(f"X{PERSON.reveal()}", _BODY).encode()
    with pytest.raises(ValidationError) as info:
        cx.loads(data)
    assert "another encoding (name not shown)" in str(info.value)
    assert PERSON.reveal() not in str(info.value)


def test_an_xml_declaration_longer_than_the_limit_is_refused() -> None:
    data = f'<?xml version="1.0"{" " * DECLARATION_MAX}?>{_BODY}'.encode()
    for _, read in _readers():
        with pytest.raises(ValidationError, match="does not end within its first 1024 bytes"):
            read(data)


@pytest.mark.parametrize(
    "data",
    [
        _BODY.encode(),
        b"\xef\xbb\xbf" + _BODY.encode(),
        _declared("UTF-8", _BODY).encode(),
        _declared("utf-8", _BODY).encode(),
        b"\xef\xbb\xbf" + _declared("UTF-8", _BODY).encode(),
        f"<?xml version='1.0' encoding = 'UTF-8' standalone='yes'?>{_BODY}".encode(),
        f'<?xml version="1.0"{" " * 900}encoding="UTF-8"?>{_BODY}'.encode(),
        f'<?xml version="1.0"?>{_BODY}'.encode(),
        f"\n\n{_BODY}".encode(),
    ],
    ids=[
        "no declaration",
        "bom",
        "declared",
        "declared lower-case",
        "bom and declaration",
        "single quotes and standalone",
        "long declaration",
        "declaration without encoding",
        "leading line ends",
    ],
)
def test_utf8_documents_are_read_with_or_without_bom_and_declaration(data: bytes) -> None:
    assert cx.loads(data) == minimal_case()
    assert list(cx.iter_cases(_OneByteAtATime(data))) == [minimal_case()]
    assert list(cx.iter_cases(io.BytesIO(data), limits=Limits(max_case_bytes=4096))) == [
        minimal_case()
    ]


def test_a_short_document_is_judged_on_the_bytes_there_are() -> None:
    for data in (b"", b"<", b"<a", b"\xef\xbb\xbf"):
        with pytest.raises(SsbxError):
            list(cx.iter_cases(io.BytesIO(data)))
