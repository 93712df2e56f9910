"""Hardened XML parsing: no DTD, no entities, no network, bounded size, depth and text.

Every parse goes through here. The lxml parser runs with entity resolution, DTD loading
and validation, and network access off, ``huge_tree`` off (libxml2's own caps on depth
and text stay on), and comments and processing instructions dropped. On top of that:

- a document must be UTF-8: a byte order mark of another encoding, the first bytes of
  a document in UTF-16, UTF-32 or EBCDIC, and an XML declaration naming any other
  encoding are refused, naming the encoding (see :func:`check_encoding`); and the parser
  is told the input is UTF-8 whatever it declares, so that the byte scan below sees
  what the parser sees;
- the bytes ``<!DOCTYPE`` anywhere refuse the document (a DTD is how XXE, billion laughs,
  quadratic blow-up and external DTDs get in; the case document has no use for one);
  the parsed tree's ``docinfo`` is checked as well;
- libxml2 errors about resource limits (depth, text length, entity amplification) are
  reported as :class:`~ssbx_model.errors.UnsafeXmlError`, every other parse error as
  :class:`~ssbx_model.errors.XmlSyntaxError` with its line and column;
- the depth and text-length limits of :class:`~ssbx_model.codec.Limits` are checked by
  the readers (see :func:`check_tree`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any, Final

from lxml import etree

from ssbx_model.codec._limits import Limits
from ssbx_model.errors import Problem, UnsafeXmlError, ValidationError, XmlSyntaxError

__all__ = [
    "DECLARATION_MAX",
    "CountingReader",
    "check_encoding",
    "check_tree",
    "iterparse",
    "needs_more",
    "parse_bytes",
    "parser",
    "syntax_error",
]

_PARSER_OPTIONS: Final[dict[str, Any]] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
    "strip_cdata": True,
    # Whatever the document declares: the byte scan for <!DOCTYPE is only sound on the
    # bytes the parser reads, and check_encoding refuses every other encoding anyway.
    "encoding": "utf-8",
}
_DOCTYPE: Final = b"<!DOCTYPE"
_UTF8_BOM: Final = b"\xef\xbb\xbf"
# Byte order marks of other encodings (longest first: UTF-32LE's starts with UTF-16LE's).
_BOMS: Final = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xdd\x73\x66\x73", "UTF-EBCDIC"),
    (b"\x84\x31\x95\x33", "GB 18030"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\x2b\x2f\x76", "UTF-7"),
)
# The first four bytes of a document without a byte order mark, whose first character is
# '<' (XML 1.0, appendix F), in the encodings that are not ASCII-compatible.
_SIGNATURES: Final = (
    (b"\x00\x00\x00\x3c", "UTF-32 (big-endian)"),
    (b"\x3c\x00\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\x3c\x00", "UCS-4 (unusual byte order)"),
    (b"\x00\x3c\x00\x00", "UCS-4 (unusual byte order)"),
    (b"\x00\x3c", "UTF-16 (big-endian)"),
    (b"\x3c\x00", "UTF-16 (little-endian)"),
    (b"\x4c\x6f\xa7\x94", "EBCDIC"),
)
#: The longest XML declaration read (one needs about 60 bytes; its spaces are unlimited).
DECLARATION_MAX: Final = 1024
_DECLARATION_START = re.compile(rb"<\?xml[ \t\r\n]")
_ENCODING = re.compile(rb"[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*([\"'])(.*?)\1", re.DOTALL)
_ENCODING_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._\-]{0,39}\Z")
_RESOURCE_LIMITS: Final = (
    "XML_PARSE_HUGE",
    "amplification",
    "Excessive depth",
    "Resource limit",
    "entity reference loop",
    "huge text",
)


def parser() -> etree.XMLParser:
    """A fresh hardened parser (parsers are cheap; a fresh one is never shared by threads)."""
    return etree.XMLParser(**_PARSER_OPTIONS)


def _not_utf8(found: str, line: int | None = None) -> ValidationError:
    return ValidationError(
        Problem(
            "",
            f"{found}: case documents are UTF-8 (with or without a byte order mark) and "
            "no other encoding is read",
            line,
        )
    )


def needs_more(head: bytes) -> bool:
    """True while ``head``, the first bytes of a document, is too short to judge its
    encoding: fewer than 4 bytes, or an XML declaration not closed yet (up to
    :data:`DECLARATION_MAX` bytes)."""
    if len(head) < 4:
        return True
    body = head[len(_UTF8_BOM) :] if head.startswith(_UTF8_BOM) else head
    if len(body) < 6 and b"<?xml".startswith(body[:5]):
        return True  # perhaps the start of a declaration
    return (
        _DECLARATION_START.match(body) is not None
        and b"?>" not in body
        and len(body) < DECLARATION_MAX
    )


def check_encoding(head: bytes) -> None:
    """Refuse a document that is not UTF-8, judged from its first bytes (give at least
    what :func:`needs_more` asks for).

    UTF-8 is the one encoding of the case document: its writers write nothing else, and
    the byte scan for ``<!DOCTYPE`` is only sound on an ASCII-compatible encoding the
    parser is told to use. UTF-16 is not read either: nobody needs it for this document,
    and each encoding read is one more way past the scan.

    Raises:
        ValidationError: naming the encoding: another byte order mark (UTF-16, UTF-32,
            UTF-7, ...), the first bytes of a UTF-16, UTF-32 or EBCDIC document, or an
            XML declaration naming another encoding (or not closed within
            :data:`DECLARATION_MAX` bytes).
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            raise _not_utf8(f"the document starts with the byte order mark of {encoding}")
    body = head[len(_UTF8_BOM) :] if head.startswith(_UTF8_BOM) else head
    for signature, encoding in _SIGNATURES:
        if body.startswith(signature):
            raise _not_utf8(f"the document is in {encoding}, as its first bytes show")
    if _DECLARATION_START.match(body) is None:
        return  # no declaration: UTF-8 (anything else is a syntax error of the parser)
    end = body.find(b"?>", 0, DECLARATION_MAX)
    if end < 0:
        raise ValidationError(
            Problem(
                "",
                f"the XML declaration does not end within its first {DECLARATION_MAX} bytes",
                1,
            )
        )
    found = _ENCODING.search(body, 0, end)
    if found is None:
        return
    name = found[2].decode("ascii", "replace")
    if name.upper().replace("_", "-") in ("UTF-8", "UTF8"):
        return
    shown = (
        f"the encoding {name!r}"
        if _ENCODING_NAME.match(name) and not re.search("[0-9]{6}", name)
        else "another encoding (name not shown)"
    )
    line = body.count(b"\n", 0, found.start(2)) + 1
    raise _not_utf8(f"the XML declaration names {shown}", line)


