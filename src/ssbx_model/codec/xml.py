"""Canonical XML for cases: one case, many cases, and streaming reads.

A **case document** is a ``<case>`` root element in the namespace of the schema's major
version, naming the full version in its ``schemaVersion`` attribute::

    <?xml version="1.0" encoding="UTF-8"?>
    <case xmlns="urn:ssbx:case:1" schemaVersion="1.0.0">
      <person>19900101-1236</person>
      <municipality>1287</municipality>
      <enrolment>
        <status>known</status>
        <value>...</value>
      </enrolment>
    </case>

a **many-case document** wraps ``<case>`` elements in a ``<cases>`` root
(``<cases xmlns="urn:ssbx:case:1" schemaVersion="1.0.0"><case>...</case>...</cases>``),
which :func:`iter_cases` streams in bounded memory.

The structure is the JSON format's: every field is a child element named after the
field, in the model's order when written and in any order when read; a list is a
wrapper element named after the field holding one element per item, named after the
item's type (``<activities><activity>...</activity></activities>``; ``<item>`` for
texts and codes); scalars are written exactly as in JSON (``true``/``false``, dates
``YYYY-MM-DD``, ...). A field is left out when it is ``None`` or holds the model's
default; an empty list that differs from its default is an empty wrapper (``<x/>``).

Reading is strict and hardened: an unknown element, a repeated field, an attribute,
text between elements, a malformed value, a DOCTYPE, a non-UTF-8 document or input
beyond the :class:`~ssbx_model.codec.Limits` are each refused. A bad value's problem
carries its path and its source line (``Problem.line``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any, Final, NoReturn

from lxml import etree

from ssbx_model.case import Case
from ssbx_model.codec import _versions, _xml_read, _xml_safe
from ssbx_model.codec._build import ReadersDisagree, safe_name
from ssbx_model.codec._gc import retired_pause_gc
from ssbx_model.codec._io import Source, Target, open_source, open_target, read_up_to
from ssbx_model.codec._limits import DEFAULT_LIMITS, Limits, ProblemTally, capped_error
from ssbx_model.codec._unstructure import unstructure_case
from ssbx_model.codec._xml_write import case_xml
from ssbx_model.errors import (
    Problem,
    SchemaVersionError,
    UnsafeXmlError,
    ValidationError,
    XmlSyntaxError,
)

__all__ = [
    "dump",
    "dump_many",
    "dumps",
    "dumps_many",
    "is_many_document",
    "iter_cases",
    "iter_results",
    "load",
    "load_many",
    "loads",
    "loads_many",
    "move_to_namespace",
    "read_document",
    "register_upgrade",
]

_VERSION_ATTRIBUTE: Final = "schemaVersion"
_DECLARATION: Final = '<?xml version="1.0" encoding="UTF-8"?>\n'
_ROOT_ATTRIBUTES: Final = (
    f' xmlns="{_versions.NAMESPACE}" {_VERSION_ATTRIBUTE}="{_versions.SCHEMA_VERSION}"'
)
_XML_SPACE: Final = " \t\n\r"


def _root_info(root: Any) -> tuple[bool, str]:
    """Check the root element: ``(many, version)``.

    Raises:
        ValidationError: the root is not ``<case>``/``<cases>`` of a case namespace, or
            its attributes are wrong.
        SchemaVersionError: the version is malformed or disagrees with the namespace.
    """
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local not in ("case", "cases") or not namespace.startswith(_versions.NAMESPACE_PREFIX):
        raise ValidationError(
            Problem(
                "",
                "the root element must be <case> or <cases> in the namespace "
                f"{_versions.NAMESPACE} (the document is not a case document)",
                root.sourceline,
            )
        )
    problems = [
        Problem(
            "",
            "the root element has an unexpected attribute "
            f"({safe_name(name.rsplit('}', 1)[-1]) or 'name not shown'})",
            root.sourceline,
        )
        for name in root.attrib
        if name != _VERSION_ATTRIBUTE
    ]
    version = root.get(_VERSION_ATTRIBUTE)
    if version is None:
        problems.append(
            Problem(
                "", f"the root element needs the attribute {_VERSION_ATTRIBUTE}", root.sourceline
            )
        )
    if problems:
        raise ValidationError(problems)
    if _versions.namespace_for(version) != namespace:
        raise SchemaVersionError(
            f"the namespace {namespace} does not belong to schema version {version} "
            f"(expected {_versions.namespace_for(version)})"
        )
    return local == "cases", version


def _bad_case_child(child: Any, i: int) -> Problem:
    return Problem(
        f"cases[{i}]",
        f"must be a <case> element, not {_xml_read._tag_text(child.tag)}",
        child.sourceline,
    )


def _blank_between(root: Any, max_text: int) -> bool:
    """True when the texts between a ``<cases>`` root's elements are white space within
    the length limit (what the generated reader checks inside each case)."""
    for text in [root.text] + [c.tail for c in root]:
        if text is not None and (text.strip(_XML_SPACE) or len(text) > max_text):
            return False
    return True


def _build_fast(elements: list[Any], root: Any, many: bool, limits: Limits) -> list[Case] | None:
    """The cases, built by the generated reader; None when it refuses the document."""
    if many and any(el.tag != _xml_read.CASE_TAG for el in elements):
        return None  # a stray element among the cases: the explaining pass names it
    visited = [0, limits.max_text_length]
    try:
        built = [_xml_read.read_case_fast(el, visited) for el in elements]
    except Exception:  # the reader refused: the explaining pass says why
        return None
    if many and not _blank_between(root, limits.max_text_length):
        return None
    expected = 1 + visited[0] + (len(elements) if many else 0)
    if not _xml_read.fast_checks_pass(root, expected, 1, limits.max_text_length):
        return None
    return built


def _build_explained(elements: list[Any], root: Any, many: bool, limits: Limits) -> NoReturn:
    """Raise the error of a document the generated reader refused, naming every problem."""
    _xml_safe.check_tree(root, limits)
    problems: list[Problem] = []
    if many:
        for text, line in [(root.text, root.sourceline)] + [(c.tail, c.sourceline) for c in root]:
            if text is not None and text.strip(_XML_SPACE):
                problems.append(Problem("cases", "holds text between its <case> elements", line))
                break
    for i, el in enumerate(elements):
        if many and el.tag != _xml_read.CASE_TAG:
            problems.append(_bad_case_child(el, i))
            continue
        path = f"cases[{i}]" if many else "case"
        _xml_read.read_case_detailed(el, path, problems, root=not many)
    if problems:
        raise capped_error(problems, limits.max_problems)
    raise ReadersDisagree("XML", "case document")


def _read_root(root: Any, limits: Limits, many: bool | None) -> tuple[list[Case], bool]:
    is_many, version = _root_info(root)
    if many is False and is_many:
        raise ValidationError(
            Problem(
                "",
                "this is a many-case document (<cases>): read it with loads_many",
                root.sourceline,
            )
        )
    elements = list(root) if is_many else [root]
    steps = _versions.upgrade_path(version, "xml")
    if steps:
        # Older documents are rare: they take the detailed path after the upgrade.
        if is_many:
            for old in list(root):
                if isinstance(old.tag, str) and old.tag.rsplit("}", 1)[-1] == "case":
                    new = _versions.apply_upgrades(steps, old)
                    if new is not old:
                        root.replace(old, new)
            elements = list(root)
        else:
            root = _versions.apply_upgrades(steps, root)
            elements = [root]
    fast = _build_fast(elements, root, is_many, limits)
    if fast is not None:
        return fast, is_many
    _build_explained(elements, root, is_many, limits)


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        try:
            return data.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                Problem("", "the text holds a lone surrogate, which no XML can carry")
            ) from None
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"XML is read from bytes or str, not {type(data).__name__}")


# -- reading -------------------------------------------------------------------------------


def loads(data: bytes | str, *, limits: Limits = DEFAULT_LIMITS) -> Case:
    """Read one case document (``<case>`` root).

    Raises:
        ValidationError: every problem, with its path (``case.enrolment.value...``) and
            source line.
        UnsafeXmlError: a DOCTYPE or entity, or input beyond the limits.
        XmlSyntaxError: the document is not well-formed XML (with line and column).
        SchemaVersionError: the schema version is unknown and no upgrade is registered.
    """
    root = _xml_safe.parse_bytes(_as_bytes(data), limits)
    cases, _ = _read_root(root, limits, many=False)
    return cases[0]


def loads_many(
    data: bytes | str, *, limits: Limits = DEFAULT_LIMITS, pause_gc: bool | None = None
) -> list[Case]:
    """Read a many-case document (``<cases>`` root); a ``<case>`` document gives a list of
    one. ``pause_gc`` as in :func:`ssbx_model.codec.json.loads_many`.

    Raises:
        ValidationError, UnsafeXmlError, XmlSyntaxError, SchemaVersionError: as
        :func:`loads`, with paths ``cases[i]...``.
    """
    retired_pause_gc(pause_gc, f"{__name__}.loads_many")
    root = _xml_safe.parse_bytes(_as_bytes(data), limits)
    cases, _ = _read_root(root, limits, many=True)
    return cases


def _read_file(source: Source, limits: Limits, many: bool | None) -> tuple[list[Case], bool]:
    with open_source(source) as f:
        raw = read_up_to(f, limits.max_bytes)
    return _read_root(_xml_safe.parse_bytes(raw, limits, "the file"), limits, many)


def load(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Case:
    """One case (a Case) from a one-case document: :func:`loads` on a path or a binary
    file (an empty file is "the file is empty"). A many-case document is an error; read
    it with :func:`load_many` (a list)."""
    return _read_file(source, limits, many=False)[0][0]


def load_many(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, pause_gc: bool | None = None
) -> list[Case]:
    """:func:`loads_many` on a path or a binary file (read whole; see :func:`iter_cases`
    for files too large for memory)."""
    retired_pause_gc(pause_gc, f"{__name__}.load_many")
    return _read_file(source, limits, many=True)[0]


def read_document(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Case], bool]:
    """Every case of a one- or many-case document, and whether it was a many-case one."""
    return _read_file(source, limits, many=None)


class _Stream:
    """The state of one streaming read of a case document.

    Every child of a ``<cases>`` root leaves the tree as the stream moves on: a
    ``<case>`` (in any namespace) and a ``<cases>`` are cleared when their end tag is
    read, and deleted, with any other element before them, when the next one ends; so
    memory holds one case (or one stray element) whatever the file holds. Problems of
    stray elements are collected (at most ``limits.max_problems``, the rest counted) and
    reported as one error before the next case, or at the end.
    """

    def __init__(self, f: IO[bytes], limits: Limits) -> None:
        self.limits = limits
        self.reader = _xml_safe.CountingReader(f, limits.max_case_bytes)
        self.root: Any = None
        self.many = False
        self.steps: list[tuple[str, str, _versions.Upgrade]] = []
        self.index = 0
        self.case_tag = _xml_read.CASE_TAG
        # The child of the root handled last (built, or reported as a stray), cleared
        # but still in the tree until the next one is handled.
        self.handled: Any = None
        self.strays = ProblemTally(limits.max_problems)

    def results(self) -> Iterator[Case | ValidationError]:
        try:
            yield from self._results()
        except XmlSyntaxError:
            if self.root is None and self.reader.blank:
                raise _xml_safe.empty("the file") from None
            error = self.strays.take()
            if error is not None:
                yield error
            raise
        except UnsafeXmlError:
            # The strays read before what stopped the stream are reported first.
            error = self.strays.take()
            if error is not None:
                yield error
            raise

    def _results(self) -> Iterator[Case | ValidationError]:
        events = _xml_safe.iterparse(self.reader, ("{*}case", "{*}cases"))
        for event, el in events:
            if self.root is None:
                yield from self._start_root(el)
                continue
            if event == "start":
                if self.many and el.getparent() is self.root:
                    self.reader.mark = self.reader.total
                continue
            if el is self.root:
                yield from self._end_root(el)
                continue
            if not self.many or el.getparent() is not self.root:
                continue  # a <case> nested deeper is read (and refused) as part of its case
            self._drop_before(el)
            if el.tag == self.case_tag:
                error = self.strays.take()
                if error is not None:
                    yield error
                yield self._build(el, f"cases[{self.index}]")
            else:  # a <case> in another namespace, or a <cases>
                self.strays.add(_bad_case_child(el, self.index))
            self.index += 1
            el.clear(keep_tail=True)
            self.handled = el
        if self.root is None:
            raise ValidationError(
                Problem(
                    "",
                    "the root element must be <case> or <cases> in the namespace "
                    f"{_versions.NAMESPACE}",
                )
            )

    def _start_root(self, el: Any) -> Iterator[ValidationError]:
        if el.getparent() is not None:
            top = el
            while top.getparent() is not None:
                top = top.getparent()
            el = top
        if _xml_safe.has_doctype(el):
            raise _xml_safe.refuse_doctype()
        self.root = el
        self.many, version = _root_info(el)
        # Cases of an older version are in its namespace until their upgrade.
        self.case_tag = el.tag.rsplit("}", 1)[0] + "}case"
        self.steps = _versions.upgrade_path(version, "xml")
        return iter(())

    def _check_root_text(self) -> None:
        if self.root.text is not None and self.root.text.strip(_XML_SPACE):
            self.strays.add(
                Problem("cases", "holds text between its <case> elements", self.root.sourceline)
            )
        self.root.text = None

    def _drop(self, child: Any) -> None:
        """Check the text after ``child`` and report it if it is a stray element."""
        if child.tail is not None and child.tail.strip(_XML_SPACE):
            self.strays.add(
                Problem("cases", "holds text between its <case> elements", child.sourceline)
            )
        if child is not self.handled:
            self.strays.add(_bad_case_child(child, self.index))
            self.index += 1

    def _drop_before(self, el: Any) -> None:
        """Check and delete every child of the root before ``el``."""
        self._check_root_text()
        root = self.root
        while True:
            first = root[0]
            if first is el:
                return
            self._drop(first)
            del root[0]

    def _end_root(self, el: Any) -> Iterator[Case | ValidationError]:
        if not self.many:
            yield self._build(el, "case", root=True)
            return
        self._check_root_text()
        for child in el:
            self._drop(child)
        error = self.strays.take()
        if error is not None:
            yield error

    def _build(self, el: Any, path: str, root: bool = False) -> Case | ValidationError:
        if self.steps:
            el = _versions.apply_upgrades(self.steps, el)
        visited = [0, self.limits.max_text_length]
        try:
            case = _xml_read.read_case_fast(el, visited)
        except Exception:  # the reader refused: the explaining pass says why
            case = None
        if case is not None and _xml_read.fast_checks_pass(
            el, visited[0] + 1, 1 if root else 0, self.limits.max_text_length
        ):
            return case  # type: ignore[no-any-return]
        _xml_safe.check_tree(el, self.limits, base_depth=1 if root else 2)
        problems: list[Problem] = []
        _xml_read.read_case_detailed(el, path, problems, root=root)
        if not problems:
            raise ReadersDisagree("XML", "case")
        return capped_error(problems, self.limits.max_problems)


def is_many_document(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> bool:
    """True if the document's root is ``<cases>``, reading no further than its start tag.

    Raises:
        ValidationError: the root is not a case document's; UnsafeXmlError,
            XmlSyntaxError, SchemaVersionError as :func:`loads`.
    """
    with open_source(source) as f:
        reader = _xml_safe.CountingReader(f, limits.max_case_bytes)
        try:
            for _, el in _xml_safe.iterparse(reader, None, ("start",)):
                if _xml_safe.has_doctype(el):
                    raise _xml_safe.refuse_doctype()
                return _root_info(el)[0]
        except XmlSyntaxError:
            if reader.blank:
                raise _xml_safe.empty("the file") from None
            raise
    raise ValidationError(Problem("", "the document has no root element"))


def iter_results(
    source: Source, *, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Case | ValidationError]:
    """Each case of a streamed document, or the ValidationError of a bad one; errors of
    the whole document (syntax, safety, version) are raised."""
    with open_source(source) as f:
        yield from _Stream(f, limits).results()


def iter_cases(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[Case]:
    """Stream the cases of a ``<cases>`` (or ``<case>``) document with bounded memory.

    Uses ``lxml.etree.iterparse`` with the hardened options; each ``<case>`` is built
    when its end tag is read, then cleared and removed from the tree, so memory holds one
    case at a time (at most ``limits.max_case_bytes`` of input per case). A bad case
    raises when it is reached, after the cases before it.

    Raises:
        ValidationError: the first bad case, every problem with path and line.
        UnsafeXmlError, XmlSyntaxError, SchemaVersionError: as :func:`loads`.
    """
    for result in iter_results(source, limits=limits):
        if isinstance(result, ValidationError):
            raise result
        yield result


# -- writing -------------------------------------------------------------------------------


def _case_text(case: Case, path: str, indent: str | None, attributes: str = "") -> str:
    out: list[str] = []
    case_xml(unstructure_case(case, path), out, indent=indent, attributes=attributes)
    return "".join(out)


def dumps(case: Case, *, pretty: bool = False) -> bytes:
    """One case document as UTF-8 XML (compact; ``pretty=True`` indents by 2).

    Raises:
        ValidationError: a value the wire format cannot carry, with its path.
    """
    body = _case_text(case, "case", "\n" if pretty else None, _ROOT_ATTRIBUTES)
    return (_DECLARATION + body + ("\n" if pretty else "")).encode("utf-8")


def _many_parts(cases: Iterable[Case], pretty: bool) -> Iterator[str]:
    yield _DECLARATION + f"<cases{_ROOT_ATTRIBUTES}>"
    indent = "\n  " if pretty else None
    for count, case in enumerate(cases):
        yield (indent or "") + _case_text(case, f"cases[{count}]", indent)
    yield ("\n" if pretty else "") + "</cases>" + ("\n" if pretty else "")


def dumps_many(cases: Iterable[Case], *, pretty: bool = False) -> bytes:
    """A many-case document (``<cases>`` root) as UTF-8 XML.

    Raises:
        ValidationError: every value that cannot be written, with paths ``cases[i]...``.
    """
    indent = "\n  " if pretty else None
    parts = [_DECLARATION + f"<cases{_ROOT_ATTRIBUTES}>"]
    problems: list[Problem] = []
    for i, case in enumerate(cases):
        try:
            parts.append((indent or "") + _case_text(case, f"cases[{i}]", indent))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    parts.append("\n</cases>\n" if pretty else "</cases>")
    return "".join(parts).encode("utf-8")


def dump(case: Case, target: Target, *, pretty: bool = False) -> None:
    """Write :func:`dumps` to a path or a binary file."""
    data = dumps(case, pretty=pretty)
    with open_target(target) as f:
        f.write(data)


def dump_many(cases: Iterable[Case], target: Target, *, pretty: bool = False) -> int:
    """Write a many-case document to a path or a binary file, one case at a time (an
    iterator of cases is never held whole); return the number of cases. A case that
    cannot be written raises ValidationError after the cases before it were written."""
    count = -2  # the opening and closing parts are not cases
    with open_target(target) as f:
        for part in _many_parts(cases, pretty):
            f.write(part.encode("utf-8"))
            count += 1
    return count


def move_to_namespace(element: Any, namespace: str) -> Any:
    """Move ``element`` and its descendants into ``namespace`` (for upgrade functions
    between major versions, whose namespaces differ); returns ``element``."""
    prefix = "{" + namespace + "}"
    for el in element.iter():
        if isinstance(el.tag, str):
            el.tag = prefix + el.tag.rsplit("}", 1)[-1]
    etree.cleanup_namespaces(element)
    return element


def register_upgrade(from_version: str, to_version: str, upgrade: _versions.Upgrade) -> None:
    """Register an upgrade of one ``<case>`` element from ``from_version`` to
    ``to_version`` (see :func:`ssbx_model.codec.register_upgrade`)."""
    _versions.register_upgrade(from_version, to_version, upgrade, format="xml")
