"""XML elements to model objects: the generated reader and its explaining pass with lines.

The **reader** is generated from the plan (and registered with :mod:`linecache`, so
tracebacks show its lines): one function per object type that walks the element's
children once (never ``findtext`` per field), dispatching on the tag, converts each text
with the strict scalar parsers and builds the model object with the model's public
constructor (every invariant runs, as for any other caller). It checks the texts it
passes on the way (only white space between elements, no free text and no white space
longer than the limit). What it cannot see cheaply from Python is checked for a whole
case at once by one XPath expression evaluated in C (:func:`fast_checks_pass`): that
every element was visited (so no element hides under a scalar) and that no element
carries an attribute. The reader decides what is accepted.

The **explaining pass** walks the same plan over a case the reader refused, checks
everything again and records every problem with its path and source line
(``Problem.line``, from ``element.sourceline``). When it finds none the two disagree,
a bug raised as :class:`~ssbx_model.codec._build.ReadersDisagree`; a differential
property test checks that they never do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Final

from lxml import etree

from ssbx_model._codegen import compile_generated
from ssbx_model.codec import _scalars
from ssbx_model.codec._build import (
    CACHE_LIMIT,
    INVALID,
    construct_fields,
    join,
    safe_name,
    shared_leaf,
)
from ssbx_model.codec._limits import DEFAULT_LIMITS
from ssbx_model.codec._plan import CASE, ListOf, Node, Obj, Scalar, enums, objects
from ssbx_model.codec._versions import NAMESPACE
from ssbx_model.errors import Problem

__all__ = ["CASE_TAG", "fast_checks_pass", "qualified", "read_case_detailed", "read_case_fast"]

_NS: Final = "{" + NAMESPACE + "}"
_XML_SPACE: Final = " \t\n\r"


def qualified(local: str) -> str:
    """The Clark name ``{urn:ssbx:case:1}local`` of an element of the case document."""
    return _NS + local


CASE_TAG: Final = qualified("case")


class Fail(Exception):
    """The generated reader met something it does not expect."""


# -- the generated reader ----------------------------------------------------------------

_dates: dict[str | None, dt.date] = {}
_orgnrs: dict[str | None, Any] = {}


def _cached(cache: dict[Any, Any], parse: Callable[[str], Any]) -> Callable[[str | None], Any]:
    """A converter keeping what it parsed (dates, legal persons' organisation numbers;
    never a sole trader's number, which is personal data)."""

    def convert(text: str | None) -> Any:
        if text is None:
            raise Fail
        value = parse(text)
        if not getattr(value, "is_sole_trader", False):
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
            cache[text] = value
        return value

    return convert


def _plain(parse: Callable[[str], Any]) -> Callable[[str | None], Any]:
    def convert(text: str | None) -> Any:
        if text is None:
            raise Fail
        return parse(text)

    return convert


def _str(text: str | None, visited: list[int]) -> str:
    if text is None:
        return ""
    if len(text) > visited[1]:
        raise Fail
    return text


# Objects with at most this many fields find each child's field by comparing tags (and
# keep the elements in locals); larger ones look the tag up in a dict.
_SMALL: Final = 8


class _Gen:
    """Generates the fast-path source, one function per object type."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {
            "Fail": Fail,
            "M": object(),
            "CACHE_LIMIT": CACHE_LIMIT,
            "DC": _dates,
            "OC": _orgnrs,
            "DATE": _cached(_dates, _scalars.parse_date),
            "ORG": _cached(_orgnrs, _scalars.parse_orgnr),
            "STR": _str,
            "BOOLS": {"true": True, "false": False},
            "EXT": {str(p): e for p, e in _scalars.EXTENTS.items()},
            "WS": _XML_SPACE,
        }
        self.lines: list[str] = []
        self.counter = 0

    def tmp(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def enum_table(self, node: Scalar) -> str:
        assert node.enum is not None
        name = f"E_{node.enum.__name__}"
        self.ns[name] = {m.value: m for m in node.enum}
        return name

    def scalar(self, node: Scalar, c: str, v: str, pad: str) -> None:
        """Emit code converting the text of element ``c`` into variable ``v``."""
        out = self.lines
        kind = node.kind
        if node.enum is not None:
            out.append(f"{pad}{v} = {self.enum_table(node)}[{c}.text]")
        elif kind == "str":
            out.append(f"{pad}{v} = {c}.text")
            out.append(f"{pad}if {v} is None: {v} = ''")
            out.append(f"{pad}elif len({v}) > K[1]: raise Fail")
        elif kind == "bool":
            out.append(f"{pad}{v} = BOOLS[{c}.text]")
        elif kind == "extent":
            out.append(f"{pad}{v} = EXT[{c}.text]")
        elif kind in ("date", "orgnr"):
            cache, conv = ("DC", "DATE") if kind == "date" else ("OC", "ORG")
            t, u = self.tmp(), self.tmp()
            out.append(f"{pad}{t} = {c}.text")
            out.append(f"{pad}{u} = {cache}.get({t})")
            out.append(f"{pad}{v} = {conv}({t}) if {u} is None else {u}")
        else:  # int, datetime, person, and any kind without a shortcut here
            out.append(f"{pad}{v} = {self.parser(kind)}({c}.text)")

    def parser(self, kind: str) -> str:
        """The name of the generic conversion of ``kind``: its text parser (a new scalar
        kind needs nothing here)."""
        name = f"P_{kind}"
        self.ns.setdefault(name, _plain(_scalars.text_parser(kind, None)))
        return name

    def item_expr(self, node: Node, c: str) -> str:
        """An expression converting list item element ``c``."""
        if isinstance(node, Obj):
            return f"x_{node.name}({c}, K)"
        assert isinstance(node, Scalar)
        if node.enum is not None:
            return f"{self.enum_table(node)}[{c}.text]"
        shortcuts = {
            "str": f"STR({c}.text, K)",
            "bool": f"BOOLS[{c}.text]",
            "extent": f"EXT[{c}.text]",
            "date": f"DATE({c}.text)",
            "orgnr": f"ORG({c}.text)",
        }
        return shortcuts.get(node.kind) or f"{self.parser(node.kind)}({c}.text)"

    def value(self, node: Node, c: str, v: str, pad: str) -> None:
        out = self.lines
        if isinstance(node, Scalar):
            self.scalar(node, c, v, pad)
        elif isinstance(node, Obj):
            out.append(f"{pad}{v} = x_{node.name}({c}, K)")
        else:
            tag = qualified(node.item_tag)
            out.append(f"{pad}{v} = []")
            out.append(f"{pad}for x in {c}:")
            out.append(f"{pad}    if x.tag != {tag!r}: raise Fail")
            out.append(f"{pad}    {v}.append({self.item_expr(node.item, 'x')})")
            out.append(f"{pad}    t = x.tail")
            out.append(f"{pad}    if t is not None and (t.strip(WS) or len(t) > K[1]): raise Fail")
            out.append(f"{pad}t = {c}.text")
            out.append(f"{pad}if t is not None and (t.strip(WS) or len(t) > K[1]): raise Fail")
            out.append(f"{pad}K[0] += len({v})")
            out.append(f"{pad}{v} = tuple({v})")

    def function(self, obj: Obj) -> None:
        out = self.lines
        size = len(obj.fields)
        small = size <= _SMALL
        out.append(f"def x_{obj.name}(el, K):")
        # Text between elements (or in an element without children) is white space, and
        # no text is longer than the limit (``K[1]``).
        out.append("    t = el.text")
        out.append("    if t is not None and (t.strip(WS) or len(t) > K[1]): raise Fail")
        if small:
            # Each field's element in a local (``c<i>``), found by comparing the tag with
            # the fields' tags in the writers' order: the common order costs one
            # comparison per child.
            elements = [f"c{i}" for i in range(size)]
            out.append(f"    {' = '.join(elements)} = None")
            out.append("    for c in el:")
            out.append("        tag = c.tag")
            for i, f in enumerate(obj.fields):
                keyword = "if" if i == 0 else "elif"
                out.append(f"        {keyword} tag == {qualified(f.name)!r}:")
                out.append(f"            if c{i} is not None: raise Fail")
                out.append(f"            c{i} = c")
            out.append("        else: raise Fail")
        else:
            # A larger object: each field's element in a list, found by its tag in a dict.
            self.ns[f"I_{obj.name}"] = {qualified(f.name): i for i, f in enumerate(obj.fields)}
            elements = [f"s[{i}]" for i in range(size)]
            out.append(f"    s = [None] * {size}")
            out.append("    for c in el:")
            out.append(f"        i = I_{obj.name}[c.tag]")
            out.append("        if s[i] is not None: raise Fail")
            out.append("        s[i] = c")
        out.append("        t = c.tail")
        out.append("        if t is not None and (t.strip(WS) or len(t) > K[1]): raise Fail")
        # Every child was dispatched to a field (or the reader failed above).
        out.append("    K[0] += len(el)")
        cache = f"LC_{obj.name}" if shared_leaf(obj) else None
        if cache is not None:
            # A leaf of scalars only (a period, a provenance): the same texts were checked
            # and built before, and the value is immutable, so it is shared. (Every child
            # was dispatched by its tag above; what may hide below a child or in an
            # attribute, fast_checks_pass counts for the whole case.)
            self.ns[cache] = {}
            texts = ", ".join(f"M if {c} is None else {c}.text" for c in elements)
            out.append(f"    key = ({texts},)")
            out.append(f"    o = {cache}.get(key)")
            # A text's length depends on no other field: a shared value still keeps this
            # call's limit (a text of another kind that fits no limit was never built).
            fits = [
                f"(key[{i}] is None or key[{i}] is M or len(key[{i}]) <= K[1])"
                for i, f in enumerate(obj.fields)
                if isinstance(f.node, Scalar) and f.node.kind == "str" and f.node.enum is None
            ]
            out.append(f"    if o is not None and {' and '.join(fits or ['True'])}: return o")
        names = []
        for i, f in enumerate(obj.fields):
            v = f"v{i}"
            names.append(v)
            c = elements[i]
            if not small:
                out.append(f"    c = {c}")
                c = "c"
            if f.required:
                out.append(f"    if {c} is None: raise Fail")
                self.value(f.node, c, v, "    ")
            else:
                default = f"D_{obj.name}_{i}"
                self.ns[default] = f.default
                out.append(f"    if {c} is None:")
                out.append(f"        {v} = {default}")
                out.append("    else:")
                self.value(f.node, c, v, "        ")
        # The model's public constructor: every validator and __attrs_post_init__ runs.
        self.ns[f"C_{obj.name}"] = obj.cls
        out.append(f"    o = C_{obj.name}({', '.join(names)})")
        if cache is not None:
            out.append(f"    if len({cache}) >= CACHE_LIMIT: {cache}.clear()")
            out.append(f"    {cache}[key] = o")
        out.append("    return o")
        out.append("")

    def build(self) -> dict[str, Any]:
        for obj in objects():
            self.function(obj)
        return compile_generated("\n".join(self.lines) + "\n", "xml reader", self.ns)


_GENERATED: Final = _Gen().build()
_FAST_CASE: Final[Callable[[Any, list[int]], Any]] = _GENERATED["x_Case"]


def read_case_fast(el: Any, visited: list[int]) -> Any:
    """Build a Case from a ``<case>`` element, or raise (anything) at the first doubt.

    ``visited[0]`` is increased by the number of elements read below ``el``, for
    :func:`fast_checks_pass`; ``visited[1]``, if given, is the longest text allowed
    (``Limits.max_text_length``; the default limit if not given).
    """
    if len(visited) < 2:  # the default limit, without adding it to the caller's list
        counts = [visited[0], DEFAULT_LIMITS.max_text_length]
        built = _FAST_CASE(el, counts)
        visited[0] = counts[0]
        return built
    return _FAST_CASE(el, visited)


#: The longest text that a scalar other than a free text can have (a datetime with
#: microseconds and its offset, 32 characters; the longest enum value): a longer one is
#: refused by its parser whatever the limit.
FIXED_FORM_MAX: Final = max(
    [32, len(str(_scalars.INT_MIN))] + [len(m.value) for e in enums() for m in e]
)

# The number of elements, plus 10^9 times the number of attributes: equal to (elements
# visited + 10^9 * allowed attributes) exactly when the reader saw every element and no
# attribute hides anywhere. The reader itself checks the texts between elements and the
# length of every text it reads (a free text, the white space between elements; a text
# of a fixed form longer than FIXED_FORM_MAX fails to parse).
_CHECKS: Final = etree.XPath(
    "count(descendant-or-self::*) + 1000000000 * count(descendant-or-self::*/@*)"
)
# The same, counting texts between elements and texts longer than the limit too: for a
# limit below FIXED_FORM_MAX, under which a text of a fixed form may be too long.
_ALL_CHECKS: Final = etree.XPath(
    "count(descendant-or-self::*) + 1000000000 * ("
    "count(descendant-or-self::*/@*)"
    " + count(descendant-or-self::*[*]/text()[normalize-space()])"
    " + count(descendant-or-self::text()[string-length() > $max_text]))"
)


def fast_checks_pass(el: Any, visited: int, attributes: int, max_text: int) -> bool:
    """True when ``el`` holds exactly ``visited`` elements (itself included) and exactly
    ``attributes`` attributes; with the reader's own checks (run with ``max_text`` as
    ``visited[1]``), no text between elements and no text longer than ``max_text``."""
    if max_text < FIXED_FORM_MAX:
        return bool(_ALL_CHECKS(el, max_text=max_text) == visited + 1_000_000_000 * attributes)
    return bool(_CHECKS(el) == visited + 1_000_000_000 * attributes)


# -- the explaining pass -------------------------------------------------------------------

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]")


def _line_resolver(el: Any) -> Callable[[str], int | None]:
    """Map a path relative to ``el`` (``spells[0].period.start``) to the source line of
    the deepest element it reaches."""

    def line_of(relative: str) -> int | None:
        current = el
        for name, index in _SEGMENT.findall(relative):
            if name:
                found = current.find(qualified(name))
                if found is None:
                    break
                current = found
            else:
                i = int(index)
                if i >= len(current):
                    break
                current = current[i]
        line: int | None = current.sourceline
        return line

    return line_of


def _tag_text(tag: object) -> str:
    """An element's tag for a message: the local name if it is safe to show."""
    if isinstance(tag, str):
        local = tag.rsplit("}", 1)[-1]
        name = safe_name(local)
        if name is not None:
            in_ns = tag.startswith(_NS)
            return f"<{name}>" if in_ns else f"<{name}> (not in namespace {NAMESPACE})"
    return "an element"