def has_doctype(el: Any) -> bool:
    """True if the document of ``el`` has a document type declaration."""
    return bool(el.getroottree().docinfo.doctype)


def refuse_doctype() -> UnsafeXmlError:
    """The error for a document with a document type declaration."""
    return UnsafeXmlError(
        "the document has a document type declaration (<!DOCTYPE ...>): DTDs and entities "
        "are refused (the text '<!DOCTYPE' is refused anywhere, even in a comment)"
    )


def syntax_error(exc: etree.XMLSyntaxError) -> XmlSyntaxError | UnsafeXmlError:
    """The library's error for an lxml parse error."""
    message = str(exc.msg or exc).strip()
    line, column = exc.position if exc.position else (None, None)
    if any(marker in message for marker in _RESOURCE_LIMITS):
        where = f"line {line}, column {column}: " if line else ""
        return UnsafeXmlError(f"{where}the document exceeds a parser limit: {message}")
    # lxml appends ", line L, column C" to the message; the position is kept separately.
    message = re.sub(r", line \d+, column \d+$", "", message)
    return XmlSyntaxError(message, line, column)


def empty(what: str) -> ValidationError:
    """The error of a document without any content (0 bytes, or only white space)."""
    return ValidationError(Problem("", f"{what} is empty: it holds no XML element"))


