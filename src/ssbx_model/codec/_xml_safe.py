"""Hardened XML parsing: no DTD, no entities, no network, bounded size, depth and text.

Every parse goes through here. The lxml parser runs with entity resolution, DTD loading
and validation, and network access off, ``huge_tree`` off (libxml2's own caps on depth
and text stay on), and comments and processing instructions dropped. On top of that:

- a document must be UTF-8 (an encoding declaration other than UTF-8, or a UTF-16/32
  byte order mark, is refused), so that the byte scan below sees every declaration;
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
    "CountingReader",
    "check_encoding",
    "check_tree",
    "iterparse",
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
}
_DOCTYPE: Final = b"<!DOCTYPE"
_BOMS: Final = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")
_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml\s[^>]*?encoding\s*=\s*([\"'])([^\"']*)\1")
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


def check_encoding(head: bytes) -> None:
    """Refuse a document that is not UTF-8, judged from its first bytes.

    Raises:
        ValidationError: a UTF-16/32 byte order mark or a non-UTF-8 encoding declaration.
    """
    if head.startswith((*_BOMS, b"\x00<", b"<\x00")):
        raise ValidationError(
            Problem("", "the document must be encoded in UTF-8, not UTF-16 or UTF-32")
        )
    m = _DECLARATION.match(head)
    if m is not None and m.group(2).decode("ascii", "replace").upper() != "UTF-8":
        raise ValidationError(
            Problem(
                "",
                "the document must be encoded in UTF-8 "
                "(its XML declaration names another encoding)",
                1,
            )
        )


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


def parse_bytes(data: bytes, limits: Limits) -> Any:
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
    check_encoding(data[:256])
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

    def read(self, size: int = -1) -> bytes:
        """Read like ``f.read`` and check the bytes."""
        chunk = self._f.read(size if size and size > 0 else 1 << 16)
        if not isinstance(chunk, bytes):
            raise TypeError("the file must be opened in binary mode")
        if self._first:
            self._first = False
            check_encoding(chunk[:256])
        window = self._tail + chunk
        if _DOCTYPE in window:
            raise refuse_doctype()
        self._tail = window[-(len(_DOCTYPE) - 1) :]
        self.total += len(chunk)
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