def _check_attributes(el: Any, path: str, problems: list[Problem]) -> None:
    if len(el.attrib):
        problems.append(
            Problem(path, "has an attribute: the case document uses none here", el.sourceline)
        )


def _check_text(el: Any, path: str, problems: list[Problem]) -> None:
    """Text directly inside an element that holds elements (its text and children's tails)."""
    texts = [(el.text, el.sourceline)] + [(c.tail, c.sourceline) for c in el]
    for text, line in texts:
        if text is not None and text.strip(_XML_SPACE):
            problems.append(
                Problem(path, "holds text between its elements: only elements belong here", line)
            )
            return


def _read(node: Node, el: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(node, Scalar):
        _check_attributes(el, path, problems)
        if len(el):
            problems.append(
                Problem(
                    path, f"must hold text, not elements ({_tag_text(el[0].tag)})", el[0].sourceline
                )
            )
            return INVALID
        try:
            return _scalars.parse_text(node.kind, node.enum, el.text or "")
        except _scalars.Invalid as exc:
            problems.append(Problem(path, exc.message, el.sourceline))
            return INVALID
    if isinstance(node, ListOf):
        _check_attributes(el, path, problems)
        _check_text(el, path, problems)
        tag = qualified(node.item_tag)
        items = []
        for i, child in enumerate(el):
            where = f"{path}[{i}]"
            if child.tag != tag:
                problems.append(
                    Problem(
                        where,
                        f"must be a <{node.item_tag}> element, not {_tag_text(child.tag)}",
                        child.sourceline,
                    )
                )
                items.append(INVALID)
                continue
            items.append(_read(node.item, child, where, problems))
        if any(item is INVALID for item in items):
            return INVALID
        return tuple(items)
    return _read_obj(node, el, path, problems)


def _read_obj(
    obj: Obj, el: Any, path: str, problems: list[Problem], attributes: bool = True
) -> Any:
    """The object, or ``INVALID`` when any problem was recorded for it or inside it."""
    before = len(problems)
    if attributes:
        _check_attributes(el, path, problems)
    _check_text(el, path, problems)
    by_tag = {qualified(f.name): f for f in obj.fields}
    children: dict[str, Any] = {}
    for child in el:
        f = by_tag.get(child.tag)
        if f is None:
            shown = _tag_text(child.tag)
            local = safe_name(child.tag.rsplit("}", 1)[-1]) if isinstance(child.tag, str) else None
            where = join(path, local) if local and child.tag.startswith(_NS) else path
            problems.append(
                Problem(where, f"{shown} is not a field of {obj.name}", child.sourceline)
            )
            continue
        if f.name in children:
            problems.append(Problem(join(path, f.name), "appears more than once", child.sourceline))
            continue
        children[f.name] = child
    args: list[Any] = []
    for f in obj.fields:
        child = children.get(f.name)
        if child is None:
            if f.required:
                problems.append(Problem(join(path, f.name), "is required", el.sourceline))
                args.append(INVALID)
            else:
                args.append(f.default)
            continue
        args.append(_read(f.node, child, join(path, f.name), problems))
    built = construct_fields(obj, args, path, problems, _line_resolver(el))
    return INVALID if len(problems) > before else built


def read_case_detailed(el: Any, path: str, problems: list[Problem], *, root: bool = False) -> Any:
    """Build a Case from a ``<case>`` element, recording every problem under ``path``
    with its line; ``INVALID`` if there is any. ``root=True``: the element is the
    document's root, whose attributes the caller checked."""
    return _read_obj(CASE, el, path, problems, attributes=not root)