def parse_bytes(data: bytes, limits: Limits, what: str = "the document") -> Any:
    """Parse a whole document into its root element.

    Raises:
        UnsafeXmlError: a DOCTYPE, or a size (``limits.max_bytes``), depth or text limit
            exceeded.
        XmlSyntaxError: the document is not well formed.
        ValidationError: the document is not UTF-8.
    """
    if len(data) > limits.max_bytes:
        raise UnsafeXmlError(
            f"the document is larger than the limit of {limits.max_bytes} bytes "
            "(see Limits.max_bytes)"
        )
    if not data.strip(b" \t\n\r"):
        raise empty(what)
    check_encoding(data[: DECLARATION_MAX + len(_UTF8_BOM)])
    if _DOCTYPE in data:
        raise refuse_doctype()
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc) from None
    if has_doctype(root):
        raise refuse_doctype()
    return root


class CountingReader:
    """A binary file wrapper for streaming parses: refuses ``<!DOCTYPE`` and non-UTF-8
    input as bytes arrive, and bounds the bytes read while one case is open."""

    def __init__(self, f: IO[bytes], limit: int) -> None:
        self._f = f
        self._limit = limit
        self._tail = b""
        self._first = True
        self.mark = 0
        self.total = 0
        #: True while every byte read so far is XML white space (an empty file, so far).
        self.blank = True

    def _read(self, size: int) -> bytes:
        chunk = self._f.read(size if size and size > 0 else 1 << 16)
        if not isinstance(chunk, bytes):
            raise TypeError("the file must be opened in binary mode")
        return chunk

    def read(self, size: int = -1) -> bytes:
        """Read like ``f.read`` and check the bytes."""
        chunk = self._read(size)
        if self._first:
            self._first = False
            # A file may give fewer bytes than asked: gather enough to judge the encoding.
            while needs_more(chunk):
                more = self._read(size)
                if not more:
                    break
                chunk += more
            check_encoding(chunk)
        window = self._tail + chunk
        if _DOCTYPE in window:
            raise refuse_doctype()
        self._tail = window[-(len(_DOCTYPE) - 1) :]
        self.total += len(chunk)
        if self.blank and chunk.strip(b" \t\n\r"):
            self.blank = False
        if self.total - self.mark > self._limit:
            raise UnsafeXmlError(
                f"a case in the stream is larger than the limit of {self._limit} bytes "
                "(see Limits.max_case_bytes)"
            )
        return chunk


def iterparse(
    reader: CountingReader,
    tag: str | tuple[str, ...] | None,
    events: tuple[str, ...] = ("start", "end"),
) -> Iterator[tuple[str, Any]]:
    """``lxml.etree.iterparse`` over ``reader`` with the hardened options and the given
    events of ``tag``; parse errors become the library's errors."""
    parsing = etree.iterparse(reader, events=events, tag=tag, **_PARSER_OPTIONS)
    try:
        yield from parsing
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc) from None


def check_tree(el: Any, limits: Limits, base_depth: int = 1) -> None:
    """Refuse an element tree deeper than ``limits.max_depth`` (counting ``el`` at
    ``base_depth``) or with a text node longer than ``limits.max_text_length``.

    Raises:
        UnsafeXmlError: naming the limit and the line.
    """
    depth = base_depth
    max_text = limits.max_text_length
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        if depth - 1 > limits.max_depth:
            raise UnsafeXmlError(
                f"line {node.sourceline}: the elements are nested deeper than the limit of "
                f"{limits.max_depth} (see Limits.max_depth)"
            )
        for text in (node.text, node.tail):
            if text is not None and len(text) > max_text:
                raise UnsafeXmlError(
                    f"line {node.sourceline}: a text is longer than the limit of {max_text} "
                    "characters (see Limits.max_text_length)"
                )
